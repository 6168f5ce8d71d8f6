/** Lambda entry of the API (Function URL): the same Hono app as the local server, on DynamoDB and Lambda. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { LambdaClient } from '@aws-sdk/client-lambda'
import type { Context } from 'hono'
import { handle } from 'hono/aws-lambda'
import type { LambdaEvent, LambdaContext } from 'hono/aws-lambda'
import { inProcessExecutor } from '../models/engine/shard-task'
import { createHomecomingApp } from './homecoming-app'
import { lambdaDispatcher, lambdaExecutor } from '../functions/runners/lambda-executor'
import { createDynamoStore } from '../functions/store/dynamo-store'
import { DEFAULT_LIMITS, retentionOf } from '../functions/api/limits'
import { createRunService } from '../functions/api/run-service'

/** Immediate runs above this many iterations fan out to the worker; below, this vCPU is quicker. */
const FAN_OUT_ABOVE = 5_000
const FAN_OUT_SHARDS = 4

const build = () => {
  const store = createDynamoStore(new DynamoDBClient({}), process.env.TABLE_NAME!, retentionOf(DEFAULT_LIMITS))
  const lambda = new LambdaClient({})
  const worker = process.env.SHARD_FUNCTION_NAME!
  const remote = lambdaExecutor(lambda, worker)
  const runs = createRunService({
    store,
    execute: (task, onProgress) => (task.to - task.from > FAN_OUT_ABOVE / FAN_OUT_SHARDS ? remote(task) : inProcessExecutor(task, onProgress)),
    parallelism: FAN_OUT_SHARDS,
    dispatch: lambdaDispatcher(lambda, worker),
    limits: DEFAULT_LIMITS,
  })
  // analyses compute in this Lambda (inline): each request has its own instance, and the function's timeout bounds it
  const clientOf = (c: Context) => (c.env as { requestContext?: { http?: { sourceIp?: string } } }).requestContext?.http?.sourceIp ?? 'unknown'
  return handle(createHomecomingApp({ store, runs, clientOf }))
}

let app: ReturnType<typeof build> | undefined

export const handler = (event: LambdaEvent, context: LambdaContext) => {
  app ??= build()
  return app(event, context)
}
