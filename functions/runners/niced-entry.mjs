// A pool thread's first code: lower this thread's priority, then load its real entry (workerData.entry). Set in
// the computing module itself, the niceness came only after the thread had parsed and compiled the whole bundle,
// ~0.2 s of a core at the event loop's priority each, which is what the first saves after a start waited for.
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { workerData } from 'node:worker_threads'

/** Niceness of a computing thread: the server's event loop (/healthz, saves, the store) goes first on a busy machine. */
const WORKER_NICENESS = 10

// Linux: /proc/thread-self names this thread's id, and setpriority on a thread id renices that thread alone.
// Elsewhere there is no such path and the thread keeps the process's priority.
try {
  setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WORKER_NICENESS)
} catch {
  // not Linux, or not allowed: the same work at the same priority
}

await import(workerData.entry)
