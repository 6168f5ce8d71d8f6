/** Store on DynamoDB: one table, single-item conditional writes, no transactions. */
import {
  type AttributeValue,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type TableStatus,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import { gunzipSync, gzipSync } from 'node:zlib'
import { contentId } from './canonical'
import {
  chunkText,
  type NewRun,
  type RunRecord,
  type RunStatus,
  RunAlreadyExistsError,
  RunNotFoundError,
  type Retention,
  type ShardResult,
  type ShareStore,
  type Store,
} from './store'

type Item = Record<string, AttributeValue>

/**
 * Largest string stored in one item. DynamoDB's limit is 400 KB for the whole item, names and keys
 * included; the margin covers those, so an oversize payload fails here with its name, not as a
 * bare ValidationException.
 */
export const MAX_PAYLOAD_BYTES = 390_000

/** A result above this goes to RESULT# chunk items, leaving the run item room for the request. */
export const RESULT_INLINE_MAX_BYTES = 300_000

/** Zero-padded so that the sort key order is the numeric order. */
const SHARD_DIGITS = 6
const CHUNK_DIGITS = 4
const MAX_SHARD_INDEX = 10 ** SHARD_DIGITS - 1
const MAX_CHUNKS = 10 ** CHUNK_DIGITS

/** Chunk writes in flight at once: enough to be quick, few enough to stay clear of throttling. */
const CHUNK_WRITE_CONCURRENCY = 4

const SHARD_PREFIX = 'SHARD#'
const RESULT_PREFIX = 'RESULT#'
const ITER_PREFIX = 'ITER#'
const LEASE_PREFIX = 'LEASE#'

/** The TTL attribute (epoch seconds), the name the CDK table gives DynamoDB's time to live. */
export const EXPIRES_AT = 'expiresAt'

const pad = (index: number, digits: number): string => String(index).padStart(digits, '0')

/**
 * The key schema, in one place. PK groups a run with its shards and chunks, so one Query reads
 * them in order; SK tells the item kinds apart.
 */
export const keys = {
  scenario: (id: string): Item => ({ PK: { S: `SCENARIO#${id}` }, SK: { S: 'SCENARIO' } }),
  share: (id: string): Item => ({ PK: { S: `SHARE#${id}` }, SK: { S: 'SHARE' } }),
  run: (runId: string): Item => ({ PK: { S: `RUN#${runId}` }, SK: { S: 'RUN' } }),
  shard: (runId: string, shardIndex: number): Item => ({
    PK: { S: `RUN#${runId}` },
    SK: { S: `${SHARD_PREFIX}${pad(shardIndex, SHARD_DIGITS)}` },
  }),
  chunk: (runId: string, prefix: string, index: number): Item => ({
    PK: { S: `RUN#${runId}` },
    SK: { S: `${prefix}${pad(index, CHUNK_DIGITS)}` },
  }),
  lease: (runId: string, shardIndex: number): Item => ({
    PK: { S: `RUN#${runId}` },
    SK: { S: `${LEASE_PREFIX}${pad(shardIndex, SHARD_DIGITS)}` },
  }),
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException'

const text = (item: Item, name: string): string | undefined => item[name]?.S

const number = (item: Item, name: string): number | undefined => {
  const value = item[name]?.N
  return value === undefined ? undefined : Number(value)
}

const requireText = (item: Item, name: string): string => {
  const value = text(item, name)
  if (value === undefined) throw new Error(`store item ${item.PK?.S}/${item.SK?.S} lacks ${name}`)
  return value
}

const toJson = (value: unknown, what: string): string => {
  const json = JSON.stringify(value) as string | undefined
  if (json === undefined) throw new TypeError(`${what} has no JSON form (got ${typeof value})`)
  return json
}

const assertFits = (payload: string, what: string): void => {
  const bytes = Buffer.byteLength(payload, 'utf8')
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`${what} is ${bytes} bytes; one item holds at most ${MAX_PAYLOAD_BYTES}`)
  }
}

/** The trailing index of a chunk or shard sort key: "SHARD#000012" -> 12. */
const sortKeyIndex = (item: Item, prefix: string): number =>
  Number(requireText(item, 'SK').slice(prefix.length))

const forEachLimited = async <T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      await task(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export const createDynamoStore = (client: DynamoDBClient, tableName: string, retention?: Retention): Store & ShareStore => {
  const now = (): string => new Date().toISOString()

  /** The expiry attribute of an item kept `ms` from now (none without a retention). */
  const expiry = (ms: number | undefined): Item =>
    ms === undefined ? {} : { [EXPIRES_AT]: { N: String(Math.ceil((Date.now() + ms) / 1000)) } }
  const runExpiry = () => expiry(retention?.runMs)
  /** DynamoDB deletes expired items within a day or two, not at once: a read treats them as gone already. */
  const expired = (item: Item, name = EXPIRES_AT): boolean => {
    const at = number(item, name)
    return at !== undefined && at * 1000 <= Date.now()
  }

  /** Writes the item unless its key exists; false means it existed and nothing was written. */
  const putIfAbsent = async (item: Item): Promise<boolean> => {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      )
      return true
    } catch (error) {
      if (isConditionFailure(error)) return false
      throw error
    }
  }

  const getItem = async (key: Item, projection?: string): Promise<Item | undefined> => {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: key,
        ConsistentRead: true,
        ProjectionExpression: projection,
      }),
    )
    return Item
  }

  const runExists = async (runId: string): Promise<boolean> =>
    (await getItem(keys.run(runId), 'PK')) !== undefined

  /**
   * Updates the run item under a condition that includes attribute_exists(PK), so an update never
   * creates a stray run. Returns false when the condition failed on a run that does exist.
   */
  const updateRun = async (
    runId: string,
    update: {
      expression: string
      condition: string
      names?: Record<string, string>
      values: Record<string, AttributeValue>
    },
  ): Promise<boolean> => {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keys.run(runId),
          UpdateExpression: update.expression,
          ConditionExpression: update.condition,
          ExpressionAttributeNames: update.names,
          ExpressionAttributeValues: update.values,
        }),
      )
      return true
    } catch (error) {
      if (!isConditionFailure(error)) throw error
      if (!(await runExists(runId))) throw new RunNotFoundError(runId)
      return false
    }
  }

  /** Every item of the run whose sort key starts with prefix, in sort key order, across pages. */
  const queryRun = async (runId: string, prefix: string): Promise<Item[]> => {
    const items: Item[] = []
    let startKey: Item | undefined
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': { S: `RUN#${runId}` }, ':prefix': { S: prefix } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      )
      items.push(...(page.Items ?? []))
      startKey = page.LastEvaluatedKey
    } while (startKey)
    return items
  }

  /** Every item matching the filter (only the projected attributes, when given), a page at a time. */
  const scan = async (
    filter: string,
    values: Record<string, AttributeValue>,
    names: Record<string, string> | undefined,
    onPage: (items: Item[]) => Promise<void>,
    projection?: string,
  ): Promise<void> => {
    let startKey: Item | undefined
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: names ?? (filter.includes('#status') ? { '#status': 'status' } : undefined),
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ProjectionExpression: projection,
        }),
      )
      await onPage(page.Items ?? [])
      startKey = page.LastEvaluatedKey
    } while (startKey)
  }

  /**
   * Chunks are written before the run item records their count, and read back up to that count
   * only, so a reader never sees a half-written set, and leftovers of a longer earlier write are
   * ignored.
   */
  const writeChunks = async (runId: string, prefix: string, chunks: string[]): Promise<void> => {
    if (chunks.length > MAX_CHUNKS) {
      throw new RangeError(`${chunks.length} chunks for run ${runId}; at most ${MAX_CHUNKS}`)
    }
    chunks.forEach((chunk, index) => assertFits(chunk, `chunk ${index} of run ${runId}`))
    await forEachLimited(chunks, CHUNK_WRITE_CONCURRENCY, async (chunk, index) => {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...keys.chunk(runId, prefix, index), payload: { S: chunk }, ...expiry(prefix === ITER_PREFIX ? retention?.iterationsMs : retention?.runMs) },
        }),
      )
    })
  }

  const readChunks = async (runId: string, prefix: string, count: number): Promise<string[]> => {
    const chunks = (await queryRun(runId, prefix))
      .filter((item) => sortKeyIndex(item, prefix) < count)
      .map((item) => requireText(item, 'payload'))
    if (chunks.length !== count) {
      throw new Error(`run ${runId}: expected ${count} ${prefix} chunks, found ${chunks.length}`)
    }
    return chunks
  }

  const toRunRecord = async (item: Item): Promise<RunRecord> => {
    const runId = requireText(item, 'runId')
    const resultChunks = number(item, 'resultChunks')
    const resultJson =
      resultChunks === undefined
        ? text(item, 'resultJson')
        : (await readChunks(runId, RESULT_PREFIX, resultChunks)).join('')
    const record: RunRecord = {
      runId,
      request: JSON.parse(requireText(item, 'requestJson')),
      status: requireText(item, 'status') as RunStatus,
      shardsTotal: number(item, 'shardsTotal') ?? 0,
      shardsDone: number(item, 'shardsDone') ?? 0,
      createdAt: requireText(item, 'createdAt'),
      updatedAt: requireText(item, 'updatedAt'),
      keepIterations: item.keepIterations?.BOOL ?? false,
    }
    const scenarioId = text(item, 'scenarioId')
    if (scenarioId !== undefined) record.scenarioId = scenarioId
    if (resultJson !== undefined) record.result = JSON.parse(resultJson)
    const error = text(item, 'error')
    if (error !== undefined) record.error = error
    const counted = item.countedShards?.NS
    if (counted) record.countedShards = counted.map(Number).sort((a, b) => a - b)
    return record
  }

  return {
    async saveScenario(scenario) {
      const id = contentId(scenario)
      // The text as given, not the canonical form: the caller's key order is what it reads back.
      const scenarioJson = toJson(scenario, 'scenario')
      assertFits(scenarioJson, `scenario ${id}`)
      const created = await putIfAbsent({
        ...keys.scenario(id),
        scenarioJson: { S: scenarioJson },
        savedAt: { S: now() },
      })
      return { id, created }
    },

    async getScenario(id) {
      const item = await getItem(keys.scenario(id))
      if (item === undefined) return undefined
      return {
        id,
        scenario: JSON.parse(requireText(item, 'scenarioJson')),
        savedAt: requireText(item, 'savedAt'),
      }
    },

    async saveShare(share) {
      const id = contentId(share)
      // compressed: a report snapshot repeats its keys; the item stays far below 400 KB
      const payload = gzipSync(toJson(share, `share ${id}`)).toString('base64')
      assertFits(payload, `share ${id}`)
      const created = await putIfAbsent({ ...keys.share(id), shareGzip: { S: payload }, savedAt: { S: now() } })
      return { id, created }
    },

    async getShare(id) {
      const item = await getItem(keys.share(id))
      if (item === undefined) return undefined
      const share = JSON.parse(gunzipSync(Buffer.from(requireText(item, 'shareGzip'), 'base64')).toString('utf8'))
      return { id, scenario: share.scenario, snapshot: share.snapshot, savedAt: requireText(item, 'savedAt') }
    },

    async createRun(run: NewRun) {
      if (!Number.isInteger(run.shardsTotal) || run.shardsTotal < 0) {
        throw new RangeError(`run ${run.runId}: shardsTotal must be a non-negative integer`)
      }
      const requestJson = toJson(run.request, `request of run ${run.runId}`)
      assertFits(requestJson, `request of run ${run.runId}`)
      const item: Item = {
        ...keys.run(run.runId),
        runId: { S: run.runId },
        requestJson: { S: requestJson },
        status: { S: 'running' satisfies RunStatus },
        shardsTotal: { N: String(run.shardsTotal) },
        shardsDone: { N: '0' },
        createdAt: { S: run.createdAt },
        updatedAt: { S: run.createdAt },
        keepIterations: { BOOL: run.keepIterations },
        ...runExpiry(),
      }
      if (run.scenarioId !== undefined) item.scenarioId = { S: run.scenarioId }
      if (!(await putIfAbsent(item))) throw new RunAlreadyExistsError(run.runId)
    },

    async getRun(runId) {
      const item = await getItem(keys.run(runId))
      return item === undefined || expired(item) ? undefined : toRunRecord(item)
    },

    async putShardResult(runId, shardIndex, payload) {
      if (!Number.isInteger(shardIndex) || shardIndex < 0 || shardIndex > MAX_SHARD_INDEX) {
        const rule = `an integer in 0..${MAX_SHARD_INDEX}`
        throw new RangeError(`shardIndex must be ${rule}, got ${shardIndex} (run ${runId})`)
      }
      assertFits(payload, `shard ${shardIndex} of run ${runId}`)
      const created = await putIfAbsent({
        ...keys.shard(runId, shardIndex),
        payload: { S: payload },
        storedAt: { S: now() },
        ...runExpiry(),
      })
      // The counter and the set of counted shards move in one conditional update, so a shard is
      // counted exactly once. Doing it even when the put found the shard already there heals a
      // worker that died between the put and the count: its retry still gets the shard counted.
      await updateRun(runId, {
        expression: 'ADD shardsDone :one, countedShards :shardSet SET updatedAt = :now',
        condition: 'attribute_exists(PK) AND NOT contains(countedShards, :shard)',
        values: {
          ':one': { N: '1' },
          ':shardSet': { NS: [String(shardIndex)] },
          ':shard': { N: String(shardIndex) },
          ':now': { S: now() },
        },
      })
      return created
    },

    async listShardResults(runId): Promise<ShardResult[]> {
      return (await queryRun(runId, SHARD_PREFIX)).map((item) => ({
        shardIndex: sortKeyIndex(item, SHARD_PREFIX),
        payload: requireText(item, 'payload'),
      }))
    },

    async completeRun(runId, result) {
      const resultJson = toJson(result, `result of run ${runId}`)
      const inline = Buffer.byteLength(resultJson, 'utf8') <= RESULT_INLINE_MAX_BYTES
      const values: Record<string, AttributeValue> = {
        ':complete': { S: 'complete' satisfies RunStatus },
        ':now': { S: now() },
      }
      let resultFields: string
      if (inline) {
        values[':result'] = { S: resultJson }
        resultFields = 'resultJson = :result REMOVE resultChunks'
      } else {
        const chunks = chunkText(resultJson)
        await writeChunks(runId, RESULT_PREFIX, chunks)
        values[':count'] = { N: String(chunks.length) }
        resultFields = 'resultChunks = :count REMOVE resultJson'
      }
      await updateRun(runId, {
        expression: `SET #status = :complete, updatedAt = :now, ${resultFields}`,
        condition: 'attribute_exists(PK)',
        names: { '#status': 'status' },
        values,
      })
    },

    async failRun(runId, error) {
      // A late failure (a retried shard, a timed-out duplicate) must not bury a finished result;
      // when the condition fails on an existing run, that run is complete and stays so.
      await updateRun(runId, {
        expression: 'SET #status = :failed, #error = :error, updatedAt = :now',
        condition: 'attribute_exists(PK) AND #status <> :complete',
        names: { '#status': 'status', '#error': 'error' },
        values: {
          ':failed': { S: 'failed' satisfies RunStatus },
          ':complete': { S: 'complete' satisfies RunStatus },
          ':error': { S: error },
          ':now': { S: now() },
        },
      })
    },

    async putIterationChunks(runId, csvChunks) {
      await writeChunks(runId, ITER_PREFIX, csvChunks)
      const iterationsExpiry = expiry(retention?.iterationsMs)[EXPIRES_AT]
      await updateRun(runId, {
        expression: `SET iterationChunks = :count, updatedAt = :now${iterationsExpiry ? ', iterationsExpireAt = :expires' : ''}`,
        condition: 'attribute_exists(PK)',
        values: { ':count': { N: String(csvChunks.length) }, ':now': { S: now() }, ...(iterationsExpiry ? { ':expires': iterationsExpiry } : {}) },
      })
    },

    async getIterationChunks(runId) {
      const item = await getItem(keys.run(runId), 'iterationChunks, iterationsExpireAt, expiresAt')
      if (item === undefined || expired(item) || expired(item, 'iterationsExpireAt')) return undefined
      const count = number(item, 'iterationChunks')
      return count === undefined ? undefined : readChunks(runId, ITER_PREFIX, count)
    },

    async listUnfinishedRuns() {
      const runs: RunRecord[] = []
      await scan('SK = :run AND #status = :running', { ':run': { S: 'RUN' }, ':running': { S: 'running' satisfies RunStatus } }, undefined, async (items) => {
        for (const item of items) if (!expired(item)) runs.push(await toRunRecord(item))
      })
      return runs
    },

    async leaseShard(runId, shardIndex, owner, untilMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { ...keys.lease(runId, shardIndex), owner: { S: owner }, leaseUntil: { N: String(untilMs) }, ...runExpiry() },
            ConditionExpression: 'attribute_not_exists(PK) OR leaseUntil < :now OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':now': { N: String(Date.now()) }, ':owner': { S: owner } },
          }),
        )
        return true
      } catch (error) {
        if (isConditionFailure(error)) return false
        throw error
      }
    },

    async sweepExpired(nowMs) {
      let deleted = 0
      const names = { '#expires': EXPIRES_AT }
      // keys only: the expired items are shard payloads and result chunks of up to 390 KB each, parsed for nothing
      const onPage = async (items: Item[]) => {
        await forEachLimited(items, CHUNK_WRITE_CONCURRENCY, async (item) => {
          await client.send(new DeleteItemCommand({ TableName: tableName, Key: { PK: item.PK, SK: item.SK } }))
          deleted++
        })
      }
      await scan('#expires <= :now', { ':now': { N: String(Math.floor(nowMs / 1000)) } }, names, onPage, 'PK, SK')
      return deleted
    },
  }
}

const describeStatus = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<TableStatus | undefined> => {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    return Table?.TableStatus
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined
    throw error
  }
}

/**
 * Creates the table (on-demand, PK/SK strings) unless it exists, then waits for ACTIVE. A short
 * poll rather than the SDK waiter, whose 20 s minimum delay would dominate a local start.
 */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
  { timeoutMs = 120_000 }: { timeoutMs?: number } = {},
): Promise<void> => {
  if ((await describeStatus(client, tableName)) === undefined) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'PK', AttributeType: 'S' },
            { AttributeName: 'SK', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
        }),
      )
    } catch (error) {
      // Another process created it between our describe and create: fine, wait for it below.
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error
    }
  }
  const deadline = Date.now() + timeoutMs
  for (let delay = 20; ; delay = Math.min(delay * 2, 1_000)) {
    const status = await describeStatus(client, tableName)
    if (status === 'ACTIVE') return
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} not ACTIVE after ${timeoutMs} ms (status ${status})`)
    }
    await sleep(delay)
  }
}

/**
 * The store's read and conditional-write paths run once before a server listens, writing nothing: a get of a key no
 * item has, and a put whose condition (the item exists) cannot hold. The client's first command of a kind and the
 * store's first write each cost tens of ms, paid otherwise by the first saves after a start (up to ~100 ms each at
 * a restart, with threads booting beside them).
 */
export const warmUpStore = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  const key = { PK: { S: 'WARM-UP#never-written' }, SK: { S: 'WARM-UP' } }
  await client.send(new GetItemCommand({ TableName: tableName, Key: key }))
  try {
    await client.send(
      new PutItemCommand({ TableName: tableName, Item: { ...key, savedAt: { S: '' } }, ConditionExpression: 'attribute_exists(PK)' }),
    )
  } catch (error) {
    if (!isConditionFailure(error)) throw error
  }
}
