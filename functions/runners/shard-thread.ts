/** The worker-thread side of the local runner: computes the work posted by the pool (thread-pool.ts). */
import { parentPort } from 'node:worker_threads'
import { encodeFailure, runWork, type Work } from './work'

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
