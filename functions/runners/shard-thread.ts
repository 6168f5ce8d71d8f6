/** The worker-thread side of the local runner: executes shard tasks posted by the pool. */
import { parentPort } from 'node:worker_threads'
import { executeShardTask, type ShardTask } from '../../models/shard-task'

parentPort!.on('message', (message: { id: number; task: ShardTask }) => {
  try {
    const summary = executeShardTask(message.task, (done) => parentPort!.postMessage({ id: message.id, progress: done }))
    const transfer = [summary.sketch.buffer, ...summary.forest.map((n) => n.data.buffer)]
    if (summary.iterations) transfer.push(summary.iterations.buffer)
    parentPort!.postMessage({ id: message.id, summary }, transfer as ArrayBuffer[])
  } catch (e) {
    parentPort!.postMessage({ id: message.id, error: (e as Error).message })
  }
})
