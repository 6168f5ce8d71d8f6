/** The worker-thread side of the local runner: executes shard tasks (and tornado parts) posted by the pool. */
import { parentPort } from 'node:worker_threads'
import { executeShardTask, type ShardTask } from '../../models/engine/shard-task'
import { runTornadoPart, type TornadoPart } from '../../models/analysis/tornado-split'

parentPort!.on('message', (message: { id: number; task?: ShardTask; tornado?: TornadoPart }) => {
  try {
    if (message.tornado) {
      parentPort!.postMessage({ id: message.id, value: runTornadoPart(message.tornado) })
      return
    }
    if (!message.task) throw new Error('a message with neither a shard task nor a tornado part')
    const summary = executeShardTask(message.task, (done) => parentPort!.postMessage({ id: message.id, progress: done }))
    // copied, not transferred: the first ArrayBuffer detached in an isolate makes V8 check for detached buffers
    // on every typed-array access from then on, and this thread's later shards ran ~20% slower (a few MB to copy)
    parentPort!.postMessage({ id: message.id, summary })
  } catch (e) {
    parentPort!.postMessage({ id: message.id, error: (e as Error).message })
  }
})
