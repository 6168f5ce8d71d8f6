/** The scenario schema of version 2: its rules named by field, and the migration of version 1 files. */
import { describe, expect, it } from 'vitest'
import { mechanismScenarios } from './mechanism-scenarios.test-util'
import { parseScenario, type FieldProblem } from './scenario'

type Json = Record<string, any>
const base = (): Json => structuredClone(mechanismScenarios.find((m) => m.name === 'everything at once')!.scenario)

const problemsOf = (input: unknown): FieldProblem[] => {
  const parsed = parseScenario(input)
  return parsed.ok ? [] : parsed.problems
}

/** The one problem a change makes, its path and words. */
const refused = (change: (s: Json) => void): FieldProblem => {
  const s = base()
  change(s)
  const problems = problemsOf(s)
  expect(problems).toHaveLength(1)
  return problems[0]
}

describe('version 2 rules, each named by its field', () => {
  it('the base scenario is valid', () => expect(problemsOf(base())).toEqual([]))

  it('a schedule out of order, not starting at month 0, or past the horizon', () => {
    let p = refused((s) => (s.removal.attemptMonthly = { schedule: [{ fromMonth: 0, value: 0.1 }, { fromMonth: 6, value: 0.2 }, { fromMonth: 3, value: 0.1 }] }))
    expect(p.path).toBe('removal.attemptMonthly.schedule[2].fromMonth')
    expect(p.message).toMatch(/after the previous entry's month 6/)
    p = refused((s) => (s.removal.attemptMonthly = { schedule: [{ fromMonth: 2, value: 0.1 }] }))
    expect(p.path).toBe('removal.attemptMonthly.schedule[0].fromMonth')
    expect(p.message).toMatch(/month 0/)
    p = refused((s) => (s.programme.capacityPerMonth = { schedule: [{ fromMonth: 0, value: 10 }, { fromMonth: s.horizonMonths, value: 5 }] }))
    expect(p.path).toBe('programme.capacityPerMonth.schedule[1].fromMonth')
    expect(p.message).toMatch(/before the horizon/)
  })

  it('an empty schedule is refused, not a crash', () => {
    const p = refused((s) => (s.programme.scale = { schedule: [] }))
    expect(p).toEqual({ path: 'programme.scale.schedule', message: 'needs at least one entry, the first from month 0' })
  })

  it('a schedule entry that breaks its value rule names the entry, and a plain value its field', () => {
    let p = refused((s) => (s.programme.scale = { schedule: [{ fromMonth: 0, value: 1 }, { fromMonth: 3, value: 11 }] }))
    expect(p.path).toBe('programme.scale.schedule[1].value')
    expect(p.message).toMatch(/<= 10/)
    p = refused((s) => (s.groups[0].inflowPerMonth = -3))
    expect(p.path).toBe('groups[0].inflowPerMonth')
    expect(p.message).toMatch(/\[0, 1e9\]/)
  })

  it('a cap below 0, and counts and money past their ceilings', () => {
    expect(refused((s) => (s.removal.maxAttemptsPerMonth = -1)).path).toBe('removal.maxAttemptsPerMonth')
    expect(refused((s) => (s.programme.cashCapPerCase = -100)).path).toBe('programme.cashCapPerCase')
    const stock = refused((s) => (s.groups[0].stock = 1e17))
    expect(stock).toEqual({ path: 'groups[0].stock', message: '100000000000000000 is out of range: a number of people must lie in [0, 1e9]' })
    expect(refused((s) => (s.removal.detentionCostPerDay = 1.7e308)).message).toMatch(/a money amount must lie in \[0, 1e12\]/)
    // a lognormal can only be drawn up to its quantile at the largest uniform: that is what must stay below
    expect(refused((s) => (s.programme.fixedAnnualCost = { dist: 'lognormal', low: 1e10, high: 5e11 })).path).toBe('programme.fixedAnnualCost')
    expect(problemsOf({ ...base(), programme: { ...base().programme, fixedAnnualCost: { dist: 'lognormal', low: 1e6, high: 5e6 } } })).toEqual([])
  })

  it('a currency other than EUR needs valueToReference', () => {
    const p = refused((s) => {
      s.currency = 'SEK'
      delete s.valueToReference
    })
    expect(p.path).toBe('valueToReference')
    expect(p.message).toMatch(/required for a scenario in SEK/)
  })

  it('payers name known lines, each line once, and not "other"', () => {
    let p = refused((s) => (s.payers = { interior: ['detention', 'flights'] }))
    expect(p.path).toBe('payers.interior[1]')
    expect(p.message).toMatch(/must be a cost line/)
    p = refused((s) => (s.payers = { interior: ['detention'], justice: ['detention'] }))
    expect(p.path).toBe('payers.justice[0]')
    expect(p.message).toMatch(/already paid by "interior"/)
    expect(refused((s) => (s.payers = { other: ['stay'] })).path).toBe('payers.other')
  })

  it('targets name metrics of the run report', () => {
    const p = refused((s) => (s.targets = [{ id: 'spend', metric: 'removalSpend', value: 3e8 }]))
    expect(p.path).toBe('targets[0].metric')
    expect(p.message).toMatch(/must be a metric/)
    expect(problemsOf({ ...base(), targets: [{ id: 'spend', metric: 'removalCost', perYear: true, value: 3e8, low: 2.85e8, high: 3e8 }] })).toEqual([])
  })

  it('an unknown schemaVersion is refused, naming what it may be', () => {
    expect(problemsOf({ ...base(), schemaVersion: 3 })).toEqual([
      { path: 'schemaVersion', message: 'must be 2 (the current format) or 1 (migrated on read); got 3' },
    ])
  })
})

/** A small version 1 file (the format before this contract). */
const v1 = (): Json => ({
  schemaVersion: 1,
  id: 'v1-file',
  title: 'A version 1 file',
  currency: 'EUR',
  horizonMonths: 12,
  cohort: 'expected',
  groups: [{ id: 'g', label: 'G', stock: 1000, monthlyStayCostPerPerson: 500, baseMonthlyUptake: 0.02, unassistedReturnMonthly: 0.01, abscondMonthly: 0.01 }],
  programme: { cashPerAdult: 1000, counselling: { setting: 'neutral', atFinalDecision: true, costPerCase: 400 }, scale: 2 },
  removal: { attemptMonthly: 0.05, successProbability: 0.7 },
  effects: { sustainableAvrr: 0.6, sustainableForced: 0.4, remigrationMonthly: { sustainable: 0.01, notSustainable: 0.02 } },
})

describe('version 1 files migrate on read (docs/model.md)', () => {
  it('costPerCase becomes costPerDepartingCase, the rest carries over, and the scenario says migratedFrom: 1', () => {
    const parsed = parseScenario(v1())
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    const s = parsed.scenario
    expect(s.schemaVersion).toBe(2)
    expect(s.migratedFrom).toBe(1)
    expect(s.programme?.counselling).toEqual({ setting: 'neutral', atFinalDecision: true, costPerDepartingCase: { dist: 'point', value: 400 } })
    expect(s.programme?.scale).toBe(2)
    expect(s.programme?.cashPerAdult).toEqual({ dist: 'point', value: 1000 })
    // a migrated scenario is a valid version 2 file: what a worker receives parses again to the same thing
    expect(parseScenario(JSON.parse(JSON.stringify(s)))).toEqual({ ok: true, scenario: s })
  })

  it('a non-EUR file needs valueToReference, which a version 1 file may carry for the migration', () => {
    expect(problemsOf({ ...v1(), currency: 'GBP' })).toEqual([
      expect.objectContaining({ path: 'valueToReference', message: expect.stringMatching(/required for a scenario in GBP/) }),
    ])
    expect(problemsOf({ ...v1(), currency: 'GBP', valueToReference: 1.8 })).toEqual([])
  })

  it('keeps version 1 errors in version 1 words, and applies the version 2 ceilings', () => {
    expect(problemsOf({ ...v1(), programme: { ...v1().programme, counselling: { setting: 'neutral', costPerCounselledCase: 1 } } })).toEqual([
      { path: 'programme.counselling.costPerCounselledCase', message: 'unknown field (not part of the scenario format, schemaVersion 1)' },
    ])
    const huge = v1()
    huge.groups[0].stock = 1e17
    expect(problemsOf(huge)).toEqual([expect.objectContaining({ path: 'groups[0].stock' })])
  })
})
