/** Small named v2 scenarios, one per mechanism, to compare the engine with the reference on. */

type Json = Record<string, unknown>

/** Effects under which returnees never re-migrate: each scenario adds what it exercises. */
export const QUIET_EFFECTS: Json = {
  sustainableAvrr: 0.5,
  sustainableForced: 0.5,
  remigrationMonthly: { sustainable: 0, notSustainable: 0 },
}

/** A group of 1000 in which nobody leaves unless the patch says how. */
export const quietGroup = (id: string, patch: Json = {}): Json => ({
  id,
  label: `Group ${id}`,
  stock: 1000,
  monthlyStayCostPerPerson: 100,
  baseMonthlyUptake: 0,
  unassistedReturnMonthly: 0,
  abscondMonthly: 0,
  ...patch,
})

/** A complete v2 scenario around its groups: no programme, no removal attempts, unless patched. */
export const quietScenario = (id: string, groups: Json[], patch: Json = {}): Json => ({
  schemaVersion: 2,
  id,
  title: `Mechanism: ${id}`,
  currency: 'EUR',
  horizonMonths: 3,
  cohort: 'expected',
  groups,
  programme: null,
  removal: { attemptMonthly: 0, successProbability: 1 },
  effects: QUIET_EFFECTS,
  ...patch,
})

const point = (value: number): Json => ({ dist: 'point', value })

/** A Schedule<T>: `schedule([0, 10], [2, 50])` is 10 from month 0 and 50 from month 2. */
export const schedule = (...steps: [fromMonth: number, value: unknown][]): Json => ({
  schedule: steps.map(([fromMonth, value]) => ({ fromMonth, value })),
})

/** Removal that reaches people and costs something on every line. */
const costedRemoval = (patch: Json = {}): Json => ({
  attemptMonthly: 0.04,
  successProbability: point(0.6),
  detentionDaysPerAttempt: 8,
  detentionCostPerDay: 150,
  escortAndTravelPerPerson: 3500,
  failedAttemptCost: 700,
  adminCostPerCase: 900,
  ...patch,
})

const remigrating = (patch: Json = {}): Json => ({
  ...QUIET_EFFECTS,
  remigrationMonthly: { sustainable: 0.02, notSustainable: 0.08, forcedMultiplier: 1.5 },
  reentryShare: 0.5,
  ...patch,
})

const repeatScenario = (repeatAssistance: boolean): Json =>
  quietScenario(
    `repeat-assistance-${repeatAssistance ? 'on' : 'off'}`,
    [
      quietGroup('g', {
        baseMonthlyUptake: 0.08,
        removability: 0.5,
        unassistedReturnMonthly: 0.01,
      }),
    ],
    {
      horizonMonths: 24,
      programme: {
        cashPerAdult: 1200,
        travelPerPerson: 400,
        counselling: { setting: 'neutral', costPerCounselledCase: 60, costPerDepartingCase: 200 },
        repeatAssistance,
      },
      removal: costedRemoval({ attemptMonthly: 0.03 }),
      effects: remigrating({
        counsellingSetting: { neutral: 0.2 },
        remigrationMonthly: { sustainable: 0.05, notSustainable: 0.15, forcedMultiplier: 1.5 },
        reentryShare: 0.6,
      }),
    },
  )

export const mechanismScenarios: { name: string; scenario: Json }[] = [
  {
    name: 'competing risks in one month',
    scenario: quietScenario(
      'competing-risks',
      [
        quietGroup('g', {
          removability: 0.7,
          baseMonthlyUptake: 0.05,
          unassistedReturnMonthly: 0.02,
          abscondMonthly: point(0.01),
        }),
      ],
      {
        programme: {
          cashPerAdult: 1000,
          travelPerPerson: 300,
          counselling: { setting: 'neutral' },
        },
        removal: costedRemoval(),
        effects: remigrating({ packageValue: 0.2, counsellingSetting: { neutral: 0.3 } }),
      },
    ),
  },
  {
    name: 'schedules in inflow, attempts, attempt cap and a group override',
    scenario: quietScenario(
      'schedules',
      [
        quietGroup('a', {
          stock: 500,
          inflowPerMonth: schedule([0, 50], [4, point(120)], [8, 0]),
          unassistedReturnMonthly: 0.01,
        }),
        quietGroup('b', {
          stock: 300,
          removal: { attemptMonthly: schedule([0, 0], [2, 0.2]), successProbability: 0.4 },
        }),
      ],
      {
        horizonMonths: 12,
        removal: costedRemoval({
          attemptMonthly: schedule([0, 0.02], [6, point(0.08)]),
          maxAttemptsPerMonth: schedule([0, 1000], [3, 30]),
        }),
      },
    ),
  },
  {
    name: 'capacity ramp after a scale-down',
    scenario: quietScenario(
      'capacity-ramp',
      [quietGroup('g', { stock: 5000, baseMonthlyUptake: 0.2 })],
      {
        horizonMonths: 16,
        programme: {
          cashPerAdult: 800,
          capacityPerMonth: 100,
          rampUpMonths: 4,
          scale: schedule([0, 1], [6, 0], [9, 1], [13, 0.5]),
          fixedAnnualCost: 24000,
          fixedCostScaleExponent: 0.7,
          outreach: { reach: 0.9, annualCost: 6000 },
        },
      },
    ),
  },
  {
    name: 'waiting list with dropout',
    scenario: quietScenario(
      'waiting-list',
      [
        quietGroup('g', {
          stock: 2000,
          inflowPerMonth: 40,
          baseMonthlyUptake: 0.1,
          unassistedReturnMonthly: 0.01,
          abscondMonthly: 0.01,
        }),
      ],
      {
        horizonMonths: 12,
        programme: { capacityPerMonth: schedule([0, 30], [6, 10]), queueDropoutMonthly: 0.15 },
        removal: costedRemoval({ attemptMonthly: 0.02 }),
      },
    ),
  },
  {
    name: 'deadweight',
    scenario: quietScenario(
      'deadweight',
      [
        quietGroup('g', {
          baseMonthlyUptake: 0.04,
          unassistedReturnMonthly: 0.05,
          removability: 0.5,
        }),
      ],
      {
        horizonMonths: 6,
        programme: { cashPerAdult: 500, outreach: { reach: 0.6 } },
        removal: costedRemoval(),
        effects: { ...QUIET_EFFECTS, deadweight: 0.4 },
      },
    ),
  },
  {
    name: 'removability and a group that cannot be removed',
    scenario: quietScenario(
      'removable-split',
      [
        quietGroup('reachable', { removability: 0.3, unassistedReturnMonthly: 0.01 }),
        quietGroup('unreachable', { removable: false, unassistedReturnMonthly: 0.01 }),
      ],
      {
        horizonMonths: 40,
        removal: costedRemoval({ attemptMonthly: 0.3, successProbability: 0.8 }),
      },
    ),
  },
  {
    name: 'counselled cases at entry, the month-0 stock included',
    scenario: quietScenario(
      'counselling-at-entry',
      [
        quietGroup('g', {
          stock: 800,
          inflowPerMonth: 60,
          adultsPerCase: 1.5,
          personsPerCase: 2,
          baseMonthlyUptake: 0.03,
        }),
      ],
      {
        horizonMonths: 6,
        programme: {
          outreach: { reach: 0.7, annualCost: 12000 },
          counselling: {
            setting: 'trusted-actors',
            atFinalDecision: true,
            costPerCounselledCase: 150,
            costPerDepartingCase: 400,
          },
          scale: schedule([0, 1], [3, 0], [4, 1]),
        },
        effects: {
          ...QUIET_EFFECTS,
          counsellingSetting: { 'trusted-actors': 0.5 },
          atFinalDecision: 0.2,
        },
      },
    ),
  },
  {
    name: 'family cash cap',
    scenario: quietScenario(
      'family-cash-cap',
      [
        quietGroup('families', { adultsPerCase: 2, personsPerCase: 5, baseMonthlyUptake: 0.05 }),
        quietGroup('singles', { baseMonthlyUptake: 0.05 }),
      ],
      {
        horizonMonths: 6,
        programme: {
          cashPerAdult: 1500,
          cashPerChild: 600,
          cashCapPerCase: 4000,
          inKindPerCase: 1000,
        },
        effects: { ...QUIET_EFFECTS, packageValue: 0.3, sustainabilityLift: { packageValue: 0.1 } },
      },
    ),
  },
  {
    name: 'a non-EUR currency with valueToReference',
    scenario: quietScenario(
      'sek-value-to-reference',
      [
        quietGroup('g', {
          monthlyStayCostPerPerson: 9000,
          baseMonthlyUptake: 0.04,
          complexShare: 0.2,
        }),
      ],
      {
        currency: 'SEK',
        valueToReference: point(0.087),
        horizonMonths: 6,
        programme: { cashPerAdult: 30000, inKindPerCase: 20000, complexCaseTopUp: 15000 },
        effects: { ...QUIET_EFFECTS, packageValue: 0.25 },
      },
    ),
  },
  { name: 'repeat assistance on', scenario: repeatScenario(true) },
  { name: 'repeat assistance off', scenario: repeatScenario(false) },
  {
    name: 'case management over supportMonths, past a suspension',
    scenario: quietScenario(
      'case-management',
      [quietGroup('g', { baseMonthlyUptake: 0.1, personsPerCase: 1.5, adultsPerCase: 1 })],
      {
        horizonMonths: 10,
        programme: {
          supportMonths: 6,
          caseManagement: { continuous: true, costPerCaseMonth: 80 },
          psychosocialSupport: { enabled: true, costPerCase: 300 },
          preReturnTraining: { share: 0.4, costPerCase: 900 },
          scale: schedule([0, 1], [5, 0]),
        },
        effects: remigrating({
          sustainabilityLift: { psychosocial: 0.1, training: 0.2, caseManagement: 0.15 },
        }),
      },
    ),
  },
  {
    name: 'payers and discounting over three budget years',
    scenario: quietScenario(
      'payers-discounting',
      [quietGroup('g', { inflowPerMonth: 20, baseMonthlyUptake: 0.03, avoidableStayShare: 0.6 })],
      {
        horizonMonths: 30,
        discountRate: 0.035,
        programme: {
          cashPerAdult: 1000,
          communityProgramme: { annualBudget: 60000, localResidentsServedPerYear: 400 },
          fixedAnnualCost: 36000,
        },
        removal: costedRemoval(),
        effects: remigrating({ sustainabilityLift: { community: 0.1 } }),
        payers: {
          interior: ['stay', 'detention', 'escortAndTravel', 'failedAttempts', 'removalAdmin'],
          development: ['community', 'cash'],
        },
      },
    ),
  },
  {
    name: 'removal only, attempts capped across groups',
    scenario: quietScenario(
      'removal-only',
      [
        quietGroup('first', { removability: 0.8, unassistedReturnMonthly: 0.01 }),
        quietGroup('second', { removal: { successProbability: 0.4 }, abscondMonthly: 0.02 }),
      ],
      {
        horizonMonths: 12,
        removal: costedRemoval({ attemptMonthly: 0.05, maxAttemptsPerMonth: 60 }),
        effects: remigrating(),
      },
    ),
  },
  {
    name: 'everything at once',
    scenario: quietScenario(
      'everything-at-once',
      [
        quietGroup('rejected-asylum', {
          stock: point(4000),
          inflowPerMonth: schedule([0, 120], [12, 60], [30, 90]),
          adultsPerCase: 1.3,
          personsPerCase: 1.8,
          removability: 0.65,
          complexShare: 0.2,
          monthlyStayCostPerPerson: 850,
          avoidableStayShare: 0.8,
          baseMonthlyUptake: 0.02,
          unassistedReturnMonthly: 0.01,
          abscondMonthly: 0.012,
        }),
        quietGroup('overstayers', {
          stock: 1500,
          inflowPerMonth: 30,
          removability: 0.4,
          removal: { attemptMonthly: schedule([0, 0.01], [20, 0.03]), successProbability: 0.5 },
          monthlyStayCostPerPerson: 300,
          avoidableStayShare: 0.5,
          baseMonthlyUptake: 0.015,
          unassistedReturnMonthly: 0.02,
          abscondMonthly: 0.005,
        }),
        quietGroup('families', {
          stock: 900,
          adultsPerCase: 2,
          personsPerCase: 4.5,
          removable: false,
          complexShare: 0.35,
          monthlyStayCostPerPerson: 700,
          baseMonthlyUptake: 0.03,
          unassistedReturnMonthly: 0.004,
          abscondMonthly: 0.002,
        }),
      ],
      {
        currency: 'GBP',
        valueToReference: 1.15,
        horizonMonths: 40,
        discountRate: 0.035,
        programme: {
          cashPerAdult: 1500,
          cashPerChild: 500,
          cashCapPerCase: 4000,
          inKindPerCase: 2000,
          complexCaseTopUp: 1500,
          travelPerPerson: 450,
          counselling: {
            setting: 'trusted-actors',
            atFinalDecision: true,
            costPerCounselledCase: 120,
            costPerDepartingCase: 350,
          },
          outreach: { reach: 0.85, annualCost: 90000 },
          preReturnTraining: { share: 0.3, costPerCase: 800 },
          psychosocialSupport: { enabled: true, costPerCase: 400 },
          caseManagement: { continuous: true, costPerCaseMonth: 60 },
          communityProgramme: { annualBudget: 120000, localResidentsServedPerYear: 800 },
          supportMonths: 9,
          capacityPerMonth: schedule([0, 150], [24, 90]),
          scale: schedule([0, 1], [10, 0.4], [16, 0], [20, 1.5]),
          fixedAnnualCost: 300000,
          fixedCostScaleExponent: 0.6,
          rampUpMonths: 5,
          queueDropoutMonthly: 0.1,
          repeatAssistance: true,
        },
        removal: costedRemoval({
          attemptMonthly: schedule([0, 0.03], [18, 0.05]),
          maxAttemptsPerMonth: schedule([0, 120], [24, 80]),
        }),
        effects: {
          packageValue: 0.2,
          counsellingSetting: { neutral: 0.1, 'trusted-actors': 0.4 },
          atFinalDecision: 0.15,
          deadweight: 0.3,
          sustainableAvrr: 0.6,
          sustainableForced: 0.4,
          sustainabilityLift: {
            psychosocial: 0.1,
            training: 0.15,
            caseManagement: 0.15,
            community: 0.05,
            packageValue: 0.05,
          },
          remigrationMonthly: { sustainable: 0.01, notSustainable: 0.04, forcedMultiplier: 1.6 },
          reentryShare: 0.4,
        },
        payers: {
          interior: ['stay', 'detention', 'escortAndTravel', 'failedAttempts', 'removalAdmin'],
          development: ['community', 'cash', 'inKind'],
        },
      },
    ),
  },
]
