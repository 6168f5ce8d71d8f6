/**
 * Every assumption of a scenario (docs/model.md) as the page shows it: grouped as in the model (scenario,
 * groups, programme, removal, effects), each with its label, kind, domain and what the model uses when it is absent.
 */
import type { DomainName } from './dists'

export type FieldKind = 'dist' | 'bool' | 'choice' | 'int' | 'number' | 'text' | 'textarea'
export type Unit = 'money' | 'people' | 'share' | 'coefficient' | 'ratio' | 'months' | 'text'

export interface FieldSpec {
  /** Path inside the section's owner, dotted: 'counselling.costPerDepartingCase'. */
  key: string
  label: string
  kind: FieldKind
  help?: string
  unit?: Unit
  domain?: DomainName
  optional?: boolean
  /** What the model uses when the field is absent. */
  fallback?: number | boolean | string
  /** What absence means where it is not simply the fallback value ("no limit"). */
  absent?: string
  /** The first value offered when a person sets an absent field (else the fallback). */
  start?: number
  options?: readonly string[]
  min?: number
  max?: number
}

export type SectionId = 'scenario' | 'groups' | 'programme' | 'removal' | 'effects'

export interface SectionSpec {
  id: SectionId
  title: string
  intro: string
  fields: FieldSpec[]
}

const dist = (key: string, label: string, unit: Unit, domain: DomainName, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  key,
  label,
  kind: 'dist',
  unit,
  domain,
  ...extra,
})
const optional = (fallback: number, extra: Partial<FieldSpec> = {}): Partial<FieldSpec> => ({
  optional: true,
  fallback,
  ...extra,
})
/** An optional whole number of months, 0 to 120. */
const months = (fallback: number) => ({ min: 0, max: 120, optional: true, fallback }) as const

export const SCENARIO_FIELDS: FieldSpec[] = [
  { key: 'title', label: 'Title', kind: 'text', unit: 'text', max: 200 },
  { key: 'description', label: 'Description', kind: 'textarea', unit: 'text', optional: true, max: 5000 },
  { key: 'currency', label: 'Currency (ISO 4217 code)', kind: 'text', unit: 'text', max: 3 },
  dist(
    'valueToReference',
    'Value of one unit of the currency in EUR at 2020 prices (PPP)',
    'ratio',
    'nonNegative',
    optional(1, { help: 'the package effect reads package values in these units; required unless the currency is EUR' }),
  ),
  { key: 'horizonMonths', label: 'Horizon', kind: 'int', unit: 'months', min: 1, max: 120, help: 'months followed, 1 to 120' },
  {
    key: 'discountRate',
    label: 'Discount rate',
    kind: 'number',
    unit: 'share',
    min: 0,
    max: 1,
    optional: true,
    fallback: 0,
    help: 'annual, applied monthly to costs',
  },
  {
    key: 'cohort',
    label: 'Cohort',
    kind: 'choice',
    options: ['stochastic', 'expected'],
    help: 'stochastic: whole people drawn each month; expected: expected values',
  },
]

export const GROUP_FIELDS: FieldSpec[] = [
  { key: 'label', label: 'Name of the group', kind: 'text', unit: 'text', max: 200 },
  dist('stock', 'People eligible at month 0', 'people', 'nonNegative'),
  dist('inflowPerMonth', 'New people eligible each month', 'people', 'nonNegative', optional(0)),
  dist('adultsPerCase', 'Adults per case (household)', 'ratio', 'nonNegative', optional(1)),
  dist('personsPerCase', 'Persons per case (household)', 'ratio', 'atLeastOne', optional(1)),
  { key: 'removable', label: 'Removal possible for this group', kind: 'bool', optional: true, fallback: true },
  dist('removability', 'Share of the group whom removal can reach at all', 'share', 'probability', optional(1)),
  dist('removal.attemptMonthly', 'This group: monthly probability of a removal attempt', 'share', 'probability', {
    optional: true,
    absent: "the scenario's removal attempt probability",
    start: 0.02,
  }),
  dist('removal.successProbability', 'This group: success of an attempt', 'share', 'probability', {
    optional: true,
    absent: "the scenario's success probability",
    start: 0.7,
  }),
  dist('complexShare', 'Share of cases with complex needs', 'share', 'probability', optional(0)),
  dist('monthlyStayCostPerPerson', 'Public cost of one person-month in the country', 'money', 'nonNegative'),
  dist('avoidableStayShare', 'Share of that cost that ends when a person leaves', 'share', 'probability', optional(1)),
  dist('baseMonthlyUptake', 'Monthly assisted-return uptake with the reference programme', 'share', 'probability'),
  dist('unassistedReturnMonthly', 'Monthly probability of leaving without assistance', 'share', 'probability'),
  dist('abscondMonthly', 'Monthly probability of losing contact', 'share', 'probability'),
]

export const COUNSELLING_SETTINGS = ['enforcement', 'neutral', 'trusted-actors'] as const
export const SETTING_LABELS: Record<string, string> = {
  enforcement: 'Enforcement authority',
  neutral: 'Neutral (outside enforcement)',
  'trusted-actors': 'Trusted community actors',
}

export const PROGRAMME_FIELDS: FieldSpec[] = [
  dist('cashPerAdult', 'Cash per adult', 'money', 'nonNegative', optional(0)),
  dist('cashPerChild', 'Cash per child', 'money', 'nonNegative', optional(0)),
  dist('cashCapPerCase', 'Most cash per case (family cap)', 'money', 'nonNegative', optional(0, { absent: 'no cap', start: 4_000 })),
  dist('inKindPerCase', 'In-kind reintegration support per case', 'money', 'nonNegative', optional(0)),
  dist('complexCaseTopUp', 'Top-up per complex case', 'money', 'nonNegative', optional(0)),
  dist('travelPerPerson', 'Travel per person', 'money', 'nonNegative', optional(0)),
  {
    key: 'counselling.setting',
    label: 'Counselling setting',
    kind: 'choice',
    options: COUNSELLING_SETTINGS,
    optional: true,
    fallback: 'enforcement',
  },
  { key: 'counselling.atFinalDecision', label: 'Offer made at the final decision', kind: 'bool', optional: true, fallback: false },
  dist('counselling.costPerCounselledCase', 'Counselling cost per case counselled (at entry)', 'money', 'nonNegative', optional(0)),
  dist('counselling.costPerDepartingCase', 'Counselling cost per case that departs', 'money', 'nonNegative', optional(0)),
  dist('outreach.reach', 'Outreach: share of eligible people who know the offer', 'share', 'probability', optional(1)),
  dist('outreach.annualCost', 'Outreach cost per year', 'money', 'nonNegative', optional(0)),
  dist('preReturnTraining.share', 'Share of cases with pre-return training', 'share', 'probability', optional(0)),
  dist('preReturnTraining.costPerCase', 'Training cost per case', 'money', 'nonNegative', optional(0)),
  { key: 'psychosocialSupport.enabled', label: 'Psychosocial support offered', kind: 'bool', optional: true, fallback: false },
  dist('psychosocialSupport.costPerCase', 'Psychosocial support cost per case', 'money', 'nonNegative', optional(0)),
  {
    key: 'caseManagement.continuous',
    label: 'Continuous case management after return',
    kind: 'bool',
    optional: true,
    fallback: false,
  },
  dist('caseManagement.costPerCaseMonth', 'Case management cost per case-month', 'money', 'nonNegative', optional(0)),
  dist(
    'communityProgramme.annualBudget',
    'Community programme budget per year',
    'money',
    'nonNegative',
    optional(0, { absent: 'no community programme', start: 1_000_000 }),
  ),
  dist('communityProgramme.localResidentsServedPerYear', 'Local residents served per year', 'people', 'nonNegative', optional(0)),
  { key: 'supportMonths', label: 'Months of support after return', kind: 'int', unit: 'months', ...months(12) },
  dist(
    'capacityPerMonth',
    'Assisted departures the programme can handle a month (at scale 1)',
    'people',
    'nonNegative',
    optional(0, { absent: 'no limit', start: 1_000 }),
  ),
  {
    key: 'scale',
    label: 'Scale of the programme',
    kind: 'number',
    unit: 'ratio',
    min: 0,
    max: 10,
    optional: true,
    fallback: 1,
    help: '0 to 10: multiplies capacity and drives the fixed cost; 0 suspends the programme',
  },
  dist('fixedAnnualCost', 'Fixed cost per year (at scale 1)', 'money', 'nonNegative', optional(0)),
  dist('fixedCostScaleExponent', 'How fixed cost grows with scale (exponent)', 'ratio', 'exponent', optional(1)),
  { key: 'rampUpMonths', label: 'Months to reach full capacity', kind: 'int', unit: 'months', ...months(0) },
  dist('queueDropoutMonthly', 'Monthly probability that a person on the waiting list gives up', 'share', 'probability', optional(0)),
  {
    key: 'repeatAssistance',
    label: 'People who come back after an assisted return may take the package again',
    kind: 'bool',
    optional: true,
    fallback: false,
  },
]

export const REMOVAL_FIELDS: FieldSpec[] = [
  dist('attemptMonthly', 'Monthly probability of a removal attempt', 'share', 'probability'),
  dist(
    'maxAttemptsPerMonth',
    'Removal attempts possible a month',
    'people',
    'nonNegative',
    optional(0, { absent: 'no limit', start: 1_000 }),
  ),
  dist('successProbability', 'Success of an attempt', 'share', 'probability'),
  dist('detentionDaysPerAttempt', 'Detention days per attempt', 'ratio', 'nonNegative', optional(0)),
  dist('detentionCostPerDay', 'Detention cost per day', 'money', 'nonNegative', optional(0)),
  dist('escortAndTravelPerPerson', 'Escort and travel per person removed', 'money', 'nonNegative', optional(0)),
  dist('failedAttemptCost', 'Cost of a failed attempt', 'money', 'nonNegative', optional(0)),
  dist('adminCostPerCase', 'Casework per case removed', 'money', 'nonNegative', optional(0)),
]

const coefficient = (key: string, label: string) =>
  dist(key, label, 'coefficient', 'real', optional(0, { help: 'on the logit scale' }))

export const EFFECT_FIELDS: FieldSpec[] = [
  coefficient('packageValue', 'Uptake per ln(1 + package value / 1,000)'),
  coefficient('counsellingSetting.neutral', 'Uptake: neutral counselling (vs enforcement)'),
  coefficient('counsellingSetting.trusted-actors', 'Uptake: trusted actors (vs enforcement)'),
  coefficient('atFinalDecision', 'Uptake: offer at the final decision'),
  dist('deadweight', 'Deadweight: share of own departures that take the package instead', 'share', 'probability', optional(0)),
  dist('sustainableAvrr', 'Sustainably reintegrated after assisted return', 'share', 'probability'),
  dist('sustainableForced', 'Sustainably reintegrated after removal', 'share', 'probability'),
  coefficient('sustainabilityLift.psychosocial', 'Sustainability: psychosocial support'),
  coefficient('sustainabilityLift.training', 'Sustainability: pre-return training'),
  coefficient('sustainabilityLift.caseManagement', 'Sustainability: case management'),
  coefficient('sustainabilityLift.community', 'Sustainability: community programme'),
  coefficient('sustainabilityLift.packageValue', 'Sustainability: package value'),
  dist('remigrationMonthly.sustainable', 'Monthly re-migration, sustainably reintegrated', 'share', 'probability'),
  dist('remigrationMonthly.notSustainable', 'Monthly re-migration, not sustainably reintegrated', 'share', 'probability'),
  dist('remigrationMonthly.forcedMultiplier', 'Re-migration multiplier after removal', 'ratio', 'nonNegative', optional(1)),
  dist('reentryShare', 'Share of re-migrants who come back here', 'share', 'probability', optional(0)),
]

export const SECTIONS: SectionSpec[] = [
  {
    id: 'scenario',
    title: 'Scenario',
    intro: 'What the scenario is called, its currency, horizon and mode.',
    fields: SCENARIO_FIELDS,
  },
  { id: 'groups', title: 'Groups', intro: 'The people who have no right to stay, by group.', fields: GROUP_FIELDS },
  { id: 'programme', title: 'Programme', intro: 'The assisted voluntary return and reintegration offer.', fields: PROGRAMME_FIELDS },
  { id: 'removal', title: 'Removal', intro: 'Forced return: attempts, success and costs.', fields: REMOVAL_FIELDS },
  {
    id: 'effects',
    title: 'Effects',
    intro: 'The evidence: coefficients on uptake and reintegration, re-migration.',
    fields: EFFECT_FIELDS,
  },
]

/** The path of a section's field in the scenario; group fields need the group's index. */
export const fieldPath = (section: SectionId, key: string, groupIndex = 0): (string | number)[] => {
  const rest = key.split('.')
  if (section === 'scenario') return rest
  if (section === 'groups') return ['groups', groupIndex, ...rest]
  return [section, ...rest]
}

/** Required fields of optional objects: set with these when an edit creates the object. */
export const REQUIRED_IN: Record<string, Record<string, unknown>> = {
  'programme.counselling': { setting: 'enforcement' },
  'programme.outreach': { reach: 1 },
  'programme.preReturnTraining': { share: 0 },
  'programme.psychosocialSupport': { enabled: false },
  'programme.caseManagement': { continuous: false },
  'programme.communityProgramme': { annualBudget: 0 },
}

/** Whether a field can be removed: optional, and not the required field of an optional object. */
export const canUnset = (section: SectionId, field: FieldSpec): boolean => {
  if (!field.optional) return false
  const parts = field.key.split('.')
  if (parts.length < 2) return true
  const owner = `${section}.${parts.slice(0, -1).join('.')}`
  return !(REQUIRED_IN[owner] && parts[parts.length - 1] in REQUIRED_IN[owner])
}
