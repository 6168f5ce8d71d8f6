/** A comparison's run of A from the same pass, and its comparator read back from the memo: the bits of running them. */
import { describe, expect, it } from 'vitest'
import { removalOnlyVersion } from '../analysis/compare'
import { reportJob } from '../analysis/job-report'
import { getPresetRaw } from '../../scenarios/index'
import { ComparatorMemo } from './comparator-memo'
import { runCompareShard } from './paired-shard'
import { parseScenario, type Scenario } from './scenario'
import { decodeShardSummary, encodeShardSummary, executeShardTask, inProcessExecutor, runJob, type Job } from './shard-task'
import { mergeShardSummaries } from './summary'

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

const germany = preset('de-reag-garp')
const comparator = removalOnlyVersion(germany)
const SEED = 'memo'
const ITERATIONS = 300

const compareJob = (scenario: Scenario, extra: Partial<Job> = {}): Job =>
  ({ kind: 'compare', scenario, comparator, seed: SEED, iterations: ITERATIONS, ...extra }) as Job

/** A job's report over shards of it executed with `memo` (each shard's range the same for the same shard count). */
const reportOver = (job: Job, shards: number, memo?: ComparatorMemo) =>
  runJob(job, async (task) => executeShardTask(task, undefined, memo), shards).then((merged) => JSON.stringify(reportJob(job, merged)))

describe('a comparison with its run (includeRun)', () => {
  it('gives the comparison and the run of A bit for bit as the two jobs apart, for any shard count', async () => {
    const both = JSON.parse(await reportOver(compareJob(germany, { includeRun: true }), 3))
    const { report, ...comparison } = both
    const alone = JSON.parse(await reportOver(compareJob(germany), 1))
    const run = JSON.parse(await reportOver({ kind: 'run', scenario: germany, seed: SEED, iterations: ITERATIONS }, 2))
    expect(comparison).toEqual(alone)
    expect(report).toEqual(run)
    expect(report.metrics.returnsAssisted.mean).toBeGreaterThan(0)
  })

  it('carries the run summary through the transport and the merge', async () => {
    const job = compareJob(germany, { includeRun: true })
    const shards = [
      executeShardTask({ ...job, from: 0, to: 128 }),
      executeShardTask({ ...job, from: 128, to: ITERATIONS }),
    ].map((s) => decodeShardSummary(encodeShardSummary(s)))
    expect(shards.every((s) => s.run && s.run.to - s.run.from === s.to - s.from)).toBe(true)
    const merged = mergeShardSummaries(shards)
    expect(JSON.stringify(reportJob(job, merged))).toBe(JSON.stringify(reportJob(job, await runJob(job, inProcessExecutor, 1))))
    // shards of a comparison with and without it do not mix
    expect(() => mergeShardSummaries([shards[0], executeShardTask({ ...compareJob(germany), from: 128, to: ITERATIONS })])).toThrow(
      /with and without/,
    )
  })
})

describe('the comparator memo', () => {
  it('answers a comparison against a remembered comparator with the bits of running it, and only for that comparator', async () => {
    const memo = new ComparatorMemo(1_000_000)
    const first = await reportOver(compareJob(germany), 2, memo)
    expect(memo.size).toBeGreaterThan(0)
    const held = memo.size
    // A moved (another package): the comparator is the same, read back (nothing more is held)
    const moved = { ...germany, programme: { ...germany.programme!, cashPerAdult: { dist: 'point' as const, value: 2500 } } }
    const withMemo = await reportOver(compareJob(moved), 2, memo)
    expect(memo.size).toBe(held)
    expect(withMemo).toBe(await reportOver(compareJob(moved), 2))
    expect(withMemo).not.toBe(first)
    // another seed is another comparator run: stored beside the first
    await reportOver(compareJob(moved, { seed: 'other' }), 2, memo)
    expect(memo.size).toBe(2 * held)
  })

  it('keeps at most its bound of values, forgetting the least recently used', () => {
    const memo = new ComparatorMemo(1000)
    memo.set('a', 0, 64, new Float64Array(400))
    memo.set('b', 0, 64, new Float64Array(400))
    expect(memo.get('a', 0, 64, 400 / 64)).toBeDefined() // a is now the most recent
    memo.set('c', 0, 64, new Float64Array(400))
    expect(memo.size).toBe(800)
    expect(memo.get('b', 0, 64, 400 / 64)).toBeUndefined()
    expect(memo.get('a', 0, 64, 400 / 64)).toBeDefined()
    // a range it never saw, or rows of another width, are not an answer
    expect(memo.get('a', 64, 128, 400 / 64)).toBeUndefined()
    expect(memo.get('a', 0, 64, 5)).toBeUndefined()
    memo.set('huge', 0, 64, new Float64Array(2000))
    expect(memo.get('huge', 0, 64, 2000 / 64)).toBeUndefined()
  })

  it('is read by runCompareShard only where the range matches', () => {
    const memo = new ComparatorMemo(1_000_000)
    const request = { seed: SEED, from: 64, to: 192, memo }
    const stored = encodeShardSummary(runCompareShard(germany, comparator, request))
    expect(encodeShardSummary(runCompareShard(germany, comparator, request))).toBe(stored)
    expect(encodeShardSummary(runCompareShard(germany, comparator, { ...request, memo: undefined }))).toBe(stored)
  })
})
