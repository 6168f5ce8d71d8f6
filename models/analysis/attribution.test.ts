import { describe, expect, it } from 'vitest'
import { attributeDifference } from './attribution'
import { personMonths, toy } from './fixtures.test-util'
import { runInProcess } from '../engine/run'
import { parseScenario, type Scenario } from '../engine/scenario'
import { getPresetRaw } from '../../scenarios/index'

const preset = (id: string, cohort: Scenario['cohort'] = 'expected'): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(id)
  return { ...parsed.scenario, cohort }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('scenario diff with attribution', () => {
  it('on a linear toy: each differing unit cost gets slope x its change, in the stated order', () => {
    const removal = { attemptMonthly: 0.1, successProbability: 0.5, detentionDaysPerAttempt: 10 }
    const a = toy({ id: 'a', removal: { ...removal, detentionCostPerDay: 300 } }, { monthlyStayCostPerPerson: 600 })
    const b = toy({ id: 'b', title: 'Another title', removal: { ...removal, detentionCostPerDay: 200 } }, { monthlyStayCostPerPerson: 500 })
    const r = attributeDifference(a, b, { outcome: 'totalCost' }, { seed: 1, iterations: 3 })
    const pm = personMonths(0.95)
    // ids and titles are not assumptions; the group comes before removal (the format's order)
    expect(r.order).toEqual(['groups[g].monthlyStayCostPerPerson', 'removal.detentionCostPerDay'])
    expect(r.steps[0].contribution).toBeCloseTo(100 * pm, 6)
    expect(r.steps[1].contribution).toBeCloseTo(10 * 100 * 0.1 * pm, 6)
    expect(r.steps[0].from).toEqual({ dist: 'point', value: 500 })
    expect(r.steps[0].to).toEqual({ dist: 'point', value: 600 })
  })

  it('attributions sum to the total difference, which is the difference of the two runs (presets, structural fields)', () => {
    const a = preset('de-trusted-actors')
    const b = preset('de-reag-garp')
    const sampling = { seed: 'diff', iterations: 256 }
    const r = attributeDifference(a, b, { outcome: 'totalCost' }, sampling)
    expect(r.steps.length).toBeGreaterThan(0)
    expect(r.order).toContain('programme.counselling.setting')
    const total = r.target! - r.baseline!
    expect(Math.abs(sum(r.steps.map((s) => s.contribution)) - total)).toBeLessThanOrEqual(1e-9 * Math.abs(r.baseline!))
    expect(r.total).toBe(total)
    const meanOf = (s: Scenario) => runInProcess(s, { seed: 'diff', iterations: 256 }).report.metrics.totalCost.mean!
    expect(r.baseline!).toBeCloseTo(meanOf(b), 0)
    expect(r.target!).toBeCloseTo(meanOf(a), 0)
    expect(r.orderRule).toMatch(/order of the scenario format/)
  })

  it('a programme against none is one assumption; incremental outcomes are taken against the comparator', () => {
    const a = preset('de-reag-garp')
    const b = { ...a, id: 'no-programme', programme: null }
    const c = { ...b, id: 'comparator' }
    const r = attributeDifference(a, b, { outcome: 'incrementalCost', comparator: c }, { seed: 3, iterations: 64 })
    expect(r.order).toEqual(['programme'])
    expect(r.baseline).toBeCloseTo(0, 6)
    expect(r.steps[0].contribution).toBeCloseTo(r.target!, 6)
  })

  it('groups present on one side only, and a different group order, are assumptions too', () => {
    const a = preset('de-reag-garp')
    const [g1, g2] = a.groups
    const b: Scenario = { ...a, id: 'swapped', groups: [{ ...g2 }, { ...g1, id: 'other-group' }] }
    const r = attributeDifference(a, b, { outcome: 'totalCost' }, { seed: 4, iterations: 32 })
    // the comparator's groups first (other-group goes), then the scenario's new one, then A's order
    expect(r.order).toEqual(['groups[other-group]', `groups[${g1.id}]`, 'groups.(order)'])
    expect(r.steps[2].from).toEqual([g2.id, g1.id]) // after the first two steps
    expect(r.steps[2].to).toEqual([g1.id, g2.id])
    expect(Math.abs(sum(r.steps.map((s) => s.contribution)) - r.total)).toBeLessThanOrEqual(1e-9 * Math.abs(r.baseline!))
  })
})
