/** The worker-thread side of the local runner: computes the work posted by the pool (thread-pool.ts). */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { encodeFailure, runWork, type Work } from './work'

/** Niceness of a computing thread: the server's event loop (/healthz, saves, the store) goes first on a busy machine. */
const WORKER_NICENESS = 10

// Linux: /proc/thread-self names this thread's id, and setpriority on a thread id renices that thread alone.
// Elsewhere there is no such path and the thread keeps the process's priority.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WORKER_NICENESS)
} catch {
  // not Linux, or not allowed: the same work at the same priority
}

parentPort!.on('message', async (message: { id: number; work: Work }) => {
  try {
    const value = await runWork(message.work, (done) => parentPort!.postMessage({ id: message.id, progress: done }))
    // copied, not transferred: the first ArrayBuffer detached in an isolate makes V8 check for detached buffers
    // on every typed-array access from then on, and this thread's later shards ran ~20% slower (a few MB to copy)
    parentPort!.postMessage({ id: message.id, value })
  } catch (e) {
    parentPort!.postMessage({ id: message.id, failure: encodeFailure(e) })
  }
})
