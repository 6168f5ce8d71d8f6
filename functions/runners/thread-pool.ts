/** Local parallel runs: a pool of worker threads behind the ShardExecutor contract (one shard per thread). */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { ProgressListener } from '../../models/engine/run'
import type { ShardExecutor, ShardTask } from '../../models/engine/shard-task'
import type { TornadoResult } from '../../models/analysis/sensitivity'
import { reviveShardSummary, type ShardSummary } from '../../models/engine/summary'
import { mergeTornadoParts, splitTornado, type TornadoPart } from '../../models/analysis/tornado-split'

/** What a thread is asked to do: a shard of a run or comparison, or one part of a tornado. */
type ThreadWork = { task: ShardTask } | { tornado: TornadoPart }

interface Pending {
  resolve: (value: never) => void
  reject: (e: Error) => void
  onProgress?: ProgressListener
}

export interface ThreadPool {
  size: number
  execute: ShardExecutor
  /** A tornado over the threads, split by inputs; the same bars as one thread computes. */
  tornado(part: TornadoPart): Promise<TornadoResult>
  close(): Promise<void>
}

export const defaultThreadCount = (): number => Math.max(1, availableParallelism())

/**
 * Start `size` worker threads. Tasks queue and go to the next idle thread. The worker registers tsx
 * itself (shard-thread.mjs) and runs the same TypeScript as this thread.
 */
export const createThreadPool = (size = defaultThreadCount()): ThreadPool => {
  const workerUrl = new URL('./shard-thread.mjs', import.meta.url)
  const idle: Worker[] = []
  const queue: { work: ThreadWork; pending: Pending }[] = []
  const inFlight = new Map<Worker, { id: number; pending: Pending }>()
  let nextId = 0

  const dispatch = () => {
    while (idle.length > 0 && queue.length > 0) {
      const worker = idle.pop()!
      const { work, pending } = queue.shift()!
      const id = nextId++
      inFlight.set(worker, { id, pending })
      worker.postMessage({ id, ...work })
    }
  }

  const workers = Array.from({ length: size }, () => {
    const worker = new Worker(workerUrl)
    worker.unref()
    worker.on('message', (message: { id: number; progress?: number; summary?: ShardSummary; value?: unknown; error?: string }) => {
      const current = inFlight.get(worker)
      if (!current || current.id !== message.id) return
      if (message.progress !== undefined) {
        current.pending.onProgress?.(message.progress)
        return
      }
      inFlight.delete(worker)
      idle.push(worker)
      if (message.error) current.pending.reject(new Error(message.error))
      else current.pending.resolve((message.summary ? reviveShardSummary(message.summary) : message.value) as never)
      dispatch()
    })
    // a worker that dies (a load error, out of memory) fails its task and, since its siblings share the
    // cause, everything still queued: nothing waits forever
    worker.on('error', (error) => {
      const current = inFlight.get(worker)
      inFlight.delete(worker)
      current?.pending.reject(error)
      for (const queued of queue.splice(0)) queued.pending.reject(error)
    })
    idle.push(worker)
    return worker
  })

  const submit = <T>(work: ThreadWork, onProgress?: ProgressListener) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, pending: { resolve: resolve as (value: never) => void, reject, onProgress } })
      dispatch()
    })

  return {
    size,
    execute: (task, onProgress) => submit<ShardSummary>({ task }, onProgress),
    tornado: async (part) => {
      const parts = splitTornado(part.scenario, part.spec, part.sampling, part.options, size)
      return mergeTornadoParts(await Promise.all(parts.map((p) => submit<TornadoResult>({ tornado: p }))))
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
