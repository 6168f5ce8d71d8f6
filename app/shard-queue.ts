/**
 * The local server's background shards: they wait here, unleased, and a few at a time go to the worker threads;
 * a shard is leased from when it leaves this queue until it is stored, so a long run holds one or two leases, not
 * one per shard (80 lease writes at dispatch and 16 a second to renew them, ahead of every save in the store).
 */
import type { ShardAssignment, ShardDispatcher, ShardLease } from '../functions/api/run-service'
import type { ShardTask } from '../models/engine/shard-task'
import type { Store } from '../functions/store/store'

export interface ShardQueueOptions {
  store: Store
  /** Computes a shard and packs it for the store (in the worker: the compression stays off the event loop). */
  executePacked: (task: ShardTask) => Promise<string>
  /** Shards out of the queue at once (leased, on a thread or waiting for one). */
  concurrency: number
  lease?: ShardLease
  /** Attempts of a shard: a worker that died (killed, out of memory) costs one. */
  attempts?: number
}

export interface ShardQueue {
  dispatch: ShardDispatcher
  /** Shards waiting here (not yet leased). */
  waiting(): number
  /**
   * Stops taking shards: those waiting stay unstored for the next start to resume, and nothing is marked failed.
   * `drained` settles once the shards out of the queue are done with the store (close the pool first to end them).
   */
  close(): { drained: Promise<void> }
}

interface Queued {
  runId: string
  shard: ShardAssignment
  done: () => void
}

export const createShardQueue = ({ store, executePacked, concurrency, lease, attempts = 3 }: ShardQueueOptions): ShardQueue => {
  const waiting: Queued[] = []
  /** Queued or out: a shard dispatched again (the resume timer) is not run twice. */
  const taken = new Set<string>()
  const out = new Set<Promise<void>>()
  let closed = false

  const storeShard = async ({ runId, shard }: Queued) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await store.putShardResult(runId, shard.index, await executePacked(shard.task))
      } catch (e) {
        // the server is stopping (the pool closed under the shard): the next start resumes it
        if (closed) return
        if (attempt < attempts) continue
        await store.failRun(runId, `shard ${shard.index} failed ${attempts} times: ${(e as Error).message}`).catch(() => undefined)
        throw e
      }
    }
  }

  const run = async (queued: Queued) => {
    const { runId, shard } = queued
    // stored meanwhile (an earlier dispatch, another server) or the run ended: nothing to compute
    const record = await store.getRun(runId)
    if (!record || record.status !== 'running' || record.countedShards?.includes(shard.index)) return
    const renew = lease ? () => store.leaseShard(runId, shard.index, lease.owner, Date.now() + lease.ms) : undefined
    // another server's live lease: the shard is its to finish
    if (renew && !(await renew())) return
    const timer = renew ? setInterval(() => void renew().catch(() => undefined), lease!.ms / 3) : undefined
    timer?.unref()
    try {
      await storeShard(queued)
    } finally {
      clearInterval(timer)
    }
  }

  const pump = () => {
    while (!closed && out.size < concurrency && waiting.length > 0) {
      const next = waiting.shift()!
      // a shard dropped on a store error stays missing: the resume timer dispatches it again while the run is running
      const running: Promise<void> = run(next)
        .catch(() => undefined)
        .finally(() => {
          out.delete(running)
          taken.delete(`${next.runId}#${next.shard.index}`)
          next.done()
          pump()
        })
      out.add(running)
    }
  }

  return {
    dispatch: async (runId, shards) => {
      const settled = shards.map((shard) => {
        const key = `${runId}#${shard.index}`
        if (closed || taken.has(key)) return Promise.resolve()
        taken.add(key)
        return new Promise<void>((done) => waiting.push({ runId, shard, done }))
      })
      pump()
      return { finished: Promise.all(settled).then(() => undefined) }
    },
    waiting: () => waiting.length,
    close: () => {
      closed = true
      for (const queued of waiting.splice(0)) queued.done()
      return { drained: Promise.all(out).then(() => undefined) }
    },
  }
}
