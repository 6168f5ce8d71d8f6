/** The scenario file of docs/model.md (schemaVersion 2): its zod schema, parsing (v1 files migrate) and errors. */
import { z } from 'zod'
import {
  COEFFICIENT,
  distSchema,
  MONEY,
  PEOPLE,
  PEOPLE_CEILING,
  positiveDomain,
  PROBABILITY,
  type Dist,
} from './distributions'
import { parameterPaths } from './cohort-parameters'
import { prepareCorrelation } from './correlation'
import { COST_LINES, METRICS, type CostLine } from './layout'
import { migrateV1 } from './migrate'
import { isSchedule, SCHEDULE_UNION, scheduleSchema, type Schedule } from './schedule'
import { scenarioV1Schema } from './scenario-v1'

export const SCHEMA_VERSION = 2
export const MAX_HORIZON_MONTHS = 120
export const MAX_GROUPS = 20

const probability = distSchema(PROBABILITY)
const people = distSchema(PEOPLE)
const money = distSchema(MONEY)
const coefficient = distSchema(COEFFICIENT)
const personsPerCase = distSchema({ min: 1, max: PEOPLE_CEILING, rule: 'people per case must lie in [1, 1e9]' })
const exponent = distSchema({ min: 0, max: 3, rule: 'a cost-scale exponent must lie in [0, 3]' })
const multiplier = distSchema({ min: 0, max: 100, rule: 'a multiplier must lie in [0, 100]' })
const detentionDays = distSchema({ min: 0, max: 730, rule: 'days of detention per attempt must lie in [0, 730]' })
const valueToReference = distSchema(
  positiveDomain('reference units per unit of currency must lie in (0, 1e6]', 1e6),
)
const scale = z
  .number({ error: 'must be a number' })
  .min(0, { error: 'scale must be >= 0 (0 suspends the programme)' })
  .max(10, { error: 'scale must be <= 10' })
const months = (max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number of months' })
    .min(0, { error: 'must be >= 0' })
    .max(max, { error: `must be <= ${max}` })

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, {
  error: 'must be a slug: lower-case letters, digits and dashes, 1-80 long',
})

const group = z.strictObject({
  id: slug,
  label: z.string().min(1).max(200),
  stock: people,
  inflowPerMonth: scheduleSchema(people).optional(),
  adultsPerCase: people.optional(),
  personsPerCase: personsPerCase.optional(),
  removable: z.boolean().optional(),
  removability: probability.optional(),
  removal: z
    .strictObject({ attemptMonthly: scheduleSchema(probability).optional(), successProbability: probability.optional() })
    .optional(),
  complexShare: probability.optional(),
  monthlyStayCostPerPerson: money,
  avoidableStayShare: probability.optional(),
  baseMonthlyUptake: probability,
  unassistedReturnMonthly: probability,
  abscondMonthly: probability,
})

const counsellingSettings = ['enforcement', 'neutral', 'trusted-actors'] as const
export type CounsellingSetting = (typeof counsellingSettings)[number]

const programme = z.strictObject({
  cashPerAdult: money.optional(),
  cashPerChild: money.optional(),
  cashCapPerCase: money.optional(),
  inKindPerCase: money.optional(),
  complexCaseTopUp: money.optional(),
  travelPerPerson: money.optional(),
  counselling: z
    .strictObject({
      setting: z.enum(counsellingSettings, { error: 'must be one of enforcement, neutral, trusted-actors' }),
      atFinalDecision: z.boolean().optional(),
      costPerCounselledCase: money.optional(),
      costPerDepartingCase: money.optional(),
    })
    .optional(),
  outreach: z.strictObject({ reach: probability, annualCost: money.optional() }).optional(),
  preReturnTraining: z.strictObject({ share: probability, costPerCase: money.optional() }).optional(),
  psychosocialSupport: z.strictObject({ enabled: z.boolean(), costPerCase: money.optional() }).optional(),
  caseManagement: z.strictObject({ continuous: z.boolean(), costPerCaseMonth: money.optional() }).optional(),
  communityProgramme: z
    .strictObject({ annualBudget: money, localResidentsServedPerYear: people.optional() })
    .optional(),
  supportMonths: months(MAX_HORIZON_MONTHS).optional(),
  capacityPerMonth: scheduleSchema(people).optional(),
  scale: scheduleSchema(scale).optional(),
  fixedAnnualCost: money.optional(),
  fixedCostScaleExponent: exponent.optional(),
  rampUpMonths: months(MAX_HORIZON_MONTHS).optional(),
  queueDropoutMonthly: probability.optional(),
  repeatAssistance: z.boolean().optional(),
})

const removal = z.strictObject({
  attemptMonthly: scheduleSchema(probability),
  maxAttemptsPerMonth: scheduleSchema(people).optional(),
  successProbability: probability,
  detentionDaysPerAttempt: detentionDays.optional(),
  detentionCostPerDay: money.optional(),
  escortAndTravelPerPerson: money.optional(),
  failedAttemptCost: money.optional(),
  adminCostPerCase: money.optional(),
})

const effects = z.strictObject({
  packageValue: coefficient.optional(),
  counsellingSetting: z
    .strictObject({ neutral: coefficient.optional(), 'trusted-actors': coefficient.optional() })
    .optional(),
  atFinalDecision: coefficient.optional(),
  deadweight: probability.optional(),
  sustainableAvrr: probability,
  sustainableForced: probability,
  sustainabilityLift: z
    .strictObject({
      psychosocial: coefficient.optional(),
      training: coefficient.optional(),
      caseManagement: coefficient.optional(),
      community: coefficient.optional(),
      packageValue: coefficient.optional(),
    })
    .optional(),
  remigrationMonthly: z.strictObject({
    sustainable: probability,
    notSustainable: probability,
    forcedMultiplier: multiplier.optional(),
  }),
  reentryShare: probability.optional(),
})

/** The payer of the cost lines no payer names. */
export const OTHER_PAYER = 'other'

const payers = z
  .record(
    slug,
    z
      .array(z.enum(COST_LINES, { error: `must be a cost line: one of ${COST_LINES.join(', ')}` }))
      .min(1, { error: 'needs at least one cost line' }),
  )
  .refine((p) => Object.keys(p).length <= 16, { error: 'may name at most 16 payers' })

const target = z.strictObject({
  id: slug,
  metric: z.enum(METRICS, { error: 'must be a metric of the run report (docs/model.md), such as costPerForcedReturn' }),
  perYear: z.boolean().optional(),
  value: z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' }),
  low: z.number().finite().optional(),
  high: z.number().finite().optional(),
  source: z.string().max(2000).optional(),
  /** Why the figure is not compared with the model (a different scope): reported, not checked. */
  excludedBecause: z.string().min(1).max(1000).optional(),
})

export const scenarioSchema = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION),
    /** Written by the migration of a version 1 file (docs/model.md). */
    migratedFrom: z.literal(1).optional(),
    id: slug,
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    sources: z.array(z.string().max(2000)).max(100).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as EUR' }),
    valueToReference: valueToReference.optional(),
    horizonMonths: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number of months' })
      .min(1, { error: `must be between 1 and ${MAX_HORIZON_MONTHS} months` })
      .max(MAX_HORIZON_MONTHS, { error: `must be between 1 and ${MAX_HORIZON_MONTHS} months` }),
    discountRate: z
      .number({ error: 'must be a number' })
      .min(0, { error: 'must be >= 0' })
      .max(1, { error: 'must be <= 1 (annual rate)' })
      .optional(),
    cohort: z.enum(['stochastic', 'expected'], { error: 'must be "stochastic" or "expected"' }),
    groups: z
      .array(group)
      .min(1, { error: 'needs at least one group' })
      .max(MAX_GROUPS, { error: `may have at most ${MAX_GROUPS} groups` }),
    programme: programme.nullable(),
    removal,
    effects,
    payers: payers.optional(),
    targets: z.array(target).max(100, { error: 'may have at most 100 targets' }).optional(),
    /** Rank (Spearman) correlations between uncertain inputs, by parameter path: a Gaussian copula joins their draws. */
    correlation: z
      .strictObject({
        paths: z.array(z.string().max(200)).min(2, { error: 'needs at least two parameter paths' }).max(100),
        matrix: z.array(z.array(z.number({ error: 'must be a number' }))),
        source: z.string().max(2000).optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    if (s.currency !== 'EUR' && s.valueToReference === undefined)
      problem(
        ['valueToReference'],
        `is required for a scenario in ${s.currency}: reference units (EUR at 2020 prices, PPP) per ${s.currency}, ` +
          'so that the package effect reads the same package value whatever the currency',
      )
    const seen = new Set<string>()
    s.groups.forEach((g, i) => {
      if (seen.has(g.id)) problem(['groups', i, 'id'], `duplicate group id "${g.id}"`)
      seen.add(g.id)
    })
    const withinHorizon = (schedule: Schedule<unknown> | undefined, path: (string | number)[]) => {
      // a plain value holds for every month: only a schedule's entries have months to check
      if (!isSchedule(schedule)) return
      schedule.schedule.forEach((e, k) => {
        if (e.fromMonth >= s.horizonMonths)
          problem(
            [...path, 'schedule', k, 'fromMonth'],
            `must be before the horizon: month ${e.fromMonth} is past the last month ${s.horizonMonths - 1}`,
          )
      })
    }
    s.groups.forEach((g, i) => {
      withinHorizon(g.inflowPerMonth, ['groups', i, 'inflowPerMonth'])
      withinHorizon(g.removal?.attemptMonthly, ['groups', i, 'removal', 'attemptMonthly'])
    })
    withinHorizon(s.programme?.capacityPerMonth, ['programme', 'capacityPerMonth'])
    withinHorizon(s.programme?.scale, ['programme', 'scale'])
    withinHorizon(s.removal.attemptMonthly, ['removal', 'attemptMonthly'])
    withinHorizon(s.removal.maxAttemptsPerMonth, ['removal', 'maxAttemptsPerMonth'])
    if (s.payers) {
      if (OTHER_PAYER in s.payers)
        problem(['payers', OTHER_PAYER], `"${OTHER_PAYER}" is reserved for the lines no payer names`)
      const payerOf = new Map<CostLine, string>()
      for (const [payer, lines] of Object.entries(s.payers))
        lines.forEach((line, k) => {
          const earlier = payerOf.get(line)
          if (earlier !== undefined)
            problem(['payers', payer, k], `the line ${line} is already paid by "${earlier}": each line has one payer`)
          else payerOf.set(line, payer)
        })
    }
    if (s.correlation) {
      const checked = prepareCorrelation(s.correlation, { knownPaths: parameterPaths(s as Scenario) })
      if (!checked.ok)
        for (const p of checked.problems)
          // its paths already start at `correlation`
          ctx.addIssue({
            code: 'custom',
            path: p.path.split(/[.[\]]+/).filter(Boolean).map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
            message: p.message,
          })
    }
    const targetIds = new Set<string>()
    s.targets?.forEach((t, i) => {
      if (targetIds.has(t.id)) problem(['targets', i, 'id'], `duplicate target id "${t.id}"`)
      targetIds.add(t.id)
      if (t.low !== undefined && t.high !== undefined && t.low > t.high)
        problem(['targets', i, 'high'], 'must be >= low')
    })
  })

export type Scenario = z.infer<typeof scenarioSchema>

/** The payer columns of a scenario's budget: its payers in file order, then "other" (the lines no payer names). */
export const payerNames = (s: Scenario): string[] => [...Object.keys(s.payers ?? {}), OTHER_PAYER]
export type Group = Scenario['groups'][number]
export type Programme = NonNullable<Scenario['programme']>
export type Target = NonNullable<Scenario['targets']>[number]
export type { Dist, Schedule }

/** One problem in a scenario: the field path (dotted, with indexes) and the rule it breaks. */
export interface FieldProblem {
  path: string
  message: string
}

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: FieldProblem[] }

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  ) || '(root)'

const isObjectWithSchedule = (x: unknown): boolean => typeof x === 'object' && x !== null && 'schedule' in x

/**
 * zod's issues in our words: a missing field is "required", each unknown key its own problem, and a `Schedule`
 * field reports the form the input chose (a schedule object, or a value) rather than zod's "invalid input".
 */
export const toFieldProblems = (
  error: { issues: readonly z.core.$ZodIssue[] },
  unknownField = 'unknown field',
  prefix: readonly PropertyKey[] = [],
): FieldProblem[] =>
  error.issues.flatMap((issue): FieldProblem[] => {
    const path = [...prefix, ...issue.path]
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: unknownField }))
    if (issue.code === 'invalid_type' && issue.input === undefined)
      return [{ path: formatPath(path), message: `is required (${issue.expected})` }]
    if (issue.code === 'invalid_union' && issue.message === SCHEDULE_UNION && issue.errors.length === 2) {
      const branch = issue.errors[isObjectWithSchedule(issue.input) ? 0 : 1]
      return toFieldProblems({ issues: branch }, unknownField, path)
    }
    return [{ path: formatPath(path), message: issue.message }]
  })

const UNKNOWN_FIELD = `unknown field (not part of the scenario format, schemaVersion ${SCHEMA_VERSION})`

/** Validate a version 2 scenario. */
const parseV2 = (input: unknown): ParseResult => {
  // without reportInput zod 4 leaves issue.input out, and toFieldProblems calls a wrong type "required"
  const result = scenarioSchema.safeParse(input, { reportInput: true })
  return result.success
    ? { ok: true, scenario: result.data }
    : { ok: false, problems: toFieldProblems(result.error, UNKNOWN_FIELD) }
}

/**
 * Validate untrusted input as a scenario; never throws. A version 1 file is checked against the version 1 schema,
 * migrated (docs/model.md) and checked again as version 2, so the ceilings and rules of v2 hold for it too; the
 * scenario then says `migratedFrom: 1`.
 */
export const parseScenario = (input: unknown): ParseResult => {
  const version = typeof input === 'object' && input !== null ? (input as { schemaVersion?: unknown }).schemaVersion : undefined
  if (version === 1) {
    const v1 = scenarioV1Schema.safeParse(input, { reportInput: true })
    if (!v1.success)
      return { ok: false, problems: toFieldProblems(v1.error, 'unknown field (not part of the scenario format, schemaVersion 1)') }
    return parseV2(migrateV1(v1.data))
  }
  if (version === SCHEMA_VERSION || typeof input !== 'object' || input === null) return parseV2(input)
  return {
    ok: false,
    problems: [
      {
        path: 'schemaVersion',
        message:
          version === undefined
            ? `is required: ${SCHEMA_VERSION} (the current format) or 1 (migrated on read)`
            : `must be ${SCHEMA_VERSION} (the current format) or 1 (migrated on read); got ${JSON.stringify(version)}`,
      },
    ],
  }
}

/** Parse scenario JSON text; a syntax error is one problem at the root. */
export const parseScenarioText = (text: string): ParseResult => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { ok: false, problems: [{ path: '(root)', message: `not valid JSON: ${(e as Error).message}` }] }
  }
  return parseScenario(json)
}

export const formatProblems = (problems: FieldProblem[]): string =>
  problems.map((p) => `${p.path}: ${p.message}`).join('\n')
