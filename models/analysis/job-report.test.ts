/** A job's report in parts (computed apart, on two threads) joins to the report computed whole. */
import { describe, expect, it } from 'vitest'
import { getPresetRaw } from '../../scenarios/index'
import { parseScenario } from '../engine/scenario'
import { inProcessExecutor, runJob, type Job } from '../engine/shard-task'
import { removalOnlyVersion } from './compare'
import { joinReportParts, reportJob, reportParts } from './job-report'

const scenario = (() => {
  const parsed = parseScenario(getPresetRaw('de-reag-garp'))
  if (!parsed.ok) throw new Error('the preset does not parse')
  return parsed.scenario
})()

describe('reportParts', () => {
  it('a comparison with its run: two parts, joined deep-equal to the whole report', async () => {
    const job: Job = { kind: 'compare', scenario, comparator: removalOnlyVersion(scenario), seed: 7, iterations: 256, includeRun: true }
    const merged = await runJob(job, inProcessExecutor, 2)
    const parts = reportParts(job, merged)
    expect(parts.map((p) => p.job.kind)).toEqual(['compare', 'run'])
    expect(parts[0].merged.run).toBeUndefined()
    expect(joinReportParts(parts.map((p) => reportJob(p.job, p.merged)))).toEqual(reportJob(job, merged))
  })

  it('a run, or a comparison alone: one part, the job itself', async () => {
    const run: Job = { kind: 'run', scenario, seed: 7, iterations: 128 }
    const compare: Job = { kind: 'compare', scenario, comparator: removalOnlyVersion(scenario), seed: 7, iterations: 128 }
    for (const job of [run, compare]) {
      const merged = await runJob(job, inProcessExecutor, 1)
      const parts = reportParts(job, merged)
      expect(parts).toEqual([{ job, merged }])
      expect(joinReportParts(parts.map((p) => reportJob(p.job, p.merged)))).toEqual(reportJob(job, merged))
    }
  })
})
