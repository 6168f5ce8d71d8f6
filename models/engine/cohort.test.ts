import { describe, expect, it } from 'vitest'
import { CohortModel } from './cohort'
import { M, observableLayout } from './layout'
import { seedKey } from './rng'
import { parseScenario, type Scenario } from './scenario'
import { runInProcess } from './run'

const scenario = (overrides: Record<string, unknown>): Scenario => {
  const parsed = parseScenario({
    schemaVersion: 1,
    id: 'hand-worked',
    title: 'Hand-worked',
    currency: 'EUR',
    horizonMonths: 3,
    cohort: 'expected',
    groups: [
      {
        id: 'g',
        label: 'G',
        stock: 100,
        inflowPerMonth: 10,
        personsPerCase: 2,
        adultsPerCase: 1.5,
        removability: 0.5,
        monthlyStayCostPerPerson: 500,
        baseMonthlyUptake: 0.02,
        unassistedReturnMonthly: 0.05,
        abscondMonthly: 0.01,
      },
    ],
    programme: null,
    removal: {
      attemptMonthly: 0.1,
      successProbability: 0.8,
      detentionDaysPerAttempt: 10,
      detentionCostPerDay: 100,
      escortAndTravelPerPerson: 2000,
      failedAttemptCost: 300,
      adminCostPerCase: 600,
    },
    effects: {
      packageValue: 0.2,
      sustainableAvrr: 0.6,
      sustainableForced: 0.3,
      remigrationMonthly: { sustainable: 0.01, notSustainable: 0.02, forcedMultiplier: 2 },
      reentryShare: 0.5,
    },
    ...overrides,
  })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

/** Parse again, so tests may patch a scenario with plain numbers as a file would. */
const reparse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

const iterate = (input: unknown): Float64Array => {
  const model = new CohortModel(reparse(input))
  const out = new Float64Array(model.layout.observables)
  model.iterate(seedKey(1), 0, out)
  return out
}

const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)))

/** Competing risks of MODEL.md section 4, written out for the test. */
const split = (ps: number[]) => {
  const rates = ps.map((p) => -Math.log(1 - p))
  const total = rates.reduce((a, b) => a + b, 0)
  return rates.map((r) => (total > 0 ? (r / total) * (1 - Math.exp(-total)) : 0))
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
const logit = (p: number) => Math.log(p / (1 - p))

describe('expected cohort, every Dist a point: the recurrence by hand', () => {
  it('removal only: month 0 figures worked on paper', () => {
    const out = iterate(scenario({ horizonMonths: 1 }))
    // E = 100 + 10 = 110 eligible; stay cost 110 x 500
    close(out[M['cost.stay']], 55_000)
    const [pA, pR, pB] = split([0.1, 0.05, 0.01])
    const attempts = 110 * pA
    const removed = attempts * 0.8 * 0.5
    close(out[M.returnsForced], removed)
    close(out[M.returnsUnassisted], 110 * pR)
    close(out[M.absconded], 110 * pB)
    close(out[M['cost.detention']], attempts * 10 * 100)
    close(out[M['cost.failedAttempts']], (attempts - removed) * 300)
    close(out[M['cost.escortAndTravel']], removed * 2000)
    close(out[M['cost.removalAdmin']], (removed * 600) / 2)
    close(out[M.sustainableReintegrations], removed * 0.3)
    close(out[M.eligibleAtHorizon], 110 - removed - 110 * pR - 110 * pB)
    expect(out[M.returnsAssisted]).toBe(0)
    expect(out[M['cost.cash']]).toBe(0)
  })

  it('programme with capacity, case management and re-migration: the month-by-month recurrence', () => {
    const s = scenario({
      horizonMonths: 4,
      discountRate: 0.05,
      programme: {
        cashPerAdult: 1000,
        inKindPerCase: 2000,
        travelPerPerson: 400,
        counselling: { setting: 'trusted-actors', atFinalDecision: true, costPerCase: 150 },
        outreach: { reach: 0.8, annualCost: 12_000 },
        caseManagement: { continuous: true, costPerCaseMonth: 50 },
        supportMonths: 2,
        capacityPerMonth: 3,
        scale: 2,
        rampUpMonths: 2,
        fixedAnnualCost: 24_000,
        fixedCostScaleExponent: 0.5,
      },
      effects: {
        packageValue: 0.3,
        counsellingSetting: { neutral: 0.1, 'trusted-actors': 0.4 },
        atFinalDecision: 0.2,
        sustainableAvrr: 0.6,
        sustainableForced: 0.3,
        sustainabilityLift: { caseManagement: 0.25, packageValue: 0.1 },
        remigrationMonthly: { sustainable: 0.01, notSustainable: 0.02, forcedMultiplier: 2 },
        reentryShare: 0.5,
      },
    })
    const out = iterate(s)

    // the recurrence, month by month, for the one group
    const V = 1000 * 1.5 + 2000 // package value per case
    const u = 0.8 * sigmoid(logit(0.02) + 0.3 * Math.log(1 + V / 1000) + 0.4 + 0.2)
    const [pU, pA, pR, pB] = split([u, 0.1, 0.05, 0.01])
    const pSustAvrr = sigmoid(logit(0.6) + 0.25 + 0.1 * Math.log(1 + V / 1000))
    let E = 0
    let reentering = 0
    const pools = [0, 0, 0, 0] // avrr sustainable, avrr not, forced sustainable, forced not
    const remig = [0.01, 0.02, 0.02, 0.04]
    const cases: number[] = []
    let assistedTotal = 0
    let forcedTotal = 0
    let sustainable = 0
    let remigrations = 0
    let peak = 0
    let totalCost = 0
    let cm = 0
    for (let t = 0; t < 4; t++) {
      const d = Math.pow(1.05, -t / 12)
      E += 10 + reentering + (t === 0 ? 100 : 0)
      reentering = 0
      for (let k = 0; k < 4; k++) {
        const leaving = pools[k] * remig[k]
        pools[k] -= leaving
        remigrations += leaving
        reentering += leaving * 0.5
      }
      const active = cases.slice(Math.max(0, t - 2), t).reduce((a, b) => a + b, 0)
      cm += active * 50 * d
      const capacity = 3 * 2 * Math.min(1, (t + 1) / 2)
      const want = E * pU
      const assisted = Math.min(want, capacity)
      peak = Math.max(peak, want - assisted)
      const attempts = E * pA
      const removed = attempts * 0.8 * 0.5
      const monthCases = assisted / 2
      cases.push(monthCases)
      const monthCost =
        E * 500 +
        assisted * 400 +
        monthCases * (1000 * 1.5 + 2000 + 150) +
        attempts * 1000 +
        (attempts - removed) * 300 +
        removed * 2000 +
        (removed * 600) / 2 +
        1000 +
        (24_000 * Math.sqrt(2)) / 12 +
        active * 50
      totalCost += monthCost * d
      E -= assisted + removed + E * pR + E * pB
      pools[0] += assisted * pSustAvrr
      pools[1] += assisted * (1 - pSustAvrr)
      pools[2] += removed * 0.3
      pools[3] += removed * 0.7
      sustainable += assisted * pSustAvrr + removed * 0.3
      assistedTotal += assisted
      forcedTotal += removed
    }
    close(out[M.returnsAssisted], assistedTotal)
    close(out[M.returnsForced], forcedTotal)
    close(out[M.sustainableReintegrations], sustainable)
    close(out[M.remigrations], remigrations)
    close(out[M.waitingListPeak], peak)
    close(out[M['cost.caseManagement']], cm)
    close(out[M.totalCost], totalCost)
    close(out[M.eligibleAtHorizon], E)
    close(out[M.costPerSustainableReintegration], totalCost / sustainable)
  })
})

describe('invariants of MODEL.md section 7', () => {
  const full = scenario({
    horizonMonths: 24,
    groups: [
      { id: 'a', label: 'A', stock: 500, inflowPerMonth: 20, personsPerCase: 2, monthlyStayCostPerPerson: 400, baseMonthlyUptake: 0.03, unassistedReturnMonthly: 0.02, abscondMonthly: 0.01 },
      { id: 'b', label: 'B', stock: 300, removable: false, monthlyStayCostPerPerson: 300, baseMonthlyUptake: 0.05, unassistedReturnMonthly: 0.01, abscondMonthly: 0.02 },
    ],
    programme: { cashPerAdult: 1000, travelPerPerson: 300, capacityPerMonth: 15, caseManagement: { continuous: true, costPerCaseMonth: 30 } },
  })

  it('people are conserved: arrivals = departures + absconded + still eligible (no re-entry)', () => {
    const s = { ...full, effects: { ...full.effects, reentryShare: 0 } }
    for (const cohort of ['expected', 'stochastic'] as const) {
      const out = iterate({ ...s, cohort })
      const arrived = 500 + 300 + 24 * 20
      const left = out[M.returnsTotal] + out[M.absconded] + out[M.eligibleAtHorizon]
      close(left, arrived)
    }
  })

  it('with re-entry, the re-entrants are the only extra arrivals', () => {
    const out = iterate({ ...full, cohort: 'stochastic' })
    const left = out[M.returnsTotal] + out[M.absconded] + out[M.eligibleAtHorizon]
    expect(left).toBeGreaterThanOrEqual(500 + 300 + 24 * 20)
    expect(left - (500 + 300 + 24 * 20)).toBeLessThanOrEqual(out[M.remigrations])
  })

  it('doubling a cost parameter doubles its cost line and only that line', () => {
    const base = iterate(full)
    // travel does not enter the uptake model (cash does, through the package value), so only its line moves
    const doubled = iterate({ ...full, programme: { ...full.programme!, travelPerPerson: 600 } })
    close(doubled[M['cost.travel']], 2 * base[M['cost.travel']])
    close(doubled[M['cost.stay']], base[M['cost.stay']])
    close(doubled[M['cost.cash']], base[M['cost.cash']])
    const doubledStay = iterate({
      ...full,
      groups: full.groups.map((g) => ({ ...g, monthlyStayCostPerPerson: (g.monthlyStayCostPerPerson as { value: number }).value * 2 })),
    })
    close(doubledStay[M['cost.stay']], 2 * base[M['cost.stay']])
  })

  it('programme: null books no programme cost and no assisted return', () => {
    const out = iterate({ ...full, programme: null, cohort: 'stochastic' })
    for (const line of ['counselling', 'outreach', 'travel', 'cash', 'inKind', 'complexTopUp', 'training', 'psychosocial', 'caseManagement', 'community', 'programmeFixed'])
      expect(out[M[`cost.${line}` as keyof typeof M]]).toBe(0)
    expect(out[M.returnsAssisted]).toBe(0)
  })

  it('no count or cost is negative, in either mode, over many iterations', () => {
    for (const cohort of ['expected', 'stochastic'] as const) {
      const model = new CohortModel(reparse({ ...full, cohort }))
      const out = new Float64Array(model.layout.observables)
      for (let i = 0; i < 200; i++) {
        model.iterate(seedKey('neg'), i, out)
        for (let j = 0; j < out.length; j++) if (Number.isFinite(out[j])) expect(out[j]).toBeGreaterThanOrEqual(0)
      }
    }
  })

  it('stochastic counts are whole people', () => {
    const out = iterate({ ...full, cohort: 'stochastic' })
    for (const m of ['returnsAssisted', 'returnsForced', 'returnsUnassisted', 'absconded', 'eligibleAtHorizon', 'sustainableReintegrations'] as const)
      expect(Number.isInteger(out[M[m]])).toBe(true)
  })

  it('AVRR departures never exceed the capacity', () => {
    const model = new CohortModel(reparse({ ...full, cohort: 'stochastic' }))
    const out = new Float64Array(model.layout.observables)
    const L = observableLayout(24)
    model.iterate(seedKey(3), 0, out)
    for (let t = 0; t < 24; t++) expect(out[L.monthlyBase + 24 + t]).toBeLessThanOrEqual(15)
  })

  it('the stochastic mean lies within 4 standard errors of the expected-mode value', () => {
    // no capacity: a binding cap is non-linear, so only the uncapped model's mean equals the expected mode
    const s = { ...full, horizonMonths: 12, programme: { ...full.programme!, capacityPerMonth: undefined } }
    const expected = iterate(s)
    const { report } = runInProcess(reparse({ ...s, cohort: 'stochastic' }), { seed: 'converge', iterations: 2000 })
    for (const m of ['returnsAssisted', 'returnsForced', 'returnsUnassisted', 'totalCost', 'sustainableReintegrations', 'eligibleAtHorizon'] as const) {
      const { mean, mcse } = report.metrics[m]
      expect(Math.abs(mean! - expected[M[m]])).toBeLessThanOrEqual(4 * mcse! + 1e-9)
    }
  })
})
