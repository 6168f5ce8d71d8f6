/** Shards on the shard-worker Lambda: invoked and awaited (immediate runs) or fired (background runs). */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda'
import type { ShardExecutor, ShardTask } from '../../models/engine/shard-task'
import { unpackShard, type ShardDispatcher } from '../api/run-service'

/** What the shard worker receives; with a runId it stores its result itself. */
export interface ShardEvent {
  task: ShardTask
  runId?: string
  shardIndex?: number
}

/** Runs at most `limit` of `jobs` at a time, in order of start. */
export const mapBounded = async <T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results = new Array<R>(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return results
}

const decoder = new TextDecoder()

/** A ShardExecutor that invokes the worker and waits for its packed summary. */
export const lambdaExecutor = (client: LambdaClient, functionName: string): ShardExecutor => async (task) => {
  const response = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ task } satisfies ShardEvent) }),
  )
  const body = JSON.parse(decoder.decode(response.Payload)) as { summary?: string; error?: string; errorMessage?: string }
  if (response.FunctionError || !body.summary) throw new Error(body.error ?? body.errorMessage ?? 'shard worker failed')
  return unpackShard(body.summary)
}

/**
 * Background shards: one asynchronous invocation each, at most `concurrency` requests in flight. Lambda retries
 * a failed invocation (twice); a run whose shards all stopped reads failed once it is stale (runStatus).
 */
export const lambdaDispatcher =
  (client: LambdaClient, functionName: string, concurrency = 16): ShardDispatcher =>
  async (runId, shards) => {
    await mapBounded(shards, concurrency, ({ index: shardIndex, task }) =>
      client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: JSON.stringify({ task, runId, shardIndex } satisfies ShardEvent),
        }),
      ),
    )
    // the invocations are queued with Lambda, which owns them from here
    return { finished: Promise.resolve() }
  }
