/** The local server: the app on @hono/node-server, with embedded dynalite (or DYNAMODB_ENDPOINT) and worker threads. */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { hostname } from 'node:os'
import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { serve } from '@hono/node-server'
import { DEFAULT_LIMITS, retentionOf, type ApiLimits } from '../functions/api/limits'
import { createRunService } from '../functions/api/run-service'
import { createThreadPool, type ThreadPool } from '../functions/runners/thread-pool'
import { createDynamoStore, ensureTable, warmUpStore } from '../functions/store/dynamo-store'
import { startEmbeddedDynamo } from '../functions/store/embedded-dynamo'
import { joinReportParts, reportParts } from '../models/analysis/job-report'
import { parseScenario } from '../models/engine/scenario'
import { getPresetRaw, listPresets } from '../scenarios/index'
import { DEFAULT_ITERATIONS, DEFAULT_SEED, seedValue } from '../web/client/page-data'
import { DEFAULT_PRESET } from '../web/routes'
import { createHomecomingApp } from './homecoming-app'
import { createShardQueue } from './shard-queue'

export interface LocalServerOptions {
  port?: number
  /** Folder for the embedded store; undefined keeps it in memory (tests). */
  dataPath?: string
  /** Use this DynamoDB instead of the embedded one. */
  dynamoEndpoint?: string
  tableName?: string
  threads?: number
  limits?: ApiLimits
  /**
   * Compute the landing page's first numbers (the default preset, seed and iterations, asked as the page asks) once
   * the server listens: the first visitor finds them ready rather than waiting ~2.5 s for the scenario and its
   * removal-only comparator, and the threads then hold that comparator for the first lever move. For `npm start`;
   * tests leave it off.
   */
  prepareLandingPage?: boolean
}

export interface LocalServer {
  url: string
  /** The worker threads (fault injection in the soak, queue depth in tests). */
  pool: ThreadPool
  /** Settles with the reason if the embedded store's process stops under the server (it cannot serve then). */
  storeLost: Promise<string>
  /** Settles once the landing page's numbers are computed (at once when not asked for; a failure is logged). */
  landingPageReady: Promise<void>
  close(): Promise<void>
}

/** The request the scenario page makes for its full numbers when it opens on the default preset. */
const landingPageRequest = () => ({
  scenarios: [getPresetRaw(DEFAULT_PRESET)],
  iterations: DEFAULT_ITERATIONS,
  seed: seedValue(DEFAULT_SEED),
  includeReport: true,
})

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
  await warmUpStore(client, tableName)
  const limits = options.limits ?? DEFAULT_LIMITS
  const store = createDynamoStore(client, tableName, retentionOf(limits))
  const pool = createThreadPool({ size: options.threads, warmUp: true, backgroundMaxWaitMs: limits.backgroundMaxWaitMs })
  const lease = { owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ms: limits.shardLeaseMs }
  const shards = createShardQueue({
    store,
    executePacked: (task) => pool.submit({ kind: 'packedShard', task }, { priority: 'background' }),
    // one more than the threads: the next shard is leased and waiting when a thread frees
    concurrency: pool.backgroundThreads + 1,
    lease,
  })
  const runs = createRunService({
    store,
    execute: pool.execute,
    parallelism: pool.size,
    dispatch: shards.dispatch,
    limits,
    // reports on a thread too, each ahead of any queued shard: its job's client is waiting for it alone; a comparison
    // with its run as two parts at once, on two threads (the quantiles of ~240 observables, ~60 ms on one)
    reports: {
      fromMerged: async (job, merged) =>
        joinReportParts(
          await Promise.all(reportParts(job, merged).map((part) => pool.submit({ kind: 'report', ...part }, { priority: 'finishing' }))),
        ),
      fromStored: (job, payloads) => pool.submit({ kind: 'reportStored', job, payloads }, { priority: 'finishing' }),
    },
  })
  // unfinished runs of an earlier process: resumed now, and again as leases of a dead server run out
  // housekeeping in flight: close() waits for it, so it never meets a closed store
  const housekeeping = new Set<Promise<unknown>>()
  const track = (what: string, work: () => Promise<unknown>) => () => {
    const p = work().catch((e: Error) => console.error(`${what}: ${e.message}`))
    housekeeping.add(p)
    void p.finally(() => housekeeping.delete(p))
  }
  const resume = track('resuming unfinished runs', () => runs.resumeUnfinished())
  const sweep = track('sweeping expired items', () => store.sweepExpired(Date.now()))
  resume()
  sweep()
  const timers = [setInterval(resume, limits.shardLeaseMs), setInterval(sweep, limits.sweepIntervalMs)]
  for (const timer of timers) timer.unref()
  const app = createHomecomingApp({
    store,
    runs,
    limits,
    compute: pool.submit,
    tornado: pool.tornado,
    clientOf: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? 'unknown',
  })
  // the scenario schema compiles itself on its first parse (~30 ms, several times that on a busy machine): paid
  // here, before listening, rather than by the first save after a start
  for (const { id } of listPresets()) parseScenario(getPresetRaw(id))
  // and the first request through the app (routing, body reading, the problem answer) likewise: an empty scenario,
  // refused before anything is stored
  await app.fetch(new Request('http://127.0.0.1/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  // idle keep-alive sockets outlive the clients' own idle timeouts (fetch: 4 s), so a client never sends on a socket
  // the server is closing at that moment (ECONNRESET under load, with Node's 5 s)
  ;(server as import('node:http').Server).keepAliveTimeout = 65_000
  const { port } = server.address() as AddressInfo
  // a request like any other, through the app: the same job, so the page's own request finds it (kept, or still
  // computing); stopped as a client that went away would be if the server closes first
  const landing = new AbortController()
  const landingPageReady = options.prepareLandingPage
    ? Promise.resolve(
        app.fetch(
          new Request('http://127.0.0.1/api/compare', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(landingPageRequest()),
            signal: landing.signal,
          }),
        ),
      )
        .then(async (answer) => {
          if (!answer.ok && !landing.signal.aborted) console.error(`preparing the landing page's numbers: ${answer.status} ${(await answer.text()).slice(0, 200)}`)
        })
        .catch((e: Error) => {
          if (!landing.signal.aborted) console.error(`preparing the landing page's numbers: ${e.message}`)
        })
    : Promise.resolve()
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    storeLost: embedded?.lost ?? new Promise<string>(() => {}),
    landingPageReady,
    close: async () => {
      landing.abort()
      await landingPageReady
      for (const timer of timers) clearInterval(timer)
      await Promise.all(housekeeping)
      await new Promise<void>((resolve) => server.close(() => resolve()))
      const { drained } = shards.close()
      await pool.close()
      await drained
      if (embedded) await embedded.close()
      else client.destroy()
    },
  }
}
