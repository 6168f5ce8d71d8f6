import { describe, expect, it } from 'vitest'
import { CohortModel } from './cohort'
import golden from './fixtures/engine-2.0.0-expected.json' with { type: 'json' }
import { COST_LINES, M, METRICS, PROGRAMME_COST_LINES, SERIES, type MetricName } from './layout'
import { mechanismScenarios } from './mechanism-scenarios.test-util'
import { referenceIteration } from './reference-cohort.test-util'
import { seedKey } from './rng'
import { runInProcess } from './run'
import { parseScenario, type Scenario } from './scenario'

const parse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

/** One iteration's observables and the model (for its layout and ledger). */
const iterate = (input: unknown, iteration = 0, seed = 1) => {
  const model = new CohortModel(parse(input))
  const out = new Float64Array(model.layout.observables)
  model.iterate(seedKey(seed), iteration, out)
  return { out, model }
}

const relative = (actual: number, expected: number) =>
  Number.isNaN(expected) ? (Number.isNaN(actual) ? 0 : Infinity) : Math.abs(actual - expected) / Math.max(1, Math.abs(expected))

type Json = Record<string, any>
const clone = <T>(x: T): T => structuredClone(x)
const named = (name: string): Json => clone(mechanismScenarios.find((m) => m.name === name)!.scenario)

describe('the expected cohort equals an independent hand-written recurrence of docs/model.md to 1e-9', () => {
  for (const { name, scenario } of mechanismScenarios) {
    it(name, () => {
      const { out, model } = iterate(scenario)
      const ref = referenceIteration(scenario)
      const L = model.layout
      for (const metric of METRICS) expect(relative(out[M[metric]], ref.metrics[metric]), metric).toBeLessThanOrEqual(1e-9)
      ref.budgetByYear.forEach((year, y) => {
        const base = L.budgetBase + y * L.budgetColumns
        COST_LINES.forEach((line, l) => expect(relative(out[base + l], year.lines[line]), `year ${y} ${line}`).toBeLessThanOrEqual(1e-9))
        L.payers.forEach((payer, p) =>
          expect(relative(out[base + COST_LINES.length + p], year.payers[payer]), `year ${y} ${payer}`).toBeLessThanOrEqual(1e-9),
        )
        expect(relative(out[base + L.budgetColumns - 1], year.total)).toBeLessThanOrEqual(1e-9)
      })
      for (const series of ['eligible', 'returnsAssisted', 'returnsForced', 'returnsUnassisted', 'waiting', 'cost'] as const)
        ref.monthly[series].forEach((x, t) =>
          expect(relative(out[L.monthlyBase + SERIES[series] * L.horizonMonths + t], x), `${series} month ${t}`).toBeLessThanOrEqual(1e-9),
        )
    })
  }
})

describe('version 1 scenarios whose meaning did not change give engine 2.0.0 numbers', () => {
  // made by scripts/engine-2-golden.ts from engine 2.0.0 itself (git commit in the file): one group, removability 1,
  // no capacity, no re-entry; engine 2.0.0 read package values in the scenario's own currency (valueToReference 1)
  it(`${golden.cases.length} cases from the presets, every metric to 1e-9`, () => {
    expect(golden.engineVersion).toBe('2.0.0')
    for (const c of golden.cases) {
      const v1 = { ...(c.scenario as Json), valueToReference: 1 }
      const { out } = iterate(v1)
      for (const [metric, value] of Object.entries(c.metrics))
        expect(relative(out[M[metric as MetricName]], value ?? NaN), `${c.name}: ${metric}`).toBeLessThanOrEqual(1e-9)
    }
  })
})

describe('the stochastic cohort', () => {
  // where no capacity or attempt cap binds the model is linear in the pools, so the mean of the draws is the
  // expected cohort; a binding cap is a minimum, whose mean is not the minimum of the means
  const linear = [
    'competing risks in one month',
    'deadweight',
    'removability and a group that cannot be removed',
    'counselled cases at entry, the month-0 stock included',
    'family cash cap',
    'repeat assistance on',
    'repeat assistance off',
    'payers and discounting over three budget years',
  ]
  for (const name of linear) {
    it(`${name}: the mean lies within 4 standard errors of the expected cohort`, () => {
      const scenario = named(name)
      const expected = iterate(scenario).out
      const { report } = runInProcess(parse({ ...scenario, cohort: 'stochastic' }), { seed: 'converge', iterations: 2000 })
      for (const metric of ['returnsAssisted', 'returnsForced', 'returnsUnassisted', 'repeatAssistedReturns', 'absconded', 'sustainableAtHorizon', 'eligibleAtHorizon', 'counselledCases', 'totalCost'] as const) {
        const { mean, mcse } = report.metrics[metric]
        expect(Math.abs(mean! - expected[M[metric]]), metric).toBeLessThanOrEqual(4 * mcse! + 1e-9 * Math.abs(expected[M[metric]]))
      }
    })
  }

  it('counts whole people, and never serves more than the month capacity', () => {
    const scenario: Json = { ...named('waiting list with dropout'), cohort: 'stochastic' }
    const { out, model } = iterate(scenario, 3)
    const L = model.layout
    for (const m of ['returnsAssisted', 'returnsForced', 'returnsUnassisted', 'absconded', 'eligibleAtHorizon', 'waitingAtHorizon'] as const)
      expect(Number.isInteger(out[M[m]]), m).toBe(true)
    expect(scenario.programme.capacityPerMonth).toEqual({ schedule: [{ fromMonth: 0, value: 30 }, { fromMonth: 6, value: 10 }] })
    const capacityOf = (t: number) => (t < 6 ? 30 : 10)
    for (let t = 0; t < L.horizonMonths; t++)
      expect(out[L.monthlyBase + SERIES.returnsAssisted * L.horizonMonths + t]).toBeLessThanOrEqual(capacityOf(t))
    expect(out[M.waitingListPeak]).toBeGreaterThan(0)
  })
})

describe('checks of docs/model.md that hold whatever the numbers', () => {
  const everything = named('everything at once')

  it('people are conserved in every group and month: those in the country, returned or absconded are everyone who entered', () => {
    for (const cohort of ['expected', 'stochastic'] as const) {
      for (let h = 1; h <= everything.horizonMonths; h++) {
        // a shorter horizon is the same months cut off: its ledger is the state at the end of month h - 1
        const schedulesWithin = JSON.parse(JSON.stringify({ ...everything, cohort, horizonMonths: h }), (_k, v) =>
          v && Array.isArray(v.schedule) ? { schedule: v.schedule.filter((e: Json) => e.fromMonth < h) } : v,
        )
        const { model } = iterate(schedulesWithin, 5)
        everything.groups.forEach((_: unknown, gi: number) => {
          const g = model.groupLedger(gi)
          const left = g.inCountry + g.assisted + g.forced + g.unassisted + g.absconded
          expect(relative(left, g.entered), `${cohort}, month ${h - 1}, group ${gi}`).toBeLessThanOrEqual(1e-12)
        })
      }
    }
  })

  it('no count or cost is negative, in either mode, over many iterations of random points', () => {
    for (const cohort of ['expected', 'stochastic'] as const) {
      for (const { scenario } of mechanismScenarios) {
        const model = new CohortModel(parse({ ...scenario, cohort }))
        const out = new Float64Array(model.layout.observables)
        for (let i = 0; i < 20; i++) {
          model.iterate(seedKey('negative'), i, out)
          for (let j = 0; j < out.length; j++) if (Number.isFinite(out[j])) expect(out[j]).toBeGreaterThanOrEqual(0)
        }
      }
    }
  })

  it('with every Dist a point the expected cohort is deterministic: any seed, any iteration, the same bits', () => {
    const a = iterate(everything, 0, 1).out
    const b = iterate(everything, 917, 'another seed' as unknown as number).out
    expect(Array.from(b)).toEqual(Array.from(a))
  })

  it('doubling a cost parameter doubles its cost line and no other', () => {
    const base = iterate(everything).out
    const pairs: [string, (s: Json) => void][] = [
      ['travel', (s) => (s.programme.travelPerPerson *= 2)],
      ['detention', (s) => (s.removal.detentionCostPerDay *= 2)],
      ['failedAttempts', (s) => (s.removal.failedAttemptCost *= 2)],
      ['removalAdmin', (s) => (s.removal.adminCostPerCase *= 2)],
      ['stay', (s) => s.groups.forEach((g: Json) => (g.monthlyStayCostPerPerson *= 2))],
    ]
    for (const [line, double] of pairs) {
      const s = clone(everything)
      double(s)
      const out = iterate(s).out
      for (const other of COST_LINES) {
        const expected = other === line ? 2 * base[M[`cost.${other}`]] : base[M[`cost.${other}`]]
        expect(relative(out[M[`cost.${other}`]], expected), `${line} doubled: ${other}`).toBeLessThanOrEqual(1e-12)
      }
    }
  })

  it('programme: null books no programme cost and no assisted return, in either mode', () => {
    for (const cohort of ['expected', 'stochastic'] as const) {
      const { out } = iterate({ ...everything, programme: null, cohort })
      for (const line of PROGRAMME_COST_LINES) expect(out[M[`cost.${line}`]]).toBe(0)
      expect(out[M.returnsAssisted]).toBe(0)
      expect(out[M.counselledCases]).toBe(0)
    }
  })

  it('with removability r and no inflow or re-entry, the share of a group ever removed is <= r', () => {
    for (const r of [0, 0.15, 0.6, 1]) {
      const s = {
        schemaVersion: 2, id: 'closed', title: 'Closed cohort', currency: 'EUR', horizonMonths: 120, cohort: 'expected',
        groups: [{ id: 'g', label: 'G', stock: 10000, removability: r, monthlyStayCostPerPerson: 0, baseMonthlyUptake: 0, unassistedReturnMonthly: 0, abscondMonthly: 0 }],
        programme: null, removal: { attemptMonthly: 0.5, successProbability: 0.9 },
        effects: { sustainableAvrr: 0.5, sustainableForced: 0.5, remigrationMonthly: { sustainable: 0, notSustainable: 0 } },
      }
      for (const cohort of ['expected', 'stochastic']) {
        const { out } = iterate({ ...s, cohort })
        // stochastic: the removable share is itself a Binomial(10000, r) draw at entry
        const drawn = cohort === 'stochastic' ? 4 * Math.sqrt((r * (1 - r)) / 10000) : 0
        expect(out[M.returnsForced] / 10000).toBeLessThanOrEqual(r + drawn + 1e-12)
        // and removal does reach nearly all of the removable share over ten years
        expect(out[M.returnsForced] / 10000).toBeGreaterThanOrEqual(r * 0.99 - (cohort === 'stochastic' ? 0.02 : 0))
      }
    }
  })

  it("deadweight moves departures from unassisted to assisted without changing a pool's total monthly departure rate", () => {
    const s = named('deadweight')
    const without = iterate({ ...s, effects: { ...s.effects, deadweight: 0 } }).out
    const withDeadweight = iterate(s).out
    expect(s.effects.deadweight).toBeGreaterThan(0)
    expect(withDeadweight[M.returnsAssisted]).toBeGreaterThan(without[M.returnsAssisted])
    expect(withDeadweight[M.returnsUnassisted]).toBeLessThan(without[M.returnsUnassisted])
    for (const m of ['returnsTotal', 'absconded', 'eligibleAtHorizon'] as const)
      expect(relative(withDeadweight[M[m]], without[M[m]]), m).toBeLessThanOrEqual(1e-12)
  })

  it("with one constant scale and a capacity, rampUpMonths reproduces version 1's linear ramp K min(1, (t + 1) / R)", () => {
    const s = named('capacity ramp after a scale-down')
    s.programme.scale = 1.5
    const { out, model } = iterate(s)
    const L = model.layout
    const K = s.programme.capacityPerMonth * 1.5
    const R = s.programme.rampUpMonths
    // applicants always exceed the capacity here, so the month's assisted returns are its capacity
    for (let t = 0; t < L.horizonMonths; t++)
      expect(relative(out[L.monthlyBase + SERIES.returnsAssisted * L.horizonMonths + t], K * Math.min(1, (t + 1) / R))).toBeLessThanOrEqual(1e-12)
  })

  it('the pools at the horizon plus every return and absconder equal everyone who entered, summed over groups', () => {
    const { out, model } = iterate({ ...everything, cohort: 'stochastic' }, 11)
    let entered = 0
    everything.groups.forEach((_: unknown, gi: number) => (entered += model.groupLedger(gi).entered))
    expect(out[M.eligibleAtHorizon] + out[M.returnsTotal] + out[M.absconded]).toBe(entered)
  })
})

describe('metrics that are ratios', () => {
  it('are left undefined (NaN) where their denominator is 0', () => {
    const s = named('removability and a group that cannot be removed')
    const { out } = iterate({ ...s, removal: { ...s.removal, attemptMonthly: 0 }, programme: null })
    expect(out[M.returnsForced]).toBe(0)
    expect(out[M.costPerForcedReturn]).toBeNaN()
    expect(out[M.meanWaitMonths]).toBeNaN()
  })
})
