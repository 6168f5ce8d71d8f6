/** Runs a scenario: `runShard` over an iteration range (the only entry the runners use), merge, report. */
import { CohortModel } from './cohort'
import { COST_LINES, METRICS, MONTHLY_SERIES, observableLayout, sketchedNames, type ObservableLayout } from './layout'
import { seedKey, type Seed } from './rng'
import { payerNames, type Scenario, type Target } from './scenario'
import {
  foldForest,
  mergeShardSummaries,
  momentsOf,
  ShardAccumulator,
  exactQuantilesFor,
  SKETCH_RELATIVE_ERROR,
  summaryCdf,
  summaryQuantiles,
  type ShardSummary,
} from './summary'
import { ENGINE_VERSION } from './version'

export interface ShardRequest {
  seed: Seed
  from: number
  to: number
  keepIterations?: boolean
  /** Exact quantiles (the run's total decides: exactQuantilesFor); a sketch otherwise. */
  exactQuantiles?: boolean
}

/** Called every `progressEvery` iterations with the number done so far. */
export type ProgressListener = (done: number) => void

/** The observables a scenario's iterations write (the budget's payer columns depend on the scenario). */
export const layoutOf = (scenario: Scenario): ObservableLayout =>
  observableLayout(scenario.horizonMonths, payerNames(scenario))

/** Run iterations [from, to) of a scenario. Iteration i's draws depend only on (seed, i). */
export const runShard = (
  scenario: Scenario,
  { seed, from, to, keepIterations = false, exactQuantiles = false }: ShardRequest,
  onProgress?: ProgressListener,
): ShardSummary => {
  const model = new CohortModel(scenario)
  const L = model.layout
  const runKey = seedKey(seed)
  const acc = new ShardAccumulator(from, to, L.observables, L.sketched, { keepIterations, exactQuantiles })
  model.drawAheadUntil(to)
  for (let i = from; i < to; i++) {
    // written in place: no copy of the row
    model.iterate(runKey, i, acc.nextRow())
    acc.commitRow()
    if (onProgress && (i - from + 1) % 1024 === 0) onProgress(i - from + 1)
  }
  return acc.finish()
}

export interface MetricSummary {
  mean: number | null
  sd: number | null
  mcse: number | null
  p05: number | null
  p50: number | null
  p95: number | null
  /** Iterations in which the metric is defined, where fewer than all (a ratio with a zero denominator). */
  n?: number
}

/** One year of the budget: each cost line, each payer (and "other"), and the total, each with its interval. */
export interface BudgetYear {
  year: number
  total: MetricSummary
  lines: Record<string, MetricSummary>
  payers: Record<string, MetricSummary>
}

/** A published figure set beside the model's distribution of its metric (docs/model.md). */
export interface TargetReport {
  id: string
  metric: string
  perYear: boolean
  value: number
  low?: number
  high?: number
  source?: string
  /** Why the figure is not compared with the model; then `checked` is false and `inside` null. */
  excludedBecause?: string
  checked: boolean
  /** The model's metric (per year where perYear). */
  model: { mean: number | null; p05: number | null; p50: number | null; p95: number | null }
  /** Whether value lies within [p05, p95]. */
  inside: boolean | null
  /** The share of the model's iterations at or below the value, in percent. */
  percentile: number | null
}

export interface RunReport {
  engineVersion: string
  scenarioId: string
  seed: Seed
  iterations: number
  cohort: Scenario['cohort']
  currency: string
  /** Set when the scenario was a version 1 file, migrated on read. */
  migratedFrom?: 1
  /** How the quantiles were computed: exact order statistics, or a sketch within `relativeError` of them. */
  quantiles: { method: 'exact' | 'sketch'; relativeError: number }
  metrics: Record<string, MetricSummary>
  monthly: Record<string, { mean: (number | null)[]; sd: (number | null)[] }>
  budgetByYear: BudgetYear[]
  targets?: TargetReport[]
}

/** How a summary's quantiles are computed, as a report states it. */
export const quantileMethod = (merged: ShardSummary): RunReport['quantiles'] =>
  merged.sketch ? { method: 'sketch', relativeError: SKETCH_RELATIVE_ERROR } : { method: 'exact', relativeError: 0 }

/** JSON has no NaN: an undefined statistic is null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null)

const QUANTILES = [0.05, 0.5, 0.95] as const

/** The summary of sketched observable j: moments and the sketch's quantiles. */
export const summariseObservable = (merged: ShardSummary, moments: Float64Array, j: number): MetricSummary => {
  const iterations = merged.to - merged.from
  const m = momentsOf(moments, merged.observables, j)
  const [p05, p50, p95] = summaryQuantiles(merged, j, QUANTILES)
  return {
    mean: finiteOrNull(m.mean),
    sd: finiteOrNull(m.sd),
    mcse: finiteOrNull(m.mcse),
    p05: finiteOrNull(p05),
    p50: finiteOrNull(p50),
    p95: finiteOrNull(p95),
    ...(m.n < iterations ? { n: m.n } : {}),
  }
}

/** Summaries of observables [offset, offset + names.length) that have sketches (metric-like observables). */
export const summariseSketched = (
  merged: ShardSummary,
  moments: Float64Array,
  names: readonly string[],
  offset = 0,
): Record<string, MetricSummary> =>
  Object.fromEntries(names.map((name, i) => [name, summariseObservable(merged, moments, offset + i)]))

/** The budget by year of a layout whose budget block starts at `offset + L.budgetBase`. */
export const summariseBudget = (
  merged: ShardSummary,
  moments: Float64Array,
  L: ObservableLayout,
  offset = 0,
): BudgetYear[] =>
  Array.from({ length: L.years }, (_, y) => {
    const base = offset + L.budgetBase + y * L.budgetColumns
    const at = (column: number) => summariseObservable(merged, moments, base + column)
    return {
      year: y + 1,
      total: at(COST_LINES.length + L.payers.length),
      lines: Object.fromEntries(COST_LINES.map((line, l) => [line, at(l)])),
      payers: Object.fromEntries(L.payers.map((payer, p) => [payer, at(COST_LINES.length + p)])),
    }
  })

/** Each target beside the model's distribution of its metric; metrics start at `offset` among the observables. */
export const reportTargets = (
  scenario: Scenario,
  merged: ShardSummary,
  metrics: Record<string, MetricSummary>,
  offset = 0,
): TargetReport[] | undefined => {
  if (!scenario.targets) return undefined
  const years = scenario.horizonMonths / 12
  return scenario.targets.map((t: Target): TargetReport => {
    const perYear = t.perYear ?? false
    const per = perYear ? years : 1
    const m = metrics[t.metric]
    const scaled = (x: number | null) => (x === null ? null : x / per)
    const model = { mean: scaled(m.mean), p05: scaled(m.p05), p50: scaled(m.p50), p95: scaled(m.p95) }
    const checked = t.excludedBecause === undefined
    const percentile = finiteOrNull(100 * summaryCdf(merged, offset + METRICS.indexOf(t.metric), t.value * per))
    return {
      id: t.id,
      metric: t.metric,
      perYear,
      value: t.value,
      ...(t.low !== undefined ? { low: t.low } : {}),
      ...(t.high !== undefined ? { high: t.high } : {}),
      ...(t.source !== undefined ? { source: t.source } : {}),
      ...(t.excludedBecause !== undefined ? { excludedBecause: t.excludedBecause } : {}),
      checked,
      model,
      inside: checked && model.p05 !== null && model.p95 !== null ? t.value >= model.p05 && t.value <= model.p95 : null,
      percentile,
    }
  })
}

/** The monthly series' means and sds of a layout whose series start at `offset + L.monthlyBase`. */
const summariseMonthly = (merged: ShardSummary, moments: Float64Array, L: ObservableLayout) => {
  const monthly: RunReport['monthly'] = {}
  MONTHLY_SERIES.forEach((series, s) => {
    const mean: (number | null)[] = []
    const sd: (number | null)[] = []
    for (let t = 0; t < L.horizonMonths; t++) {
      const m = momentsOf(moments, merged.observables, L.monthlyBase + s * L.horizonMonths + t)
      mean.push(finiteOrNull(m.mean))
      sd.push(finiteOrNull(m.sd))
    }
    monthly[series] = { mean, sd }
  })
  return monthly
}

/** The report of a merged run: the object `homecoming run --json` prints and the API returns. */
export const reportRun = (scenario: Scenario, seed: Seed, merged: ShardSummary): RunReport => {
  // the layout depends on the horizon and payers alone: no need to compile the scenario's parameters again
  const L = layoutOf(scenario)
  const moments = foldForest(merged.forest, merged.observables)
  const metrics = summariseSketched(merged, moments, METRICS)
  const targets = reportTargets(scenario, merged, metrics)
  return {
    engineVersion: ENGINE_VERSION,
    scenarioId: scenario.id,
    seed,
    iterations: merged.to - merged.from,
    cohort: scenario.cohort,
    currency: scenario.currency,
    ...(scenario.migratedFrom !== undefined ? { migratedFrom: scenario.migratedFrom } : {}),
    quantiles: quantileMethod(merged),
    metrics,
    monthly: summariseMonthly(merged, moments, L),
    budgetByYear: summariseBudget(merged, moments, L),
    ...(targets ? { targets } : {}),
  }
}

/** Run a whole scenario in this thread (one shard) and report it. */
export const runInProcess = (
  scenario: Scenario,
  options: { seed: Seed; iterations: number; keepIterations?: boolean },
  onProgress?: ProgressListener,
): { report: RunReport; merged: ShardSummary } => {
  const shard = runShard(
    scenario,
    {
      seed: options.seed,
      from: 0,
      to: options.iterations,
      keepIterations: options.keepIterations,
      exactQuantiles: exactQuantilesFor(options.iterations),
    },
    onProgress,
  )
  const merged = mergeShardSummaries([shard])
  return { report: reportRun(scenario, options.seed, merged), merged }
}

/** The CSV's first line: the iteration, then every metric and budget cell (`iterationsCsv`'s columns). */
export const iterationsCsvHeader = (scenario: Scenario): string =>
  'iteration,' + sketchedNames(layoutOf(scenario)).join(',') + '\n'

/**
 * The CSV lines of kept iterations [from, to) of a summary (absolute iteration numbers), each ending in a newline:
 * a file written a piece at a time is the same bytes as `iterationsCsv`.
 */
export const iterationsCsvRows = (summary: ShardSummary, from = summary.from, to = summary.to): string => {
  if (!summary.iterations) throw new Error('this run did not keep its iterations')
  const k = summary.sketched
  const rows: string[] = []
  for (let i = from - summary.from; i < to - summary.from; i++) {
    const cells = [String(summary.from + i)]
    for (let j = 0; j < k; j++) {
      const x = summary.iterations[i * k + j]
      cells.push(Number.isFinite(x) ? String(x) : '')
    }
    rows.push(cells.join(',') + '\n')
  }
  return rows.join('')
}

/** The kept iterations as CSV: one row per iteration, one column per metric and budget cell. */
export const iterationsCsv = (scenario: Scenario, merged: ShardSummary): string => {
  if (!merged.iterations) throw new Error('this run did not keep its iterations')
  return iterationsCsvHeader(scenario) + iterationsCsvRows(merged)
}
