/** The shard worker: runs one shard; with a run id it stores the result (once, however often retried). */
import { executeShardTask } from '../../models/engine/shard-task'
import { packShard, storeShardResult } from '../api/run-service'
import type { ShardEvent } from '../runners/lambda-executor'
import type { Store } from '../store/store'

export const createShardHandler = (store: Store) => async (event: ShardEvent) => {
  try {
    const summary = executeShardTask(event.task)
    if (event.runId !== undefined && event.shardIndex !== undefined) {
      await storeShardResult(store, event.runId, event.shardIndex, summary)
      return { stored: true }
    }
    return { summary: packShard(summary) }
  } catch (e) {
    const message = (e as Error).message
    if (event.runId !== undefined) await store.failRun(event.runId, `shard ${event.shardIndex} failed: ${message}`)
    return { error: message }
  }
}
