/**
 * The preview worker: the engine itself (models/ is pure) on the first iterations of the run, off the main
 * thread. First the comparison against the removal-only version (the headline), then the run's series and the
 * per-iteration values for the histograms and the cost-effectiveness plane.
 */
import { compareInProcess, removalOnlyVersion } from '../../models/analysis/compare'
import { M } from '../../models/engine/layout'
import { runInProcess } from '../../models/engine/run'
import type { ShardSummary } from '../../models/engine/summary'
import type { PreviewJob, PreviewMessage, PreviewSamples } from './preview-protocol'

interface WorkerScope {
  onmessage: ((event: MessageEvent<PreviewJob>) => void) | null
  postMessage(message: PreviewMessage, transfer?: Transferable[]): void
}
const scope = self as unknown as WorkerScope

/** One metric's kept values, iteration by iteration. */
const column = (merged: ShardSummary, metric: number): Float64Array => {
  const n = merged.to - merged.from
  const out = new Float64Array(n)
  const k = merged.sketched
  for (let i = 0; i < n; i++) out[i] = merged.iterations![i * k + metric]
  return out
}

scope.onmessage = ({ data: job }) => {
  try {
    let t = performance.now()
    const comparator = removalOnlyVersion(job.scenario)
    const options = { seed: job.seed, iterations: job.iterations }
    const comparison = compareInProcess(job.scenario, comparator, options)
    scope.postMessage({ id: job.id, type: 'comparison', comparison, ms: performance.now() - t })
    t = performance.now()
    const a = runInProcess(job.scenario, { ...options, keepIterations: true })
    const b = runInProcess(comparator, { ...options, keepIterations: true })
    const costA = column(a.merged, M.totalCost)
    const costB = column(b.merged, M.totalCost)
    const sustainableA = column(a.merged, M.sustainableReintegrations)
    const sustainableB = column(b.merged, M.sustainableReintegrations)
    const samples: PreviewSamples = {
      totalCost: costA,
      costPerSustainableReintegration: column(a.merged, M.costPerSustainableReintegration),
      incrementalCost: costA.map((x, i) => x - costB[i]),
      incrementalSustainable: sustainableA.map((x, i) => x - sustainableB[i]),
    }
    // copied, not transferred: a detached ArrayBuffer makes V8 check every later typed-array access in this worker
    scope.postMessage({ id: job.id, type: 'detail', run: a.report, samples, ms: performance.now() - t })
  } catch (error) {
    scope.postMessage({ id: job.id, type: 'error', message: error instanceof Error ? error.message : String(error) })
  }
}
