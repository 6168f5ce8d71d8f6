/** What a calibration aims at: observed figures of run metrics, each with its uncertainty (a normal likelihood). */
import { z } from 'zod'
import { M, METRICS, type MetricName } from '../engine/layout'
import { Z95 } from '../engine/normal'
import type { FieldProblem, Scenario, Target } from '../engine/scenario'

/**
 * An observed figure: a run metric over the horizon, or per year, or per month (a country's monthly assisted
 * returns), its value and its uncertainty, as a standard deviation or a 90% interval [low, high].
 */
export const calibrationTargetSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be a slug: lower-case letters, digits and dashes, 1-80 long' })
      .optional(),
    metric: z.enum(METRICS, { error: 'must be a metric of the run report (docs/model.md section 7.2), such as returnsAssisted' }),
    perYear: z.boolean().optional(),
    perMonth: z.boolean().optional(),
    value: z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' }),
    sd: z.number({ error: 'must be a number' }).positive({ error: 'must be > 0' }).finite().optional(),
    low: z.number({ error: 'must be a number' }).finite().optional(),
    high: z.number({ error: 'must be a number' }).finite().optional(),
    source: z.string().max(2000).optional(),
  })
  .superRefine((t, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (t.perYear && t.perMonth) problem('perMonth', 'give perYear or perMonth, not both')
    if ((t.low === undefined) !== (t.high === undefined)) problem(t.low === undefined ? 'low' : 'high', 'low and high go together')
    if (t.low !== undefined && t.high !== undefined && !(t.low < t.high)) problem('high', 'must be > low')
    if (t.sd === undefined && t.low === undefined)
      problem('sd', 'is required unless low and high (the 90% interval of the figure) are given: it sets how closely the model must agree')
  })
export type CalibrationTarget = z.infer<typeof calibrationTargetSchema>

export const calibrationTargetsSchema = z
  .array(calibrationTargetSchema)
  .min(1, { error: 'needs at least one target' })
  .max(100, { error: 'may have at most 100 targets' })

/** A target ready for the likelihood: where its metric sits in an iteration's observables and how it is scaled. */
export interface PreparedTarget {
  id: string
  metric: MetricName
  /** The metric's index among the observables of an iteration. */
  index: number
  /** The metric is divided by this (1, years, or months of the horizon) to compare it with `value`. */
  divisor: number
  per: 'horizon' | 'year' | 'month'
  value: number
  sd: number
  /** How sd was set: stated, or from a 90% interval (high - low) / (2 x 1.645). */
  sdFrom: 'sd' | '90% interval'
  low?: number
  high?: number
  source?: string
}

/** The scale of a 90% interval in standard deviations of a normal: (high - low) / SD_PER_90_INTERVAL. */
export const SD_PER_90_INTERVAL = 2 * Z95

/** Check a list of targets against a scenario and prepare them; problems are named `<prefix>[i].<field>`. */
export const prepareTargets = (
  scenario: Scenario,
  targets: readonly CalibrationTarget[],
  prefix = 'targets',
): { ok: true; targets: PreparedTarget[] } | { ok: false; problems: FieldProblem[] } => {
  const problems: FieldProblem[] = []
  const ids = new Set<string>()
  const prepared = targets.map((t, i): PreparedTarget => {
    const id = t.id ?? `${t.metric.replace(/[^a-zA-Z0-9]+/g, '-').toLowerCase()}-${i + 1}`
    if (ids.has(id)) problems.push({ path: `${prefix}[${i}].id`, message: `duplicate target id "${id}"` })
    ids.add(id)
    const per = t.perMonth ? 'month' : t.perYear ? 'year' : 'horizon'
    const divisor = per === 'month' ? scenario.horizonMonths : per === 'year' ? scenario.horizonMonths / 12 : 1
    const sd = t.sd ?? (t.high! - t.low!) / SD_PER_90_INTERVAL
    return {
      id,
      metric: t.metric,
      index: M[t.metric],
      divisor,
      per,
      value: t.value,
      sd,
      sdFrom: t.sd !== undefined ? 'sd' : '90% interval',
      ...(t.low !== undefined ? { low: t.low, high: t.high } : {}),
      ...(t.source !== undefined ? { source: t.source } : {}),
    }
  })
  return problems.length ? { ok: false, problems } : { ok: true, targets: prepared }
}

/**
 * A scenario's own targets as calibration targets: the checked ones (a target left out of the check, for a
 * different scope, is left out here too). Each needs low and high, its 90% interval.
 */
export const scenarioTargets = (
  scenario: Scenario,
): { ok: true; targets: CalibrationTarget[]; excluded: string[] } | { ok: false; problems: FieldProblem[] } => {
  const all = scenario.targets ?? []
  const checked = all.map((t, i) => ({ t, i })).filter(({ t }) => t.excludedBecause === undefined)
  if (checked.length === 0)
    return {
      ok: false,
      problems: [
        {
          path: 'targets',
          message:
            all.length === 0
              ? 'the scenario has no targets: give the figures to calibrate to (a list of { metric, value, sd or low/high })'
              : 'every target of the scenario is left out of the check (excludedBecause): give the figures to calibrate to',
        },
      ],
    }
  const problems = checked
    .filter(({ t }) => t.low === undefined || t.high === undefined)
    .map(({ t, i }) => ({
      path: `scenario.targets[${i}].${t.low === undefined ? 'low' : 'high'}`,
      message: `target "${t.id}" needs low and high (the 90% interval of the figure) to be calibrated to: they set how closely the model must agree`,
    }))
  if (problems.length) return { ok: false, problems }
  return {
    ok: true,
    targets: checked.map(({ t }) => ({
      id: t.id,
      metric: t.metric,
      perYear: t.perYear,
      value: t.value,
      low: t.low,
      high: t.high,
      source: t.source,
    })),
    excluded: all.filter((t) => t.excludedBecause !== undefined).map((t) => t.id),
  }
}

/**
 * A calibration target as a scenario target (so `homecoming check` reads it from the calibrated file): per month
 * becomes per year (x 12, the same comparison), an sd its 90% interval value +- 1.645 sd.
 */
export const asScenarioTarget = (t: PreparedTarget): Target => {
  const scale = t.per === 'month' ? 12 : 1
  const low = t.sdFrom === 'sd' ? t.value - Z95 * t.sd : t.low!
  const high = t.sdFrom === 'sd' ? t.value + Z95 * t.sd : t.high!
  const note = t.per === 'month' ? ` (given as ${t.value} a month, here x 12 a year)` : ''
  return {
    id: t.id,
    metric: t.metric,
    perYear: t.per !== 'horizon',
    value: t.value * scale,
    low: low * scale,
    high: high * scale,
    source: `${t.source ?? 'calibration target'}${note}`.slice(0, 2000),
  }
}
