/** Every Dist sampler against its theoretical moments and support, and the Dist schema's rules. */
import { describe, expect, it } from 'vitest'
import {
  compileDist,
  distMoments,
  distSchema,
  distSupport,
  NON_NEGATIVE,
  PROBABILITY,
  REAL,
  sampleDist,
  type Dist,
  type DistSpec,
} from './distributions'
import { Stream } from './rng'

const COUNT = 200_000

/** Sample mean, variance and fourth central moment of `count` sequential draws, and their range. */
const sampleOf = (dist: Dist, rng: Stream, count = COUNT) => {
  const compiled = compileDist(dist)
  const xs = new Float64Array(count)
  for (let i = 0; i < count; i++) xs[i] = sampleDist(compiled, rng)
  let sum = 0
  let min = Infinity
  let max = -Infinity
  for (const x of xs) {
    sum += x
    if (x < min) min = x
    if (x > max) max = x
  }
  const mean = sum / count
  let m2 = 0
  let m4 = 0
  for (const x of xs) {
    const d2 = (x - mean) ** 2
    m2 += d2
    m4 += d2 * d2
  }
  const finite = xs.every(Number.isFinite)
  return { mean, variance: m2 / (count - 1), m4: m4 / count, min, max, finite }
}

const specs: [string, DistSpec][] = [
  ['point', { dist: 'point', value: 3.5 }],
  ['uniform', { dist: 'uniform', min: 2, max: 5 }],
  ['triangular', { dist: 'triangular', min: 1, mode: 2, max: 6 }],
  ['triangular, mode at min', { dist: 'triangular', min: 0, mode: 0, max: 1 }],
  ['triangular, mode at max', { dist: 'triangular', min: -3, mode: 4, max: 4 }],
  ['pert', { dist: 'pert', min: 0, mode: 3, max: 10 }],
  ['pert, mode at min', { dist: 'pert', min: 100, mode: 100, max: 200 }],
  ['pert, mode near max', { dist: 'pert', min: 0, mode: 8, max: 10 }],
  ['normal', { dist: 'normal', mean: 10, sd: 2 }],
  ['normal truncated both sides', { dist: 'normal', mean: 0, sd: 1, min: -0.5, max: 2 }],
  ['normal truncated below', { dist: 'normal', mean: 5, sd: 3, min: 0 }],
  ['normal truncated above, in the tail', { dist: 'normal', mean: 0, sd: 1, max: -1.5 }],
  ['normal, a far lower bound', { dist: 'normal', mean: 1200, sd: 100, min: 0 }],
  ['lognormal', { dist: 'lognormal', low: 1, high: 10 }],
  ['lognormal, small', { dist: 'lognormal', low: 0.01, high: 0.05 }],
  ['beta', { dist: 'beta', alpha: 2, beta: 5 }],
  ['beta, alpha > beta > 1', { dist: 'beta', alpha: 8, beta: 3 }],
  ['beta, both near 1', { dist: 'beta', alpha: 1.5, beta: 1.2 }],
  ['beta, alpha < 1', { dist: 'beta', alpha: 0.3, beta: 2 }],
  ['beta, both < 1', { dist: 'beta', alpha: 0.5, beta: 0.5 }],
  ['beta, beta = 1', { dist: 'beta', alpha: 5, beta: 1 }],
]

describe('samplers against distMoments', () => {
  // one stream, sequential draws: the samplers must not depend on a fresh stream per spec
  const rng = new Stream().reset(0x0d157, 1, 2)
  for (const [label, spec] of specs) {
    it(`${label}: mean and variance within 4 standard errors, every draw in the support`, () => {
      const theory = distMoments(spec)
      const sample = sampleOf(spec, rng)
      const [lo, hi] = distSupport(spec)
      expect(sample.finite).toBe(true)
      expect(sample.min).toBeGreaterThanOrEqual(lo)
      expect(sample.max).toBeLessThanOrEqual(hi)
      if (theory.variance === 0) {
        expect(sample.min).toBe(theory.mean)
        expect(sample.max).toBe(theory.mean)
        return
      }
      // SE of the mean from theory; of the variance from the sample's fourth central moment
      const meanTolerance = 4 * Math.sqrt(theory.variance / COUNT)
      const varianceTolerance = 4 * Math.sqrt((sample.m4 - sample.variance ** 2) / COUNT)
      expect(Math.abs(sample.mean - theory.mean)).toBeLessThan(meanTolerance)
      expect(Math.abs(sample.variance - theory.variance)).toBeLessThan(varianceTolerance)
    })
  }

  it('a plain number is a point value', () => {
    const rng2 = new Stream().reset(1, 2, 3)
    const compiled = compileDist(0.25)
    expect(sampleDist(compiled, rng2)).toBe(0.25)
    expect(distMoments(0.25)).toEqual({ mean: 0.25, variance: 0 })
  })

  it('degenerate widths compile to points', () => {
    const rng2 = new Stream().reset(1, 2, 3)
    for (const spec of [
      { dist: 'triangular', min: 4, mode: 4, max: 4 },
      { dist: 'pert', min: 4, mode: 4, max: 4 },
      { dist: 'normal', mean: 4, sd: 0 },
      { dist: 'uniform', min: 4, max: 4 },
    ] as DistSpec[]) {
      expect(sampleDist(compileDist(spec), rng2)).toBe(4)
      expect(distMoments(spec)).toEqual({ mean: 4, variance: 0 })
    }
  })

  it('the lognormal low and high are its 5th and 95th percentiles', () => {
    const rng2 = new Stream().reset(5, 6, 7)
    const compiled = compileDist({ dist: 'lognormal', low: 2, high: 50 })
    let below = 0
    let above = 0
    for (let i = 0; i < COUNT; i++) {
      const x = sampleDist(compiled, rng2)
      if (x < 2) below++
      if (x > 50) above++
    }
    const tolerance = 4 * Math.sqrt((0.05 * 0.95) / COUNT)
    expect(Math.abs(below / COUNT - 0.05)).toBeLessThan(tolerance)
    expect(Math.abs(above / COUNT - 0.05)).toBeLessThan(tolerance)
  })

  // normalCdf once overflowed to -Infinity for x in [-38, -37.67], and such a normal sampled NaN.
  it('a normal 37.9 sd above its lower bound samples finite values', () => {
    const spec: DistSpec = { dist: 'normal', mean: 3790, sd: 100, min: 0 }
    expect(distSchema(NON_NEGATIVE).safeParse(spec).success).toBe(true)
    const sample = sampleOf(spec, new Stream().reset(8, 9, 10), 1000)
    expect(sample.finite).toBe(true)
  })
})

describe('distSchema', () => {
  const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
    result.error?.issues.map((issue) => issue.message).join('; ') ?? ''
  const paths = (result: { error?: { issues: { path: PropertyKey[] }[] } }) =>
    result.error?.issues.map((issue) => issue.path.join('.')) ?? []

  it('reads a plain number as a point value', () => {
    expect(distSchema(PROBABILITY).parse(0.3)).toEqual({ dist: 'point', value: 0.3 })
    expect(distSchema(REAL).parse(-2)).toEqual({ dist: 'point', value: -2 })
  })

  it('accepts well-formed distributions of every kind, with a source', () => {
    const ok: unknown[] = [
      { dist: 'uniform', min: 0.1, max: 0.2, source: 'IOM 2023, table 4' },
      { dist: 'triangular', min: 0, mode: 0.5, max: 1 },
      { dist: 'pert', min: 0, mode: 0.2, max: 0.9 },
      { dist: 'normal', mean: 0.5, sd: 0.1, min: 0, max: 1 },
      { dist: 'beta', alpha: 2, beta: 8 },
    ]
    for (const spec of ok) expect(distSchema(PROBABILITY).safeParse(spec).success).toBe(true)
    const lognormalCost = { dist: 'lognormal', low: 100, high: 900 }
    expect(distSchema(NON_NEGATIVE).safeParse(lognormalCost).success).toBe(true)
    expect(distSchema(REAL).safeParse({ dist: 'normal', mean: -1, sd: 2 }).success).toBe(true)
  })

  it('refuses a probability of 1.2, naming the range [0, 1]', () => {
    const result = distSchema(PROBABILITY).safeParse(1.2)
    expect(result.success).toBe(false)
    expect(messages(result)).toContain('[0, 1]')
    expect(messages(result)).toContain('1.2')
  })

  it('refuses distributions whose support leaves the domain', () => {
    const beyondOne = distSchema(PROBABILITY).safeParse({ dist: 'uniform', min: 0.5, max: 1.5 })
    expect(beyondOne.success).toBe(false)
    expect(messages(beyondOne)).toContain('[0, 1]')
    const lognormal = distSchema(PROBABILITY).safeParse({ dist: 'lognormal', low: 0.1, high: 0.5 })
    expect(lognormal.success).toBe(false)
  })

  it('refuses a normal cost without a lower bound, and accepts it with min 0', () => {
    const unbounded = distSchema(NON_NEGATIVE).safeParse({ dist: 'normal', mean: 500, sd: 100 })
    expect(unbounded.success).toBe(false)
    expect(messages(unbounded)).toContain('min/max')
    const bounded = { dist: 'normal', mean: 500, sd: 100, min: 0 }
    expect(distSchema(NON_NEGATIVE).safeParse(bounded).success).toBe(true)
  })

  it('refuses a triangular or pert with the mode outside [min, max], naming the field', () => {
    const modeAboveMax = distSchema(REAL).safeParse({ dist: 'triangular', min: 0, mode: 5, max: 4 })
    expect(modeAboveMax.success).toBe(false)
    expect(paths(modeAboveMax)).toEqual(['max'])
    expect(messages(modeAboveMax)).toContain('max must be >= mode')
    const modeBelowMin = distSchema(REAL).safeParse({ dist: 'pert', min: 1, mode: 0, max: 4 })
    expect(modeBelowMin.success).toBe(false)
    expect(paths(modeBelowMin)).toEqual(['mode'])
  })

  it('refuses a lognormal with low <= 0 or high <= low', () => {
    for (const low of [0, -1]) {
      const result = distSchema(NON_NEGATIVE).safeParse({ dist: 'lognormal', low, high: 5 })
      expect(result.success).toBe(false)
      expect(paths(result)).toEqual(['low'])
    }
    const inverted = distSchema(NON_NEGATIVE).safeParse({ dist: 'lognormal', low: 5, high: 5 })
    expect(paths(inverted)).toEqual(['high'])
  })

  it('refuses other inconsistent parameters, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ dist: 'uniform', min: 3, max: 2 }, 'max'],
      [{ dist: 'normal', mean: 0, sd: -1 }, 'sd'],
      [{ dist: 'normal', mean: 0, sd: 1, min: 2, max: 2 }, 'max'],
      [{ dist: 'beta', alpha: 0, beta: 1 }, 'alpha'],
      [{ dist: 'beta', alpha: 1, beta: -2 }, 'beta'],
    ]
    for (const [spec, field] of cases) {
      const result = distSchema(REAL).safeParse(spec)
      expect(result.success).toBe(false)
      expect(paths(result)).toContain(field)
    }
  })

  it('refuses unknown keys, unknown kinds and non-finite numbers', () => {
    const extraKey = { dist: 'uniform', min: 0, max: 1, mean: 0.5 }
    expect(distSchema(REAL).safeParse(extraKey).success).toBe(false)
    const unknownKind = distSchema(REAL).safeParse({ dist: 'gamma', shape: 2 })
    expect(unknownKind.success).toBe(false)
    const kinds = 'point, uniform, triangular, pert, normal, lognormal, beta'
    expect(messages(unknownKind)).toContain(kinds)
    expect(distSchema(REAL).safeParse(Infinity).success).toBe(false)
    expect(distSchema(REAL).safeParse(Number.NaN).success).toBe(false)
    expect(distSchema(REAL).safeParse('0.5').success).toBe(false)
    expect(distSchema(REAL).safeParse({ dist: 'point' }).success).toBe(false)
  })
})
