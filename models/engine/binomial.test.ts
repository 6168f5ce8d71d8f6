/** The binomial and multinomial samplers against exact theory: moments, goodness of fit, edges. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { binomial, binomialAt, multinomialInto, STIRLING_TAIL } from './binomial'
import { ALPHA, chiSquareSurvival, goodnessOfFit } from './goodness-of-fit.test-util'
import { Stream } from './rng'

const RUN = 0x5eed2024

/** Sample mean and (unbiased) variance of a Float64Array. */
const moments = (xs: Float64Array): { mean: number; variance: number } => {
  let sum = 0
  for (const x of xs) sum += x
  const mean = sum / xs.length
  let ss = 0
  for (const x of xs) ss += (x - mean) ** 2
  return { mean, variance: ss / (xs.length - 1) }
}

const draws = (n: number, p: number, count: number, rng: Stream): Float64Array => {
  const xs = new Float64Array(count)
  for (let i = 0; i < count; i++) xs[i] = binomial(n, p, rng)
  return xs
}

/**
 * 4 standard errors of the sample mean and the sample variance of `count` Binomial(n, p) draws. The
 * variance's uses the exact Var(s^2) = (mu4 - sigma^4 (N - 3) / (N - 1)) / N with the binomial's
 * central fourth moment mu4 = npq (1 + 3 pq (n - 2)).
 */
const tolerances = (n: number, p: number, count: number) => {
  const pq = p * (1 - p)
  const variance = n * pq
  const mu4 = n * pq * (1 + 3 * pq * (n - 2))
  const varianceOfVariance = (mu4 - (variance * variance * (count - 3)) / (count - 1)) / count
  return { mean: 4 * Math.sqrt(variance / count), variance: 4 * Math.sqrt(varianceOfVariance) }
}

/** The exact Binomial(n, p) pmf over mode +- 12 sd (the rest is < 1e-30), by ratio recurrence. */
const binomialPmf = (n: number, p: number): { lo: number; pmf: Float64Array } => {
  const q = 1 - p
  const sd = Math.sqrt(n * p * q)
  const mode = Math.floor((n + 1) * p)
  const lo = Math.max(0, Math.floor(mode - 12 * sd - 20))
  const hi = Math.min(n, Math.ceil(mode + 12 * sd + 20))
  const pmf = new Float64Array(hi - lo + 1)
  pmf[mode - lo] = 1
  for (let k = mode; k < hi; k++) pmf[k + 1 - lo] = pmf[k - lo] * ((n - k) / (k + 1)) * (p / q)
  for (let k = mode; k > lo; k--) pmf[k - 1 - lo] = pmf[k - lo] * (k / (n - k + 1)) * (q / p)
  let total = 0
  for (const w of pmf) total += w
  for (let i = 0; i < pmf.length; i++) pmf[i] /= total
  return { lo, pmf }
}

/** The binomial sampler against its exact pmf (see goodnessOfFit). */
const binomialGoodnessOfFit = (n: number, p: number, count: number, rng: Stream) => {
  const { lo, pmf } = binomialPmf(n, p)
  return goodnessOfFit(pmf, lo, count, () => binomial(n, p, rng))
}


describe('test helpers', () => {
  it('chiSquareSurvival matches published critical values', () => {
    // [df, 5% critical value, 0.01% critical value] from scipy.stats.chi2.isf
    const table: [number, number, number][] = [
      [1, 3.8414588206941285, 15.136705226623397],
      [2, 5.991464547107983, 18.420680743952364],
      [3, 7.814727903251178, 21.10751346616021],
      [10, 18.30703805327515, 35.56401394195211],
      [25, 37.65248413348277, 60.14029191162204],
      [60, 79.08194448784874, 109.50293050040449],
    ]
    for (const [df, c05, c0001] of table) {
      expect(chiSquareSurvival(c05, df)).toBeCloseTo(0.05, 12)
      expect(chiSquareSurvival(c0001, df) / ALPHA).toBeCloseTo(1, 10)
    }
  })

  it('binomialPmf sums to 1 and matches C(n, k) p^k q^(n-k) for a small case', () => {
    const { lo, pmf } = binomialPmf(10, 0.3)
    expect(lo).toBe(0)
    expect(pmf.length).toBe(11)
    let choose = 1
    for (let k = 0; k <= 10; k++) {
      expect(pmf[k]).toBeCloseTo(choose * 0.3 ** k * 0.7 ** (10 - k), 15)
      choose = (choose * (10 - k)) / (k + 1)
    }
  })
})

describe('binomial: moments over a grid spanning inversion and BTRD', () => {
  const ns = [1, 5, 20, 100, 1000, 1e6]
  const ps = [0.001, 0.05, 0.3, 0.5, 0.7, 0.999]
  const COUNT = 40_000
  let caseIndex = 0
  for (const n of ns) {
    for (const p of ps) {
      const index = caseIndex++
      const method = n * Math.min(p, 1 - p) < 10 ? 'inversion' : 'BTRD'
      it(`n=${n} p=${p} (${method}): mean and variance within 4 standard errors`, () => {
        const rng = new Stream().reset(RUN, index, 1)
        const xs = draws(n, p, COUNT, rng)
        const sample = moments(xs)
        const tol = tolerances(n, p, COUNT)
        expect(Math.abs(sample.mean - n * p)).toBeLessThan(tol.mean)
        expect(Math.abs(sample.variance - n * p * (1 - p))).toBeLessThan(tol.variance)
        expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true)
      })
    }
  }

  it('n=100 p=0.3: 200,000 draws pin the mean to 30 +- 0.041, so a biased 30.48 fails', () => {
    const count = 200_000
    const rng = new Stream().reset(RUN, 1000, 2)
    const sample = moments(draws(100, 0.3, count, rng))
    const tol = tolerances(100, 0.3, count)
    // the check has the power to see @stdlib/random-base-binomial 0.2.2's bias (mean 30.48 here)
    expect(tol.mean).toBeLessThan(0.48 / 10)
    expect(Math.abs(sample.mean - 30)).toBeLessThan(tol.mean)
    expect(Math.abs(sample.variance - 21)).toBeLessThan(tol.variance)
  })
})

describe('binomial: chi-square goodness of fit against the exact pmf', () => {
  const cases: [number, number, string][] = [
    [8, 0.5, 'inversion'],
    [30, 0.2, 'inversion'],
    [1000, 0.009, 'inversion, just below the switch'],
    [1000, 0.01, 'BTRD at the switch, tabulated Stirling terms'],
    [200, 0.4, 'BTRD'],
    [60, 0.8, 'BTRD, failures counted'],
    [2000, 0.05, 'BTRD, skewed: the squeeze decides many draws'],
    [1e6, 0.3, 'BTRD far from the mode, Stirling series'],
  ]
  cases.forEach(([n, p, label], index) => {
    it(`n=${n} p=${p} (${label}): p-value above ${ALPHA}`, () => {
      const rng = new Stream().reset(RUN, 2000 + index, 3)
      const fit = binomialGoodnessOfFit(n, p, 100_000, rng)
      expect(fit.outside).toBe(0)
      expect(fit.df).toBeGreaterThan(3)
      expect(fit.pValue).toBeGreaterThan(ALPHA)
    })
  })
})

describe('binomial: edges and invariants', () => {
  it('n = 0, p = 0 and p = 1 are certain, and consume no randomness', () => {
    const rng = new Stream().setState(1, 2, 3, 4)
    expect(binomial(0, 0.3, rng)).toBe(0)
    expect(binomial(-5, 0.3, rng)).toBe(0)
    expect(binomial(50, 0, rng)).toBe(0)
    expect(binomial(50, -0.1, rng)).toBe(0)
    expect(binomial(50, 1, rng)).toBe(50)
    expect(binomial(50, 1.5, rng)).toBe(50)
    expect(binomial(1e7, 1, rng)).toBe(1e7)
    expect([rng.x, rng.y, rng.z, rng.w]).toEqual([1, 2, 3, 4])
  })

  it('answers NaN for a NaN p or a non-finite n rather than never accepting a draw', () => {
    const rng = new Stream().setState(1, 2, 3, 4)
    expect(binomial(100, Number.NaN, rng)).toBeNaN()
    expect(binomial(Number.NaN, 0.5, rng)).toBeNaN()
    expect(binomial(Infinity, 0.5, rng)).toBeNaN()
  })

  it('is an integer in [0, n] for any n up to 1e7 and p in [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (n, p, seed) => {
          const rng = new Stream().reset(RUN, seed, 4)
          for (let i = 0; i < 20; i++) {
            const k = binomial(n, p, rng)
            if (!Number.isInteger(k) || k < 0 || k > n) return false
          }
          return true
        },
      ),
      { numRuns: 500, seed: 42 },
    )
  })

  it('for p in [1/2, 1], Binomial(n, p) is n minus Binomial(n, 1 - p) on the same stream', () => {
    // 1 - p is exact there, so both calls reduce to the same draw of the smaller probability
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (n, p, seed) => {
          const a = new Stream().reset(RUN, seed, 5)
          const b = new Stream().reset(RUN, seed, 5)
          return binomial(n, p, a) + binomial(n, 1 - p, b) === n
        },
      ),
      { numRuns: 300, seed: 43 },
    )
  })

  it('is deterministic given the stream, and binomialAt reads its p from the array', () => {
    const a = new Stream().reset(RUN, 7, 6)
    const b = new Stream().reset(RUN, 7, 6)
    const probs = new Float64Array([0.9, 0.02, 0.4])
    const viaArray = new Float64Array(1000)
    const viaNumber = new Float64Array(1000)
    for (let i = 0; i < 1000; i++) {
      const n = 1 + ((i * 7919) % 5000)
      viaArray[i] = binomialAt(n, probs, i % 3, b)
      viaNumber[i] = binomial(n, probs[i % 3], a)
    }
    expect(viaArray).toEqual(viaNumber)
  })

  it('STIRLING_TAIL matches ln k! - (k + 1/2) ln(k + 1) + (k + 1) - ln(2 pi) / 2', () => {
    let logFactorial = 0
    for (let k = 0; k < STIRLING_TAIL.length; k++) {
      if (k > 1) logFactorial += Math.log(k)
      const direct =
        logFactorial - (k + 0.5) * Math.log(k + 1) + (k + 1) - 0.5 * Math.log(2 * Math.PI)
      expect(Math.abs(STIRLING_TAIL[k] - direct)).toBeLessThan(1e-13)
    }
  })
})

describe('multinomialInto', () => {
  const COUNT = 50_000

  /** Each category's mean and variance over COUNT draws, checked at 4 standard errors. */
  const checkMarginals = (n: number, probs: number[], written: number, rng: Stream) => {
    const out = new Float64Array(written + 1)
    const categories = probs.length
    const samples = Array.from({ length: categories }, () => new Float64Array(COUNT))
    const input = new Float64Array(probs)
    let violations = 0
    for (let i = 0; i < COUNT; i++) {
      out[written] = -1 // a sentinel: the implicit last category is never written
      multinomialInto(n, input, written, out, rng)
      let sum = 0
      for (let c = 0; c < written; c++) {
        if (!Number.isInteger(out[c]) || out[c] < 0) violations++
        samples[c][i] = out[c]
        sum += out[c]
      }
      if (out[written] !== -1) violations++
      if (written === categories ? sum !== n : sum > n) violations++
      if (written < categories) samples[categories - 1][i] = n - sum
    }
    expect(violations).toBe(0)
    probs.forEach((p, c) => {
      const sample = moments(samples[c])
      const tol = tolerances(n, p, COUNT)
      expect(Math.abs(sample.mean - n * p)).toBeLessThan(tol.mean)
      expect(Math.abs(sample.variance - n * p * (1 - p))).toBeLessThan(tol.variance)
    })
  }

  it('probabilities summing to 1: counts sum to n, marginals are Binomial(n, p_i)', () => {
    checkMarginals(500, [0.2, 0.3, 0.1, 0.4], 4, new Stream().reset(RUN, 3000, 7))
  })

  it('probabilities summing to less than 1: the leftover is the unwritten last category', () => {
    checkMarginals(1000, [0.1, 0.25, 0.3, 0.35], 3, new Stream().reset(RUN, 3001, 7))
  })

  it('small n with tiny shares (inversion) keeps the marginals', () => {
    checkMarginals(12, [0.01, 0.04, 0.95], 3, new Stream().reset(RUN, 3002, 7))
  })

  it('a sum off 1 by round-off still gives every person a category', () => {
    const rng = new Stream().reset(RUN, 3003, 7)
    const out = new Float64Array(3)
    for (const probs of [
      [0.1, 0.2, 0.7],
      [1 / 3, 1 / 3, 1 / 3],
      [0.7, 0.2, 0.1],
    ]) {
      const input = new Float64Array(probs)
      let shortfalls = 0
      for (let i = 0; i < 2000; i++) {
        multinomialInto(1e6, input, 3, out, rng)
        if (out[0] + out[1] + out[2] !== 1e6) shortfalls++
      }
      expect(shortfalls).toBe(0)
    }
  })

  it('degenerate shares and n = 0', () => {
    const rng = new Stream().reset(RUN, 3004, 7)
    const out = new Float64Array(3).fill(-1)
    multinomialInto(40, new Float64Array([0, 1, 0]), 3, out, rng)
    expect([...out]).toEqual([0, 40, 0])
    multinomialInto(40, new Float64Array([1, 0, 0]), 3, out, rng)
    expect([...out]).toEqual([40, 0, 0])
    multinomialInto(0, new Float64Array([0.5, 0.5, 0]), 3, out, rng)
    expect([...out]).toEqual([0, 0, 0])
    multinomialInto(40, new Float64Array([0, 0, 0]), 3, out, rng)
    expect([...out]).toEqual([0, 0, 0])
  })
})
