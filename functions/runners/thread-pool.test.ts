import { afterAll, describe, expect, it } from 'vitest'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { reportJob } from '../../models/analysis/job-report'
import { encodeShardSummary, inProcessExecutor, runJob, type Job } from '../../models/engine/shard-task'
import { getPresetRaw } from '../../scenarios/index'
import { tornado } from '../../models/analysis/sensitivity'
import { createThreadPool } from './thread-pool'

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(id)
  return parsed.scenario
}

describe('worker threads merge to the same bits as one shard', () => {
  const pool = createThreadPool(2)
  afterAll(() => pool.close())

  it('a stochastic run: 1 shard in-process = 2 threads = 5 shards over 2 threads', async () => {
    const job: Job = { kind: 'run', scenario: preset('de-reag-garp'), seed: 'bits', iterations: 1000 }
    const one = await runJob(job, inProcessExecutor, 1)
    const two = await runJob(job, pool.execute, 2)
    const five = await runJob(job, pool.execute, 5)
    expect(encodeShardSummary(two)).toBe(encodeShardSummary(one))
    expect(encodeShardSummary(five)).toBe(encodeShardSummary(one))
    expect(JSON.stringify(reportJob(job, five))).toBe(JSON.stringify(reportJob(job, one)))
  })

  it('a run long enough for sketched quantiles: its sketches cross the threads and merge to the same bits', async () => {
    const job: Job = {
      kind: 'run',
      scenario: { ...preset('uk-nao-2003'), cohort: 'expected', horizonMonths: 6 },
      seed: 'sketch',
      iterations: 20_480,
    }
    const one = await runJob(job, inProcessExecutor, 1)
    expect(one.sketch).toBeDefined()
    const three = await runJob(job, pool.execute, 3)
    expect(encodeShardSummary(three)).toBe(encodeShardSummary(one))
    expect(JSON.stringify(reportJob(job, three))).toBe(JSON.stringify(reportJob(job, one)))
  })

  it('a comparison across threads equals the in-process one', async () => {
    const job: Job = {
      kind: 'compare',
      scenario: preset('de-reag-garp'),
      comparator: preset('removal-only'),
      seed: 7,
      iterations: 700,
    }
    const one = reportJob(job, await runJob(job, inProcessExecutor, 1))
    const three = reportJob(job, await runJob(job, pool.execute, 3))
    expect(JSON.stringify(three)).toBe(JSON.stringify(one))
  })

  it('a tornado split by inputs over the threads has the same bars as one thread', async () => {
    const scenario = preset('de-reag-garp')
    const spec = { outcome: 'totalCost' as const }
    const sampling = { seed: 'tornado', iterations: 64 }
    const options = { mode: 'psa-mean' as const, expectedCohort: true }
    const single = tornado(scenario, spec, sampling, options)
    const parallel = await pool.tornado({ scenario, spec, sampling, options })
    expect(parallel.bars.length).toBe(single.bars.length)
    expect(JSON.stringify(parallel)).toBe(JSON.stringify({ ...single, bars: parallel.bars }))
    const byPath = new Map(single.bars.map((b) => [b.path, b]))
    for (const bar of parallel.bars) expect(bar).toEqual(byPath.get(bar.path))
    expect(parallel.bars.map((b) => b.swing)).toEqual(single.bars.map((b) => b.swing))
  })

  it('a failing task rejects with its message instead of hanging', async () => {
    const job = { kind: 'run', scenario: { nonsense: true }, seed: 1, iterations: 64 } as unknown as Job
    await expect(runJob(job, pool.execute, 1)).rejects.toThrow()
  })
})
