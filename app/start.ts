/** `npm start`: the local server on PORT (3000), data under .data/ unless DYNAMODB_ENDPOINT is set. */
import { mkdirSync } from 'node:fs'
import { startLocalServer } from './local-server'

const port = Number(process.env.PORT ?? 3000)
const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT
if (!dynamoEndpoint) mkdirSync('.data', { recursive: true })
const server = await startLocalServer({
  port,
  dataPath: dynamoEndpoint ? undefined : '.data/dynalite',
  dynamoEndpoint,
  tableName: process.env.TABLE_NAME,
})
console.log(`Homecoming is running at ${server.url.replace('127.0.0.1', 'localhost')}`)
console.log(dynamoEndpoint ? `store: DynamoDB at ${dynamoEndpoint}` : 'store: embedded dynalite under .data/dynalite')
const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
