/** The worker-thread side of the local runner: computes the work posted by the pool (thread-pool.ts). */
import { parentPort, workerData } from 'node:worker_threads'
import { adoptKeptTables, keepTables } from './kept-tables'
import { warmUpEngine } from './warm-up'
import { encodeFailure, runWork, type Work } from './work'

// started through niced-entry.mjs, which has lowered this thread's priority already
/** Where the threads of this bundle keep the inversion tables they built (kept-tables.ts); none under tsx. */
const tablesFile: string | undefined = workerData?.tablesFile
if (tablesFile) adoptKeptTables(tablesFile)
// a server's thread compiles the engine now, before it takes work (messages wait meanwhile)
if (workerData?.warmUp) {
  warmUpEngine()
  if (tablesFile) keepTables(tablesFile)
}

/** The id of a task the pool asks this thread to stop (thread-pool.ts); read at each progress report. */
const stopWord: Int32Array | undefined = workerData?.stopWord

parentPort!.on('message', async (message: { id: number; work: Work }) => {
  try {
    const value = await runWork(message.work, (done) => {
      // thrown out of the computation between two blocks: nothing half-made is kept (models are per shard)
      if (stopWord && Atomics.load(stopWord, 0) === message.id) throw new Error('stopped: the task was cancelled')
      parentPort!.postMessage({ id: message.id, progress: done })
    })
    // copied, not transferred: the first ArrayBuffer detached in an isolate makes V8 check for detached buffers
    // on every typed-array access from then on, and this thread's later shards ran ~20% slower (a few MB to copy)
    parentPort!.postMessage({ id: message.id, value })
    // after the answer, which does not wait for it
    if (tablesFile) keepTables(tablesFile)
  } catch (e) {
    parentPort!.postMessage({ id: message.id, failure: encodeFailure(e) })
  }
})
