/** The report of a merged job: a run's report, or a comparison's (with A's run report when the job asked for it). */
import { reportComparison, type ComparisonReport } from './compare'
import { wtpGridWith } from '../engine/paired-shard'
import { reportRun, type RunReport } from '../engine/run'
import type { Job } from '../engine/shard-task'
import type { ShardSummary } from '../engine/summary'

/** A comparison and, from the same pass, the run report of its scenario A. */
export type ComparisonWithRun = ComparisonReport & { report: RunReport }

export const reportJob = (job: Job, merged: ShardSummary): RunReport | ComparisonReport | ComparisonWithRun => {
  if (job.kind === 'run') return reportRun(job.scenario, job.seed, merged)
  const comparison = reportComparison(job.scenario, job.comparator, job.seed, merged, wtpGridWith(job.wtp ?? 0), job.wtp ?? 0)
  if (!job.includeRun) return comparison
  if (!merged.run) throw new Error('a comparison asked with its run came back without it')
  return { ...comparison, report: reportRun(job.scenario, job.seed, merged.run) }
}

/**
 * A job's report as parts that can be computed apart (on two threads) and joined to what `reportJob` gives: a
 * comparison with its run is the comparison and the run, each from its own summary; any other job is one part.
 */
export const reportParts = (job: Job, merged: ShardSummary): { job: Job; merged: ShardSummary }[] => {
  if (job.kind !== 'compare' || !job.includeRun || !merged.run) return [{ job, merged }]
  const { run, ...comparison } = merged
  return [
    { job: { ...job, includeRun: false }, merged: comparison },
    { job: { kind: 'run', scenario: job.scenario, seed: job.seed, iterations: job.iterations }, merged: run },
  ]
}

/** The report of the parts `reportParts` made, each reported by `reportJob`. */
export const joinReportParts = (parts: (RunReport | ComparisonReport | ComparisonWithRun)[]): RunReport | ComparisonReport | ComparisonWithRun =>
  parts.length === 1 ? parts[0] : { ...(parts[0] as ComparisonReport), report: parts[1] as RunReport }
