/**
 * The preview worker: the engine itself (models/ is pure) on the first iterations of the run, off the main
 * thread. One pass over them gives the comparison against the removal-only version (the headline), the run's
 * series, and the per-iteration values for the histograms and the cost-effectiveness plane; the removal-only side
 * is kept between previews, so a lever moved runs the scenario alone.
 */
import { removalOnlyVersion } from '../../models/analysis/compare'
import { reportJob, type ComparisonWithRun } from '../../models/analysis/job-report'
import { ComparatorMemo } from '../../models/engine/comparator-memo'
import { M } from '../../models/engine/layout'
import { INCREMENTAL, pairedLayout, wtpGridWith } from '../../models/engine/paired-shard'
import { layoutOf } from '../../models/engine/run'
import { executeShardTask, type Job } from '../../models/engine/shard-task'
import { mergeShardSummaries, type ShardSummary } from '../../models/engine/summary'
import type { PreviewJob, PreviewMessage, PreviewSamples } from './preview-protocol'

interface WorkerScope {
  onmessage: ((event: MessageEvent<PreviewJob>) => void) | null
  postMessage(message: PreviewMessage, transfer?: Transferable[]): void
}
const scope = self as unknown as WorkerScope

/** The removal-only side of recent previews (16 MB at most). */
const memo = new ComparatorMemo(2_000_000)

/** One observable's kept values, iteration by iteration. */
const column = (merged: ShardSummary, observable: number): Float64Array => {
  const n = merged.to - merged.from
  const out = new Float64Array(n)
  const k = merged.sketched
  for (let i = 0; i < n; i++) out[i] = merged.iterations![i * k + observable]
  return out
}

scope.onmessage = ({ data: job }) => {
  try {
    const t = performance.now()
    const compare: Job = {
      kind: 'compare',
      scenario: job.scenario,
      comparator: removalOnlyVersion(job.scenario),
      seed: job.seed,
      iterations: job.iterations,
      includeRun: true,
    }
    // a preview's few iterations have exact quantiles, so the paired values of each iteration are kept
    const merged = mergeShardSummaries([executeShardTask({ ...compare, from: 0, to: job.iterations }, undefined, memo)])
    const { report: run, ...comparison } = reportJob(compare, merged) as ComparisonWithRun
    const ms = performance.now() - t
    scope.postMessage({ id: job.id, type: 'comparison', comparison, ms })
    const L = pairedLayout(wtpGridWith(0).length, layoutOf(job.scenario))
    const samples: PreviewSamples = {
      totalCost: column(merged, L.aMetrics + M.totalCost),
      costPerSustainableReintegration: column(merged, L.aMetrics + M.costPerSustainableReintegration),
      incrementalCost: column(merged, INCREMENTAL.indexOf('incrementalCost')),
      incrementalSustainable: column(merged, INCREMENTAL.indexOf('incrementalSustainable')),
    }
    // copied, not transferred: a detached ArrayBuffer makes V8 check every later typed-array access in this worker
    scope.postMessage({ id: job.id, type: 'detail', run, samples, ms })
  } catch (error) {
    scope.postMessage({ id: job.id, type: 'error', message: error instanceof Error ? error.message : String(error) })
  }
}
