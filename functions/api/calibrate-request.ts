/** The body of POST /api/calibrate as a zod schema (also its part of openapi.json). */
import { z } from 'zod'
import { CALIBRATION_METHODS } from '../../models/analysis/calibration'
import { calibrationTargetsSchema } from '../../models/analysis/calibration-targets'
import { scenarioRef, seedSchema, type ApiLimits } from './requests'

const draws = (min: number, max: number, fallback: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max.toLocaleString('en-GB')}` })
    .default(fallback)

export const calibrateRequestSchema = (limits: ApiLimits) =>
  z
    .strictObject({
      scenario: scenarioRef.optional(),
      scenarioId: z.string().min(1).max(100).optional(),
      /** The figures to calibrate to: by default the scenario's own (checked) targets. */
      targets: calibrationTargetsSchema.optional(),
      /** Prior draws (the scenario's own iterations, common random numbers). */
      iterations: draws(100, limits.maxAnalysisIterations, Math.min(10_000, limits.maxAnalysisIterations)),
      seed: seedSchema,
      method: z.enum(CALIBRATION_METHODS, { error: `must be one of ${CALIBRATION_METHODS.join(', ')}` }).default('sir'),
      /** Iterations of the calibrated scenario in the predictive check. */
      checkIterations: draws(1, limits.maxAnalysisIterations, 5_000),
      /** The prior's input correlation, { paths, matrix } (default: the scenario's own `correlation`). */
      correlation: z.strictObject({ paths: z.array(z.string()).max(200), matrix: z.array(z.array(z.number())).max(200) }).optional(),
    })
    .superRefine((r, ctx) => {
      if ((r.scenario === undefined) === (r.scenarioId === undefined))
        ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'give exactly one of scenario or scenarioId' })
    })
export type CalibrateApiRequest = z.infer<ReturnType<typeof calibrateRequestSchema>>
