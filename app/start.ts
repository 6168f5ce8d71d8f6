/**
 * `npm start`: the local server on PORT (3000), data under HOMECOMING_DATA (.data/) unless DYNAMODB_ENDPOINT is
 * set. THREADS sets the worker threads; HOMECOMING_LIMITS (JSON) overrides limits of functions/api/limits.ts;
 * HOMECOMING_FAULTS=1 lets SIGUSR2 kill a busy worker thread (the soak's fault injection).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_LIMITS, type ApiLimits } from '../functions/api/limits'
import { startLocalServer } from './local-server'

// The AWS SDK warns on Node 20 that its versions after January 2027 need Node 22: news for whoever upgrades the
// lock file (README, AWS), not for someone starting the app; the version locked runs on Node 20. Set before any
// client is made (the warning comes from the first client).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** The limits with the overrides of HOMECOMING_LIMITS: known names, non-negative numbers, or exit 1 naming the rule. */
const limitsFrom = (json: string | undefined): ApiLimits => {
  if (!json) return DEFAULT_LIMITS
  let overrides: unknown
  try {
    overrides = JSON.parse(json)
  } catch (e) {
    throw new Error(`HOMECOMING_LIMITS must be JSON: ${(e as Error).message}`)
  }
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new Error('HOMECOMING_LIMITS must be a JSON object')
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_LIMITS)) throw new Error(`HOMECOMING_LIMITS.${name}: not a limit (one of ${Object.keys(DEFAULT_LIMITS).join(', ')})`)
    if (typeof value !== 'number' || !(value >= 0)) throw new Error(`HOMECOMING_LIMITS.${name}: must be a non-negative number`)
  }
  return { ...DEFAULT_LIMITS, ...(overrides as Partial<ApiLimits>) }
}

let limits: ApiLimits
try {
  limits = limitsFrom(process.env.HOMECOMING_LIMITS)
} catch (e) {
  console.error((e as Error).message)
  process.exit(1)
}
const port = Number(process.env.PORT ?? 3000)
const dynamoEndpoint = process.env.DYNAMODB_ENDPOINT
const dataDir = process.env.HOMECOMING_DATA ?? '.data'
if (!dynamoEndpoint) mkdirSync(dataDir, { recursive: true })
const server = await startLocalServer({
  port,
  dataPath: dynamoEndpoint ? undefined : join(dataDir, 'dynalite'),
  dynamoEndpoint,
  tableName: process.env.TABLE_NAME,
  threads: process.env.THREADS ? Number(process.env.THREADS) : undefined,
  limits,
  prepareLandingPage: true,
})
console.log(`Homecoming is running at ${server.url.replace('127.0.0.1', 'localhost')}`)
console.log(dynamoEndpoint ? `store: DynamoDB at ${dynamoEndpoint}` : `store: embedded dynalite under ${join(dataDir, 'dynalite')}`)
if (process.env.HOMECOMING_FAULTS === '1')
  process.on('SIGUSR2', () => console.log(server.pool.killBusyWorker() ? 'fault: killed a busy worker thread' : 'fault: no busy worker thread'))
void server.storeLost.then((reason) => {
  // without its store the server answers nothing right: stop, so whoever started it sees it and starts it again
  console.error(`${reason}; stopping`)
  process.exit(1)
})
const stop = async () => {
  await server.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
