/** The API's request bodies as zod schemas (also the source of openapi.json), and their limits. */
import { z } from 'zod'
import { COUNSELLING_SETTINGS, NUMERIC_LEVERS } from '../../models/analysis/levers'
import { OUTCOMES } from '../../models/analysis/outcomes'
import { MAX_START_YEAR, MIN_START_YEAR } from '../../models/analysis/budget-years'
import type { ApiLimits } from './limits'

export { DEFAULT_LIMITS, type ApiLimits } from './limits'

export const seedSchema = z.union([z.string().min(1).max(200), z.number().int().safe()], {
  error: 'must be a string of 1-200 characters or a whole number',
})

const iterations = (max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max.toLocaleString('en-GB')}` })

/** Compare scenarios of different populations (groups, stock, inflow, households): refused unless true; labelled so. */
const compareAnyway = z
  .boolean({ error: 'must be true or false' })
  .optional()
  .describe('compare a comparator of another population (groups, stock, inflow, households) all the same; the report says so')

/** The calendar year of the budget's first year: a label of the budget years, the numbers do not change. */
export const startYear = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole year' })
  .min(MIN_START_YEAR, { error: `must be at least ${MIN_START_YEAR}` })
  .max(MAX_START_YEAR, { error: `must be at most ${MAX_START_YEAR}` })
  .optional()

/** A scenario given inline, or the id of a preset or of a saved scenario. */
export const scenarioRef = z.union([z.string().min(1).max(100), z.record(z.string(), z.unknown())], {
  error: 'must be a scenario object, the id of a preset or saved scenario, or removal-only:<id> (that scenario without its programme)',
})

export const runRequestSchema = (limits: ApiLimits) => {
  // only an immediate run keeps its iterations (a background run's shards do not), so both limits apply
  const keepMax = Math.min(limits.keepIterationsMax, limits.syncIterations)
  return z
    .strictObject({
      scenario: z.record(z.string(), z.unknown(), { error: 'must be a scenario object' }).optional(),
      scenarioId: z.string().min(1).max(100).optional(),
      iterations: iterations(limits.maxIterations),
      seed: seedSchema,
      workers: z.number().int().min(1).max(64).optional(),
      keepIterations: z.boolean().optional(),
    })
    .superRefine((r, ctx) => {
      if ((r.scenario === undefined) === (r.scenarioId === undefined))
        ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'give exactly one of scenario or scenarioId' })
      if (r.keepIterations && r.iterations > keepMax)
        ctx.addIssue({
          code: 'custom',
          path: ['keepIterations'],
          message: `iterations can be kept for runs of up to ${keepMax.toLocaleString('en-GB')} iterations`,
        })
    })
}
export type RunRequest = z.infer<ReturnType<typeof runRequestSchema>>

export const compareRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    scenarios: z
      .array(scenarioRef)
      .min(1, { error: 'give the scenario and its comparator (or one scenario, compared without its programme)' })
      .max(2, { error: 'give at most two scenarios: A and its comparator B' }),
    iterations: iterations(limits.maxCompareIterations),
    seed: seedSchema,
    wtp: z.number().min(0).max(1e12).optional(),
    /** Also the run report of scenario A (same seed and iterations), so a page needs one request for its numbers. */
    includeReport: z.boolean().optional(),
    compareAnyway,
    startYear,
  })
export type CompareRequest = z.infer<ReturnType<typeof compareRequestSchema>>

export const sensitivityRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    scenario: scenarioRef,
    outcome: z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` }),
    comparator: scenarioRef.optional(),
    compareAnyway,
    wtp: z.number().min(0).max(1e12).optional(),
    iterations: iterations(limits.maxAnalysisIterations).default(5_000),
    tornadoIterations: iterations(5_000).default(1_000),
    mode: z.enum(['psa-mean', 'median'], { error: 'must be psa-mean or median' }).default('psa-mean'),
    /** The tornado on the expected cohort (cohort noise averaged exactly): much faster, the default here. */
    expectedCohort: z.boolean().default(true),
    /** rerun: the cohort again for each input and end; metamodel: the bars read off one PSA of tornadoIterations. */
    tornadoMethod: z.enum(['rerun', 'metamodel'], { error: 'must be rerun or metamodel' }).default('rerun'),
    seed: seedSchema,
  })
export type SensitivityApiRequest = z.infer<ReturnType<typeof sensitivityRequestSchema>>

export const thresholdRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    scenario: scenarioRef,
    comparator: scenarioRef.optional(),
    compareAnyway,
    lever: z.enum(NUMERIC_LEVERS, { error: `must be one of ${NUMERIC_LEVERS.join(', ')}` }),
    target: z
      .strictObject({ outcome: z.literal('costPerSustainableReintegration'), value: z.number().positive() })
      .optional(),
    /** Either end alone is fine: min defaults to the lever's lowest, max is searched outward until a threshold is bracketed. */
    min: z.number().optional(),
    max: z.number().optional(),
    iterations: iterations(limits.maxAnalysisIterations).default(2_000),
    seed: seedSchema,
  }).refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, {
    path: ['max'],
    error: 'must be greater than min',
  })
export type ThresholdApiRequest = z.infer<ReturnType<typeof thresholdRequestSchema>>

export const diffRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    /** A, then the baseline B: the change from B to A is credited to each differing assumption. */
    scenarios: z.tuple([scenarioRef, scenarioRef], { error: 'give two scenarios: A and the baseline B' }),
    outcome: z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` }).default('totalCost'),
    comparator: scenarioRef.optional(),
    compareAnyway,
    wtp: z.number().min(0).max(1e12).optional(),
    iterations: iterations(limits.maxAnalysisIterations).default(2_000),
    seed: seedSchema,
  })
export type DiffApiRequest = z.infer<ReturnType<typeof diffRequestSchema>>

const twoWayAxis = z.union(
  [
    z.strictObject({ lever: z.enum(NUMERIC_LEVERS), values: z.array(z.number()).min(2).max(25) }),
    z.strictObject({ lever: z.literal('counsellingSetting'), values: z.array(z.enum(COUNSELLING_SETTINGS)).min(2).max(3) }),
  ],
  { error: `must be { lever, values }: a lever of ${[...NUMERIC_LEVERS, 'counsellingSetting'].join(', ')} and 2-25 values` },
)

export const twoWayRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    scenario: scenarioRef,
    outcome: z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` }).default('totalCost'),
    comparator: scenarioRef.optional(),
    compareAnyway,
    wtp: z.number().min(0).max(1e12).optional(),
    rows: twoWayAxis,
    columns: twoWayAxis,
    iterations: iterations(limits.maxAnalysisIterations).default(1_000),
    seed: seedSchema,
  })
export type TwoWayApiRequest = z.infer<ReturnType<typeof twoWayRequestSchema>>

/** The Excel workbook of a scenario against a comparator (by default its removal-only version). */
export const exportRequestSchema = (limits: ApiLimits) =>
  z
    .strictObject({
      scenario: z.record(z.string(), z.unknown(), { error: 'must be a scenario object' }).optional(),
      scenarioId: z.string().min(1).max(100).optional(),
      comparator: scenarioRef.optional(),
      compareAnyway,
      iterations: iterations(limits.maxCompareIterations),
      seed: seedSchema,
      wtp: z.number().min(0).max(1e12).optional(),
      startYear,
    })
    .superRefine((r, ctx) => {
      if ((r.scenario === undefined) === (r.scenarioId === undefined))
        ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'give exactly one of scenario or scenarioId' })
    })
export type ExportRequest = z.infer<ReturnType<typeof exportRequestSchema>>

/** A share: the scenario (inline, as the page holds it), the preset it was made from, and the run behind the snapshot. */
export const shareRequestSchema = (limits: ApiLimits) =>
  z.strictObject({
    scenario: z.record(z.string(), z.unknown(), { error: 'must be a scenario object' }),
    presetId: z.string().min(1).max(100).optional(),
    iterations: iterations(limits.maxCompareIterations),
    seed: seedSchema,
  })
export type ShareRequest = z.infer<ReturnType<typeof shareRequestSchema>>
