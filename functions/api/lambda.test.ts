/**
 * The Lambda entries against a real dynalite server: the API handler fed Function URL events, the shard
 * worker storing shards once, and the Lambda runners with a client whose `send` calls the worker here.
 */
import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Seed } from '../../models/engine/rng'
import { runInProcess } from '../../models/engine/run'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { reportJob } from '../../models/analysis/job-report'
import { encodeShardSummary, executeShardTask, runJob, type Job, type ShardTask } from '../../models/engine/shard-task'
import { ENGINE_VERSION } from '../../models/engine/version'
import { getPresetRaw } from '../../scenarios/index'
import { lambdaDispatcher, lambdaExecutor, mapBounded, type ShardEvent } from '../runners/lambda-executor'
import { createShardHandler } from '../shard/handler'
import { createDynamoStore, ensureTable } from '../store/dynamo-store'
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../store/embedded-dynamo'
import type { NewRun, Store } from '../store/store'
import { DEFAULT_LIMITS } from './requests'
import { backgroundShards, createRunService, unpackShard } from './run-service'

const TABLE = 'homecoming-lambda-test'

/** The variables the functions read, set for these tests and put back afterwards. */
const ENV_KEYS = [
  'TABLE_NAME',
  'SHARD_FUNCTION_NAME',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_LAMBDA',
] as const
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]))

interface FunctionUrlResult {
  statusCode: number
  body: string
  headers?: Record<string, string>
  isBase64Encoded: boolean
}

let dynamo: EmbeddedDynamo
let store: Store
let apiHandler: (event: LambdaEvent, context: LambdaContext) => Promise<FunctionUrlResult>

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo()
  await ensureTable(dynamo.client, TABLE)
  store = createDynamoStore(dynamo.client, TABLE)
  process.env.TABLE_NAME = TABLE
  process.env.SHARD_FUNCTION_NAME = 'homecoming-shard-test'
  process.env.AWS_REGION = 'local'
  process.env.AWS_ACCESS_KEY_ID = 'local'
  process.env.AWS_SECRET_ACCESS_KEY = 'local'
  delete process.env.AWS_SESSION_TOKEN
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint
  // nothing here may reach AWS: a Lambda call would go to a closed loopback port and fail
  process.env.AWS_ENDPOINT_URL_LAMBDA = 'http://127.0.0.1:9'
  // imported after the environment is set: the handler builds its clients from it on first use
  apiHandler = (await import('../../app/api-lambda')).handler as never
})

afterAll(async () => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key]
    else process.env[key] = savedEnv[key]
  }
  await dynamo?.close()
})

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`preset ${id} does not parse`)
  return parsed.scenario
}

/** The report of a single-process run of a scenario, as JSON text. */
const reportText = (scenario: Scenario, seed: Seed, iterations: number) =>
  JSON.stringify(runInProcess(scenario, { seed, iterations }).report)

const context: LambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'homecoming-api-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:homecoming-api-test',
  memoryLimitInMB: '1024',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/homecoming-api-test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
}

interface EventOptions {
  body?: string
  query?: string
  base64?: boolean
}

/** A Lambda Function URL event (payload format 2.0), as AWS delivers it for an unauthenticated URL. */
const functionUrlEvent = (method: string, path: string, options: EventOptions = {}): LambdaEvent => {
  const urlId = 'abcdefghijklmnopqrstuvwxyz012345'
  const domainName = `${urlId}.lambda-url.eu-west-1.on.aws`
  const now = new Date()
  const { body, query = '', base64 = false } = options
  const bodyHeaders =
    body === undefined
      ? {}
      : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      host: domainName,
      'user-agent': 'vitest',
      accept: 'application/json',
      'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...bodyHeaders,
    },
    ...(query ? { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? {} : { body: base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: base64,
  } as unknown as LambdaEvent
}

const invoke = async (method: string, path: string, options?: EventOptions) => {
  const result = await apiHandler(functionUrlEvent(method, path, options), context)
  const text = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body
  return { ...result, text, json: JSON.parse(text) }
}

const postRun = (request: Record<string, unknown>, options: EventOptions = {}) =>
  invoke('POST', '/api/runs', { ...options, body: JSON.stringify(request) })

describe('the API Lambda handler, fed Function URL events', () => {
  it('GET /healthz', async () => {
    const answer = await invoke('GET', '/healthz')
    expect(answer.statusCode).toBe(200)
    expect(answer.json).toEqual({ ok: true, engineVersion: expect.any(String) })
    expect(answer.headers?.['content-type']).toMatch(/application\/json/)
  })

  it('GET /api/presets', async () => {
    const answer = await invoke('GET', '/api/presets')
    expect(answer.statusCode).toBe(200)
    expect(answer.json.length).toBeGreaterThanOrEqual(6)
    expect(answer.json.map((p: { id: string }) => p.id)).toContain('uk-nao-2003')
  })

  it('POST /api/scenarios then GET it back exactly, from DynamoDB', async () => {
    const scenario = { ...(getPresetRaw('se-high-package') as object), title: 'Saved through the Lambda handler' }
    const saved = await invoke('POST', '/api/scenarios', { body: JSON.stringify(scenario) })
    expect(saved.statusCode).toBe(201)
    expect(saved.json).toEqual({ id: expect.any(String), url: `/s/${saved.json.id}`, created: true })

    const again = await invoke('POST', '/api/scenarios', { body: JSON.stringify(scenario) })
    expect(again.statusCode).toBe(200)
    expect(again.json).toEqual({ ...saved.json, created: false })

    const read = await invoke('GET', `/api/scenarios/${saved.json.id}`)
    expect(read.statusCode).toBe(200)
    expect(read.text).toBe(JSON.stringify(scenario))
    // it really is in the table the handler was configured with
    const stored = await store.getScenario(saved.json.id)
    expect(JSON.stringify(stored?.scenario)).toBe(JSON.stringify(scenario))
  })

  it('a base64-encoded body is decoded', async () => {
    const answer = await postRun({ scenarioId: 'be-low-cash', iterations: 100, seed: 3 }, { base64: true })
    expect(answer.statusCode).toBe(200)
    expect(answer.text).toBe(reportText(preset('be-low-cash'), 3, 100))
  })

  it('POST /api/runs, a small run in this process: the single-process report, to the bit', async () => {
    const answer = await postRun({ scenarioId: 'uk-nao-2003', iterations: 1000, seed: 5 })
    expect(answer.statusCode).toBe(200)
    const { report } = runInProcess(preset('uk-nao-2003'), { seed: 5, iterations: 1000 })
    expect(JSON.stringify(answer.json.metrics)).toBe(JSON.stringify(report.metrics))
    expect(answer.text).toBe(JSON.stringify(report))
  })

  it('POST /api/export.xlsx answers the workbook base64-encoded, as a Function URL needs for binary bodies', async () => {
    const body = JSON.stringify({ scenarioId: 'be-low-cash', iterations: 200, seed: 1 })
    const result = await apiHandler(functionUrlEvent('POST', '/api/export.xlsx', { body }), context)
    expect(result.statusCode).toBe(200)
    expect(result.isBase64Encoded).toBe(true)
    // an .xlsx is a zip archive: it starts with the local file header 'PK\x03\x04'
    expect([...Buffer.from(result.body, 'base64').subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04])
  })

  it('a bad request is a 400 with JSON problems', async () => {
    const malformed = await invoke('POST', '/api/runs', { body: '{"scenarioId": ' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json).toMatchObject({ error: 'invalid_request', problems: [{ path: '(body)' }] })

    const seed = await postRun({ scenarioId: 'uk-nao-2003', iterations: 10, seed: [1] })
    expect(seed.statusCode).toBe(400)
    expect(seed.json.problems).toEqual([{ path: 'seed', message: expect.stringMatching(/whole number/) }])

    const unknown = await postRun({ scenarioId: 'no-such', iterations: 10, seed: 1 })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json.problems[0].path).toBe('scenarioId')

    for (const answer of [malformed, seed, unknown]) {
      expect(answer.text).not.toMatch(/\s{2,}at |\.ts:\d/)
    }
  })

  it('an unknown path is a JSON 404', async () => {
    const answer = await invoke('GET', '/api/nowhere', { query: 'x=1' })
    expect(answer.statusCode).toBe(404)
    expect(answer.json.error).toBe('not_found')
  })
})

/**
 * A LambdaClient whose `send` runs the shard worker in this process, through JSON as Lambda would: the
 * one stand-in here, since there is no AWS. Asynchronous ('Event') invocations are delivered
 * `deliveries` times (Lambda may retry them), after the call returns.
 */
const fakeLambda = (handler: (event: ShardEvent) => Promise<unknown>, deliveries = 1) => {
  const invocations: { type: string; event: ShardEvent }[] = []
  const background: Promise<unknown>[] = []
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  const client = {
    send: async (command: InvokeCommand) => {
      const { InvocationType } = command.input
      const payload = command.input.Payload as string | Uint8Array
      const text = typeof payload === 'string' ? payload : new TextDecoder().decode(payload)
      invocations.push({ type: InvocationType ?? 'RequestResponse', event: JSON.parse(text) })
      if (InvocationType === 'Event') {
        for (let d = 0; d < deliveries; d++) {
          background.push(later(5 * d).then(() => handler(JSON.parse(text))))
        }
        return { StatusCode: 202 }
      }
      const result = await handler(JSON.parse(text))
      return { StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(result)) }
    },
  }
  return { client: client as unknown as LambdaClient, invocations, settled: () => Promise.all(background) }
}

let runCounter = 0
const newRun = (fields: Partial<NewRun> & { shardsTotal: number }): NewRun => ({
  runId: `lambda-test-run-${++runCounter}-${Date.now()}`,
  request: {},
  createdAt: new Date().toISOString(),
  keepIterations: false,
  ...fields,
})

describe('the shard worker with the DynamoDB store', () => {
  const scenario = preset('uk-nao-2003')
  const job: Job = { kind: 'run', scenario, seed: 17, iterations: 1024 }
  const task = (from: number, to: number): ShardTask => ({ ...job, from, to })
  const bits = (task: ShardTask) => encodeShardSummary(executeShardTask(task))

  it('a shard delivered twice is stored once and counted once', async () => {
    const handle = createShardHandler(store)
    const run = newRun({ request: job, shardsTotal: 2 })
    const { runId } = run
    await store.createRun(run)

    expect(await handle({ task: task(0, 512), runId, shardIndex: 0 })).toEqual({ stored: true })
    expect(await handle({ task: task(0, 512), runId, shardIndex: 0 })).toEqual({ stored: true })
    expect(await store.getRun(runId)).toMatchObject({ status: 'running', shardsDone: 1, shardsTotal: 2 })
    const shards = await store.listShardResults(runId)
    expect(shards.map((s) => s.shardIndex)).toEqual([0])
    expect(encodeShardSummary(unpackShard(shards[0].payload))).toBe(bits(task(0, 512)))

    // the other shard, delivered five times at once
    await Promise.all(Array.from({ length: 5 }, () => handle({ task: task(512, 1024), runId, shardIndex: 1 })))
    expect(await store.getRun(runId)).toMatchObject({ shardsDone: 2, shardsTotal: 2 })
    expect((await store.listShardResults(runId)).map((s) => s.shardIndex)).toEqual([0, 1])
  })

  it('without a run id it answers the packed summary: the same bits as executing the task here', async () => {
    const handle = createShardHandler(store)
    const shard = task(256, 768)
    const answer = (await handle(JSON.parse(JSON.stringify({ task: shard })))) as { summary: string }
    expect(answer.summary).toEqual(expect.any(String))
    expect(encodeShardSummary(unpackShard(answer.summary))).toBe(bits(shard))
  })

  it('a shard that throws marks its run failed and answers the error', async () => {
    const handle = createShardHandler(store)
    const run = newRun({ shardsTotal: 1 })
    await store.createRun(run)
    const broken = { ...task(0, 10), scenario: {} as Scenario }
    const answer = (await handle({ task: broken, runId: run.runId, shardIndex: 0 })) as { error?: string }
    expect(answer.error).toEqual(expect.any(String))
    expect(await store.getRun(run.runId)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('shard 0 failed'),
    })
  })
})

/** A run service whose Lambda client holds the shard events it is sent, for the test to deliver (or not). */
const heldShardRuns = () => {
  const held: ShardEvent[] = []
  const client = {
    send: async (command: InvokeCommand) => {
      held.push(JSON.parse(command.input.Payload as string))
      return { StatusCode: 202 }
    },
  } as unknown as LambdaClient
  const runs = createRunService({
    store,
    execute: lambdaExecutor(client, 'shard-fn'),
    parallelism: 1,
    dispatch: lambdaDispatcher(client, 'shard-fn'),
    limits: { ...DEFAULT_LIMITS, syncIterations: 100, shardIterations: 200 },
  })
  return { held, runs }
}

describe('the Lambda runners, with the worker behind a stand-in client', () => {
  it('runJob through lambdaExecutor merges to the single-process bits', async () => {
    const lambda = fakeLambda(createShardHandler(store))
    const scenario = preset('de-reag-garp')
    const job: Job = { kind: 'run', scenario, seed: 'lambda', iterations: 3000 }
    const merged = await runJob(job, lambdaExecutor(lambda.client, 'shard-fn'), 4)
    expect(lambda.invocations).toHaveLength(4)
    for (const call of lambda.invocations) {
      expect(call.type).toBe('RequestResponse')
      expect(call.event.runId).toBeUndefined()
    }
    const single = runInProcess(scenario, { seed: 'lambda', iterations: 3000 })
    expect(encodeShardSummary(merged)).toBe(encodeShardSummary(single.merged))
    expect(JSON.stringify(reportJob(job, merged))).toBe(JSON.stringify(single.report))
  })

  it('a worker error reaches the caller as an error', async () => {
    const lambda = fakeLambda(async () => ({ error: 'boom' }))
    const executor = lambdaExecutor(lambda.client, 'shard-fn')
    const shard: ShardTask = { kind: 'run', scenario: preset('de-reag-garp'), seed: 1, iterations: 10, from: 0, to: 10 }
    await expect(executor(shard)).rejects.toThrow('boom')
  })

  it('lambdaDispatcher + runStatus: each shard delivered twice, the run completes once, to the bit', async () => {
    const lambda = fakeLambda(createShardHandler(store), 2)
    const runs = createRunService({
      store,
      execute: lambdaExecutor(lambda.client, 'shard-fn'),
      parallelism: 2,
      dispatch: lambdaDispatcher(lambda.client, 'shard-fn', 2),
      limits: { ...DEFAULT_LIMITS, syncIterations: 1000, shardIterations: 500 },
    })
    const scenario = preset('no-deadline-grant')
    const started = await runs.startRun(scenario, { seed: 99, iterations: 2600, scenarioId: 'no-deadline-grant' })
    expect(started.status).toBe(202)
    const { runId } = started.body as { runId: string }
    const shards = backgroundShards(scenario, 2600, { shardIterations: 500 }).length
    expect(shards).toBeGreaterThan(1)
    expect(lambda.invocations.map((c) => [c.type, c.event.runId, c.event.shardIndex])).toEqual(
      Array.from({ length: shards }, (_, i) => ['Event', runId, i]),
    )

    await lambda.settled()
    const status = await runs.runStatus(runId)
    expect(status).toMatchObject({ runId, status: 'complete', shardsDone: shards, shardsTotal: shards, progress: 1 })
    expect(JSON.stringify(status!.result)).toBe(reportText(scenario, 99, 2600))
    expect((await store.getRun(runId))?.scenarioId).toBe('no-deadline-grant')
  })

  it('a run started on another engine is refused by its shards, and failed with the reason on read and on resume', async () => {
    const { held, runs } = heldShardRuns()
    const scenario = preset('be-low-cash')
    const started = await runs.startRun(scenario, { seed: 'engine', iterations: 400 })
    const { runId } = started.body as { runId: string }
    // the shards carry the engine the run started on; a worker of another engine answers an error
    expect(held.map((e) => e.task.engineVersion)).toEqual([ENGINE_VERSION, ENGINE_VERSION])
    const other = { ...held[0], runId: undefined, task: { ...held[0].task, engineVersion: '2.9.9' } }
    expect(await createShardHandler(store)(other)).toEqual({ error: expect.stringContaining('started on engine 2.9.9') })
    // a run stored by a server of another engine: never merged nor resumed, failed with why
    const record = (await store.getRun(runId))!
    const stale = newRun({ request: { ...(record.request as object), engineVersion: '2.9.9' }, shardsTotal: 2 })
    await store.createRun(stale)
    expect(await runs.resumeUnfinished()).toMatchObject({ failed: expect.arrayContaining([stale.runId]) })
    expect(await runs.runStatus(stale.runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('engine 2.9.9') })
    expect((await runs.runStatus(runId))?.status).toBe('running')
  })

  it('runStatus while shards are still arriving reports progress, then completes', async () => {
    const handle = createShardHandler(store)
    const { held, runs } = heldShardRuns()
    const scenario = preset('be-low-cash')
    const started = await runs.startRun(scenario, { seed: 'slow', iterations: 800 })
    const { runId } = started.body as { runId: string }
    expect(held).toHaveLength(4)
    expect(await runs.runStatus(runId)).toMatchObject({
      status: 'running',
      shardsDone: 0,
      shardsTotal: 4,
      progress: 0,
    })

    await handle(held[2])
    await handle(held[0])
    const partial = await runs.runStatus(runId)
    expect(partial).toMatchObject({ status: 'running', shardsDone: 2, shardsTotal: 4, progress: 0.5 })
    expect(partial!.result).toBeUndefined()

    await mapBounded([held[3], held[1], held[3]], 3, (event) => handle(event))
    const done = await runs.runStatus(runId)
    expect(done).toMatchObject({ status: 'complete', shardsDone: 4, shardsTotal: 4 })
    expect(JSON.stringify(done!.result)).toBe(reportText(scenario, 'slow', 800))
  })
})
