/**
 * Local parallel work: a pool of worker threads, one task per thread. A job's finishing step (its report) goes first,
 * then interactive tasks, then background shards; a task can be cancelled (queued: dropped; a running shard: stopped
 * at its next progress report, the thread kept with its compiled code and its comparator memo; other running work:
 * its worker terminated and replaced); a worker that dies fails only its own task and is replaced.
 */
import { utimesSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ProgressListener } from '../../models/engine/run'
import type { ShardExecutor } from '../../models/engine/shard-task'
import type { TornadoResult } from '../../models/analysis/sensitivity'
import { mergeTornadoParts, splitTornado, type TornadoPart } from '../../models/analysis/tornado-split'
import { decodeFailure, PoolClosedError, reviveResult, WorkerLostError, type WorkFailure, type WorkKind, type WorkOf, type WorkResults } from './work'
import { keptTablesFileOf } from './kept-tables'
import { BUNDLE_CACHE } from './node-bundle.mjs'
import { workerEntry } from './worker-bundle'

/** The bundle in the cache a thread starts from, if it is one (tsx runs the sources, and tests their own workers). */
const cachedBundle = (url: URL): string | undefined => {
  const file = url.protocol === 'file:' ? fileURLToPath(url) : undefined
  return file?.startsWith(BUNDLE_CACHE) ? file : undefined
}

/** A bundle a thread starts from is in use: the builds of other processes keep it (worker-bundle.ts). Sources are not touched. */
const markInUse = (bundle: string | undefined): void => {
  if (!bundle) return
  const now = new Date()
  try {
    utimesSync(bundle, now, now)
  } catch {
    // not ours to touch (a read-only install), or gone: the thread's start says so
  }
}

/** Every thread starts here: it lowers its own priority before it loads its code (`workerUrl`). */
const NICED_ENTRY = new URL('./niced-entry.mjs', import.meta.url)

/**
 * Finishing: the last step of a job whose shards are done (its report), which someone waits for; it goes ahead of
 * every queued shard, or under load each report waited behind the shards of all the jobs that came after its own, and
 * eight clients' answers all came at the end together. Interactive: someone waits for the answer. Background: a shard
 * of a run polled later.
 */
export type Priority = 'finishing' | 'interactive' | 'background'

export interface SubmitOptions {
  priority?: Priority
  /** Aborting it cancels the task: it rejects with the signal's reason and leaves nothing running. */
  signal?: AbortSignal
  onProgress?: ProgressListener
}

export interface ThreadPool {
  size: number
  /** Threads background tasks may hold at once. */
  backgroundThreads: number
  submit<K extends WorkKind>(work: WorkOf<K>, options?: SubmitOptions): Promise<WorkResults[K]>
  /** An interactive shard; the third argument cancels it. */
  execute: ShardExecutor & ((task: Parameters<ShardExecutor>[0], onProgress?: ProgressListener, signal?: AbortSignal) => ReturnType<ShardExecutor>)
  /** A tornado over the threads, split by inputs; the same bars as one thread computes. */
  tornado(part: TornadoPart, options?: SubmitOptions): Promise<TornadoResult>
  /** Tasks waiting for a thread, by priority. */
  queued(): Record<Priority, number>
  /** Fault injection (soak, tests): terminate one busy worker as a crash would. False when none is busy. */
  killBusyWorker(): boolean
  /** Threads started since the pool was made: its size, and one more for each thread replaced. */
  threadsStarted(): number
  /** Tasks handed to a thread since the pool was made (tests: whether a request was computed or answered from a cache). */
  tasksStarted(): number
  close(): Promise<void>
}

export interface ThreadPoolOptions {
  size?: number
  /** The worker's code (tests give one that crashes); by default the bundled shard thread. */
  workerUrl?: URL
  /** Each thread compiles the engine before its first task (warm-up.ts): for a server, not a one-shot command. */
  warmUp?: boolean
  /** Threads background shards may hold at once: all but one, so an interactive task finds a thread soon. */
  backgroundThreads?: number
  /**
   * How long a background task waits behind interactive ones at most (the server's `backgroundMaxWaitMs` limit): past
   * it, it goes first when a thread it may hold frees, and the next one waits as long again. Interactive work goes
   * first, but not for ever: under sustained interactive load (the soak's 8 clients) a background run had 0-7 of its 80
   * shards done in a minute. Without it, interactive work always goes first.
   */
  backgroundMaxWaitMs?: number
}

export const defaultThreadCount = (): number => Math.max(1, availableParallelism())

/**
 * Work that reports progress every 1,024 iterations, where a cancelled task's thread stops at its next report
 * (shard-thread.ts) rather than being terminated: a new thread costs its start and a cold JIT (the first shard in a
 * fresh thread runs at about half speed) and forgets its comparators.
 */
const STOPS_AT_PROGRESS: ReadonlySet<WorkKind> = new Set(['shard', 'packedShard'])

/** How long a cancelled shard's thread has to reach its next progress report before it is terminated after all. */
const STOP_GRACE_MS = 3000

interface Task {
  kind: WorkKind
  work: unknown
  priority: Priority
  /** When it was queued (performance.now()): a background task that waited too long goes first. */
  queuedAt: number
  resolve: (value: never) => void
  reject: (e: unknown) => void
  onProgress?: ProgressListener
  signal?: AbortSignal
  onAbort?: () => void
}

interface Message {
  id: number
  progress?: number
  value?: unknown
  failure?: WorkFailure
}

export const createThreadPool = (options: number | ThreadPoolOptions = {}): ThreadPool => {
  const {
    size = defaultThreadCount(),
    workerUrl = workerEntry(),
    backgroundThreads,
    warmUp = false,
    backgroundMaxWaitMs = Infinity,
  } = typeof options === 'number' ? { size: options } : options
  const backgroundLimit = backgroundThreads ?? Math.max(1, size - 1)
  const queues: Record<Priority, Task[]> = { finishing: [], interactive: [], background: [] }
  const idle: Worker[] = []
  const running = new Map<Worker, { id: number; task: Task }>()
  /** Per thread, the id of the task it is asked to stop (shared memory: its computation reads it between blocks). */
  const stopWords = new Map<Worker, Int32Array>()
  /** Threads stopping a cancelled task: back to idle when it answers, terminated if it does not in time. */
  const stopping = new Map<Worker, { id: number; timer: ReturnType<typeof setTimeout> }>()
  let started = 0
  let nextId = 0
  let closed = false

  const backgroundRunning = () => [...running.values()].filter((r) => r.task.priority === 'background').length
  /** When a background task last went ahead of interactive ones (its wait then counts from there). */
  let lastOvertake = -Infinity

  /**
   * The next task to start: a finishing step first (it is short, and completes a job already computed); then
   * interactive, unless the oldest background task has waited its longest (counted from
   * when it was queued or the last overtaking, whichever is later: under load the background work gets one task per
   * wait, not a thread for good); background only while it holds fewer than its threads.
   */
  const nextTask = (): Task | undefined => {
    if (queues.finishing.length > 0) return queues.finishing.shift()
    const background = backgroundRunning() < backgroundLimit ? queues.background[0] : undefined
    const now = performance.now()
    if (background && queues.interactive.length > 0 && now - Math.max(background.queuedAt, lastOvertake) >= backgroundMaxWaitMs) {
      lastOvertake = now
      return queues.background.shift()
    }
    return queues.interactive.shift() ?? (background ? queues.background.shift() : undefined)
  }

  /**
   * The idle thread first in the pool: a job's shards, queued in order, then go to the same threads each time, whose
   * comparator memos (work.ts) hold the ranges they ran before. Taken last-idle-first, the shards changed threads
   * from one job to the next, and a lever's first move after the page opened re-ran the comparator of a shard.
   */
  const takeIdle = (): Worker => {
    let first = 0
    for (let i = 1; i < idle.length; i++) if (workers.indexOf(idle[i]) < workers.indexOf(idle[first])) first = i
    return idle.splice(first, 1)[0]
  }

  const dispatch = () => {
    while (idle.length > 0) {
      const task = nextTask()
      if (!task) return
      const worker = takeIdle()
      const id = nextId++
      running.set(worker, { id, task })
      worker.postMessage({ id, work: task.work })
    }
  }

  const settle = (task: Task) => {
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort)
  }

  /** Ask a thread to stop task `id` at its next progress report; terminate it if it has not answered in time. */
  const stopAtNextReport = (worker: Worker, id: number) => {
    Atomics.store(stopWords.get(worker)!, 0, id)
    const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS)
    timer.unref()
    stopping.set(worker, { id, timer })
  }

  /** Replace a worker that died or was terminated: its task (if any) fails alone, the rest carry on. */
  const replace = (worker: Worker, error: unknown) => {
    const current = running.get(worker)
    running.delete(worker)
    clearTimeout(stopping.get(worker)?.timer)
    stopping.delete(worker)
    stopWords.delete(worker)
    const at = idle.indexOf(worker)
    if (at >= 0) idle.splice(at, 1)
    const slot = workers.indexOf(worker)
    if (current) {
      settle(current.task)
      current.task.reject(error)
    }
    if (closed || slot < 0) return
    workers[slot] = spawn()
    dispatch()
  }

  const bundle = cachedBundle(workerUrl)
  const tablesFile = bundle && keptTablesFileOf(bundle)

  const spawn = (): Worker => {
    markInUse(bundle)
    const stopWord = new Int32Array(new SharedArrayBuffer(4)).fill(-1)
    const worker = new Worker(NICED_ENTRY, { workerData: { stopWord, warmUp, entry: workerUrl.href, tablesFile } })
    started++
    stopWords.set(worker, stopWord)
    worker.unref()
    worker.on('message', (message: Message) => {
      const halted = stopping.get(worker)
      if (halted) {
        // the cancelled task's answer (stopped, or finished first): the thread is free again
        if (halted.id !== message.id || message.progress !== undefined) return
        clearTimeout(halted.timer)
        stopping.delete(worker)
        idle.push(worker)
        dispatch()
        return
      }
      const current = running.get(worker)
      if (!current || current.id !== message.id) return
      if (message.progress !== undefined) {
        current.task.onProgress?.(message.progress)
        return
      }
      running.delete(worker)
      idle.push(worker)
      settle(current.task)
      if (message.failure) current.task.reject(decodeFailure(message.failure))
      else current.task.resolve(reviveResult(current.task.kind, message.value) as never)
      dispatch()
    })
    // an uncaught error (a load error, out of memory) ends the thread; 'exit' follows, which replaces it
    let failure: Error | undefined
    worker.on('error', (error) => {
      failure = error
    })
    worker.on('exit', (code) => {
      const reason = failure ? `: ${failure.message}` : ''
      replace(worker, new WorkerLostError(`the worker thread stopped (exit code ${code}) during the task${reason}`))
    })
    idle.push(worker)
    return worker
  }

  const workers: Worker[] = Array.from({ length: size }, spawn)

  const submit = <K extends WorkKind>(work: WorkOf<K>, options: SubmitOptions = {}): Promise<WorkResults[K]> =>
    new Promise<WorkResults[K]>((resolve, reject) => {
      const { signal, priority = 'interactive', onProgress } = options
      if (closed) return reject(new PoolClosedError('the thread pool is closed'))
      if (signal?.aborted) return reject(signal.reason)
      const task: Task = { kind: work.kind, work, priority, queuedAt: performance.now(), resolve: resolve as (value: never) => void, reject, onProgress, signal }
      if (signal) {
        task.onAbort = () => {
          const queue = queues[task.priority]
          const at = queue.indexOf(task)
          if (at >= 0) {
            queue.splice(at, 1)
            settle(task)
            return reject(signal.reason)
          }
          // running: a shard stops at its next progress report; other work only by terminating its thread
          for (const [worker, current] of running) {
            if (current.task !== task) continue
            running.delete(worker)
            settle(task)
            reject(signal.reason)
            if (STOPS_AT_PROGRESS.has(task.kind)) stopAtNextReport(worker, current.id)
            else void worker.terminate()
          }
        }
        signal.addEventListener('abort', task.onAbort, { once: true })
      }
      queues[priority].push(task)
      dispatch()
    })

  return {
    size,
    backgroundThreads: backgroundLimit,
    submit,
    execute: (task, onProgress, signal?: AbortSignal) => submit({ kind: 'shard', task }, { onProgress, signal }),
    tornado: async (part, options = {}) => {
      const parts = splitTornado(part.scenario, part.spec, part.sampling, part.options, size)
      const controller = new AbortController()
      const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal
      try {
        return mergeTornadoParts(await Promise.all(parts.map((p) => submit({ kind: 'tornado', part: p }, { ...options, signal }))))
      } finally {
        // one part failed or was cancelled: the others are not worth finishing
        controller.abort(new Error('a sibling part of the tornado failed'))
      }
    },
    queued: () => ({ finishing: queues.finishing.length, interactive: queues.interactive.length, background: queues.background.length }),
    killBusyWorker: () => {
      const [worker] = running.keys()
      if (!worker) return false
      void worker.terminate()
      return true
    },
    threadsStarted: () => started,
    tasksStarted: () => nextId,
    close: async () => {
      closed = true
      for (const { timer } of stopping.values()) clearTimeout(timer)
      const stopped = new PoolClosedError('the thread pool closed')
      for (const queue of Object.values(queues)) for (const task of queue.splice(0)) task.reject(stopped)
      await Promise.all(workers.map((w) => w.terminate()))
    },
  }
}
