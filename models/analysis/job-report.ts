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
