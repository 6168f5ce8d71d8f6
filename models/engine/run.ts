/** Runs a scenario: `runShard` over an iteration range (the only entry the runners use), merge, report. */
import { CohortModel } from './cohort'
import { COST_LINES, METRICS, MONTHLY_SERIES, observableLayout } from './layout'
import { seedKey, type Seed } from './rng'
import type { Scenario } from './scenario'
import {
  foldForest,
  mergeShardSummaries,
  momentsOf,
  ShardAccumulator,
  sketchQuantiles,
  type ShardSummary,
} from './summary'
import { ENGINE_VERSION } from './version'

export interface ShardRequest {
  seed: Seed
  from: number
  to: number
  keepIterations?: boolean
}

/** Called every `progressEvery` iterations with the number done so far. */
export type ProgressListener = (done: number) => void

/** Run iterations [from, to) of a scenario. Iteration i's draws depend only on (seed, i). */
export const runShard = (
  scenario: Scenario,
  { seed, from, to, keepIterations = false }: ShardRequest,
  onProgress?: ProgressListener,
): ShardSummary => {
  const model = new CohortModel(scenario)
  const runKey = seedKey(seed)
  const out = new Float64Array(model.layout.observables)
  const acc = new ShardAccumulator(from, to, model.layout.observables, METRICS.length, keepIterations)
  for (let i = from; i < to; i++) {
    model.iterate(runKey, i, out)
    acc.add(out)
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

export interface RunReport {
  engineVersion: string
  scenarioId: string
  seed: Seed
  iterations: number
  cohort: Scenario['cohort']
  currency: string
  metrics: Record<string, MetricSummary>
  monthly: Record<string, { mean: (number | null)[]; sd: (number | null)[] }>
  budgetByYear: { year: number; total: number | null; lines: Record<string, number | null> }[]
}

/** JSON has no NaN: an undefined statistic is null. */
export const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null)

const QUANTILES = [0.05, 0.5, 0.95] as const

/** Summaries of observables [0, names.length) that have sketches (metric-like observables). */
export const summariseSketched = (
  merged: ShardSummary,
  moments: Float64Array,
  names: readonly string[],
  offset = 0,
): Record<string, MetricSummary> => {
  const iterations = merged.to - merged.from
  const k = merged.observables
  const metrics: Record<string, MetricSummary> = {}
  names.forEach((name, i) => {
    const j = offset + i
    const m = momentsOf(moments, k, j)
    const [p05, p50, p95] = sketchQuantiles(merged.sketch, j, QUANTILES)
    metrics[name] = {
      mean: finiteOrNull(m.mean),
      sd: finiteOrNull(m.sd),
      mcse: finiteOrNull(m.mcse),
      p05: finiteOrNull(p05),
      p50: finiteOrNull(p50),
      p95: finiteOrNull(p95),
      ...(m.n < iterations ? { n: m.n } : {}),
    }
  })
  return metrics
}

/** The report of a merged run: the object `homecoming run --json` prints and the API returns. */
export const reportRun = (
  scenario: Scenario,
  seed: Seed,
  merged: ShardSummary,
): RunReport => {
  // the layout depends on the horizon alone: no need to compile the scenario's parameters again
  const L = observableLayout(scenario.horizonMonths)
  const k = merged.observables
  const moments = foldForest(merged.forest, k)
  const monthly: RunReport['monthly'] = {}
  MONTHLY_SERIES.forEach((series, s) => {
    const mean: (number | null)[] = []
    const sd: (number | null)[] = []
    for (let t = 0; t < L.horizonMonths; t++) {
      const m = momentsOf(moments, k, L.monthlyBase + s * L.horizonMonths + t)
      mean.push(finiteOrNull(m.mean))
      sd.push(finiteOrNull(m.sd))
    }
    monthly[series] = { mean, sd }
  })
  const budgetByYear = Array.from({ length: L.years }, (_, y) => {
    const lines: Record<string, number | null> = {}
    let total = 0
    COST_LINES.forEach((line, l) => {
      const mean = momentsOf(moments, k, L.budgetBase + y * COST_LINES.length + l).mean
      lines[line] = finiteOrNull(mean)
      total += mean
    })
    return { year: y + 1, total: finiteOrNull(total), lines }
  })
  return {
    engineVersion: ENGINE_VERSION,
    scenarioId: scenario.id,
    seed,
    iterations: merged.to - merged.from,
    cohort: scenario.cohort,
    currency: scenario.currency,
    metrics: summariseSketched(merged, moments, METRICS),
    monthly,
    budgetByYear,
  }
}

/** Run a whole scenario in this thread (one shard) and report it. */
export const runInProcess = (
  scenario: Scenario,
  options: { seed: Seed; iterations: number; keepIterations?: boolean },
  onProgress?: ProgressListener,
): { report: RunReport; merged: ShardSummary } => {
  const shard = runShard(scenario, { seed: options.seed, from: 0, to: options.iterations, keepIterations: options.keepIterations }, onProgress)
  const merged = mergeShardSummaries([shard])
  return { report: reportRun(scenario, options.seed, merged), merged }
}

/** The kept iterations as CSV: one row per iteration, one column per metric. */
export const iterationsCsv = (merged: ShardSummary): string => {
  if (!merged.iterations) throw new Error('this run did not keep its iterations')
  const rows = ['iteration,' + METRICS.join(',')]
  const k = merged.sketched
  for (let i = 0; i < merged.to - merged.from; i++) {
    const cells = [String(merged.from + i)]
    for (let j = 0; j < k; j++) {
      const x = merged.iterations[i * k + j]
      cells.push(Number.isFinite(x) ? String(x) : '')
    }
    rows.push(cells.join(','))
  }
  return rows.join('\n') + '\n'
}
