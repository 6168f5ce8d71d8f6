/** The worker-thread side of the local runner: executes shard tasks (and tornado parts) posted by the pool. */
import { parentPort } from 'node:worker_threads'
import { executeShardTask, type ShardTask } from '../../models/shard-task'
import { runTornadoPart, type TornadoPart } from '../../models/tornado-split'

parentPort!.on('message', (message: { id: number; task?: ShardTask; tornado?: TornadoPart }) => {
  try {
    if (message.tornado) {
      parentPort!.postMessage({ id: message.id, value: runTornadoPart(message.tornado) })
      return
    }
    if (!message.task) throw new Error('a message with neither a shard task nor a tornado part')
    const summary = executeShardTask(message.task, (done) => parentPort!.postMessage({ id: message.id, progress: done }))
    const transfer = [summary.sketch.buffer, ...summary.forest.map((n) => n.data.buffer)]
    if (summary.iterations) transfer.push(summary.iterations.buffer)
    parentPort!.postMessage({ id: message.id, summary }, transfer as ArrayBuffer[])
  } catch (e) {
    parentPort!.postMessage({ id: message.id, error: (e as Error).message })
  }
})
