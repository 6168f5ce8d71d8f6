/** The DynamoDB store against a real dynalite server: conditional writes, chunking, persistence. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDynamoStore, ensureTable, keys, warmUpStore } from './dynamo-store'
import { type EmbeddedDynamo, startEmbeddedDynamo } from './embedded-dynamo'
import {
  chunkText,
  type NewRun,
  RunAlreadyExistsError,
  RunNotFoundError,
  type Store,
} from './store'

const TABLE = 'homecoming-test'

let dynamo: EmbeddedDynamo
let store: Store
let runCounter = 0

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo({ port: 0 })
  await ensureTable(dynamo.client, TABLE)
  store = createDynamoStore(dynamo.client, TABLE)
})

afterAll(async () => {
  await dynamo?.close()
})

const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  runId: `run-${++runCounter}-${Date.now()}`,
  scenarioId: 'abc',
  request: { iterations: 10_000, seed: 42, shards: 5 },
  shardsTotal: 5,
  createdAt: new Date().toISOString(),
  keepIterations: false,
  ...overrides,
})

const startRun = async (overrides: Partial<NewRun> = {}): Promise<NewRun> => {
  const run = newRun(overrides)
  await store.createRun(run)
  return run
}

const scenario = (i: number) => ({
  schemaVersion: 1,
  id: `scenario-${i}`,
  horizonMonths: 24,
  effects: { reentryShare: { dist: 'beta', alpha: 2 + i, beta: 8 }, tiny: 1.0e-7, share: 0.1 },
  arms: [{ id: 'baseline' }, { id: 'assisted', costPerPerson: 1234.5 }],
})

describe('warm-up', () => {
  it('runs the read and conditional-write paths and writes nothing, however often', async () => {
    const table = `${TABLE}-warm-up`
    await ensureTable(dynamo.client, table)
    await warmUpStore(dynamo.client, table)
    await warmUpStore(dynamo.client, table)
    const { Count } = await dynamo.client.send(new ScanCommand({ TableName: table }))
    expect(Count).toBe(0)
  })
})

describe('scenarios', () => {
  it('returns exactly the JSON that was saved: key order and numbers', async () => {
    const saved = {
      zeta: 1,
      alpha: { tiny: 1.0e-7, share: 0.1, big: 1e21, neg: -2.5e-300 },
      mid: [0.30000000000000004],
    }
    const { id, created } = await store.saveScenario(saved)
    expect(created).toBe(true)
    const got = await store.getScenario(id)
    expect(got?.id).toBe(id)
    expect(JSON.stringify(got?.scenario)).toBe(JSON.stringify(saved))
    expect(Object.keys(got?.scenario as object)).toEqual(['zeta', 'alpha', 'mid'])
    expect(got?.scenario).toEqual(saved)
    expect(Date.parse(got?.savedAt ?? '')).not.toBeNaN()
  })

  it('saving the same content again (keys reordered) keeps the first text', async () => {
    const first = { b: 2, a: { y: 0.1, x: 1.0e-7 } }
    const reordered = { a: { x: 1.0e-7, y: 0.1 }, b: 2 }
    const one = await store.saveScenario(first)
    const before = await store.getScenario(one.id)
    const two = await store.saveScenario(reordered)
    expect(two).toEqual({ id: one.id, created: false })
    const after = await store.getScenario(one.id)
    expect(JSON.stringify(after?.scenario)).toBe(JSON.stringify(first))
    expect(after?.savedAt).toBe(before?.savedAt)
  })

  it('is undefined for an id never saved', async () => {
    expect(await store.getScenario('aaaaaaaaaaaaaaaaaaaaaaaaaa')).toBeUndefined()
  })

  it('50 concurrent saves of 10 scenarios give 10 items, each created once', async () => {
    const table = 'concurrent-saves'
    await ensureTable(dynamo.client, table)
    const isolated = createDynamoStore(dynamo.client, table)
    const inputs = Array.from({ length: 50 }, (_, i) => scenario(i % 10))
    const results = await Promise.all(inputs.map((input) => isolated.saveScenario(input)))

    expect(results.filter((result) => result.created)).toHaveLength(10)
    const ids = new Set(results.map((result) => result.id))
    expect(ids.size).toBe(10)
    const scan = new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true })
    const { Count } = await dynamo.client.send(scan)
    expect(Count).toBe(10)
    for (let i = 0; i < 10; i++) {
      const got = await isolated.getScenario(results[i].id)
      expect(JSON.stringify(got?.scenario)).toBe(JSON.stringify(scenario(i)))
    }
  })
})

describe('runs', () => {
  it('creates a running run and reads it back', async () => {
    const run = await startRun({ keepIterations: true })
    expect(await store.getRun(run.runId)).toEqual({
      ...run,
      status: 'running',
      shardsDone: 0,
      updatedAt: run.createdAt,
    })
  })

  it('omits scenarioId when the run has none', async () => {
    const run = await startRun({ scenarioId: undefined })
    const got = await store.getRun(run.runId)
    expect(got).not.toHaveProperty('scenarioId')
  })

  it('refuses a second createRun with the same id and keeps the first', async () => {
    const run = await startRun()
    const before = await store.getRun(run.runId)
    const again = store.createRun({ ...run, shardsTotal: 99, request: { other: true } })
    await expect(again).rejects.toBeInstanceOf(RunAlreadyExistsError)
    await expect(again).rejects.toThrow(`run ${run.runId} already exists`)
    expect(await store.getRun(run.runId)).toEqual(before)
  })

  it('is undefined for a run never created', async () => {
    expect(await store.getRun('no-such-run')).toBeUndefined()
  })

  it('completes with a small result held on the run item', async () => {
    const run = await startRun()
    const result = { mean: 0.1, p95: 1.0e-7, arms: { b: 1, a: 2 } }
    await store.completeRun(run.runId, result)
    const got = await store.getRun(run.runId)
    expect(got?.status).toBe('complete')
    expect(JSON.stringify(got?.result)).toBe(JSON.stringify(result))
  })

  it('round-trips a 1 MB result through chunk items', async () => {
    const run = await startRun()
    const histogram = Array.from({ length: 60_000 }, (_, i) => Math.sin(i) * 1e-3)
    const result = { label: 'coût é€😀'.repeat(2_000), histogram }
    const json = JSON.stringify(result)
    expect(Buffer.byteLength(json)).toBeGreaterThan(1_000_000)

    await store.completeRun(run.runId, result)
    const got = await store.getRun(run.runId)
    expect(got?.status).toBe('complete')
    expect(JSON.stringify(got?.result)).toBe(json)

    const { Items } = await dynamo.client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.run(run.runId).PK, ':prefix': { S: 'RESULT#' } },
      }),
    )
    const chunkCount = chunkText(json).length
    expect(chunkCount).toBeGreaterThanOrEqual(3)
    expect(Items?.map((item) => item.SK.S)).toEqual(
      Array.from({ length: chunkCount }, (_, i) => `RESULT#${String(i).padStart(4, '0')}`),
    )
  })

  it('a smaller result after a chunked one replaces it', async () => {
    const run = await startRun()
    await store.completeRun(run.runId, { big: 'x'.repeat(800_000) })
    await store.completeRun(run.runId, { small: true })
    expect((await store.getRun(run.runId))?.result).toEqual({ small: true })
  })

  it('fails a running run, but never a complete one', async () => {
    const failing = await startRun()
    await store.failRun(failing.runId, 'shard 3: out of memory')
    expect(await store.getRun(failing.runId)).toMatchObject({
      status: 'failed',
      error: 'shard 3: out of memory',
    })

    const done = await startRun()
    await store.completeRun(done.runId, { ok: 1 })
    await store.failRun(done.runId, 'late duplicate timed out')
    const got = await store.getRun(done.runId)
    expect(got?.status).toBe('complete')
    expect(got?.error).toBeUndefined()
  })

  it('refuses to update a run that does not exist, rather than create one', async () => {
    await expect(store.completeRun('ghost', {})).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(store.failRun('ghost', 'x')).rejects.toBeInstanceOf(RunNotFoundError)
    await expect(store.putShardResult('ghost', 0, 'x')).rejects.toBeInstanceOf(RunNotFoundError)
    expect(await store.getRun('ghost')).toBeUndefined()
  })
})

describe('shards', () => {
  it('counts a shard once when it is stored twice', async () => {
    const run = await startRun()
    expect(await store.putShardResult(run.runId, 2, '{"n":1}')).toBe(true)
    expect(await store.putShardResult(run.runId, 2, '{"n":"retry"}')).toBe(false)
    const got = await store.getRun(run.runId)
    expect(got?.shardsDone).toBe(1)
    expect(await store.listShardResults(run.runId)).toEqual([{ shardIndex: 2, payload: '{"n":1}' }])
  })

  it('20 concurrent puts of 5 shards count 5', async () => {
    const run = await startRun({ shardsTotal: 5 })
    const puts = Array.from({ length: 20 }, (_, i) =>
      store.putShardResult(run.runId, i % 5, `shard-${i % 5}`),
    )
    const created = await Promise.all(puts)
    expect(created.filter(Boolean)).toHaveLength(5)
    expect((await store.getRun(run.runId))?.shardsDone).toBe(5)
  })

  it('a retry after a crash between store and count still counts the shard', async () => {
    const run = await startRun()
    // What a worker leaves behind when it dies after writing its payload, before counting it.
    await dynamo.client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...keys.shard(run.runId, 0), payload: { S: 'p' } },
      }),
    )
    expect(await store.putShardResult(run.runId, 0, 'p')).toBe(false)
    expect((await store.getRun(run.runId))?.shardsDone).toBe(1)
    await store.putShardResult(run.runId, 0, 'p')
    expect((await store.getRun(run.runId))?.shardsDone).toBe(1)
  })

  it('lists shards in numeric order across query pages', async () => {
    const run = await startRun({ shardsTotal: 120 })
    // ~12 KB each, 120 shards: past the 1 MB page, so the listing must follow LastEvaluatedKey.
    const payload = (i: number) => `${i}:` + 'x'.repeat(12_000)
    const order = Array.from({ length: 120 }, (_, i) => (i * 37) % 120)
    await Promise.all(order.map((i) => store.putShardResult(run.runId, i, payload(i))))
    const listed = await store.listShardResults(run.runId)
    const indices = listed.map((shard) => shard.shardIndex)
    expect(indices).toEqual(Array.from({ length: 120 }, (_, i) => i))
    expect(listed.every((shard) => shard.payload === payload(shard.shardIndex))).toBe(true)
    expect((await store.getRun(run.runId))?.shardsDone).toBe(120)
  })

  it('rejects a shard index the sort key cannot hold', async () => {
    const run = await startRun()
    await expect(store.putShardResult(run.runId, -1, 'x')).rejects.toThrow(RangeError)
    await expect(store.putShardResult(run.runId, 1.5, 'x')).rejects.toThrow(RangeError)
    await expect(store.putShardResult(run.runId, 1_000_000, 'x')).rejects.toThrow(RangeError)
  })
})

describe('iteration chunks', () => {
  it('round-trip in order', async () => {
    const run = await startRun({ keepIterations: true })
    const header = 'iteration,arm,returns,cost\n'
    const row = (i: number) => `${i},arm-${i % 3},${i % 17},${i * 1.5}\n`
    const rows = Array.from({ length: 25_000 }, (_, i) => row(i))
    const csv = header + rows.join('')
    const chunks = chunkText(csv, 100_000)
    expect(chunks.length).toBeGreaterThan(3)

    expect(await store.getIterationChunks(run.runId)).toBeUndefined()
    await store.putIterationChunks(run.runId, chunks)
    const got = await store.getIterationChunks(run.runId)
    expect(got).toEqual(chunks)
    expect(got?.join('')).toBe(csv)
  })

  it('refuses a chunk too large for one item', async () => {
    const run = await startRun({ keepIterations: true })
    await expect(store.putIterationChunks(run.runId, ['x'.repeat(500_000)])).rejects.toThrow(
      /one item holds at most/,
    )
  })

  it('is undefined for a run never created', async () => {
    expect(await store.getIterationChunks('no-such-run')).toBeUndefined()
  })
})

describe('persistence', () => {
  it('keeps a saved scenario across a restart on the same path', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'homecoming-dynalite-')), 'nested', 'db')
    try {
      const first = await startEmbeddedDynamo({ path, port: 0 })
      await ensureTable(first.client, TABLE)
      const { id } = await createDynamoStore(first.client, TABLE).saveScenario(scenario(7))
      await first.close()

      const second = await startEmbeddedDynamo({ path, port: 0 })
      try {
        await ensureTable(second.client, TABLE)
        const got = await createDynamoStore(second.client, TABLE).getScenario(id)
        expect(JSON.stringify(got?.scenario)).toBe(JSON.stringify(scenario(7)))
        // Left to dynalite, a second server on a locked folder would crash the process on its
        // first request; the start itself must fail instead.
        await expect(startEmbeddedDynamo({ path })).rejects.toThrow(/cannot open LevelDB/)
      } finally {
        await second.close()
      }
    } finally {
      await rm(join(path, '..', '..'), { recursive: true, force: true })
    }
  })
})

describe('leases, unfinished runs and retention', () => {
  it('a shard lease is one owner’s until it runs out, renewable by that owner', async () => {
    const run = await startRun()
    const until = Date.now() + 60_000
    expect(await store.leaseShard(run.runId, 0, 'server-a', until)).toBe(true)
    expect(await store.leaseShard(run.runId, 0, 'server-b', until)).toBe(false)
    expect(await store.leaseShard(run.runId, 0, 'server-a', until + 1)).toBe(true)
    expect(await store.leaseShard(run.runId, 1, 'server-b', Date.now() - 1)).toBe(true)
    // a lease that ran out is anyone's
    expect(await store.leaseShard(run.runId, 1, 'server-a', until)).toBe(true)
  })

  it('lists running runs with their counted shards, not finished ones', async () => {
    const running = await startRun()
    await store.putShardResult(running.runId, 3, 'p3')
    await store.putShardResult(running.runId, 1, 'p1')
    const done = await startRun()
    await store.completeRun(done.runId, { ok: true })
    const unfinished = await store.listUnfinishedRuns()
    const mine = unfinished.find((r) => r.runId === running.runId)
    expect(mine?.countedShards).toEqual([1, 3])
    expect(unfinished.some((r) => r.runId === done.runId)).toBe(false)
  })

  it('a run and its kept iterations expire; the sweep deletes them, saved scenarios stay', async () => {
    const expiring = createDynamoStore(dynamo.client, TABLE, { runMs: 60_000, iterationsMs: 1_000 })
    const run = newRun({ shardsTotal: 1, keepIterations: true })
    await expiring.createRun(run)
    await expiring.putShardResult(run.runId, 0, 'payload')
    await expiring.putIterationChunks(run.runId, ['a,b\n', '1,2\n'])
    await expiring.completeRun(run.runId, { ok: true })
    const { id } = await expiring.saveScenario(scenario(99))
    expect(await expiring.getIterationChunks(run.runId)).toEqual(['a,b\n', '1,2\n'])

    // two seconds on: the iterations' retention ran out, the run's did not
    const inTwoSeconds = Date.now() + 2_000
    const swept = await expiring.sweepExpired(inTwoSeconds)
    expect(swept).toBe(2)
    expect((await expiring.getRun(run.runId))?.status).toBe('complete')
    // a minute and more on: the run, its shard and its lease-free items go; the scenario stays
    expect(await expiring.sweepExpired(Date.now() + 120_000)).toBeGreaterThanOrEqual(2)
    expect(await expiring.getRun(run.runId)).toBeUndefined()
    const left = await dynamo.client.send(
      new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: `RUN#${run.runId}` } } }),
    )
    expect(left.Items).toEqual([])
    expect((await expiring.getScenario(id))?.scenario).toEqual(scenario(99))
  })
})
