/** The Beta distribution's special functions, and the sampler's inversion tables of Beta(a, b) against them. */
import { describe, expect, it } from 'vitest'
import { BETA_INVERSION, betaDensity, betaInversion, betaQuantile, lnGamma, regularizedBeta } from './beta'
import { roundingOf } from './inversion-table'
import { Stream } from './rng'

const close = (actual: number, expected: number, relative = 1e-12) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)))

describe('ln Gamma (Lanczos) and the regularized incomplete beta function', () => {
  it('matches known values', () => {
    close(lnGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14)
    close(lnGamma(1), 0, 1e-14)
    close(lnGamma(10), Math.log(362880), 1e-14)
    close(lnGamma(100), 359.13420536957539878, 1e-14)
    close(lnGamma(1e-3), 6.907178885383853, 1e-12)
  })

  it('I_x(a, b) in closed forms: symmetric at 1/2, Beta(2, 2), Beta(1, b), Beta(a, 1), the arcsine law', () => {
    for (const a of [0.3, 1, 2.5, 40]) close(regularizedBeta(0.5, a, a), 0.5, 1e-13)
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      close(regularizedBeta(x, 2, 2), 3 * x * x - 2 * x ** 3, 1e-13)
      close(regularizedBeta(x, 1, 7), 1 - (1 - x) ** 7, 1e-13)
      close(regularizedBeta(x, 3.5, 1), x ** 3.5, 1e-13)
      close(regularizedBeta(x, 0.5, 0.5), (2 / Math.PI) * Math.asin(Math.sqrt(x)), 1e-13)
    }
  })
})

describe('betaQuantile inverts I_x(a, b)', () => {
  it('matches known quantiles', () => {
    close(betaQuantile(0.5, 2, 3), 0.3857275681323646, 1e-13) // R: qbeta(0.5, 2, 3)
    for (const q of [0.001, 0.05, 0.3, 0.5, 0.95, 0.999]) {
      close(betaQuantile(q, 0.5, 0.5), Math.sin((Math.PI * q) / 2) ** 2, 1e-12)
      close(betaQuantile(q, 1, 4), 1 - (1 - q) ** (1 / 4), 1e-12)
      close(betaQuantile(q, 2.5, 1), q ** (1 / 2.5), 1e-12)
    }
  })

  it('round-trips across shapes, skewed (the presets have Beta(2, 1870)) and U-shaped ones included', () => {
    for (const [a, b] of [[0.2, 0.3], [0.5, 3], [2, 1870], [11, 989], [50, 50], [1.0001, 300], [3000, 2], [4.2, 7.1]]) {
      for (let k = 1; k < 200; k++) {
        const p = k / 200
        const x = betaQuantile(p, a, b)
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(1)
        // a U-shaped beta puts its top quantiles within rounding of 1: compare in x there
        if (x < 1 - 1e-12 && x > 1e-300) expect(Math.abs(regularizedBeta(x, a, b) - p)).toBeLessThan(1e-11)
      }
    }
  })
})

describe('betaQuantile at the edges', () => {
  it('stays inside [0, 1] where the last Halley step would cross a pole (Beta(2, 0.3) next to 1)', () => {
    for (const [a, b] of [[2, 0.3], [0.3, 2], [0.5, 0.5], [50, 0.02]]) {
      for (const p of [1e-12, 1e-6, 1 - 1e-6, 1 - 1e-10]) {
        const x = betaQuantile(p, a, b)
        expect(x).toBeGreaterThanOrEqual(0)
        expect(x).toBeLessThanOrEqual(1)
      }
    }
  })

  it('gives 0 where a tail quantile underflows (Beta(0.01, 1) at 1e-6 is 1e-600), not a bisection cut short', () => {
    expect(betaQuantile(1e-6, 0.01, 1)).toBe(0)
    // x^0.01 = p: 1e-3 has the quantile 1e-300
    close(betaQuantile(1e-3, 0.01, 1), 1e-300, 1e-9)
  })
})

/** Beta shapes for the table tests: the presets' (skewed, PERT-like) and extreme ones. */
const SHAPES: [number, number][] = [
  [2, 6], [7, 10], [12, 8], [1.5, 98.5], [1, 299], [2, 1870], [11, 989], [4, 2100], [5, 5], [1, 5], [5, 1],
  [1, 1], [0.5, 0.5], [0.3, 2], [2, 0.3], [0.05, 0.05], [0.01, 1], [1, 0.01], [1.0001, 300], [3000, 2], [1e5, 1e5],
]

describe('betaInversion: the sampler\'s inverse of I_x(a, b)', () => {
  // u-error: |I_x(a, b) - u| at x = table(u), beyond what rounding x to a double costs (roundingOf); where that
  // still exceeds the tolerance (next to a pole of the density, where doubles are too coarse) the table's x must
  // be as good as the exact quantile's: within a few doubles of it
  const ulp = (x: number) => Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE)
  it.each(SHAPES)('Beta(%f, %f): every u-error within the tolerance, the tails exact', (a, b) => {
    const table = betaInversion(a, b)
    expect(table).not.toBeNull()
    const rng = new Stream().reset(1, Math.round(a * 1000), Math.round(b * 1000))
    const dist = { cdf: (x: number) => regularizedBeta(x, a, b), pdf: (x: number) => betaDensity(x, a, b) }
    const levels = [
      ...Array.from({ length: 4000 }, () => rng.nextDouble()),
      ...[1e-9, 1e-7, 5e-7, 1e-6, 2e-6, 1e-4, 0.5, 1 - 1e-4, 1 - 2e-6, 1 - 1e-6, 1 - 1e-7, 1 - 1e-9],
    ]
    for (const u of levels) {
      const x = table!.at(u)
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThanOrEqual(1)
      const excess = Math.abs(dist.cdf(x) - u) - roundingOf(dist as never, x)
      if (excess > BETA_INVERSION.tolerance) {
        const exact = betaQuantile(u, a, b)
        expect(Math.abs(x - exact)).toBeLessThanOrEqual(8 * ulp(exact))
      }
      if (u < BETA_INVERSION.tail || u > 1 - BETA_INVERSION.tail) expect(x).toBe(betaQuantile(u, a, b))
    }
  })

  it('is monotone in u', () => {
    for (const [a, b] of SHAPES) {
      const table = betaInversion(a, b)!
      let decreases = 0
      let previous = -Infinity
      for (let k = 1; k < 20_000; k++) {
        const x = table.at(k / 20_000)
        if (x < previous) decreases++
        previous = x
      }
      expect(decreases).toBe(0)
    }
  })

  it('is built once per shape and kept', () => {
    expect(betaInversion(2, 6)).toBe(betaInversion(2, 6))
    expect(betaInversion(2, 6)).not.toBe(betaInversion(6, 2))
  })

  it('needs a few hundred intervals for the presets\' shapes', () => {
    for (const [a, b] of SHAPES.slice(0, 11)) expect(betaInversion(a, b)!.intervals).toBeLessThan(400)
  })
})
