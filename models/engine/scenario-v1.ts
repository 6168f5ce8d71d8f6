/**
 * The scenario file of schemaVersion 1, kept so that version 1 files keep loading: they are read with this schema and
 * migrated to version 2 (migrate.ts). A v1 file may carry `valueToReference`, which the migration needs for a
 * currency other than EUR.
 */
import { z } from 'zod'
import { distSchema, NON_NEGATIVE, positiveDomain, PROBABILITY, REAL } from './distributions'

const probability = distSchema(PROBABILITY)
const nonNegative = distSchema(NON_NEGATIVE)
const coefficient = distSchema(REAL)
const atLeastOne = distSchema({ min: 1, max: Infinity, rule: 'people per case must be >= 1' })
const exponent = distSchema({ min: 0, max: 3, rule: 'a cost-scale exponent must lie in [0, 3]' })

const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be a slug: lower-case letters, digits and dashes, 1-80 long' })

const group = z.strictObject({
  id: slug,
  label: z.string().min(1).max(200),
  stock: nonNegative,
  inflowPerMonth: nonNegative.optional(),
  adultsPerCase: nonNegative.optional(),
  personsPerCase: atLeastOne.optional(),
  removable: z.boolean().optional(),
  removability: probability.optional(),
  complexShare: probability.optional(),
  monthlyStayCostPerPerson: nonNegative,
  baseMonthlyUptake: probability,
  unassistedReturnMonthly: probability,
  abscondMonthly: probability,
})

const counsellingSettings = ['enforcement', 'neutral', 'trusted-actors'] as const
export type CounsellingSetting = (typeof counsellingSettings)[number]

const programme = z.strictObject({
  cashPerAdult: nonNegative.optional(),
  inKindPerCase: nonNegative.optional(),
  complexCaseTopUp: nonNegative.optional(),
  travelPerPerson: nonNegative.optional(),
  counselling: z
    .strictObject({
      setting: z.enum(counsellingSettings, { error: 'must be one of enforcement, neutral, trusted-actors' }),
      atFinalDecision: z.boolean().optional(),
      costPerCase: nonNegative.optional(),
    })
    .optional(),
  outreach: z.strictObject({ reach: probability, annualCost: nonNegative.optional() }).optional(),
  preReturnTraining: z.strictObject({ share: probability, costPerCase: nonNegative.optional() }).optional(),
  psychosocialSupport: z.strictObject({ enabled: z.boolean(), costPerCase: nonNegative.optional() }).optional(),
  caseManagement: z
    .strictObject({ continuous: z.boolean(), costPerCaseMonth: nonNegative.optional() })
    .optional(),
  communityProgramme: z
    .strictObject({ annualBudget: nonNegative, localResidentsServedPerYear: nonNegative.optional() })
    .optional(),
  supportMonths: z.number().int({ error: 'must be a whole number of months' }).min(0).max(120).optional(),
  capacityPerMonth: nonNegative.optional(),
  scale: z.number().min(0.1, { error: 'scale must be >= 0.1' }).max(10, { error: 'scale must be <= 10' }).optional(),
  fixedAnnualCost: nonNegative.optional(),
  fixedCostScaleExponent: exponent.optional(),
  rampUpMonths: z.number().int({ error: 'must be a whole number of months' }).min(0).max(120).optional(),
})

const removal = z.strictObject({
  attemptMonthly: probability,
  maxAttemptsPerMonth: nonNegative.optional(),
  successProbability: probability,
  detentionDaysPerAttempt: nonNegative.optional(),
  detentionCostPerDay: nonNegative.optional(),
  escortAndTravelPerPerson: nonNegative.optional(),
  failedAttemptCost: nonNegative.optional(),
  adminCostPerCase: nonNegative.optional(),
})

const effects = z.strictObject({
  packageValue: coefficient.optional(),
  counsellingSetting: z.strictObject({ neutral: coefficient.optional(), 'trusted-actors': coefficient.optional() }).optional(),
  atFinalDecision: coefficient.optional(),
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
    forcedMultiplier: nonNegative.optional(),
  }),
  reentryShare: probability.optional(),
})

export const scenarioV1Schema = z
  .strictObject({
    schemaVersion: z.literal(1),
    id: slug,
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    sources: z.array(z.string().max(2000)).max(100).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as EUR' }),
    valueToReference: distSchema(positiveDomain('reference units per unit of currency must be > 0', 1e6)).optional(),
    horizonMonths: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number of months' })
      .min(1, { error: 'must be between 1 and 120 months' })
      .max(120, { error: 'must be between 1 and 120 months' }),
    discountRate: z.number().min(0, { error: 'must be >= 0' }).max(1, { error: 'must be <= 1 (annual rate)' }).optional(),
    cohort: z.enum(['stochastic', 'expected'], { error: 'must be "stochastic" or "expected"' }),
    groups: z.array(group).min(1, { error: 'needs at least one group' }).max(20),
    programme: programme.nullable(),
    removal,
    effects,
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>()
    s.groups.forEach((g, i) => {
      if (seen.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `duplicate group id "${g.id}"` })
      seen.add(g.id)
    })
  })

export type ScenarioV1 = z.infer<typeof scenarioV1Schema>
