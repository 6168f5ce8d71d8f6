import { describe, expect, it } from 'vitest'
import { M } from '../engine/layout'
import { runShard } from '../engine/run'
import { parseScenario } from '../engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { compareInProcess, removalOnlyVersion } from './compare'
import { assistedReturns, toy } from './fixtures.test-util'

// the toy: 1000 people, 5% take the package a month, nobody else leaves; without the programme nobody returns
const programme = toy({ title: 'Cash programme', programme: { cashPerAdult: 1000, fixedAnnualCost: 12_000 } })
const report = compareInProcess(programme, removalOnlyVersion(programme), { seed: 1, iterations: 4 })
const unit = (id: string) => report.comparison.unitCosts.find((u) => u.id === id)!
const total = (id: string) => report.comparison.totals.find((t) => t.id === id)!

describe('unit costs against the comparator', () => {
  it('programme cost per additional return: the programme lines over the returns beyond removal only', () => {
    const assisted = assistedReturns(0.05)
    expect(report.comparison.incrementalReturns.mean).toBeCloseTo(assisted, 9)
    const programmeCost = report.metrics.programmeCost.mean!
    expect(programmeCost).toBeGreaterThan(0)
    expect(unit('programmeCostPerAdditionalReturn').value).toBeCloseTo(programmeCost / assisted, 6)
    expect(unit('programmeCostPerAdditionalSustainableReintegration').value).toBeCloseTo(programmeCost / (0.6 * assisted), 6)
    // every return is assisted here: per assisted return is the same amount, computed within each iteration
    expect(unit('programmeCostPerAssistedReturn').value).toBeCloseTo(programmeCost / assisted, 6)
  })

  it('the net cost per additional sustainable reintegration with stay is the ICER; without stay it leaves the stay change out', () => {
    const c = report.comparison
    expect(unit('netCostPerAdditionalSustainableReintegration').value).toBeCloseTo(c.icer!, 6)
    const stayChange = report.metrics['cost.stay'].mean! - report.comparatorMetrics['cost.stay'].mean!
    expect(stayChange).toBeLessThan(0)
    expect(total('incrementalStayCost').mean).toBeCloseTo(stayChange, 6)
    expect(total('incrementalCostWithoutStay').mean).toBeCloseTo(c.incrementalCost.mean! - stayChange, 6)
    expect(unit('netCostWithoutStayPerAdditionalSustainableReintegration').value).toBeCloseTo(
      (c.incrementalCost.mean! - stayChange) / c.incrementalSustainable.mean!,
      6,
    )
  })

  it('each says what it includes: programme lines without stay, net lines with or without stay', () => {
    for (const u of report.comparison.unitCosts) expect(u.includes.length).toBeGreaterThan(40)
    expect(unit('programmeCostPerAdditionalReturn').includes).toMatch(/programme lines .*no stay and no removal cost/)
    expect(unit('netCostPerAdditionalReturn').includes).toMatch(/stay included/)
    expect(unit('netCostWithoutStayPerAdditionalReturn').includes).toMatch(/no stay cost/)
    expect(total('incrementalCostWithStay').includes).toMatch(/the scenario minus its comparator/)
    // the titles head the block; they are not repeated in every line
    expect(total('incrementalCostWithStay').includes).not.toMatch(/Cash programme/)
  })

  it('no value, and why, where the scenario achieves no more than its comparator', () => {
    const self = compareInProcess(programme, programme, { seed: 1, iterations: 2 })
    const none = self.comparison.unitCosts.find((u) => u.id === 'programmeCostPerAdditionalReturn')!
    expect(none.value).toBeNull()
    expect(none.note).toMatch(/achieves no more than the comparator/)
  })

  it('each total has the 90% interval of its paired difference, iteration by iteration', () => {
    const parsed = parseScenario(getPresetRaw('de-reag-garp'))
    if (!parsed.ok) throw new Error('preset does not parse')
    const a = { ...parsed.scenario, cohort: 'expected' as const }
    const b = removalOnlyVersion(a)
    const n = 300
    const compared = compareInProcess(a, b, { seed: 7, iterations: n })
    const [runA, runB] = [a, b].map((s) => runShard(s, { seed: 7, from: 0, to: n, keepIterations: true }))
    // the exact quantile of the report: rank floor(q (n - 1)) of the sorted values
    const interval = (value: (run: typeof runA, i: number) => number) => {
      const diffs = Array.from({ length: n }, (_, i) => value(runA, i) - value(runB, i)).sort((x, y) => x - y)
      return [diffs[Math.floor(0.05 * (n - 1))], diffs[Math.floor(0.95 * (n - 1))]]
    }
    const at = (metric: number) => (run: typeof runA, i: number) => run.iterations![i * run.sketched + metric]
    const cases: [string, (run: typeof runA, i: number) => number][] = [
      ['incrementalCostWithStay', at(M.totalCost)],
      ['incrementalCostWithoutStay', (run, i) => at(M.totalCost)(run, i) - at(M['cost.stay'])(run, i)],
      ['incrementalProgrammeCost', at(M.programmeCost)],
      ['incrementalStayCost', at(M['cost.stay'])],
    ]
    for (const [id, value] of cases) {
      const t = compared.comparison.totals.find((x) => x.id === id)!
      const [p05, p95] = interval(value)
      expect(p05, id).toBeLessThan(p95)
      expect(t.p05, id).toBeCloseTo(p05, 0)
      expect(t.p95, id).toBeCloseTo(p95, 0)
    }
  })
})
