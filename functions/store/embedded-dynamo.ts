/** An in-process DynamoDB (dynalite) with a client wired to it, for local runs and tests. */
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import dynalite from 'dynalite'

interface LevelDatabase {
  open(): Promise<void>
  close(): Promise<void>
}

/**
 * dynalite opens LevelDB lazily and, when another server holds the folder's lock, throws from a
 * request callback, which kills the whole process. Opening the folder once here first turns that
 * into a rejected start. `level` is dynalite's own dependency, so it is resolved from dynalite.
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
  close(): Promise<void>
}

/**
 * Starts dynalite on 127.0.0.1 (port 0 picks a free one): persisted with LevelDB under `path`, or
 * in memory without it. Table state changes are immediate (the *TableMs options at 0), so nothing
 * waits out dynalite's default 500 ms CREATING phase.
 */
export const startEmbeddedDynamo = async (
  opts: { path?: string; port?: number } = {},
): Promise<EmbeddedDynamo> => {
  if (opts.path !== undefined) {
    await mkdir(opts.path, { recursive: true })
    await assertPathFree(opts.path)
  }
  const server = dynalite({
    path: opts.path,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  })
  await new Promise<void>((resolve, reject) => {
    // listen reports a busy port through 'error', never through its callback.
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const endpoint = `http://127.0.0.1:${port}`
  const client = new DynamoDBClient({
    region: 'local',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  return {
    endpoint,
    client,
    close: async () => {
      // The client first: its keep-alive sockets would otherwise hold server.close open.
      client.destroy()
      server.closeIdleConnections()
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}
