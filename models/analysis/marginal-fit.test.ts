import { describe, expect, it } from 'vitest'
import { FIT_LEVELS, fitMarginal, nelderMead, sortedQuantile } from './marginal-fit'
import { distQuantile } from '../engine/quantiles'
import type { DistSpec } from '../engine/distributions'

/** A sample with no sampling noise: the quantiles of a Dist at (i + 0.5) / n. */
const exactSample = (d: DistSpec, n = 2000) => Float64Array.from({ length: n }, (_, i) => distQuantile(d, (i + 0.5) / n))

describe('fitMarginal', () => {
  it('recovers the family and numbers of a beta, a lognormal and a bounded normal from their quantiles', () => {
    const beta = fitMarginal(exactSample({ dist: 'beta', alpha: 3, beta: 7 }), { kind: 'probability', lower: 0, upper: 1 })!
    expect(beta.family).toBe('beta')
    expect(beta.dist).toMatchObject({ alpha: expect.closeTo(3, 1), beta: expect.closeTo(7, 1) })
    expect(beta.distance).toBeLessThan(0.01)
    const lognormal = fitMarginal(exactSample({ dist: 'lognormal', low: 200, high: 900 }), { kind: 'nonNegative', lower: 0, upper: Infinity })!
    expect(lognormal.family).toBe('lognormal')
    expect(lognormal.dist).toMatchObject({ low: expect.closeTo(200, 0), high: expect.closeTo(900, -1) })
    const normal = fitMarginal(exactSample({ dist: 'normal', mean: 0.2, sd: 0.3 }), { kind: 'signed', lower: -Infinity, upper: Infinity })!
    expect(normal.family).toBe('normal')
    expect(normal.dist).toMatchObject({ mean: expect.closeTo(0.2, 2), sd: expect.closeTo(0.3, 2) })
  })

  it("keeps to the prior's support: a skewed share inside [0.5, 0.9] gets a PERT there, not a beta leaving it", () => {
    const sample = exactSample({ dist: 'pert', min: 0.5, mode: 0.85, max: 0.9 })
    const fit = fitMarginal(sample, { kind: 'probability', lower: 0.5, upper: 0.9 })!
    expect(fit.family).toBe('pert')
    expect(fit.dist).toMatchObject({ dist: 'pert' })
    const d = fit.dist as Extract<DistSpec, { dist: 'pert' }>
    expect(d.min).toBeGreaterThanOrEqual(0.5)
    expect(d.max).toBeLessThanOrEqual(0.9)
  })

  it('takes the next family when the closest is refused, and nothing from draws that do not vary', () => {
    const sample = exactSample({ dist: 'lognormal', low: 200, high: 900 })
    const fit = fitMarginal(sample, { kind: 'nonNegative', lower: 0, upper: Infinity }, (d) => d.dist !== 'lognormal')!
    expect(fit.family).not.toBe('lognormal')
    expect(fitMarginal(new Float64Array(10).fill(3), { kind: 'nonNegative', lower: 0, upper: Infinity })).toBeUndefined()
  })

  it('the quantile levels and the sample quantile', () => {
    expect(FIT_LEVELS[0]).toBe(0.0125)
    expect(sortedQuantile(Float64Array.of(0, 10), 0.25)).toBe(2.5)
  })
})

describe('nelderMead', () => {
  it("finds the minimum of Rosenbrock's valley and steps around infeasible points", () => {
    const rosenbrock = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2
    const best = nelderMead(rosenbrock, [-1.2, 1], [0.5, 0.5], 2000, 1e-12)
    expect(best.x[0]).toBeCloseTo(1, 3)
    expect(best.x[1]).toBeCloseTo(1, 3)
    const bounded = nelderMead(([x]) => (x < 0.5 ? Infinity : (x - 0.2) ** 2), [2], [0.5])
    expect(bounded.x[0]).toBeCloseTo(0.5, 4)
  })
})
