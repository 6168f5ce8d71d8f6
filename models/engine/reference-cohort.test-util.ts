/** A plain, deliberately slow reference for one expected-cohort iteration of the v2 contract. */

/*
 * Written from the contract as docs/model.md states it (schemaVersion 2), never from the engine's
 * code, so that the engine can be checked against it. Every Dist must be a point: the reference
 * draws nothing, and in `cohort: "expected"` every flow is its expectation.
 *
 * Readings chosen where the contract is silent (each marked `Reading:` where it is used):
 * - package value, cash per case, uptake and AVRR sustainability are per group, since
 *   adultsPerCase, personsPerCase and complexShare are group fields;
 * - without `programme.counselling` neither the setting nor the at-final-decision premium adds to
 *   uptake, nobody is counselled and both counselling costs are 0;
 * - a month that is not active (scale 0) has capacity 0, so the waiting list does not depart; it
 *   keeps paying stay costs and losing queueDropoutMonthly, which applies in every programme month;
 * - the ramp gives month 0 already K / rampUpMonths (cap_{-1} = 0 taken literally);
 * - the budget by year and the monthly cost series hold the discounted amounts, the ones the cost
 *   metrics sum, so that the years add up to totalCost;
 * - localResidentsServed counts every active month even where the community budget is 0;
 * - `entered` in the conservation ledger counts a re-entrant each time they enter;
 * - rates are -log1p(-p) and event probabilities use -expm1(-L): -ln(1 - p) and 1 - e^-L computed
 *   without cancellation.
 */

type Json = Record<string, unknown>

// the contract's 16 lines in its order, written out rather than imported: the reference shares no
// code with the engine it checks
export const COST_LINES = [
  'stay',
  'counselling',
  'outreach',
  'travel',
  'cash',
  'inKind',
  'complexTopUp',
  'training',
  'psychosocial',
  'caseManagement',
  'community',
  'programmeFixed',
  'detention',
  'escortAndTravel',
  'failedAttempts',
  'removalAdmin',
] as const
export type CostLine = (typeof COST_LINES)[number]

const PROGRAMME_LINES = COST_LINES.slice(
  COST_LINES.indexOf('counselling'),
  COST_LINES.indexOf('detention'),
)
const REMOVAL_LINES = COST_LINES.slice(COST_LINES.indexOf('detention'))

// The raw scenario, read with the defaults of docs/model.md (section 11, choices the contract leaves open)

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const objectAt = (value: unknown, path: string): Json => {
  if (!isObject(value)) throw new Error(`${path}: must be an object`)
  return value
}

/** A Dist the reference can take: a plain number or a point; any other kind would need a draw. */
const pointAt = (spec: unknown, path: string): number => {
  if (typeof spec === 'number' && Number.isFinite(spec)) return spec
  if (isObject(spec) && spec.dist === 'point' && typeof spec.value === 'number') return spec.value
  throw new Error(
    `${path}: the reference takes only point values (a number or { "dist": "point" })`,
  )
}

/** Scale, supportMonths and rampUpMonths are plain numbers in the contract, never Dists. */
const numberAt = (spec: unknown, path: string): number => {
  if (typeof spec === 'number' && Number.isFinite(spec)) return spec
  throw new Error(`${path}: must be a plain number`)
}

type Read = (spec: unknown, path: string) => number

/** obj[key] read with `read`, or `fallback` when absent; with no fallback the field is required. */
const fieldOf = (obj: Json, key: string, path: string, read: Read, fallback?: number): number => {
  const fieldPath = path === '' ? key : `${path}.${key}`
  if (obj[key] === undefined) {
    if (fallback === undefined) throw new Error(`${fieldPath}: required`)
    return fallback
  }
  return read(obj[key], fieldPath)
}

const dist = (obj: Json, key: string, path: string, fallback?: number): number =>
  fieldOf(obj, key, path, pointAt, fallback)

const flag = (obj: Json, key: string, fallback: boolean): boolean =>
  obj[key] === undefined ? fallback : obj[key] === true

const optionalObject = (obj: Json, key: string, path: string): Json | null =>
  obj[key] === undefined || obj[key] === null ? null : objectAt(obj[key], `${path}.${key}`)

/** Schedule<T> as one value per month: the entry with the largest fromMonth <= t. */
const scheduleAt = (spec: unknown, path: string, horizon: number, read: Read): number[] => {
  if (!(isObject(spec) && 'schedule' in spec)) {
    const value = read(spec, path)
    return Array.from({ length: horizon }, () => value)
  }
  const entries = spec.schedule
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new Error(`${path}.schedule: must be a non-empty list`)
  }
  const steps = entries.map((entry, k) => {
    const entryPath = `${path}.schedule[${k}]`
    const step = objectAt(entry, entryPath)
    return {
      fromMonth: numberAt(step.fromMonth, `${entryPath}.fromMonth`),
      value: read(step.value, entryPath),
    }
  })
  steps.forEach((step, k) => {
    const previous = k === 0 ? -1 : steps[k - 1].fromMonth
    const ordered = k === 0 ? step.fromMonth === 0 : step.fromMonth > previous
    if (!ordered || !Number.isInteger(step.fromMonth) || step.fromMonth >= horizon) {
      throw new Error(
        `${path}.schedule[${k}].fromMonth: first 0, then strictly increasing, each < horizonMonths`,
      )
    }
  })
  return Array.from(
    { length: horizon },
    (_, t) => steps.filter((s) => s.fromMonth <= t).at(-1)!.value,
  )
}

const scheduleField = (
  obj: Json,
  key: string,
  path: string,
  horizon: number,
  read: Read,
  fallback?: number,
): number[] => {
  if (obj[key] === undefined) {
    if (fallback === undefined) throw new Error(`${path}.${key}: required`)
    return Array.from({ length: horizon }, () => fallback)
  }
  return scheduleAt(obj[key], `${path}.${key}`, horizon, read)
}

interface Group {
  id: string
  stock: number
  inflow: number[]
  adultsPerCase: number
  personsPerCase: number
  /** removability, or 0 for `removable: false`: the share of entrants that goes to ER / PR. */
  removableShare: number
  attempt: number[]
  successProbability: number
  complexShare: number
  monthlyStayCostPerPerson: number
  avoidableStayShare: number
  baseMonthlyUptake: number
  unassistedReturnMonthly: number
  abscondMonthly: number
}

interface Programme {
  cashPerAdult: number
  cashPerChild: number
  cashCapPerCase: number
  inKindPerCase: number
  complexCaseTopUp: number
  travelPerPerson: number
  counselling: {
    setting: 'enforcement' | 'neutral' | 'trusted-actors'
    atFinalDecision: boolean
    costPerCounselledCase: number
    costPerDepartingCase: number
  } | null
  reach: number
  outreachAnnualCost: number
  training: { share: number; costPerCase: number } | null
  psychosocial: { enabled: boolean; costPerCase: number } | null
  caseManagement: { continuous: boolean; costPerCaseMonth: number } | null
  community: { annualBudget: number; localResidentsServedPerYear: number } | null
  supportMonths: number
  capacityPerMonth: number[]
  scale: number[]
  fixedAnnualCost: number
  fixedCostScaleExponent: number
  rampUpMonths: number
  queueDropoutMonthly: number
  repeatAssistance: boolean
}

interface Removal {
  maxAttemptsPerMonth: number[]
  detentionDaysPerAttempt: number
  detentionCostPerDay: number
  escortAndTravelPerPerson: number
  failedAttemptCost: number
  adminCostPerCase: number
}

interface Effects {
  packageValue: number
  counsellingSetting: Record<'enforcement' | 'neutral' | 'trusted-actors', number>
  atFinalDecision: number
  deadweight: number
  sustainableAvrr: number
  sustainableForced: number
  lift: Record<
    'psychosocial' | 'training' | 'caseManagement' | 'community' | 'packageValue',
    number
  >
  remigrationSustainable: number
  remigrationNotSustainable: number
  forcedMultiplier: number
  reentryShare: number
}

interface Scenario {
  horizonMonths: number
  discountRate: number
  valueToReference: number
  groups: Group[]
  programme: Programme | null
  removal: Removal
  effects: Effects
  payers: Record<string, CostLine[]>
}

const readGroup = (raw: unknown, index: number, horizon: number, removal: Json): Group => {
  const g = objectAt(raw, `groups[${index}]`)
  if (typeof g.id !== 'string') throw new Error(`groups[${index}].id: required`)
  // parameter paths name the group by its id (docs/scenario-format.md)
  const path = `groups[${g.id}]`
  const override = optionalObject(g, 'removal', path) ?? {}
  const removable = flag(g, 'removable', true)
  return {
    id: g.id,
    stock: dist(g, 'stock', path),
    inflow: scheduleField(g, 'inflowPerMonth', path, horizon, pointAt, 0),
    adultsPerCase: dist(g, 'adultsPerCase', path, 1),
    personsPerCase: dist(g, 'personsPerCase', path, 1),
    removableShare: removable ? dist(g, 'removability', path, 1) : 0,
    attempt:
      override.attemptMonthly === undefined
        ? scheduleField(removal, 'attemptMonthly', 'removal', horizon, pointAt)
        : scheduleField(override, 'attemptMonthly', `${path}.removal`, horizon, pointAt),
    successProbability:
      override.successProbability === undefined
        ? dist(removal, 'successProbability', 'removal')
        : dist(override, 'successProbability', `${path}.removal`),
    complexShare: dist(g, 'complexShare', path, 0),
    monthlyStayCostPerPerson: dist(g, 'monthlyStayCostPerPerson', path),
    avoidableStayShare: dist(g, 'avoidableStayShare', path, 1),
    baseMonthlyUptake: dist(g, 'baseMonthlyUptake', path),
    unassistedReturnMonthly: dist(g, 'unassistedReturnMonthly', path),
    abscondMonthly: dist(g, 'abscondMonthly', path),
  }
}

const SETTINGS = ['enforcement', 'neutral', 'trusted-actors'] as const

const readProgramme = (raw: unknown, horizon: number): Programme | null => {
  if (raw === null) return null
  const path = 'programme'
  const p = objectAt(raw, path)
  const counselling = optionalObject(p, 'counselling', path)
  const outreach = optionalObject(p, 'outreach', path)
  const training = optionalObject(p, 'preReturnTraining', path)
  const psychosocial = optionalObject(p, 'psychosocialSupport', path)
  const caseManagement = optionalObject(p, 'caseManagement', path)
  const community = optionalObject(p, 'communityProgramme', path)
  const setting = counselling?.setting
  if (counselling && !SETTINGS.includes(setting as (typeof SETTINGS)[number])) {
    throw new Error(`programme.counselling.setting: one of ${SETTINGS.join(', ')}`)
  }
  const scale = scheduleField(p, 'scale', path, horizon, numberAt, 1)
  if (scale.some((s) => s < 0 || s > 10)) throw new Error('programme.scale: each value in [0, 10]')
  return {
    cashPerAdult: dist(p, 'cashPerAdult', path, 0),
    cashPerChild: dist(p, 'cashPerChild', path, 0),
    cashCapPerCase: dist(p, 'cashCapPerCase', path, Infinity),
    inKindPerCase: dist(p, 'inKindPerCase', path, 0),
    complexCaseTopUp: dist(p, 'complexCaseTopUp', path, 0),
    travelPerPerson: dist(p, 'travelPerPerson', path, 0),
    counselling: counselling && {
      setting: setting as (typeof SETTINGS)[number],
      atFinalDecision: flag(counselling, 'atFinalDecision', false),
      costPerCounselledCase: dist(counselling, 'costPerCounselledCase', `${path}.counselling`, 0),
      costPerDepartingCase: dist(counselling, 'costPerDepartingCase', `${path}.counselling`, 0),
    },
    // absent outreach: everyone is reached, at no cost
    reach: outreach ? dist(outreach, 'reach', `${path}.outreach`) : 1,
    outreachAnnualCost: outreach ? dist(outreach, 'annualCost', `${path}.outreach`, 0) : 0,
    training: training && {
      share: dist(training, 'share', `${path}.preReturnTraining`),
      costPerCase: dist(training, 'costPerCase', `${path}.preReturnTraining`, 0),
    },
    psychosocial: psychosocial && {
      enabled: psychosocial.enabled === true,
      costPerCase: dist(psychosocial, 'costPerCase', `${path}.psychosocialSupport`, 0),
    },
    caseManagement: caseManagement && {
      continuous: caseManagement.continuous === true,
      costPerCaseMonth: dist(caseManagement, 'costPerCaseMonth', `${path}.caseManagement`, 0),
    },
    community: community && {
      annualBudget: dist(community, 'annualBudget', `${path}.communityProgramme`),
      localResidentsServedPerYear: dist(
        community,
        'localResidentsServedPerYear',
        `${path}.communityProgramme`,
        0,
      ),
    },
    supportMonths: fieldOf(p, 'supportMonths', path, numberAt, 12),
    capacityPerMonth: scheduleField(p, 'capacityPerMonth', path, horizon, pointAt, Infinity),
    scale,
    fixedAnnualCost: dist(p, 'fixedAnnualCost', path, 0),
    fixedCostScaleExponent: dist(p, 'fixedCostScaleExponent', path, 1),
    rampUpMonths: fieldOf(p, 'rampUpMonths', path, numberAt, 0),
    queueDropoutMonthly: dist(p, 'queueDropoutMonthly', path, 0),
    repeatAssistance: flag(p, 'repeatAssistance', false),
  }
}

const readEffects = (raw: unknown): Effects => {
  const path = 'effects'
  const e = objectAt(raw, path)
  const setting = optionalObject(e, 'counsellingSetting', path) ?? {}
  const lift = optionalObject(e, 'sustainabilityLift', path) ?? {}
  const remigration = objectAt(e.remigrationMonthly, `${path}.remigrationMonthly`)
  const liftOf = (key: string) => dist(lift, key, `${path}.sustainabilityLift`, 0)
  return {
    packageValue: dist(e, 'packageValue', path, 0),
    counsellingSetting: {
      enforcement: 0,
      neutral: dist(setting, 'neutral', `${path}.counsellingSetting`, 0),
      'trusted-actors': dist(setting, 'trusted-actors', `${path}.counsellingSetting`, 0),
    },
    atFinalDecision: dist(e, 'atFinalDecision', path, 0),
    deadweight: dist(e, 'deadweight', path, 0),
    sustainableAvrr: dist(e, 'sustainableAvrr', path),
    sustainableForced: dist(e, 'sustainableForced', path),
    lift: {
      psychosocial: liftOf('psychosocial'),
      training: liftOf('training'),
      caseManagement: liftOf('caseManagement'),
      community: liftOf('community'),
      packageValue: liftOf('packageValue'),
    },
    remigrationSustainable: dist(remigration, 'sustainable', `${path}.remigrationMonthly`),
    remigrationNotSustainable: dist(remigration, 'notSustainable', `${path}.remigrationMonthly`),
    forcedMultiplier: dist(remigration, 'forcedMultiplier', `${path}.remigrationMonthly`, 1),
    reentryShare: dist(e, 'reentryShare', path, 0),
  }
}

const readPayers = (raw: unknown): Record<string, CostLine[]> => {
  if (raw === undefined) return {}
  const payers = objectAt(raw, 'payers')
  const named = new Set<string>()
  for (const [payer, lines] of Object.entries(payers)) {
    if (payer === 'other') throw new Error('payers.other: reserved for the lines no payer names')
    if (!Array.isArray(lines)) throw new Error(`payers.${payer}: must be a list of cost lines`)
    for (const line of lines) {
      if (!COST_LINES.includes(line)) throw new Error(`payers.${payer}: unknown cost line ${line}`)
      if (named.has(line)) throw new Error(`payers.${payer}: ${line} already has a payer`)
      named.add(line)
    }
  }
  return payers as Record<string, CostLine[]>
}

const readScenario = (raw: unknown): Scenario => {
  const s = objectAt(raw, 'scenario')
  if (s.schemaVersion !== 2) throw new Error('schemaVersion: the reference reads version 2 only')
  if (s.cohort !== 'expected')
    throw new Error('cohort: the reference computes the expected cohort only')
  const horizonMonths = numberAt(s.horizonMonths, 'horizonMonths')
  if (!Number.isInteger(horizonMonths) || horizonMonths < 1 || horizonMonths > 120) {
    throw new Error('horizonMonths: an integer in 1..120')
  }
  if (s.currency !== 'EUR' && s.valueToReference === undefined) {
    throw new Error('valueToReference: required unless currency is EUR')
  }
  if (!Array.isArray(s.groups) || s.groups.length === 0) throw new Error('groups: at least one')
  const removal = objectAt(s.removal, 'removal')
  const path = 'removal'
  return {
    horizonMonths,
    discountRate: dist(s, 'discountRate', '', 0),
    valueToReference: dist(s, 'valueToReference', '', 1),
    groups: s.groups.map((g, i) => readGroup(g, i, horizonMonths, removal)),
    programme: readProgramme(s.programme, horizonMonths),
    removal: {
      maxAttemptsPerMonth: scheduleField(
        removal,
        'maxAttemptsPerMonth',
        path,
        horizonMonths,
        pointAt,
        Infinity,
      ),
      detentionDaysPerAttempt: dist(removal, 'detentionDaysPerAttempt', path, 0),
      detentionCostPerDay: dist(removal, 'detentionCostPerDay', path, 0),
      escortAndTravelPerPerson: dist(removal, 'escortAndTravelPerPerson', path, 0),
      failedAttemptCost: dist(removal, 'failedAttemptCost', path, 0),
      adminCostPerCase: dist(removal, 'adminCostPerCase', path, 0),
    },
    effects: readEffects(s.effects),
    payers: readPayers(s.payers),
  }
}

// What the package is worth to each group (docs/model.md)

const logit = (p: number): number => Math.log(p / (1 - p))
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))

interface Package {
  cashCase: number
  inKindPerCase: number
  complexTopUpPerCase: number
  /** reach x sigmoid(...): the monthly uptake probability in an active month. */
  uptake: number
  sustainableAvrr: number
}

// Reading: per group, as adultsPerCase, personsPerCase and complexShare are group fields
const packageOf = (scenario: Scenario, group: Group): Package => {
  const { programme: p, effects } = scenario
  if (p === null) {
    return { cashCase: 0, inKindPerCase: 0, complexTopUpPerCase: 0, uptake: 0, sustainableAvrr: 0 }
  }
  const children = Math.max(0, group.personsPerCase - group.adultsPerCase)
  const cashCase = Math.min(
    p.cashCapPerCase,
    p.cashPerAdult * group.adultsPerCase + p.cashPerChild * children,
  )
  const complexTopUpPerCase = group.complexShare * p.complexCaseTopUp
  const valueRef = (cashCase + p.inKindPerCase + complexTopUpPerCase) * scenario.valueToReference
  const logValue = Math.log(1 + valueRef / 1000)
  // Reading: no counselling block, no setting effect and no at-final-decision premium
  const settingEffect = p.counselling ? effects.counsellingSetting[p.counselling.setting] : 0
  const finalDecision = p.counselling?.atFinalDecision ? effects.atFinalDecision : 0
  const uptake =
    p.reach *
    sigmoid(
      logit(group.baseMonthlyUptake) +
        effects.packageValue * logValue +
        settingEffect +
        finalDecision,
    )
  const lift = effects.lift
  const sustainableAvrr = sigmoid(
    logit(effects.sustainableAvrr) +
      (p.psychosocial?.enabled ? lift.psychosocial : 0) +
      (p.training ? lift.training * p.training.share : 0) +
      (p.caseManagement?.continuous ? lift.caseManagement : 0) +
      (p.community && p.community.annualBudget > 0 ? lift.community : 0) +
      lift.packageValue * logValue,
  )
  return { cashCase, inKindPerCase: p.inKindPerCase, complexTopUpPerCase, uptake, sustainableAvrr }
}

// Capacity (docs/model.md)

const isActive = (programme: Programme | null, t: number): boolean =>
  programme !== null && programme.scale[t] > 0

/** cap_t = min(K_t, cap_{t-1} + K_t / ramp), cap_{-1} = 0; K_t = capacity x scale (inactive: 0). */
const effectiveCapacity = (programme: Programme | null, horizon: number): number[] => {
  const capacity: number[] = []
  let previous = 0
  for (let t = 0; t < horizon; t++) {
    const target = isActive(programme, t) ? programme!.capacityPerMonth[t] * programme!.scale[t] : 0
    // Reading: cap_{-1} = 0 gives month 0 already K / rampUpMonths
    const ramped =
      programme === null || programme.rampUpMonths === 0 || target === Infinity
        ? target
        : Math.min(target, previous + target / programme.rampUpMonths)
    capacity.push(ramped)
    previous = ramped
  }
  return capacity
}

// The state of a group and what happens to it in a month

interface GroupState {
  ER: number
  EN: number
  PR: number
  PN: number
  QER: number
  QEN: number
  QPR: number
  QPN: number
  AS: number
  AN: number
  FS: number
  FN: number
  /** last month's re-migrants who come back this month, after a forced / an assisted return */
  reentrantsForced: number
  reentrantsAssisted: number
}

type PeoplePool = 'ER' | 'EN' | 'PR' | 'PN'
type Queue = 'QER' | 'QEN' | 'QPR' | 'QPN'

/** The four pools of step 4, each with its waiting list and whether removal reaches it. */
const PEOPLE_POOLS: { pool: PeoplePool; queue: Queue; removable: boolean; repeater: boolean }[] = [
  { pool: 'ER', queue: 'QER', removable: true, repeater: false },
  { pool: 'EN', queue: 'QEN', removable: false, repeater: false },
  { pool: 'PR', queue: 'QPR', removable: true, repeater: true },
  { pool: 'PN', queue: 'QPN', removable: false, repeater: true },
]

const emptyState = (): GroupState => ({
  ER: 0,
  EN: 0,
  PR: 0,
  PN: 0,
  QER: 0,
  QEN: 0,
  QPR: 0,
  QPN: 0,
  AS: 0,
  AN: 0,
  FS: 0,
  FN: 0,
  reentrantsForced: 0,
  reentrantsAssisted: 0,
})

const waitingOf = (s: GroupState): number => s.QER + s.QEN + s.QPR + s.QPN
const inCountryOf = (s: GroupState): number => s.ER + s.EN + s.PR + s.PN + waitingOf(s)

/** One group's flows in one month: what the steps produce and the costs are booked from. */
interface MonthFlows {
  entered: number
  counselledCases: number
  personMonths: number
  assisted: number
  repeatAssisted: number
  attempts: number
  removed: number
  unassisted: number
  absconded: number
  remigrations: number
  sustainable: number
  /** this month's applicants beyond capacity: they join the waiting lists after step 5 */
  arrivals: Record<Queue, number>
}

const emptyFlows = (): MonthFlows => ({
  entered: 0,
  counselledCases: 0,
  personMonths: 0,
  assisted: 0,
  repeatAssisted: 0,
  attempts: 0,
  removed: 0,
  unassisted: 0,
  absconded: 0,
  remigrations: 0,
  sustainable: 0,
  arrivals: { QER: 0, QEN: 0, QPR: 0, QPN: 0 },
})

interface Month {
  t: number
  active: boolean
}

/** Step 1: the stock (t = 0), the inflow and last month's re-migrants who come back. */
const enterEntrants = (
  scenario: Scenario,
  group: Group,
  state: GroupState,
  flows: MonthFlows,
  month: Month,
): void => {
  const eligible =
    (month.t === 0 ? group.stock : 0) + group.inflow[month.t] + state.reentrantsForced
  const assistedBefore = state.reentrantsAssisted
  state.ER += eligible * group.removableShare
  state.EN += eligible * (1 - group.removableShare)
  state.PR += assistedBefore * group.removableShare
  state.PN += assistedBefore * (1 - group.removableShare)
  state.reentrantsForced = 0
  state.reentrantsAssisted = 0
  flows.entered = eligible + assistedBefore
  const p = scenario.programme
  if (p?.counselling && month.active) {
    const counselled = eligible + (p.repeatAssistance ? assistedBefore : 0)
    flows.counselledCases = (p.reach * counselled) / group.personsPerCase
  }
}

/** Step 2: everyone in the country this month, waiting list included. */
const stay = (state: GroupState, flows: MonthFlows): void => {
  flows.personMonths = inCountryOf(state)
}

/** Step 3: each group's waiting list, in file order, departs up to the capacity left. */
const departWaitingLists = (
  states: GroupState[],
  flows: MonthFlows[],
  capacity: number,
): number => {
  let capacityLeft = capacity
  states.forEach((state, g) => {
    const waiting = waitingOf(state)
    const departing = Math.min(waiting, capacityLeft)
    capacityLeft -= departing
    const share = waiting > 0 ? departing / waiting : 0
    const fromRepeaters = (state.QPR + state.QPN) * share
    state.QER -= state.QER * share
    state.QEN -= state.QEN * share
    state.QPR -= state.QPR * share
    state.QPN -= state.QPN * share
    flows[g].assisted += departing
    flows[g].repeatAssisted += fromRepeaters
  })
  return capacityLeft
}

/** -ln(1 - p), p capped at 1 - 1e-15 so that a certain event keeps a finite rate. */
// Reading: log1p here and expm1 below, -ln(1 - p) and 1 - e^-L without cancellation
const rateOf = (p: number): number => -Math.log1p(-Math.min(p, 1 - 1e-15))

interface Risks {
  uptake: number
  attempt: number
  unassisted: number
  abscond: number
}

/** The monthly rates of one pool; deadweight moves part of the unassisted rate to uptake. */
const poolRates = (
  scenario: Scenario,
  group: Group,
  pkg: Package,
  pool: (typeof PEOPLE_POOLS)[number],
  month: Month,
): Risks => {
  const p = scenario.programme
  const eligible = month.active && (!pool.repeater || p!.repeatAssistance)
  const unassisted = rateOf(group.unassistedReturnMonthly)
  const moved = eligible ? p!.reach * scenario.effects.deadweight : 0
  return {
    uptake: eligible ? rateOf(pkg.uptake) + moved * unassisted : 0,
    attempt: pool.removable ? rateOf(group.attempt[month.t]) : 0,
    unassisted: (1 - moved) * unassisted,
    abscond: rateOf(group.abscondMonthly),
  }
}

/** Competing risks: event k happens with probability (r_k / L)(1 - e^-L). */
const eventProbabilities = (rates: Risks): Risks => {
  const total = rates.uptake + rates.attempt + rates.unassisted + rates.abscond
  if (total === 0) return { uptake: 0, attempt: 0, unassisted: 0, abscond: 0 }
  const happens = -Math.expm1(-total)
  return {
    uptake: (rates.uptake / total) * happens,
    attempt: (rates.attempt / total) * happens,
    unassisted: (rates.unassisted / total) * happens,
    abscond: (rates.abscond / total) * happens,
  }
}

/**
 * Step 4 for one group: applicants take the capacity left, the rest queue; attempts happen up to
 * the attempts left and succeed with the group's success probability; departures and absconders
 * leave.
 */
const competingRisks = (
  scenario: Scenario,
  group: Group,
  pkg: Package,
  state: GroupState,
  flows: MonthFlows,
  month: Month,
  left: { capacity: number; attempts: number },
): void => {
  const events = PEOPLE_POOLS.map((pool) => {
    const people = state[pool.pool]
    const probability = eventProbabilities(poolRates(scenario, group, pkg, pool, month))
    return {
      ...pool,
      applicants: people * probability.uptake,
      wantedAttempts: people * probability.attempt,
      unassisted: people * probability.unassisted,
      absconders: people * probability.abscond,
    }
  })
  const applicants = events.reduce((sum, e) => sum + e.applicants, 0)
  const served = Math.min(applicants, left.capacity)
  left.capacity -= served
  const servedShare = applicants > 0 ? served / applicants : 0
  const wantedAttempts = events.reduce((sum, e) => sum + e.wantedAttempts, 0)
  const attempts = Math.min(wantedAttempts, left.attempts)
  left.attempts -= attempts
  const happeningShare = wantedAttempts > 0 ? attempts / wantedAttempts : 0
  for (const e of events) {
    const servedHere = e.applicants * servedShare
    const attemptsHere = e.wantedAttempts * happeningShare
    const removedHere = attemptsHere * group.successProbability
    // an attempt that does not happen, or fails, leaves the person where they were
    state[e.pool] -= e.applicants + removedHere + e.unassisted + e.absconders
    flows.arrivals[e.queue] += e.applicants - servedHere
    flows.assisted += servedHere
    if (e.repeater) flows.repeatAssisted += servedHere
    flows.attempts += attemptsHere
    flows.removed += removedHere
    flows.unassisted += e.unassisted
    flows.absconded += e.absconders
  }
}

const QUEUE_ORIGIN: Record<Queue, PeoplePool> = { QER: 'ER', QEN: 'EN', QPR: 'PR', QPN: 'PN' }

/** Step 5: those waiting since before this month may give up; then this month's applicants join. */
const queueDropout = (scenario: Scenario, state: GroupState, flows: MonthFlows): void => {
  // Reading: in a suspended month too, when the list cannot depart
  const dropout = scenario.programme?.queueDropoutMonthly ?? 0
  for (const queue of Object.keys(QUEUE_ORIGIN) as Queue[]) {
    const givingUp = state[queue] * dropout
    state[queue] -= givingUp
    state[QUEUE_ORIGIN[queue]] += givingUp
    state[queue] += flows.arrivals[queue]
  }
}

/**
 * Step 6: earlier returnees re-migrate (reentryShare of them come back next month); then this
 * month's returns join the returnee pools, so nobody re-migrates in the month of return.
 */
const remigrate = (
  scenario: Scenario,
  pkg: Package,
  state: GroupState,
  flows: MonthFlows,
): void => {
  const e = scenario.effects
  const leavingAS = state.AS * e.remigrationSustainable
  const leavingAN = state.AN * e.remigrationNotSustainable
  const leavingFS = state.FS * Math.min(1, e.remigrationSustainable * e.forcedMultiplier)
  const leavingFN = state.FN * Math.min(1, e.remigrationNotSustainable * e.forcedMultiplier)
  state.AS -= leavingAS
  state.AN -= leavingAN
  state.FS -= leavingFS
  state.FN -= leavingFN
  state.reentrantsAssisted = (leavingAS + leavingAN) * e.reentryShare
  state.reentrantsForced = (leavingFS + leavingFN) * e.reentryShare
  flows.remigrations = leavingAS + leavingAN + leavingFS + leavingFN
  const sustainableAssisted = flows.assisted * pkg.sustainableAvrr
  const sustainableForced = flows.removed * e.sustainableForced
  state.AS += sustainableAssisted
  state.AN += flows.assisted - sustainableAssisted
  state.FS += sustainableForced
  state.FN += flows.removed - sustainableForced
  flows.sustainable = sustainableAssisted + sustainableForced
}

// Costs (docs/model.md): every amount discounted to month 0 where it is booked

type Book = (t: number, line: CostLine, amount: number) => void

/** One group's costs of month t from the month's flows; case management books into later months. */
const bookGroupMonth = (
  scenario: Scenario,
  group: Group,
  pkg: Package,
  flows: MonthFlows,
  t: number,
  book: Book,
): void => {
  book(t, 'stay', flows.personMonths * group.monthlyStayCostPerPerson * group.avoidableStayShare)
  const p = scenario.programme
  if (p !== null) {
    const cases = flows.assisted / group.personsPerCase
    const counselling = p.counselling
    if (counselling) {
      book(t, 'counselling', flows.counselledCases * counselling.costPerCounselledCase)
      book(t, 'counselling', cases * counselling.costPerDepartingCase)
    }
    book(t, 'travel', flows.assisted * p.travelPerPerson)
    book(t, 'cash', cases * pkg.cashCase)
    book(t, 'inKind', cases * pkg.inKindPerCase)
    book(t, 'complexTopUp', cases * pkg.complexTopUpPerCase)
    if (p.training) book(t, 'training', cases * p.training.share * p.training.costPerCase)
    if (p.psychosocial?.enabled) book(t, 'psychosocial', cases * p.psychosocial.costPerCase)
    // booked whether or not `continuous`, and also in months when the programme is suspended
    const caseMonth = p.caseManagement?.costPerCaseMonth ?? 0
    for (let k = 1; k <= p.supportMonths && t + k < scenario.horizonMonths; k++) {
      book(t + k, 'caseManagement', cases * caseMonth)
    }
  }
  const r = scenario.removal
  book(t, 'detention', flows.attempts * r.detentionDaysPerAttempt * r.detentionCostPerDay)
  book(t, 'failedAttempts', flows.attempts * (1 - group.successProbability) * r.failedAttemptCost)
  book(t, 'escortAndTravel', flows.removed * r.escortAndTravelPerPerson)
  book(t, 'removalAdmin', (flows.removed * r.adminCostPerCase) / group.personsPerCase)
}

/** The programme's running costs of an active month. */
const bookProgrammeMonth = (scenario: Scenario, month: Month, book: Book): void => {
  const p = scenario.programme
  if (p === null || !month.active) return
  const s = p.scale[month.t]
  book(month.t, 'outreach', p.outreachAnnualCost / 12)
  book(month.t, 'community', (p.community?.annualBudget ?? 0) / 12)
  book(month.t, 'programmeFixed', (p.fixedAnnualCost * s ** p.fixedCostScaleExponent) / 12)
}

// The iteration

/** Cumulative to a month's end: everyone who entered is in the country, returned or absconded. */
export interface ConservationRow {
  entered: number
  inCountry: number
  returnsAssisted: number
  returnsForced: number
  returnsUnassisted: number
  absconded: number
}

export type PoolsAtHorizon = Omit<GroupState, 'reentrantsForced' | 'reentrantsAssisted'>

export interface GroupPools {
  id: string
  atHorizon: PoolsAtHorizon
  /** one row per month */
  ledger: ConservationRow[]
}

export interface BudgetYear {
  lines: Record<string, number>
  payers: Record<string, number>
  total: number
}

export interface ReferenceIteration {
  metrics: Record<string, number>
  budgetByYear: BudgetYear[]
  monthly: {
    eligible: number[]
    returnsAssisted: number[]
    returnsForced: number[]
    returnsUnassisted: number[]
    waiting: number[]
    cost: number[]
  }
  pools: GroupPools[]
}

/** The ledger at the end of a month: last month's row plus this month's flows. */
const ledgerRow = (
  previous: ConservationRow | undefined,
  flows: MonthFlows,
  state: GroupState,
): ConservationRow => ({
  // Reading: a re-entrant counts each time they enter
  entered: (previous?.entered ?? 0) + flows.entered,
  inCountry: inCountryOf(state),
  returnsAssisted: (previous?.returnsAssisted ?? 0) + flows.assisted,
  returnsForced: (previous?.returnsForced ?? 0) + flows.removed,
  returnsUnassisted: (previous?.returnsUnassisted ?? 0) + flows.unassisted,
  absconded: (previous?.absconded ?? 0) + flows.absconded,
})

const sumOf = (values: number[]): number => values.reduce((sum, v) => sum + v, 0)
const ratio = (numerator: number, denominator: number): number =>
  denominator === 0 ? NaN : numerator / denominator

const zeroLines = (): Record<CostLine, number> =>
  Object.fromEntries(COST_LINES.map((line) => [line, 0])) as Record<CostLine, number>

const budgetByYear = (scenario: Scenario, booked: Record<CostLine, number>[]): BudgetYear[] => {
  const years = Math.ceil(scenario.horizonMonths / 12)
  return Array.from({ length: years }, (_, y) => {
    const lines = zeroLines()
    booked.slice(12 * y, 12 * (y + 1)).forEach((month) => {
      for (const line of COST_LINES) lines[line] += month[line]
    })
    const payers: Record<string, number> = {}
    const named = new Set<CostLine>()
    for (const [payer, payerLines] of Object.entries(scenario.payers)) {
      payers[payer] = sumOf(payerLines.map((line) => lines[line]))
      payerLines.forEach((line) => named.add(line))
    }
    payers.other = sumOf(COST_LINES.filter((line) => !named.has(line)).map((line) => lines[line]))
    return { lines, payers, total: sumOf(COST_LINES.map((line) => lines[line])) }
  })
}

/** One expected-cohort iteration of a v2 scenario whose every Dist is a point. */
export const referenceIteration = (input: unknown): ReferenceIteration => {
  const scenario = readScenario(input)
  const { groups, horizonMonths: H, programme } = scenario
  const packages = groups.map((g) => packageOf(scenario, g))
  const capacity = effectiveCapacity(programme, H)
  const states = groups.map(emptyState)
  const booked = Array.from({ length: H }, zeroLines)
  // Reading: the budget and the monthly series hold these discounted amounts too
  const book: Book = (t, line, amount) => {
    booked[t][line] += amount * (1 + scenario.discountRate) ** (-t / 12)
  }
  const history: MonthFlows[][] = []
  const waiting: number[] = []
  const eligible: number[] = []
  const ledgers: ConservationRow[][] = groups.map(() => [])
  // A_{<t}: everyone who absconded before month t, all groups, counted in each later month's stay
  let abscondedBefore = 0
  let irregularStayPersonMonths = 0
  let activeMonths = 0

  for (let t = 0; t < H; t++) {
    const month: Month = { t, active: isActive(programme, t) }
    const flows = groups.map(emptyFlows)
    groups.forEach((g, i) => enterEntrants(scenario, g, states[i], flows[i], month))
    groups.forEach((_, i) => stay(states[i], flows[i]))
    const left = {
      capacity: departWaitingLists(states, flows, capacity[t]),
      attempts: scenario.removal.maxAttemptsPerMonth[t],
    }
    groups.forEach((g, i) =>
      competingRisks(scenario, g, packages[i], states[i], flows[i], month, left),
    )
    groups.forEach((_, i) => queueDropout(scenario, states[i], flows[i]))
    groups.forEach((_, i) => remigrate(scenario, packages[i], states[i], flows[i]))

    groups.forEach((g, i) => bookGroupMonth(scenario, g, packages[i], flows[i], t, book))
    bookProgrammeMonth(scenario, month, book)
    if (month.active) activeMonths++
    eligible.push(sumOf(flows.map((f) => f.personMonths)))
    waiting.push(sumOf(states.map(waitingOf)))
    irregularStayPersonMonths += eligible[t] + abscondedBefore
    abscondedBefore += sumOf(flows.map((f) => f.absconded))
    groups.forEach((_, i) => ledgers[i].push(ledgerRow(ledgers[i].at(-1), flows[i], states[i])))
    history.push(flows)
  }

  const perMonth = (pick: (f: MonthFlows) => number): number[] =>
    history.map((flows) => sumOf(flows.map(pick)))
  const total = (pick: (f: MonthFlows) => number): number => sumOf(perMonth(pick))
  const lineTotals = zeroLines()
  booked.forEach((month) => COST_LINES.forEach((line) => (lineTotals[line] += month[line])))
  const returnsAssisted = total((f) => f.assisted)
  const returnsForced = total((f) => f.removed)
  const returnsUnassisted = total((f) => f.unassisted)
  const returnsTotal = returnsAssisted + returnsForced + returnsUnassisted
  const sustainableReintegrations = total((f) => f.sustainable)
  const totalCost = sumOf(COST_LINES.map((line) => lineTotals[line]))
  const programmeCost = sumOf(PROGRAMME_LINES.map((line) => lineTotals[line]))
  const removalCost = sumOf(REMOVAL_LINES.map((line) => lineTotals[line]))
  const queuePersonMonths = sumOf(waiting)
  // Reading: every active month counts, whatever the community budget
  const residentsPerYear = programme?.community?.localResidentsServedPerYear ?? 0

  const metrics: Record<string, number> = {
    returnsAssisted,
    returnsForced,
    returnsUnassisted,
    returnsTotal,
    repeatAssistedReturns: total((f) => f.repeatAssisted),
    sustainableReintegrations,
    sustainableAtHorizon: sumOf(states.map((s) => s.AS + s.FS)),
    remigrations: total((f) => f.remigrations),
    irregularStayPersonMonths,
    eligibleAtHorizon: sumOf(states.map(inCountryOf)),
    waitingAtHorizon: sumOf(states.map(waitingOf)),
    absconded: total((f) => f.absconded),
    waitingListPeak: Math.max(...waiting),
    queuePersonMonths,
    meanWaitMonths: ratio(queuePersonMonths, returnsAssisted),
    counselledCases: total((f) => f.counselledCases),
    totalCost,
    programmeCost,
    removalCost,
    ...Object.fromEntries(COST_LINES.map((line) => [`cost.${line}`, lineTotals[line]])),
    costPerReturn: ratio(totalCost, returnsTotal),
    costPerAssistedReturn: ratio(programmeCost, returnsAssisted),
    costPerForcedReturn: ratio(removalCost, returnsForced),
    costPerSustainableReintegration: ratio(totalCost, sustainableReintegrations),
    shareAssisted: ratio(returnsAssisted, returnsTotal),
    localResidentsServed: (residentsPerYear * activeMonths) / 12,
  }

  return {
    metrics,
    budgetByYear: budgetByYear(scenario, booked),
    monthly: {
      eligible,
      returnsAssisted: perMonth((f) => f.assisted),
      returnsForced: perMonth((f) => f.removed),
      returnsUnassisted: perMonth((f) => f.unassisted),
      waiting,
      cost: booked.map((month) => sumOf(COST_LINES.map((line) => month[line]))),
    },
    pools: groups.map((g, i) => {
      const { reentrantsForced: _f, reentrantsAssisted: _a, ...atHorizon } = states[i]
      return { id: g.id, atHorizon, ledger: ledgers[i] }
    }),
  }
}
