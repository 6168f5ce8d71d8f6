/** Lambda entry of the shard worker: the DynamoDB client and table come from the function's environment. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { retentionOf, DEFAULT_LIMITS } from '../functions/api/limits'
import { createDynamoStore } from '../functions/store/dynamo-store'
import type { ShardEvent } from '../functions/runners/lambda-executor'
import { createShardHandler } from '../functions/shard/handler'

let handle: ReturnType<typeof createShardHandler> | undefined

export const handler = async (event: ShardEvent) => {
  handle ??= createShardHandler(createDynamoStore(new DynamoDBClient({}), process.env.TABLE_NAME!, retentionOf(DEFAULT_LIMITS)))
  return handle(event)
}
