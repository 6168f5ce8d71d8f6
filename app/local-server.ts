/** The local server: the app on @hono/node-server, with embedded dynalite (or DYNAMODB_ENDPOINT) and worker threads. */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { serve } from '@hono/node-server'
import { DEFAULT_LIMITS, type ApiLimits } from '../functions/api/requests'
import { createRunService, threadDispatcher } from '../functions/api/run-service'
import { createThreadPool, type ThreadPool } from '../functions/runners/thread-pool'
import { createDynamoStore, ensureTable } from '../functions/store/dynamo-store'
import { startEmbeddedDynamo } from '../functions/store/embedded-dynamo'
import { createHomecomingApp } from './homecoming-app'

export interface LocalServerOptions {
  port?: number
  /** Folder for the embedded store; undefined keeps it in memory (tests). */
  dataPath?: string
  /** Use this DynamoDB instead of the embedded one. */
  dynamoEndpoint?: string
  tableName?: string
  threads?: number
  limits?: ApiLimits
}

export interface LocalServer {
  url: string
  /** The worker threads (fault injection in the soak, queue depth in tests). */
  pool: ThreadPool
  close(): Promise<void>
}

export const startLocalServer = async (options: LocalServerOptions = {}): Promise<LocalServer> => {
  const tableName = options.tableName ?? 'homecoming'
  const embedded = options.dynamoEndpoint ? undefined : await startEmbeddedDynamo({ path: options.dataPath })
  const client =
    embedded?.client ??
    new DynamoDBClient({
      endpoint: options.dynamoEndpoint,
      region: process.env.AWS_REGION ?? 'local',
      ...(process.env.AWS_ACCESS_KEY_ID ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    })
  await ensureTable(client, tableName)
  const store = createDynamoStore(client, tableName)
  const pool = createThreadPool(options.threads)
  const limits = options.limits ?? DEFAULT_LIMITS
  const runs = createRunService({
    store,
    execute: pool.execute,
    parallelism: pool.size,
    dispatch: threadDispatcher(store, (task) => pool.submit({ kind: 'shard', task }, { priority: 'background' })),
    limits,
  })
  const app = createHomecomingApp({
    store,
    runs,
    limits,
    compute: pool.submit,
    tornado: pool.tornado,
    clientOf: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown',
  })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await pool.close()
      if (embedded) await embedded.close()
      else client.destroy()
    },
  }
}
