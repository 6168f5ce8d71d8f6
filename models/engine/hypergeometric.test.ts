/** The hypergeometric sampler against exact theory: support, moments, goodness of fit, every branch. */
import { describe, expect, it } from 'vitest'
import { ALPHA, goodnessOfFit } from './goodness-of-fit.test-util'
import { hypergeometric } from './hypergeometric'
import { Stream } from './rng'

/** The exact Hypergeometric(N, K, n) pmf on its support [lo, hi], by ratio recurrence from lo. */
const pmfOf = (N: number, K: number, n: number): { lo: number; pmf: Float64Array } => {
  const lo = Math.max(0, n - (N - K))
  const hi = Math.min(n, K)
  const pmf = new Float64Array(hi - lo + 1)
  pmf[0] = 1
  for (let x = lo; x < hi; x++) pmf[x + 1 - lo] = (pmf[x - lo] * ((K - x) * (n - x))) / ((x + 1) * (N - K - n + x + 1))
  let total = 0
  for (const w of pmf) total += w
  for (let i = 0; i < pmf.length; i++) pmf[i] /= total
  return { lo, pmf }
}

const theory = (N: number, K: number, n: number) => ({
  mean: (n * K) / N,
  variance: (n * K * (N - K) * (N - n)) / (N * N * (N - 1)),
})

// small and large draws, each side of the symmetries (draws > N / 2, successes > N / 2), and a population of
// a billion (the engine's ceiling), where a log-gamma pmf would lose its digits
const CASES: [N: number, K: number, n: number][] = [
  [10, 3, 4],
  [50, 20, 12],
  [50, 40, 12],
  [50, 20, 40],
  [1000, 300, 200],
  [1000, 900, 700],
  [20000, 150, 2400],
  [1e9, 3e8, 5000],
]

describe('hypergeometric', () => {
  for (const [N, K, n] of CASES) {
    it(`Hypergeometric(${N}, ${K}, ${n}): within the support, mean and variance within 4 standard errors, chi-square fit`, () => {
      const rng = new Stream().reset(7, N, K + n)
      const count = 20000
      const { lo, pmf } = pmfOf(N, K, n)
      const xs = new Float64Array(count)
      for (let i = 0; i < count; i++) xs[i] = hypergeometric(N, K, n, rng)
      let sum = 0
      let wholeAndInSupport = true
      for (const x of xs) {
        wholeAndInSupport &&= Number.isInteger(x) && x >= lo && x <= lo + pmf.length - 1
        sum += x
      }
      expect(wholeAndInSupport).toBe(true)
      const mean = sum / count
      let ss = 0
      for (const x of xs) ss += (x - mean) ** 2
      const t = theory(N, K, n)
      expect(Math.abs(mean - t.mean)).toBeLessThanOrEqual(4 * Math.sqrt(t.variance / count))
      // the sample variance's standard error, for a near-normal count: sigma^2 sqrt(2 / (count - 1))
      expect(Math.abs(ss / (count - 1) - t.variance)).toBeLessThanOrEqual(6 * t.variance * Math.sqrt(2 / (count - 1)) + 1e-12)
      if (pmf.length > 1) {
        const fit = goodnessOfFit(pmf, lo, count, () => hypergeometric(N, K, n, rng))
        expect(fit.outside).toBe(0)
        expect(fit.pValue).toBeGreaterThan(ALPHA)
      }
    })
  }

  it('the degenerate cases need no uniform', () => {
    const rng = new Stream().reset(1, 2, 3)
    expect(hypergeometric(10, 4, 0, rng)).toBe(0)
    expect(hypergeometric(10, 0, 6, rng)).toBe(0)
    expect(hypergeometric(10, 4, 10, rng)).toBe(4)
    expect(hypergeometric(10, 10, 6, rng)).toBe(6)
    const fresh = new Stream().reset(1, 2, 3)
    expect(rng.nextInt32()).toBe(fresh.nextInt32())
  })
})
