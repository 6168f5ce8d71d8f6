/** The reference cohort against arithmetic done by hand, a mechanism at a time; its invariants. */
import { describe, expect, it } from 'vitest'
import {
  mechanismScenarios,
  QUIET_EFFECTS,
  quietGroup,
  quietScenario,
  schedule,
} from './mechanism-scenarios.test-util'
import { COST_LINES, referenceIteration } from './reference-cohort.test-util'

const RELATIVE = 1e-12

/** |actual - expected| <= 1e-12 |expected|; an expected 0 must come out 0 to 1e-12. */
const expectClose = (actual: number, expected: number): void => {
  const allowed = expected === 0 ? RELATIVE : RELATIVE * Math.abs(expected)
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(allowed)
}

const expectAllClose = (actual: number[], expected: number[]): void => {
  expect(actual).toHaveLength(expected.length)
  actual.forEach((value, i) => expectClose(value, expected[i]))
}

const rate = (p: number): number => -Math.log(1 - p)

type Pools = ReturnType<typeof referenceIteration>['pools']

/** Everyone who entered a group by the end of each month is in it, returned or absconded. */
const expectConserved = (pools: Pools): void => {
  for (const group of pools) {
    for (const row of group.ledger) {
      const returns = row.returnsAssisted + row.returnsForced + row.returnsUnassisted
      expectClose(row.inCountry + returns + row.absconded, row.entered)
    }
  }
}

describe('one month of competing risks', () => {
  // ER and EN of one group, uptake 0.1, attempts 0.2 (ER only) succeeding half the time, own
  // departure 0.05 and absconding 0.02; e^-L is the product of the survivals, so 1 - e^-L needs
  // no exponent
  const scenario = quietScenario(
    'one-month',
    [
      quietGroup('g', {
        removability: 0.6,
        baseMonthlyUptake: 0.1,
        unassistedReturnMonthly: 0.05,
        abscondMonthly: 0.02,
      }),
    ],
    { horizonMonths: 1, programme: {}, removal: { attemptMonthly: 0.2, successProbability: 0.5 } },
  )
  const { metrics } = referenceIteration(scenario)
  const removableLeaves = 1 - 0.9 * 0.8 * 0.95 * 0.98
  const removableL = rate(0.1) + rate(0.2) + rate(0.05) + rate(0.02)
  const otherLeaves = 1 - 0.9 * 0.95 * 0.98
  const otherL = rate(0.1) + rate(0.05) + rate(0.02)
  const share = (r: number, pool: number, L: number, leaves: number) => pool * (r / L) * leaves
  const both = (r: number) =>
    share(r, 600, removableL, removableLeaves) + share(r, 400, otherL, otherLeaves)

  it('splits each pool over the events in proportion to their rates', () => {
    expectClose(metrics.returnsAssisted, both(rate(0.1)))
    expectClose(metrics.returnsUnassisted, both(rate(0.05)))
    expectClose(metrics.absconded, both(rate(0.02)))
    expectClose(metrics.returnsForced, 0.5 * share(rate(0.2), 600, removableL, removableLeaves))
  })

  it('keeps the failed attempts in the country and books the stay of everyone present', () => {
    expectClose(
      metrics.eligibleAtHorizon,
      600 * (1 - removableLeaves) +
        400 * (1 - otherLeaves) +
        0.5 * share(rate(0.2), 600, removableL, removableLeaves),
    )
    expectClose(metrics['cost.stay'], 1000 * 100)
    expectClose(metrics.irregularStayPersonMonths, 1000)
    expectClose(metrics.shareAssisted, metrics.returnsAssisted / metrics.returnsTotal)
  })
})

describe('irregular stay', () => {
  it('counts absconded people from the month after absconding', () => {
    const { metrics } = referenceIteration(
      quietScenario('absconding', [quietGroup('g', { stock: 100, abscondMonthly: 0.1 })], {
        horizonMonths: 2,
      }),
    )
    // 100 in month 0; 90 present and the 10 absconded in month 1
    expectClose(metrics.irregularStayPersonMonths, 100 + 90 + 10)
    expectClose(metrics['cost.stay'], (100 + 90) * 100)
    expectClose(metrics.absconded, 19)
  })
})

describe('schedules', () => {
  // only removal attempts, succeeding always: a month's attempts are a_t of the pool
  const scenario = quietScenario(
    'schedule-step',
    [
      quietGroup('a', {
        stock: 100,
        inflowPerMonth: schedule([0, 10], [2, 50]),
      }),
      quietGroup('b', {
        stock: 100,
        removal: {
          attemptMonthly: schedule([0, 0], [1, 0.5]),
          successProbability: 0.4,
        },
      }),
    ],
    {
      removal: {
        attemptMonthly: schedule([0, 0.1], [1, 0.3]),
        successProbability: 1,
      },
    },
  )
  const { monthly, pools } = referenceIteration(scenario)

  it('steps the inflow and the attempts, and a group override replaces the scenario value', () => {
    // a: 110 -> 11 removed, 99 + 10 = 109 -> 32.7, 76.3 + 50 = 126.3 -> 37.89
    // b: nobody in month 0, then 100 x 0.5 x 0.4 = 20, then 80 x 0.5 x 0.4 = 16
    expectAllClose(monthly.returnsForced, [11, 32.7 + 20, 37.89 + 16])
    expectAllClose(monthly.eligible, [210, 109 + 100, 126.3 + 80])
    expectClose(pools[0].atHorizon.ER, 126.3 - 37.89)
    expectClose(pools[1].atHorizon.ER, 64)
  })

  it('caps the attempts over groups in file order', () => {
    const capped = referenceIteration(
      quietScenario(
        'attempt-cap',
        [quietGroup('first', { stock: 500 }), quietGroup('second', { stock: 400 })],
        {
          horizonMonths: 1,
          removal: {
            attemptMonthly: 0.1,
            maxAttemptsPerMonth: 60,
            successProbability: 0.5,
            detentionDaysPerAttempt: 2,
            detentionCostPerDay: 100,
            failedAttemptCost: 10,
          },
        },
      ),
    )
    // the first group wants 50 attempts and has them, the second wants 40 and gets the 10 left
    expectClose(capped.metrics.returnsForced, 30)
    expectClose(capped.metrics['cost.detention'], 60 * 200)
    expectClose(capped.metrics['cost.failedAttempts'], 30 * 10)
    expectClose(capped.pools[1].atHorizon.ER, 395)
  })
})

describe('capacity', () => {
  // 100,000 people with uptake 0.5 want far more than the capacity: every month's assisted returns
  // are the month's effective capacity, whoever they are
  const rampScenario = (scale: unknown, fixedCostScaleExponent = 1) =>
    quietScenario('ramp', [quietGroup('g', { stock: 100000, baseMonthlyUptake: 0.5 })], {
      horizonMonths: 10,
      programme: {
        capacityPerMonth: 100,
        rampUpMonths: 4,
        scale,
        fixedAnnualCost: 1200,
        fixedCostScaleExponent,
        outreach: { reach: 1, annualCost: 2400 },
        communityProgramme: { annualBudget: 3600, localResidentsServedPerYear: 120 },
      },
    })

  it('ramps up by K / rampUpMonths a month, stops at once at scale 0, ramps again from 0', () => {
    const scale = schedule([0, 1], [4, 0], [6, 1])
    const { metrics, monthly } = referenceIteration(rampScenario(scale))
    expectAllClose(monthly.returnsAssisted, [25, 50, 75, 100, 0, 0, 25, 50, 75, 100])
    // the running costs run only in the 8 active months, and the community serves only then
    expectClose(metrics['cost.programmeFixed'], 8 * 100)
    expectClose(metrics['cost.outreach'], 8 * 200)
    expectClose(metrics['cost.community'], 8 * 300)
    expectClose(metrics.localResidentsServed, 8 * 10)
  })

  it('comes back sooner from a scale-down that kept part of the capacity', () => {
    const scale = schedule([0, 1], [4, 0.5], [6, 1])
    const { metrics, monthly } = referenceIteration(rampScenario(scale, 2))
    expectAllClose(monthly.returnsAssisted, [25, 50, 75, 100, 50, 50, 75, 100, 100, 100])
    expectClose(metrics['cost.programmeFixed'], 8 * 100 + 2 * 100 * 0.25)
  })

  it('shares the capacity over groups in file order, waiting lists before applicants', () => {
    const { pools, monthly } = referenceIteration(
      quietScenario(
        'shared-capacity',
        [
          quietGroup('first', { stock: 100, baseMonthlyUptake: 0.5 }),
          quietGroup('second', { stock: 100, baseMonthlyUptake: 0.5 }),
        ],
        { horizonMonths: 2, programme: { capacityPerMonth: 30 } },
      ),
    )
    // month 0: 30 of the first's 50 applicants go, the second's 50 all queue; month 1: the first's
    // 20 waiting go, then 10 of the second's 50, and the 25 + 25 new applicants queue
    expectAllClose(monthly.returnsAssisted, [30, 30])
    expectClose(pools[0].atHorizon.QER, 25)
    expectClose(pools[1].atHorizon.QER, 40 + 25)
  })

  it('serves the waiting list first, then the applicants; applicants beyond it queue', () => {
    // uptake 0.5 is the only risk; capacity 10; a quarter of those waiting since before give up
    const { metrics, monthly } = referenceIteration(
      quietScenario('queue', [quietGroup('g', { stock: 100, baseMonthlyUptake: 0.5 })], {
        programme: { capacityPerMonth: 10, queueDropoutMonthly: 0.25 },
      }),
    )
    // month 0: 50 apply, 10 go, 40 queue; ER 50
    // month 1: 10 of the 40 go; 25 apply and queue; 7.5 of the 30 give up: ER 32.5, Q 47.5
    // month 2: 10 of the 47.5 go; 16.25 apply and queue; 9.375 give up: ER 25.625, Q 44.375
    expectAllClose(monthly.returnsAssisted, [10, 10, 10])
    expectAllClose(monthly.waiting, [40, 47.5, 44.375])
    expectAllClose(monthly.eligible, [100, 90, 80])
    expectClose(metrics.waitingListPeak, 47.5)
    expectClose(metrics.queuePersonMonths, 131.875)
    expectClose(metrics.meanWaitMonths, 131.875 / 30)
    expectClose(metrics.waitingAtHorizon, 44.375)
    expectClose(metrics.eligibleAtHorizon, 70)
    expectClose(metrics['cost.stay'], 27000)
  })
})

describe('deadweight', () => {
  // 1000 not removable; uptake reach x 0.1 = 0.08, own departure 0.2: e^-L = 0.92 x 0.8 whatever
  // the deadweight, which moves reach x deadweight = 0.4 of the departure rate to uptake
  const withDeadweight = (deadweight: number) =>
    referenceIteration(
      quietScenario(
        'deadweight',
        [
          quietGroup('g', {
            removable: false,
            baseMonthlyUptake: 0.1,
            unassistedReturnMonthly: 0.2,
          }),
        ],
        {
          horizonMonths: 1,
          programme: { outreach: { reach: 0.8 } },
          effects: { ...QUIET_EFFECTS, deadweight },
        },
      ),
    ).metrics
  const L = rate(0.08) + rate(0.2)
  const leaves = 1 - 0.92 * 0.8

  it('moves departures from unassisted to assisted', () => {
    const none = withDeadweight(0)
    const half = withDeadweight(0.5)
    expectClose(none.returnsAssisted, (1000 * rate(0.08) * leaves) / L)
    expectClose(half.returnsAssisted, (1000 * (rate(0.08) + 0.4 * rate(0.2)) * leaves) / L)
    expectClose(half.returnsUnassisted, (1000 * 0.6 * rate(0.2) * leaves) / L)
  })

  it('leaves the total departure rate of the pool unchanged', () => {
    const none = withDeadweight(0)
    const half = withDeadweight(0.5)
    expectClose(none.returnsAssisted + none.returnsUnassisted, 1000 * leaves)
    expectClose(half.returnsAssisted + half.returnsUnassisted, 1000 * leaves)
  })
})

describe('removability', () => {
  // attempts 0.5 succeed always, own departure 0.02: ER keeps 0.49 a month, and the removed add up
  // to 300 (rate(a) / L)(1 - 0.49^120) < 300
  const removed = (group: Record<string, unknown>) =>
    referenceIteration(
      quietScenario(
        'removability',
        [quietGroup('g', { unassistedReturnMonthly: 0.02, ...group })],
        {
          horizonMonths: 120,
          removal: { attemptMonthly: 0.5, successProbability: 1 },
        },
      ),
    )

  it('never removes more than the removable share, with no inflow or re-entry', () => {
    const { metrics, pools } = removed({ removability: 0.3 })
    const L = rate(0.5) + rate(0.02)
    expectClose(metrics.returnsForced, ((300 * rate(0.5)) / L) * (1 - 0.49 ** 120))
    expect(metrics.returnsForced).toBeLessThanOrEqual(300)
    expect(pools[0].atHorizon.PR + pools[0].atHorizon.PN).toBe(0)
  })

  it('puts a group with removable: false in the not-removable pools only', () => {
    const { metrics, pools } = removed({ removability: 0.3, removable: false })
    expect(metrics.returnsForced).toBe(0)
    expect(pools[0].atHorizon.ER).toBe(0)
    expectClose(pools[0].atHorizon.EN, 1000 * 0.98 ** 120)
  })
})

describe('counselling', () => {
  // 100 in stock and 20 a month, two adults per case, half of them reached; nobody departs
  const counselled = (scale: unknown) =>
    referenceIteration(
      quietScenario(
        'counselled',
        [quietGroup('g', { stock: 100, inflowPerMonth: 20, adultsPerCase: 2, personsPerCase: 2 })],
        {
          horizonMonths: 2,
          programme: {
            scale,
            outreach: { reach: 0.5 },
            counselling: { setting: 'enforcement', costPerCounselledCase: 10 },
          },
        },
      ),
    ).metrics

  it('counsels the entrants of each active month, the month-0 stock included', () => {
    const metrics = counselled(1)
    // 0.5 x 120 / 2 = 30 in month 0, 0.5 x 20 / 2 = 5 in month 1
    expectClose(metrics.counselledCases, 35)
    expectClose(metrics['cost.counselling'], 350)
  })

  it('counsels nobody about a suspended programme', () => {
    const metrics = counselled(schedule([0, 1], [1, 0]))
    expectClose(metrics.counselledCases, 30)
    expectClose(metrics['cost.counselling'], 300)
  })

  it('adds the cost per departing case', () => {
    const { metrics } = referenceIteration(
      quietScenario(
        'departing',
        [
          quietGroup('g', {
            stock: 100,
            baseMonthlyUptake: 0.5,
            adultsPerCase: 2,
            personsPerCase: 2,
          }),
        ],
        {
          horizonMonths: 1,
          programme: {
            counselling: {
              setting: 'enforcement',
              costPerCounselledCase: 10,
              costPerDepartingCase: 40,
            },
          },
        },
      ),
    )
    // 50 cases counselled at entry, 50 persons = 25 cases depart
    expectClose(metrics['cost.counselling'], 50 * 10 + 25 * 40)
  })
})

describe('the package', () => {
  // 2 adults and 3 children a case; uptake 0.2 is the only risk
  const family = (programme: Record<string, unknown>, patch: Record<string, unknown> = {}) =>
    referenceIteration(
      quietScenario(
        'family',
        [
          quietGroup('g', {
            stock: 100,
            adultsPerCase: 2,
            personsPerCase: 5,
            baseMonthlyUptake: 0.2,
          }),
        ],
        {
          horizonMonths: 1,
          programme: { cashPerAdult: 1000, cashPerChild: 500, ...programme },
          effects: {
            ...QUIET_EFFECTS,
            packageValue: 0.5,
            sustainabilityLift: { packageValue: 0.5 },
          },
          ...patch,
        },
      ),
    ).metrics

  it('caps the family cash at cashCapPerCase, and the uptake reads the capped value', () => {
    const metrics = family({ cashCapPerCase: 3000 })
    // logit(0.2) + 0.5 ln(1 + 3000 / 1000) = ln(1/4) + ln(2): uptake 1/3
    expectClose(metrics.returnsAssisted, 100 / 3)
    expectClose(metrics['cost.cash'], (100 / 3 / 5) * 3000)
    // sustainability: logit 0.5 + 0.5 ln 4 = ln 2, so 2/3 of them
    expectClose(metrics.sustainableReintegrations, (100 / 3) * (2 / 3))
  })

  it('pays adults x cashPerAdult + children x cashPerChild below the cap', () => {
    const metrics = family({ cashCapPerCase: 4000 })
    const odds = 0.25 * Math.sqrt(4.5)
    const uptake = odds / (1 + odds)
    expectClose(metrics.returnsAssisted, 100 * uptake)
    expectClose(metrics['cost.cash'], ((100 * uptake) / 5) * 3500)
  })

  it('reads the package in reference units: SEK x valueToReference takes up like EUR', () => {
    const eur = family({ cashPerAdult: 1000, cashPerChild: 500, inKindPerCase: 500 })
    const sek = family(
      { cashPerAdult: 10000, cashPerChild: 5000, inKindPerCase: 5000 },
      { currency: 'SEK', valueToReference: 0.1 },
    )
    expectClose(sek.returnsAssisted, eur.returnsAssisted)
    // the money itself stays in the scenario's currency
    expectClose(sek['cost.cash'], 10 * eur['cost.cash'])
    expectClose(sek['cost.inKind'], 10 * eur['cost.inKind'])
  })

  it('adds the setting and the final-decision premium to the logit, inside the reach', () => {
    const uptake = (atFinalDecision: boolean) =>
      referenceIteration(
        quietScenario('setting', [quietGroup('g', { stock: 100, baseMonthlyUptake: 0.2 })], {
          horizonMonths: 1,
          programme: {
            outreach: { reach: 0.5 },
            counselling: { setting: 'neutral', atFinalDecision },
          },
          effects: {
            ...QUIET_EFFECTS,
            counsellingSetting: { neutral: Math.log(2), 'trusted-actors': 7 },
            atFinalDecision: Math.log(1.5),
          },
        }),
      ).metrics.returnsAssisted
    // odds 0.25 x 2 x 1.5 = 0.75 with the premium, 0.5 without
    expectClose(uptake(true), 100 * 0.5 * (0.75 / 1.75))
    expectClose(uptake(false), 100 * 0.5 * (0.5 / 1.5))
  })

  it('refuses a non-EUR scenario without valueToReference', () => {
    expect(() => family({}, { currency: 'SEK' })).toThrow(/valueToReference/)
  })
})

describe('repeat assistance', () => {
  // uptake 0.5 the only risk; every returnee re-migrates the month after and comes back the next:
  // month 0: 50 go; month 1: 25 of ER go, the 50 re-migrate; month 2: the 50 come back to PR
  const repeat = (repeatAssistance: boolean) =>
    referenceIteration(
      quietScenario('repeat', [quietGroup('g', { stock: 100, baseMonthlyUptake: 0.5 })], {
        programme: { repeatAssistance, counselling: { setting: 'enforcement' } },
        effects: {
          ...QUIET_EFFECTS,
          remigrationMonthly: { sustainable: 1, notSustainable: 1 },
          reentryShare: 1,
        },
      }),
    )

  it('lets re-entrants after an assisted return take the package again', () => {
    const { metrics, pools } = repeat(true)
    // month 2: 25 of the 50 in PR and 12.5 of the 25 in ER
    expectClose(metrics.repeatAssistedReturns, 25)
    expectClose(metrics.returnsAssisted, 50 + 25 + 37.5)
    expectClose(metrics.counselledCases, 100 + 50)
    expectClose(metrics.remigrations, 50 + 25)
    expectClose(pools[0].atHorizon.PR, 25)
  })

  it('without it keeps them in the P pools, where no uptake applies', () => {
    const { metrics, pools } = repeat(false)
    expect(metrics.repeatAssistedReturns).toBe(0)
    expectClose(metrics.returnsAssisted, 50 + 25 + 12.5)
    expectClose(metrics.counselledCases, 100)
    expectClose(pools[0].atHorizon.PR, 50)
    expect(pools[0].atHorizon.QPR + pools[0].atHorizon.QPN).toBe(0)
  })
})

describe('outcomes and the cost of each return', () => {
  // 'assisted': uptake 0.5 the only risk; 'removed': attempts 0.5 that always succeed; both two
  // adults a case. AVRR sustainability: logit 0.5 + ln 2 (psychosocial) + 0.5 x 2 ln 1.5 (training)
  // = ln 3, so 3/4; caseManagement (not continuous) and community (budget 0) add nothing
  const outcomes = (horizonMonths: number) =>
    referenceIteration(
      quietScenario(
        'outcomes',
        [
          quietGroup('assisted', {
            stock: 100,
            adultsPerCase: 2,
            personsPerCase: 2,
            complexShare: 0.5,
            baseMonthlyUptake: 0.5,
            avoidableStayShare: 0.6,
          }),
          quietGroup('removed', {
            stock: 100,
            adultsPerCase: 2,
            personsPerCase: 2,
            removal: { attemptMonthly: 0.5 },
          }),
        ],
        {
          horizonMonths,
          programme: {
            inKindPerCase: 200,
            complexCaseTopUp: 1000,
            travelPerPerson: 100,
            preReturnTraining: { share: 0.5, costPerCase: 400 },
            psychosocialSupport: { enabled: true, costPerCase: 300 },
            caseManagement: { continuous: false },
            communityProgramme: { annualBudget: 0 },
          },
          removal: {
            attemptMonthly: 0,
            successProbability: 1,
            detentionDaysPerAttempt: 2,
            detentionCostPerDay: 50,
            escortAndTravelPerPerson: 1000,
            adminCostPerCase: 600,
          },
          effects: {
            sustainableAvrr: 0.5,
            sustainableForced: 0.4,
            sustainabilityLift: {
              psychosocial: Math.log(2),
              training: 2 * Math.log(1.5),
              caseManagement: Math.log(2),
              community: 5,
            },
            remigrationMonthly: { sustainable: 0.1, notSustainable: 0.4, forcedMultiplier: 3 },
            reentryShare: 0.5,
          },
        },
      ),
    )

  it('draws sustainability at return and re-migrates from the month after', () => {
    const { metrics } = outcomes(2)
    // month 0: 50 assisted (37.5 sustainable), 50 removed (20); month 1: 25 and 25 (18.75, 10)
    expectClose(metrics.sustainableReintegrations, 37.5 + 20 + 18.75 + 10)
    // month 1 re-migration: 10% of 37.5, 40% of 12.5, 30% of 20, min(1, 1.2) of 30
    expectClose(metrics.remigrations, 3.75 + 5 + 6 + 30)
    expectClose(metrics.sustainableAtHorizon, 37.5 - 3.75 + (20 - 6) + 18.75 + 10)
  })

  it('brings reentryShare of the re-migrants back the month after', () => {
    const { pools } = outcomes(3)
    // in month 2 the assisted re-enter to PR, where nothing happens to them without repeat
    // assistance, the forced to ER, where half of them are removed again
    expectClose(pools[0].ledger[2].entered, 100 + (3.75 + 5) * 0.5)
    expectClose(pools[1].ledger[2].entered, 100 + (6 + 30) * 0.5)
    expectClose(pools[0].atHorizon.PR, (3.75 + 5) * 0.5)
    expectClose(pools[1].atHorizon.ER, (25 + 18) * 0.5)
  })

  it('books each line per person or per case of the returns', () => {
    const { metrics } = outcomes(2)
    // 75 assisted persons (37.5 cases) and 75 removed persons over the two months
    expectClose(metrics['cost.travel'], 75 * 100)
    expectClose(metrics['cost.inKind'], 37.5 * 200)
    expectClose(metrics['cost.complexTopUp'], 37.5 * 500)
    expectClose(metrics['cost.training'], 37.5 * 200)
    expectClose(metrics['cost.psychosocial'], 37.5 * 300)
    expectClose(metrics['cost.detention'], 75 * 100)
    expectClose(metrics['cost.escortAndTravel'], 75 * 1000)
    expectClose(metrics['cost.removalAdmin'], 75 * 300)
    expectClose(metrics['cost.stay'], (100 + 50) * 60 + (100 + 50) * 100)
    expectClose(metrics.costPerForcedReturn, (75 * 100 + 75 * 1000 + 75 * 300) / 75)
  })
})

describe('case management', () => {
  it('books costPerCaseMonth for supportMonths within the horizon, suspended or not', () => {
    const managed = (supportMonths: number) =>
      referenceIteration(
        quietScenario(
          'case-management',
          [quietGroup('g', { stock: 100, baseMonthlyUptake: 0.5 })],
          {
            horizonMonths: 4,
            programme: {
              supportMonths,
              caseManagement: { continuous: false, costPerCaseMonth: 10 },
              scale: schedule([0, 1], [1, 0]),
            },
          },
        ),
      )
    // the 50 of month 0 are the only assisted returns
    const two = managed(2)
    expectAllClose(two.monthly.cost, [100 * 100, 50 * 100 + 500, 50 * 100 + 500, 50 * 100])
    expectClose(managed(12).metrics['cost.caseManagement'], 1500)
  })
})

describe('budget, payers and discounting', () => {
  // 100 people stay 24 months at 100 a month, discounted at 10% a year; one removal in month 0
  const { metrics, budgetByYear } = referenceIteration(
    quietScenario('budget', [quietGroup('g', { stock: 100 })], {
      horizonMonths: 24,
      discountRate: 0.1,
      removal: {
        attemptMonthly: schedule([0, 0.01], [1, 0]),
        successProbability: 1,
        escortAndTravelPerPerson: 1000,
      },
      payers: { interior: ['stay'], transport: ['escortAndTravel', 'detention'] },
    }),
  )
  let firstYearStay = 100 * 100
  for (let t = 1; t < 12; t++) firstYearStay += 99 * 100 * 1.1 ** (-t / 12)

  it('discounts by (1 + r)^(-t/12), a year apart by 1 + r', () => {
    expect(budgetByYear).toHaveLength(2)
    expectClose(budgetByYear[0].lines.stay, firstYearStay)
    // the second year is the first with 99 people in month 0 too, a year later
    expectClose(budgetByYear[1].lines.stay, (firstYearStay - 100 * 100 + 99 * 100) / 1.1)
    expectClose(budgetByYear[0].lines.escortAndTravel, 1000)
  })

  it('gives each payer its lines and "other" the rest, adding up to the year\'s total', () => {
    for (const year of budgetByYear) {
      expectClose(year.payers.interior, year.lines.stay)
      expectClose(year.payers.transport, year.lines.escortAndTravel + year.lines.detention)
      expectClose(
        year.payers.other,
        year.total - year.lines.stay - year.lines.escortAndTravel - year.lines.detention,
      )
      expectClose(year.payers.interior + year.payers.transport + year.payers.other, year.total)
    }
    expectClose(budgetByYear[0].total + budgetByYear[1].total, metrics.totalCost)
  })
})

describe('the removal-only comparator and undefined ratios', () => {
  const { metrics } = referenceIteration(
    quietScenario('removal-only', [quietGroup('g', { unassistedReturnMonthly: 0.1 })], {
      removal: { attemptMonthly: 0.1, successProbability: 0.5, failedAttemptCost: 100 },
    }),
  )

  it('books no programme cost and no assisted return with programme: null', () => {
    expect(metrics.programmeCost).toBe(0)
    expect(metrics.returnsAssisted).toBe(0)
    expect(metrics.returnsForced).toBeGreaterThan(0)
    expect(metrics.removalCost).toBeGreaterThan(0)
  })

  it('leaves a ratio with a zero denominator undefined (NaN)', () => {
    expect(metrics.costPerAssistedReturn).toBeNaN()
    expect(metrics.meanWaitMonths).toBeNaN()
    expect(metrics.shareAssisted).toBe(0)
    expectClose(metrics.costPerForcedReturn, metrics.removalCost / metrics.returnsForced)
  })
})

describe('what the reference refuses', () => {
  it('takes point values only', () => {
    const drawn = quietScenario('drawn', [
      quietGroup('g', { stock: { dist: 'uniform', min: 900, max: 1100 } }),
    ])
    expect(() => referenceIteration(drawn)).toThrow(/groups\[g\]\.stock/)
    expect(() => referenceIteration({ ...drawn, cohort: 'stochastic' })).toThrow(/cohort/)
  })

  it('reads a schedule only from month 0, strictly increasing, within the horizon', () => {
    const late = schedule([1, 10])
    const beyond = schedule([0, 10], [3, 20])
    for (const inflowPerMonth of [late, beyond]) {
      const scenario = quietScenario('bad-schedule', [quietGroup('g', { inflowPerMonth })])
      expect(() => referenceIteration(scenario)).toThrow(/inflowPerMonth\.schedule/)
    }
  })
})

describe('the mechanism scenarios', () => {
  const REQUIRED_GROUP_FIELDS = [
    'id',
    'label',
    'stock',
    'monthlyStayCostPerPerson',
    'baseMonthlyUptake',
    'unassistedReturnMonthly',
    'abscondMonthly',
  ]

  it.each(mechanismScenarios)('$name carries every field section 3 requires', ({ scenario }) => {
    const s = scenario as Record<string, any>
    expect(s.schemaVersion).toBe(2)
    expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    expect(typeof s.title).toBe('string')
    expect(s.cohort).toBe('expected')
    expect(s.horizonMonths).toBeGreaterThanOrEqual(3)
    expect(s.horizonMonths).toBeLessThanOrEqual(40)
    if (s.currency !== 'EUR') expect(s.valueToReference).toBeDefined()
    expect(s.groups.length).toBeGreaterThanOrEqual(1)
    expect(s.groups.length).toBeLessThanOrEqual(3)
    for (const group of s.groups) {
      for (const field of REQUIRED_GROUP_FIELDS) expect(group[field], field).toBeDefined()
    }
    expect(s).toHaveProperty('programme')
    expect(s.removal).toHaveProperty('attemptMonthly')
    expect(s.removal).toHaveProperty('successProbability')
    expect(s.effects).toHaveProperty('sustainableAvrr')
    expect(s.effects).toHaveProperty('sustainableForced')
    expect(s.effects.remigrationMonthly).toHaveProperty('sustainable')
    expect(s.effects.remigrationMonthly).toHaveProperty('notSustainable')
  })

  it.each(mechanismScenarios)('$name conserves people in every group and month', ({ scenario }) => {
    const { metrics, pools } = referenceIteration(scenario)
    expectConserved(pools)
    for (const group of pools) {
      const { AS, AN, FS, FN, ...inCountry } = group.atHorizon
      for (const people of Object.values(group.atHorizon)) expect(people).toBeGreaterThanOrEqual(0)
      expectClose(
        Object.values(inCountry).reduce((sum, people) => sum + people, 0),
        group.ledger.at(-1)!.inCountry,
      )
    }
    // the ledgers at the horizon add up to the metrics over groups
    const atHorizon = pools.map((group) => group.ledger.at(-1)!)
    const metricOfRow = {
      inCountry: 'eligibleAtHorizon',
      returnsAssisted: 'returnsAssisted',
      returnsForced: 'returnsForced',
      returnsUnassisted: 'returnsUnassisted',
      absconded: 'absconded',
    } as const
    for (const [row, metric] of Object.entries(metricOfRow)) {
      const overGroups = atHorizon.reduce(
        (total, r) => total + r[row as keyof typeof metricOfRow],
        0,
      )
      expectClose(overGroups, metrics[metric])
    }
  })

  it.each(mechanismScenarios)(
    '$name books no negative cost and adds its lines up',
    ({ scenario }) => {
      const { metrics, monthly, budgetByYear } = referenceIteration(scenario)
      for (const line of COST_LINES) expect(metrics[`cost.${line}`]).toBeGreaterThanOrEqual(0)
      const lines = COST_LINES.reduce((total, line) => total + metrics[`cost.${line}`], 0)
      expectClose(metrics.totalCost, lines)
      expectClose(metrics.programmeCost + metrics.removalCost + metrics['cost.stay'], lines)
      expectClose(
        monthly.cost.reduce((total, cost) => total + cost, 0),
        metrics.totalCost,
      )
      expectClose(
        budgetByYear.reduce((total, year) => total + year.total, 0),
        metrics.totalCost,
      )
      for (const year of budgetByYear) {
        const payers = Object.values(year.payers).reduce((total, amount) => total + amount, 0)
        expectClose(payers, year.total)
      }
    },
  )

  // each scenario must exercise what it is named for, or comparing the engine on it proves little
  const exercised: Record<string, string> = {
    'competing-risks': 'returnsForced',
    schedules: 'returnsForced',
    'capacity-ramp': 'waitingListPeak',
    'waiting-list': 'queuePersonMonths',
    deadweight: 'returnsAssisted',
    'removable-split': 'returnsForced',
    'counselling-at-entry': 'counselledCases',
    'family-cash-cap': 'cost.cash',
    'sek-value-to-reference': 'cost.complexTopUp',
    'repeat-assistance-on': 'repeatAssistedReturns',
    'repeat-assistance-off': 'remigrations',
    'case-management': 'cost.caseManagement',
    'payers-discounting': 'localResidentsServed',
    'removal-only': 'removalCost',
    'everything-at-once': 'repeatAssistedReturns',
  }

  it.each(mechanismScenarios)('$name exercises its mechanism', ({ scenario }) => {
    const id = (scenario as { id: string }).id
    expect(exercised[id], id).toBeDefined()
    expect(referenceIteration(scenario).metrics[exercised[id]]).toBeGreaterThan(0)
  })
})

describe('conservation with several groups and re-entry', () => {
  it('accounts for everyone who entered in every month, re-entrants included', () => {
    const { pools, metrics } = referenceIteration(
      mechanismScenarios.find((m) => m.name === 'everything at once')!.scenario,
    )
    expect(pools).toHaveLength(3)
    expectConserved(pools)
    // stock plus the inflow schedules (12 x 120 + 18 x 60 + 10 x 90, 40 x 30, none): the rest of
    // those who entered are re-entrants
    const stockAndInflow = [4000 + 3420, 1500 + 1200, 900]
    pools.forEach((group, g) => {
      expect(group.ledger.at(-1)!.entered).toBeGreaterThan(stockAndInflow[g])
    })
    expect(metrics.remigrations).toBeGreaterThan(0)
  })
})
