/** The normal CDF and quantile against high-precision reference values, and against each other. */
import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile, Z95 } from './normal'

/** [p, Phi^-1(p)] for p as a double, from mpmath at 60 digits. */
const QUANTILES: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965326],
  [1e-20, -9.262340089798407],
  [1e-10, -6.361340902404057],
  [1e-6, -4.753424308822899],
  [0.001, -3.0902323061678136],
  [0.01, -2.326347874040841],
  [0.02425, -1.972961051311885],
  [0.075, -1.439531470938456],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080408],
  [0.6, 0.2533471031357997],
  [0.9, 1.2815515655446006],
  [0.925, 1.4395314709384561],
  [0.95, 1.6448536269514722],
  [0.975, 1.9599639845400538],
  [0.99, 2.3263478740408408],
  [0.999999, 4.753424308817087],
  [1 - 2 ** -40, 7.047700256664409],
]

/** [x, Phi(x)], from mpmath. */
const CDF: [number, number][] = [
  [-5, 2.866515718791939e-7],
  [-3, 0.0013498980316300945],
  [-1.5, 0.06680720126885807],
  [-1, 0.15865525393145705],
  [-0.5, 0.3085375387259869],
  [0, 0.5],
  [0.5, 0.6914624612740131],
  [1, 0.8413447460685429],
  [1.96, 0.9750021048517796],
  [3, 0.9986501019683699],
  [5, 0.9999997133484281],
]

describe('normalQuantile', () => {
  it('gives Phi^-1(0.975) = 1.959963984540054 and Phi^-1(0.5) = 0', () => {
    expect(Math.abs(normalQuantile(0.975) - 1.959963984540054)).toBeLessThan(1e-14)
    expect(normalQuantile(0.5)).toBe(0)
  })

  it('matches reference values to 1e-15 relative, from 1e-300 to 1 - 2^-40', () => {
    for (const [p, z] of QUANTILES) {
      expect(Math.abs(normalQuantile(p) - z) / Math.abs(z)).toBeLessThan(1e-15)
    }
  })

  it('Z95 is Phi^-1(0.95)', () => {
    expect(Math.abs(Z95 - normalQuantile(0.95))).toBeLessThan(1e-15)
    expect(Z95).toBe(1.6448536269514722)
  })

  it('is odd about 1/2: Phi^-1(1 - p) = -Phi^-1(p) exactly where 1 - p is exact', () => {
    // p = k / 2^12: both p and 1 - p are doubles, so the algorithm sees the same |p - 1/2|
    const asymmetric: number[] = []
    for (let k = 1; k < 2048; k++) {
      const p = k / 4096
      if (normalQuantile(1 - p) !== -normalQuantile(p)) asymmetric.push(p)
    }
    expect(asymmetric).toEqual([])
  })

  it('is increasing, and infinite at 0 and 1', () => {
    expect(normalQuantile(0)).toBe(-Infinity)
    expect(normalQuantile(1)).toBe(Infinity)
    let previous = -Infinity
    let decreases = 0
    for (let i = 1; i < 100_000; i++) {
      const z = normalQuantile(i / 100_000)
      if (!(z > previous)) decreases++
      previous = z
    }
    expect(decreases).toBe(0)
  })
})

describe('normalCdf', () => {
  it('matches reference values to 1e-15 absolute', () => {
    for (const [x, phi] of CDF) expect(Math.abs(normalCdf(x) - phi)).toBeLessThan(1e-15)
    expect(normalCdf(-Infinity)).toBe(0)
    expect(normalCdf(Infinity)).toBe(1)
  })

  it('inverts normalQuantile to 1e-12 across p in [1e-6, 1 - 1e-6]', () => {
    let worst = 0
    const check = (p: number) => {
      worst = Math.max(worst, Math.abs(normalCdf(normalQuantile(p)) - p))
    }
    for (let i = 0; i <= 10_000; i++) check(1e-6 + ((1 - 2e-6) * i) / 10_000)
    // the tails on a log scale, where a linear grid has few points
    for (let e = -6; e <= -1; e += 0.01) {
      check(10 ** e)
      check(1 - 10 ** e)
    }
    expect(worst).toBeLessThan(1e-12)
  })

  it('is symmetric: Phi(x) + Phi(-x) = 1', () => {
    let worst = 0
    for (let x = 0; x <= 8; x += 0.01) {
      worst = Math.max(worst, Math.abs(normalCdf(x) + normalCdf(-x) - 1))
    }
    expect(worst).toBeLessThan(1e-15)
  })

  // Marsaglia's series alone lost the lower tail to cancellation and overflowed near -37.7; the tails
  // now use the Mills-ratio continued fraction.
  it('stays finite and inside [0, 1] for every x', () => {
    for (let x = -40; x <= 40; x += 0.01) {
      const phi = normalCdf(x)
      expect(phi >= 0 && phi <= 1).toBe(true)
    }
  })

  it('keeps relative accuracy in the lower tail', () => {
    // Phi(-10) = 7.619853024160525e-24, Phi(-7) = 1.279812543885835e-12
    expect(Math.abs(normalCdf(-10) / 7.619853024160525e-24 - 1)).toBeLessThan(1e-6)
    expect(Math.abs(normalCdf(-7) / 1.279812543885835e-12 - 1)).toBeLessThan(1e-6)
  })
})
