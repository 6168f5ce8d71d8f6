import { describe, expect, it } from 'vitest'
import { asScenarioTarget, calibrationTargetsSchema, prepareTargets, scenarioTargets, SD_PER_90_INTERVAL } from './calibration-targets'
import { distAtPath, setDistAtPath } from './parameter-paths'
import { M } from '../engine/layout'
import { parseScenario, toFieldProblems, type Scenario } from '../engine/scenario'
import { toy } from './fixtures.test-util'

const withSchedule = (): Scenario => {
  const parsed = parseScenario({
    ...toy(),
    removal: { attemptMonthly: { schedule: [{ fromMonth: 0, value: 0.01 }, { fromMonth: 6, value: { dist: 'beta', alpha: 2, beta: 98 } }] }, successProbability: 0.5 },
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

describe('calibration targets', () => {
  it('reads sd from a 90% interval, and scales per year and per month', () => {
    const scenario = toy() // 12 months
    const prepared = prepareTargets(scenario, [
      { metric: 'returnsForced', value: 100, low: 80, high: 130 },
      { id: 'monthly', metric: 'returnsAssisted', perMonth: true, value: 10, sd: 2 },
      { metric: 'cost.stay', perYear: true, value: 5e6, sd: 1e6 },
    ])
    if (!prepared.ok) throw new Error('refused')
    const [forced, monthly, stay] = prepared.targets
    expect(forced).toMatchObject({ id: 'returnsforced-1', index: M.returnsForced, divisor: 1, sd: 50 / SD_PER_90_INTERVAL, sdFrom: '90% interval' })
    expect(monthly).toMatchObject({ id: 'monthly', divisor: 12, per: 'month', sd: 2, sdFrom: 'sd' })
    expect(stay).toMatchObject({ divisor: 1, per: 'year' })
    // per month is kept in the scenario file as per year, x 12: the same comparison
    expect(asScenarioTarget(monthly)).toMatchObject({ metric: 'returnsAssisted', perYear: true, value: 120, low: 120 - 12 * 1.6448536269514722 * 2 })
  })

  it('refuses a target without an uncertainty, half an interval, or both scalings, by field', () => {
    const result = calibrationTargetsSchema.safeParse(
      [{ metric: 'returnsForced', value: 1 }, { metric: 'returnsForced', value: 1, low: 0 }, { metric: 'totalCost', value: 1, sd: 1, perYear: true, perMonth: true }, { metric: 'nope', value: 1, sd: 1 }],
      { reportInput: true },
    )
    expect(result.success).toBe(false)
    const paths = toFieldProblems(result.error!, 'unknown field', ['targets']).map((p) => p.path)
    expect(paths).toEqual(['targets[0].sd', 'targets[1].high', 'targets[2].perMonth', 'targets[3].metric'])
  })

  it("takes a scenario's checked targets, leaves out the excluded ones, and needs their intervals", () => {
    const base = toy()
    const targets = [
      { id: 'a', metric: 'returnsForced' as const, value: 10, low: 8, high: 12 },
      { id: 'b', metric: 'totalCost' as const, value: 10, excludedBecause: 'all removals, not this group' },
    ]
    const own = scenarioTargets({ ...base, targets })
    expect(own).toMatchObject({ ok: true, excluded: ['b'], targets: [{ id: 'a', low: 8, high: 12 }] })
    expect(scenarioTargets(base)).toMatchObject({ ok: false, problems: [{ path: 'targets' }] })
    expect(scenarioTargets({ ...base, targets: [{ id: 'c', metric: 'returnsForced', value: 1 }] })).toMatchObject({
      ok: false,
      problems: [{ path: 'scenario.targets[0].low' }],
    })
  })
})

describe('parameter paths', () => {
  it('finds and sets a group field by id, a nested field, and a schedule entry', () => {
    const s = structuredClone(withSchedule())
    expect(distAtPath(s, 'groups[g].stock')).toEqual({ dist: 'point', value: 1000 })
    expect(distAtPath(s, 'removal.attemptMonthly.schedule[1]')).toEqual({ dist: 'beta', alpha: 2, beta: 98 })
    expect(distAtPath(s, 'programme.outreach.reach')).toBeUndefined()
    setDistAtPath(s, 'groups[g].stock', { dist: 'uniform', min: 900, max: 1100 })
    setDistAtPath(s, 'removal.attemptMonthly.schedule[1]', 0.02)
    setDistAtPath(s, 'effects.remigrationMonthly.sustainable', 0.001)
    expect(s.groups[0].stock).toEqual({ dist: 'uniform', min: 900, max: 1100 })
    expect(s.removal.attemptMonthly).toEqual({ schedule: [{ fromMonth: 0, value: { dist: 'point', value: 0.01 } }, { fromMonth: 6, value: 0.02 }] })
    expect(s.effects.remigrationMonthly.sustainable).toBe(0.001)
    expect(() => setDistAtPath(s, 'programme.outreach.reach', 0.5)).toThrow(/no place/)
  })
})
