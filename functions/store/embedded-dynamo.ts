/** An embedded DynamoDB (dynalite, in its own process) with a client wired to it, for local runs and tests. */
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { fork } from 'node:child_process'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'

interface LevelDatabase {
  open(): Promise<void>
  close(): Promise<void>
}

/**
 * dynalite opens LevelDB lazily and, when another server holds the folder's lock, throws from a
 * request callback, which kills its process (and every request fails). Opening the folder once
 * here first turns that into a rejected start. `level` is dynalite's own dependency, so it is
 * resolved from dynalite.
 */
const assertPathFree = async (path: string): Promise<void> => {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'))
  const { Level } = fromDynalite('level') as { Level: new (location: string) => LevelDatabase }
  const db = new Level(path)
  try {
    await db.open()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`cannot open LevelDB at ${path}: ${reason} (another server using it?)`, {
      cause: error,
    })
  }
  await db.close()
}

export interface EmbeddedDynamo {
  endpoint: string
  client: DynamoDBClient
  /** The store's process. */
  pid: number
  /** Settles with the reason if the store's process stops before close(): the store is gone. */
  lost: Promise<string>
  close(): Promise<void>
}

/** The process of a server killed a moment ago may still hold the folder's lock: how long to wait for it. */
const LOCK_WAIT_MS = 2_000

const assertPathFreeSoon = async (path: string): Promise<void> => {
  for (const deadline = Date.now() + LOCK_WAIT_MS; ; ) {
    try {
      return await assertPathFree(path)
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/**
 * Starts dynalite in a child process on 127.0.0.1 (port 0 picks a free one): persisted with LevelDB under `path`,
 * or in memory without it. Its own process, so parsing, validating and storing requests (and the sweep's scans)
 * never hold the server's event loop; it ends with the server's, however that ends.
 */
export const startEmbeddedDynamo = async (
  opts: { path?: string; port?: number } = {},
): Promise<EmbeddedDynamo> => {
  if (opts.path !== undefined) {
    await mkdir(opts.path, { recursive: true })
    await assertPathFreeSoon(opts.path)
  }
  const child = fork(fileURLToPath(new URL('./dynalite-process.mjs', import.meta.url)), [JSON.stringify({ path: opts.path, port: opts.port ?? 0 })], {
    // not the server's flags (--import tsx, --cpu-prof): a plain Node process
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  let closing = false
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lost = new Promise<string>((resolve) => {
    void exited.then((code) => closing || resolve(`the embedded store stopped (exit code ${code})`))
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { port?: number; error?: string }) =>
      message.port === undefined ? reject(new Error(`the embedded store did not start: ${message.error}`)) : resolve(message.port),
    )
    void exited.then((code) => reject(new Error(`the embedded store exited (code ${code}) before it listened`)))
  })
  const endpoint = `http://127.0.0.1:${port}`
  const client = new DynamoDBClient({
    region: 'local',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  return {
    endpoint,
    client,
    pid: child.pid!,
    lost,
    close: async () => {
      closing = true
      client.destroy()
      if (child.connected) child.disconnect()
      await exited
    },
  }
}
