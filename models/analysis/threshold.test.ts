import { describe, expect, it } from 'vitest'
import { assistedReturns, personMonths, toy } from './fixtures.test-util'
import { AnalysisProblems } from './outcomes'
import { inputColumn, psaSample } from './psa-sample'
import { threshold } from './threshold'

/**
 * The only difference between the programme and its comparator: the programme pays cash per adult to the
 * assisted returnees (1.5 adults per case of 2 persons) and the comparator a fixed 120,000 a year instead.
 * The package has no effect on uptake (packageValue 0), so the assisted returns are the same in both and the
 * incremental cost is 0.75 x cash x assisted - 120,000: linear in cash.
 */
const FIXED = 120_000
const programme = (group: Record<string, unknown> = {}) =>
  toy({ programme: { cashPerAdult: { dist: 'uniform', min: 0, max: 2000 }, fixedAnnualCost: 0 } }, group)
const comparator = (group: Record<string, unknown> = {}) =>
  toy({ id: 'toy-fixed', programme: { cashPerAdult: 0, fixedAnnualCost: FIXED } }, group)

describe('break-even by bisection over paired runs', () => {
  it('finds the cash per adult at which the programme is cost-neutral: 120,000 / (0.75 x assisted)', () => {
    const r = threshold(programme(), comparator(), { seed: 1, iterations: 5 }, { lever: 'cashPerAdult' })
    const breakEven = FIXED / (0.75 * assistedReturns(0.05))
    expect(r.status).toBe('found')
    expect(Math.abs(r.value! - breakEven)).toBeLessThan(1e-6 * breakEven)
    expect(r.path).toBe('programme.cashPerAdult')
    expect(r.range).toEqual([0, 10_000])
    // deterministic: every iteration is cost-neutral or better below the threshold, none above
    for (const p of r.grid) expect(p.probability).toBe(p.value <= breakEven ? 1 : 0)
    expect(r.crossings).toBe(1)
    expect(r.message).toMatch(/reaches 0 \(cost-neutral\) at cashPerAdult = 348/)
  })

  it('the uncertainty: with uncertain uptake the grid shares are exactly the share of draws whose own break-even is above', () => {
    const group = { baseMonthlyUptake: { dist: 'uniform', min: 0.03, max: 0.07 } }
    const sampling = { seed: 'grid', iterations: 2000 }
    const r = threshold(programme(group), comparator(group), sampling, { lever: 'cashPerAdult', range: [0, 1000], gridPoints: 6 })
    const sample = psaSample(programme(group), { outcome: 'totalCost' }, sampling)
    const uptake = inputColumn(sample, sample.paths.indexOf('groups[g].baseMonthlyUptake'))
    const assisted = Array.from(uptake, assistedReturns)
    const meanAssisted = assisted.reduce((a, b) => a + b, 0) / assisted.length
    expect(Math.abs(r.value! - FIXED / (0.75 * meanAssisted))).toBeLessThan(1e-6 * r.value!)
    for (const p of r.grid) {
      const share = assisted.filter((a) => 0.75 * p.value * a - FIXED <= 0).length / assisted.length
      expect(p.probability).toBeCloseTo(share, 12)
    }
    expect(r.probabilityAtValue!).toBeGreaterThan(0.3)
    expect(r.probabilityAtValue!).toBeLessThan(0.7)
  })

  it('a target cost per sustainable reintegration: (stay x person-months + 0.75 x cash x assisted) / (0.6 x assisted)', () => {
    const target = 20_000
    const r = threshold(programme(), null, { seed: 1, iterations: 2 }, {
      lever: 'cashPerAdult',
      criterion: { kind: 'target', outcome: 'costPerSustainableReintegration', value: target },
    })
    const assisted = assistedReturns(0.05)
    const expected = (target * 0.6 * assisted - 500 * personMonths(0.95)) / (0.75 * assisted)
    expect(r.status).toBe('found')
    expect(Math.abs(r.value! - expected)).toBeLessThan(1e-6 * expected)
  })

  it('no root in the range is a result with a clear message, not an exception', () => {
    const r = threshold(programme(), comparator(), { seed: 1, iterations: 2 }, { lever: 'cashPerAdult', range: [1000, 5000] })
    expect(r.status).toBe('no-root')
    expect(r.value).toBeNull()
    expect(r.message).toMatch(/no threshold in 1,000 \.\. 5,000: mean incremental cost stays above 0 \(cost-neutral\)/)
    expect(r.grid.every((p) => p.probability === 0)).toBe(true)
  })

  it('finds its own range: doubles the upper end until the break-even is bracketed, or says none within 64 times', () => {
    const far = (fixed: number) => toy({ id: 'toy-fixed', programme: { cashPerAdult: 0, fixedAnnualCost: fixed } })
    const r = threshold(programme(), far(100 * FIXED), { seed: 1, iterations: 2 }, { lever: 'cashPerAdult' })
    const breakEven = (100 * FIXED) / (0.75 * assistedReturns(0.05))
    expect(breakEven).toBeGreaterThan(10_000)
    expect(r.status).toBe('found')
    expect(r.rangeExpanded).toBe(true)
    expect(r.range).toEqual([0, 40_000])
    expect(Math.abs(r.value! - breakEven)).toBeLessThan(1e-6 * breakEven)
    const none = threshold(programme(), far(10_000 * FIXED), { seed: 1, iterations: 2 }, { lever: 'cashPerAdult' })
    expect(none.status).toBe('no-root')
    expect(none.range).toEqual([0, 640_000])
    expect(none.message).toMatch(/no threshold in 0 \.\. 640,000 \(searched up to 64 times the default range\)/)
  })

  it('an upper end alone is searched as given, from the default lower end', () => {
    const r = threshold(programme(), comparator(), { seed: 1, iterations: 2 }, { lever: 'cashPerAdult', range: [undefined, 300] })
    expect(r.range).toEqual([0, 300])
    expect(r.rangeExpanded).toBe(false)
    expect(r.status).toBe('no-root')
  })

  it('scale is a structural lever: the fixed cost grows as scale^exponent', () => {
    // the programme pays a fixed cost of 100,000 x scale a year against a comparator paying 150,000: break-even at 1.5
    const a = toy({ programme: { fixedAnnualCost: 100_000, fixedCostScaleExponent: 1 } })
    const b = toy({ programme: { fixedAnnualCost: 150_000 } })
    const r = threshold(a, b, { seed: 1, iterations: 2 }, { lever: 'scale' })
    expect(r.value!).toBeCloseTo(1.5, 6)
    expect(r.current.value).toBe(1)
  })

  it('names the problem with what it is given', () => {
    expect(() => threshold(toy(), toy(), { seed: 1, iterations: 2 }, { lever: 'cashPerAdult' })).toThrow(/this scenario has none/)
    expect(() => threshold(programme(), null, { seed: 1, iterations: 2 }, { lever: 'cashPerAdult' })).toThrow(AnalysisProblems)
    expect(() => threshold(programme(), comparator(), { seed: 1, iterations: 2 }, { lever: 'scale', range: [0, 20] })).toThrow(/scale must stay within/)
  })
})
