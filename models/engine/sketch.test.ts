/** The paged sketch: its bounds, its accuracy on sorted samples, merges in any order, transport. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalQuantile } from './normal'
import { Stream } from './rng'
import {
  bucketOf,
  SKETCH_MIN_MAGNITUDE,
  QuantileSketch,
  SKETCH_LAYOUT,
  SKETCH_RELATIVE_ERROR,
} from './sketch'

// the bound is exact; the relative difference the test computes may round a little above it
const TOLERANCE = SKETCH_RELATIVE_ERROR * (1 + 1e-12)
const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]

/** A sketch of one observable holding `sample`. */
const sketchOf = (sample: readonly number[]): QuantileSketch => {
  const sketch = new QuantileSketch(1)
  const value = new Float64Array(1)
  for (const x of sample) {
    value[0] = x
    sketch.add(value, 1)
  }
  return sketch
}

const sampleOf = (n: number, draw: (u: number) => number, seed = 1): number[] => {
  const stream = new Stream().reset(seed, 2, 3)
  return Array.from({ length: n }, () => draw(stream.nextDouble()))
}

/** Each sketch quantile within the error of the sorted sample's value at rank floor(q (n - 1)). */
const expectQuantilesWithinError = (
  sketch: QuantileSketch,
  j: number,
  sample: readonly number[],
) => {
  const sorted = sample.filter(Number.isFinite).sort((a, b) => a - b)
  const reported = sketch.quantiles(j, QS)
  QS.forEach((q, i) => {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]
    const expected = Math.abs(exact) < SKETCH_MIN_MAGNITUDE ? 0 : exact
    if (!(Math.abs(reported[i] - expected) <= TOLERANCE * Math.abs(expected)))
      expect.fail(`q ${q}: sketch ${reported[i]}, sample ${exact} (n ${sorted.length})`)
  })
}

/** The sample's share of values in the bucket of x (same sign, same bounds). */
const bucketShare = (sorted: readonly number[], x: number): number => {
  const { lo, hi } = bucketOf(x)
  const inBucket = sorted.filter(
    (v) => Math.sign(v) === Math.sign(x) && Math.abs(v) >= lo && Math.abs(v) < hi,
  )
  return inBucket.length / sorted.length
}

/** At each sample quantile x: cdf(x) is the sample's to x's bucket's share, and q to 1/n more. */
const expectCdfWithinBucket = (sketch: QuantileSketch, sample: readonly number[]) => {
  const sorted = [...sample].sort((a, b) => a - b)
  const n = sorted.length
  for (const q of QS) {
    const x = sorted[Math.floor(q * (n - 1))]
    const empirical = sorted.filter((v) => v <= x).length / n
    const share = bucketShare(sorted, x)
    const cdf = sketch.cdf(0, x)
    expect(Math.abs(cdf - empirical)).toBeLessThanOrEqual(share + 1e-12)
    expect(Math.abs(cdf - q)).toBeLessThanOrEqual(1 / n + share + 1e-12)
  }
}

const lognormal = (mu: number, sigma: number) => (u: number) =>
  Math.exp(mu + sigma * normalQuantile(u))

describe('bucket bounds', () => {
  it('a binade has 140 buckets [lo, hi), each with hi - lo <= SKETCH_RELATIVE_ERROR lo', () => {
    let buckets = 0
    for (let a = 0; a < 1 << 14; a++) {
      const x = 1 + a / (1 << 14)
      const { lo, hi } = bucketOf(x)
      if (lo === x) buckets++
      expect(lo <= x && x < hi).toBe(true)
      expect((hi - lo) / SKETCH_RELATIVE_ERROR).toBeLessThanOrEqual(lo) // exact: lo, hi have 14 fraction bits
      expect(bucketOf(Math.min(hi, 2) - 2 ** -52).lo).toBe(lo)
    }
    expect(buckets).toBe(140)
  })

  it('scale by powers of two from 1e-9 to 1e25, and clamp above', () => {
    for (const e of [-30, -29, -1, 0, 1, 40, 83]) {
      const { lo, hi } = bucketOf(1.2345 * 2 ** e)
      const unit = bucketOf(1.2345)
      expect([lo, hi]).toEqual([unit.lo * 2 ** e, unit.hi * 2 ** e])
    }
    expect(2 ** -30).toBeLessThanOrEqual(SKETCH_MIN_MAGNITUDE)
    expect(bucketOf(1e25).hi).toBeLessThanOrEqual(2 ** 84)
    expect(bucketOf(1e30)).toEqual(bucketOf(2 ** 84 * (1 - 2 ** -53)))
    expect(bucketOf(-1e-10)).toEqual({ lo: 0, hi: SKETCH_MIN_MAGNITUDE })
    expect(bucketOf(SKETCH_MIN_MAGNITUDE).lo).toBeGreaterThan(0)
  })

  it('a value at a bound opens its bucket; the float below it closes the previous one', () => {
    const below = (x: number) => x * (1 - 2 ** -53)
    for (const x of [1, 2, 1024, 2 ** -29, 3e7, -5e-4]) {
      const { lo, hi } = bucketOf(x)
      for (const bound of [lo * Math.sign(x), hi * Math.sign(x)]) {
        expect(bucketOf(bound).lo).toBe(Math.abs(bound))
        expect(bucketOf(below(bound)).hi).toBe(Math.abs(bound))
      }
    }
  })
})

describe('accuracy against the sorted sample', () => {
  const N = 20_000

  it('uniform on [0, 1000)', () => {
    const sample = sampleOf(N, (u) => 1000 * u)
    const sketch = sketchOf(sample)
    expect(sketch.count(0)).toBe(N)
    expectQuantilesWithinError(sketch, 0, sample)
    expectCdfWithinBucket(sketch, sample)
  })

  it('lognormal costs around 1e9 with a long tail', () => {
    const sample = sampleOf(N, lognormal(Math.log(1e9), 1.5), 7)
    const sketch = sketchOf(sample)
    expectQuantilesWithinError(sketch, 0, sample)
    expectCdfWithinBucket(sketch, sample)
  })

  it('a mixture of negatives, zeros, small and huge magnitudes', () => {
    const sample = sampleOf(N, (u) => {
      if (u < 0.3) return -lognormal(2, 3)(u / 0.3)
      if (u < 0.4) return 0
      return lognormal(10, 6)((u - 0.4) / 0.6)
    })
    const sketch = sketchOf(sample)
    expectQuantilesWithinError(sketch, 0, sample)
    expectCdfWithinBucket(sketch, sample)
  })

  it('any sample (fast-check): every quantile within the error, NaN and infinities skipped', () => {
    const magnitude = fc
      .double({ min: Math.log(1e-9), max: Math.log(1e25), noNaN: true })
      .map(Math.exp)
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.tuple(fc.boolean(), magnitude).map(([neg, m]) => (neg ? -m : m)) },
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
    )
    fc.assert(
      fc.property(fc.array(value, { maxLength: 500 }), (sample) => {
        fc.pre(sample.some(Number.isFinite))
        const sketch = sketchOf(sample)
        expect(sketch.count(0)).toBe(sample.filter(Number.isFinite).length)
        expectQuantilesWithinError(sketch, 0, sample)
      }),
      { numRuns: 300 },
    )
  })

  it('observables whose quantiles share a bucket still print different, ordered values', () => {
    const a = sampleOf(N, lognormal(Math.log(5e4), 0.4), 3)
    const b = a.map((x) => x * 1.0003)
    const [ma, mb] = [sketchOf(a).quantiles(0, [0.5])[0], sketchOf(b).quantiles(0, [0.5])[0]]
    expect(bucketOf(ma)).toEqual(bucketOf(mb))
    expect(ma).toBeLessThan(mb)
  })

  it('cdf at a quantile is (rank + 0.5) / n, the inverse of the interpolation', () => {
    const sample = sampleOf(1001, lognormal(0, 1), 5).map((x, i) => (i % 3 === 0 ? -x : x))
    const sketch = sketchOf(sample)
    for (const q of [0.1, 0.5, 0.9]) {
      const rank = Math.floor(q * 1000)
      expect(sketch.cdf(0, sketch.quantiles(0, [q])[0])).toBeCloseTo((rank + 0.5) / 1001, 9)
    }
    expect(sketch.cdf(0, Infinity)).toBe(1)
    expect(sketch.cdf(0, -Infinity)).toBe(0)
    expect(sketch.cdf(0, NaN)).toBeNaN()
  })
})

describe('edge cases', () => {
  it('empty: no count, NaN quantiles and cdf', () => {
    const sketch = sketchOf([NaN, Infinity])
    expect(sketch.count(0)).toBe(0)
    expect(sketch.quantiles(0, [0, 0.5, 1]).every(Number.isNaN)).toBe(true)
    expect(sketch.cdf(0, 1)).toBeNaN()
  })

  it('one value: every quantile is it, to the error', () => {
    for (const x of [3.7, -2e12, 1e-9]) expectQuantilesWithinError(sketchOf([x]), 0, [x])
  })

  it('all zero, and magnitudes below 1e-9: zeros', () => {
    const sketch = sketchOf([0, -0, 1e-10, -1e-10, 0])
    expect(sketch.quantiles(0, [0, 0.5, 1])).toEqual([0, 0, 0])
    expect([sketch.cdf(0, -1), sketch.cdf(0, 0), sketch.cdf(0, 1)]).toEqual([0, 1, 1])
  })

  it('all equal: the quantiles rise through the bucket, each within the error', () => {
    const sample = new Array<number>(100).fill(-123.456)
    const q = sketchOf(sample).quantiles(0, QS)
    expectQuantilesWithinError(sketchOf(sample), 0, sample)
    for (let i = 1; i < q.length; i++) expect(q[i]).toBeGreaterThanOrEqual(q[i - 1])
  })

  it('1e30 clamps into the top bucket (below 2^84); 1e-10 is zero', () => {
    const sketch = sketchOf([1e30, -1e30, 1e-10])
    const [low, mid, high] = sketch.quantiles(0, [0, 0.5, 1])
    expect(mid).toBe(0)
    expect(high).toBeLessThan(2 ** 84)
    expect(high).toBeGreaterThan(2 ** 84 * (1 - SKETCH_RELATIVE_ERROR))
    expect(low).toBe(-high)
  })

  it('negative values mirror positive ones bit for bit', () => {
    const sample = [0.5, 7, 7.001, 1e6, 3e20]
    const pos = sketchOf(sample).quantiles(0, [0, 0.25, 0.5, 0.75, 1])
    const neg = sketchOf(sample.map((x) => -x)).quantiles(0, [1, 0.75, 0.5, 0.25, 0])
    expect(neg).toEqual(pos.map((x) => -x))
  })

  it('refuses a row longer than its observables, and merging a sketch of another size', () => {
    expect(() => new QuantileSketch(2).add(new Float64Array(3), 3)).toThrow()
    expect(() => new QuantileSketch(2).merge(new QuantileSketch(3))).toThrow()
  })
})

describe('merge and transport', () => {
  const K = 3
  const magnitude = fc.double({ min: -25, max: 55, noNaN: true }).map(Math.exp)
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.boolean(), magnitude).map(([neg, m]) => (neg ? -m : m)) },
    { weight: 1, arbitrary: fc.constantFrom(0, NaN, Infinity, 1e-10) },
  )
  const rows = fc.array(fc.array(value, { minLength: K, maxLength: K }), { maxLength: 300 })

  const sketchOfRows = (list: readonly number[][]): QuantileSketch => {
    const sketch = new QuantileSketch(K)
    for (const row of list) sketch.add(Float64Array.from(row), K)
    return sketch
  }

  const expectSameQuantiles = (actual: QuantileSketch, expected: QuantileSketch) => {
    for (let j = 0; j < K; j++) {
      const [a, e] = [actual.quantiles(j, QS), expected.quantiles(j, QS)]
      a.forEach((x, i) => expect(Object.is(x, e[i]), `observable ${j}, q ${QS[i]}`).toBe(true))
    }
    expect(actual.encode()).toEqual(expected.encode())
  }

  it('any split, merged in any order, gives the same bits as the whole', () => {
    const split = rows.chain((list) =>
      fc.tuple(
        fc.constant(list),
        fc.uniqueArray(fc.integer({ min: 0, max: list.length }), { maxLength: 6 }),
        fc.func(fc.integer()),
      ),
    )
    fc.assert(
      fc.property(split, ([list, cuts, order]) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), list.length]
        const parts = bounds.slice(1).map((end, i) => sketchOfRows(list.slice(bounds[i], end)))
        const shuffled = parts
          .map((part, i) => ({ part, key: order(i) }))
          .sort((a, b) => a.key - b.key)
        const merged = shuffled.reduce((acc, { part }) => acc.merge(part), new QuantileSketch(K))
        expectSameQuantiles(merged, sketchOfRows(list))
      }),
      { numRuns: 200 },
    )
  })

  it('merges associate: (a + b) + c is a + (b + c)', () => {
    fc.assert(
      fc.property(rows, rows, rows, (a, b, c) => {
        const left = sketchOfRows(a).merge(sketchOfRows(b)).merge(sketchOfRows(c))
        const right = sketchOfRows(a).merge(sketchOfRows(b).merge(sketchOfRows(c)))
        expectSameQuantiles(left, right)
      }),
      { numRuns: 100 },
    )
  })

  it('decode(encode) through JSON gives the same bits', () => {
    fc.assert(
      fc.property(rows, (list) => {
        const sketch = sketchOfRows(list)
        const decoded = QuantileSketch.decode(JSON.parse(JSON.stringify(sketch.encode())), K)
        expectSameQuantiles(decoded, sketch)
        for (let j = 0; j < K; j++) expect(decoded.cdf(j, 1)).toBe(sketch.cdf(j, 1))
      }),
      { numRuns: 200 },
    )
  })

  it('decode refuses another layout or observable count, and slots out of order or range', () => {
    const good = sketchOfRows([[1, 2, 3]]).encode()
    expect(() => QuantileSketch.decode({ ...good, layout: 'dense' }, K)).toThrow()
    expect(() => QuantileSketch.decode(good, K + 1)).toThrow(/observables/)
    expect(() =>
      QuantileSketch.decode({ layout: SKETCH_LAYOUT, buckets: [[5, 1, 0, 1], [], []] }, K),
    ).toThrow(/slots rise/)
    expect(() =>
      QuantileSketch.decode({ layout: SKETCH_LAYOUT, buckets: [[1e9, 1], [], []] }, K),
    ).toThrow()
    expect(() =>
      QuantileSketch.decode({ layout: SKETCH_LAYOUT, buckets: [[5, 1.5], [], []] }, K),
    ).toThrow()
  })

  it('a narrow observable costs a page or two; an untouched one none', () => {
    const sketch = new QuantileSketch(2)
    const value = new Float64Array(1)
    for (let i = 0; i < 1000; i++) {
      value[0] = 100 + i / 100
      sketch.add(value, 1)
    }
    expect(sketch.footprint().pages).toBeLessThanOrEqual(2)
    expect(sketch.count(1)).toBe(0)
  })
})
