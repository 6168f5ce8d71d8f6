/** The report of a merged job: a run's report, or a comparison's. */
import { reportComparison, type ComparisonReport } from './compare'
import { wtpGridWith } from '../engine/paired-shard'
import { reportRun, type RunReport } from '../engine/run'
import type { Job } from '../engine/shard-task'
import type { ShardSummary } from '../engine/summary'

export const reportJob = (job: Job, merged: ShardSummary): RunReport | ComparisonReport =>
  job.kind === 'run'
    ? reportRun(job.scenario, job.seed, merged)
    : reportComparison(job.scenario, job.comparator, job.seed, merged, wtpGridWith(job.wtp ?? 0), job.wtp ?? 0)
