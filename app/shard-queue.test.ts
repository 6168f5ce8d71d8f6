/** The shard queue against real dynalite and the real engine: leases only on shards out of the queue, same bits. */
import { QueryCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../functions/api/limits'
import { createRunService } from '../functions/api/run-service'
import { packShard } from '../functions/runners/shard-payload'
import { embeddedStoreForTests } from '../functions/store/embedded-store.test-util'
import { reportJob } from '../models/analysis/job-report'
import { parseScenario } from '../models/engine/scenario'
import { executeShardTask, inProcessExecutor, runJob, type Job, type ShardTask } from '../models/engine/shard-task'
import { getPresetRaw } from '../scenarios/index'
import { createShardQueue, type ShardQueueOptions } from './shard-queue'

const TABLE = 'shard-queue-test'
const LIMITS = { ...DEFAULT_LIMITS, syncIterations: 100, shardIterations: 128 }
const LEASE = { owner: 'this-server', ms: 60_000 }
const parsed = parseScenario(getPresetRaw('de-reag-garp'))
if (!parsed.ok) throw new Error('preset')
const scenario = parsed.scenario

const embedded = embeddedStoreForTests(TABLE)

const leasesOf = async (runId: string) => {
  const { Items = [] } = await embedded.dynamo.client.send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :lease)',
      ExpressionAttributeValues: { ':pk': { S: `RUN#${runId}` }, ':lease': { S: 'LEASE#' } },
      ConsistentRead: true,
    }),
  )
  return Items.length
}

/** A run service on the queue; `compute` sees each shard before it is computed in this thread. */
const setUp = (options: Partial<ShardQueueOptions> = {}, compute?: (task: ShardTask) => Promise<void>) => {
  const computed: number[] = []
  const queue = createShardQueue({
    store: embedded.store,
    concurrency: 1,
    lease: LEASE,
    executePacked: async (task) => {
      computed.push(task.from)
      await compute?.(task)
      return packShard(executeShardTask(task))
    },
    ...options,
  })
  const runs = createRunService({ store: embedded.store, execute: inProcessExecutor, parallelism: 1, dispatch: queue.dispatch, limits: LIMITS })
  return { queue, runs, computed }
}

const start = async (runs: ReturnType<typeof createRunService>, seed: string, iterations = 640) => {
  const started = await runs.startRun(scenario, { seed, iterations })
  expect(started.status).toBe(202)
  return (started.body as { runId: string }).runId
}

const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('the shard queue', () => {
  it('runs every shard, one leased at a time, to the bits of an in-process run', async () => {
    const leasesSeen: number[] = []
    let runId = ''
    const { runs, computed } = setUp({}, async () => {
      leasesSeen.push(await leasesOf(runId))
    })
    runId = await start(runs, 'queue-bits')
    await until(async () => (await runs.runStatus(runId))!.status !== 'running')
    const status = (await runs.runStatus(runId))!
    expect(status.status).toBe('complete')
    expect(status.shardsTotal).toBe(5)
    expect(computed).toHaveLength(5)
    // a lease per shard taken out so far, not one per shard dispatched (5 from the first)
    expect(leasesSeen).toEqual([1, 2, 3, 4, 5])
    const job: Job = { kind: 'run', scenario, seed: 'queue-bits', iterations: 640 }
    expect(JSON.stringify(status.result)).toBe(JSON.stringify(reportJob(job, await runJob(job, inProcessExecutor, 1))))
  })

  it('leaves a shard another server holds a live lease on, and never computes a shard counted already', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    let runId = ''
    const { runs, queue, computed } = setUp({}, async (task) => {
      if (task.from === 0) await gate
    })
    runId = await start(runs, 'queue-lease')
    await until(async () => computed.length === 1)
    await embedded.store.leaseShard(runId, 2, 'another-server', Date.now() + 60_000)
    release()
    await until(async () => (await embedded.store.getRun(runId))!.shardsDone === 4)
    expect(computed).toEqual([0, 128, 384, 512])
    // dispatched again (the resume timer): only the shard the other server holds is missing, and it is still held
    const job: Job = { kind: 'run', scenario, seed: 'queue-lease', iterations: 640 }
    const again = [0, 1, 2].map((index) => ({ index, task: { ...job, from: index * 128, to: (index + 1) * 128 } }))
    const { finished } = await queue.dispatch(runId, again)
    await finished
    expect(computed).toEqual([0, 128, 384, 512])
    expect((await embedded.store.getRun(runId))!.countedShards).toEqual([0, 1, 3, 4])
  })

  it('a shard that fails every attempt marks its run failed, naming the shard', async () => {
    const { runs } = setUp({ attempts: 2 }, async (task) => {
      if (task.from === 256) throw new Error('the worker thread stopped')
    })
    const runId = await start(runs, 'queue-fail')
    await until(async () => (await runs.runStatus(runId))!.status !== 'running')
    expect((await runs.runStatus(runId))!.error).toBe('shard 2 failed 2 times: the worker thread stopped')
  })

  it('closed: the shards still waiting are not computed and the run stays resumable, not failed', async () => {
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { runs, queue, computed } = setUp({}, () => gate)
    const runId = await start(runs, 'queue-close')
    await until(async () => computed.length === 1)
    expect(queue.waiting()).toBe(4)
    const { drained } = queue.close()
    expect(queue.waiting()).toBe(0)
    release()
    await drained
    expect(computed).toEqual([0])
    const record = (await embedded.store.getRun(runId))!
    expect(record.status).toBe('running')
    expect(record.countedShards).toEqual([0])
  })
})
