/** The inversion table on the standard normal, where the exact inverse (AS241) is known to 1e-16. */
import { describe, expect, it } from 'vitest'
import { buildInversionTable } from './inversion-table'
import { normalCdf, normalQuantile, standardNormalInversion } from './normal'
import { Stream } from './rng'

const TOLERANCE = 1e-10
const TAIL = 1e-6

describe('the standard normal table', () => {
  const table = standardNormalInversion()

  it('is within the u-error tolerance of Phi at 100,000 uniforms and at the table ends', () => {
    const rng = new Stream().reset(3, 1, 4)
    let worst = 0
    for (let i = 0; i < 100_000; i++) {
      const u = rng.nextDouble()
      worst = Math.max(worst, Math.abs(normalCdf(table.at(u)) - u))
    }
    for (const u of [TAIL, TAIL * (1 + 1e-9), 0.5, 1 - TAIL * (1 + 1e-9), 1 - TAIL]) {
      worst = Math.max(worst, Math.abs(normalCdf(table.at(u)) - u))
    }
    expect(worst).toBeLessThanOrEqual(TOLERANCE)
  })

  it('inverts exactly in the tails beyond the table: AS241 itself', () => {
    for (const u of [1e-300, 1e-16, 1e-9, 9.99e-7, 1 - 9.99e-7, 1 - 1e-12]) expect(table.at(u)).toBe(normalQuantile(u))
  })

  it('is monotone, and odd about 1/2 to within the tolerance', () => {
    let previous = -Infinity
    let decreases = 0
    let asymmetric = 0
    for (let k = 1; k < 100_000; k++) {
      const u = k / 100_000
      const z = table.at(u)
      if (z < previous) decreases++
      previous = z
      // dz = du / phi(z): the u-error tolerance in z
      const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI)
      if (Math.abs(z + table.at(1 - u)) > (2 * TOLERANCE) / phi + 1e-12) asymmetric++
    }
    expect(decreases).toBe(0)
    expect(asymmetric).toBe(0)
  })

  it('is built once', () => {
    expect(standardNormalInversion()).toBe(table)
  })
})

describe('buildInversionTable', () => {
  const normal = {
    cdf: normalCdf,
    pdf: (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI),
    dLogPdf: (x: number) => -x,
    quantile: normalQuantile,
  }

  it('needs more intervals for a tighter tolerance, about tolerance^(-1/6) for a quintic', () => {
    const loose = buildInversionTable(normal, { tolerance: 1e-6, tail: TAIL })!
    const tight = buildInversionTable(normal, { tolerance: 1e-12, tail: TAIL })!
    expect(tight.intervals).toBeGreaterThan(loose.intervals)
    expect(tight.intervals / loose.intervals).toBeLessThan(3 * 1e6 ** (1 / 6))
  })

  it('gives up (undefined) past its interval budget, so the caller inverts exactly', () => {
    expect(buildInversionTable(normal, { tolerance: 1e-14, tail: TAIL, maxIntervals: 5 })).toBeUndefined()
  })
})
