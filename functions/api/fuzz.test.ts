/** Fuzzed requests to every route of the real local server: never a 5xx, never a stack trace. */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../app/local-server'
import { DEFAULT_LIMITS } from './limits'

let server: LocalServer
beforeAll(async () => {
  // small limits: a fuzzed body that happens to be valid computes in milliseconds
  server = await startLocalServer({
    threads: 1,
    limits: { ...DEFAULT_LIMITS, maxAnalysisIterations: 200, maxCompareIterations: 500, syncIterations: 500, maxIterations: 1_000, shardIterations: 500, maxActiveRequestsPerClient: 16 },
  })
})
afterAll(() => server.close())

/** Cases per property: a few hundred in the suite; `npm run fuzz` sets FUZZ_CASES (10,000 in all, 60% of them POSTs). */
const CASES = Number(process.env.FUZZ_CASES ?? 500)
const POST_CASES = Math.round(CASES * 0.6)
const GET_CASES = CASES - POST_CASES
/** Per case, a generous bound (a valid body computes up to 1,000 iterations on one thread). */
const timeoutFor = (cases: number) => 60_000 + cases * 400

const POSTS = ['/api/scenarios', '/api/runs', '/api/compare', '/api/sensitivity', '/api/calibrate', '/api/threshold', '/api/diff', '/api/two-way']
const GETS = ['/healthz', '/openapi.json', '/api/presets', '/api/presets/', '/api/scenarios/', '/api/runs/', '/api/nothing', '/s/', '/']

const value = fc.oneof(
  fc.constantFrom('de-reag-garp', 'uk-nao-2003', 'removal-only', 'totalCost', 'cashPerAdult', 'scale', 1, 0, -1, 1e308, null, true),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -5, max: 3_000 }),
  fc.double(),
)
const body = fc.oneof(
  fc.dictionary(
    fc.constantFrom('scenario', 'scenarioId', 'scenarios', 'iterations', 'seed', 'outcome', 'lever', 'rows', 'columns', 'comparator', 'wtp', 'mode', 'keepIterations', 'includeReport', 'targets', 'min', 'max', 'x'),
    fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.constantFrom('lever', 'values', 'outcome', 'value'), fc.oneof(value, fc.array(value, { maxLength: 3 })))),
  ),
  fc.jsonValue({ maxDepth: 3 }),
)

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\.ts:\d+/)

describe('fuzzed requests', () => {
  it('POST bodies to every computing and saving route: 2xx or a 4xx naming its problems', { timeout: timeoutFor(POST_CASES) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POSTS), body, fc.boolean(), async (path, json, asJson) => {
        const response = await fetch(server.url + path, {
          method: 'POST',
          headers: { 'content-type': asJson ? 'application/json' : 'text/plain' },
          body: JSON.stringify(json),
        })
        const text = await response.text()
        expect(response.status, `${path} ${JSON.stringify(json)}: ${text}`).toBeLessThan(500)
        noStack(text)
        if (response.status >= 400) expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), message: expect.any(String) })
      }),
      { numRuns: POST_CASES, seed: 12 },
    )
  })

  it('GETs of every route with fuzzed ids: never a 5xx', { timeout: timeoutFor(GET_CASES) }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GETS), fc.string({ maxLength: 20 }), async (path, id) => {
        const response = await fetch(server.url + path + (path.endsWith('/') ? encodeURIComponent(id) : ''))
        const text = await response.text()
        expect(response.status, `${path}${id}: ${text.slice(0, 200)}`).toBeLessThan(500)
        noStack(text)
      }),
      { numRuns: GET_CASES, seed: 12 },
    )
  })
})
