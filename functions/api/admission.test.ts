/** Work off the event loop, time budgets, cancellation and admission, against the real local server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../app/local-server'
import { DEFAULT_LIMITS } from './limits'

const BUDGET_MS = 1_500
let server: LocalServer

beforeAll(async () => {
  server = await startLocalServer({
    threads: 1,
    limits: {
      ...DEFAULT_LIMITS,
      analysisBudgetMs: BUDGET_MS,
      maxActiveRequestsPerClient: 2,
      maxBackgroundRunsPerClient: 1,
      syncIterations: 500,
      shardIterations: 500,
    },
  })
})
afterAll(() => server.close())

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })

const grid = (from: number, step: number) => Array.from({ length: 25 }, (_, i) => from + i * step)
/** Minutes of work on one thread: it never finishes inside a test. */
const heavyTwoWay = {
  scenario: 'de-reag-garp',
  rows: { lever: 'cashPerAdult', values: grid(100, 100) },
  columns: { lever: 'scale', values: grid(0.5, 0.05) },
  iterations: 20_000,
  seed: 1,
}
const smallRun = { scenarioId: 'uk-nao-2003', iterations: 200, seed: 'small' }

describe('a heavy analysis', () => {
  it('runs off the event loop: /healthz and saves answer while it computes', async () => {
    const controller = new AbortController()
    let settled = false
    const heavy = post('/api/two-way', heavyTwoWay, controller.signal).then(
      () => (settled = true),
      () => (settled = true),
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect([200, 201]).toContain((await post('/api/scenarios', (await (await fetch(`${server.url}/api/presets/uk-nao-2003`)).json()) as object)).status)
    expect(settled).toBe(false)
    controller.abort()
    await heavy
  })

  it('is stopped when the client goes away: the one thread is free for the next request', async () => {
    const controller = new AbortController()
    const heavy = post('/api/two-way', heavyTwoWay, controller.signal).catch((e: Error) => e)
    await new Promise((resolve) => setTimeout(resolve, 300))
    controller.abort()
    expect(await heavy).toBeInstanceOf(Error)
    // were the two-way still running, this would wait minutes behind it on the only thread
    const next = await post('/api/runs', smallRun)
    expect(next.status).toBe(200)
    expect(server.pool.queued()).toEqual({ finishing: 0, interactive: 0, background: 0 })
  })

  it('over its time budget is a 503 naming the budget, and no half result', async () => {
    const answer = await post('/api/two-way', heavyTwoWay)
    const body = await answer.json()
    expect(answer.status).toBe(503)
    expect(body.error).toBe('over_budget')
    expect(body.message).toContain(`time budget of ${BUDGET_MS / 1000} s`)
    expect(body.cells ?? body.grid).toBeUndefined()
    expect((await post('/api/runs', smallRun)).status).toBe(200)
  })
})

describe('admission', () => {
  it('computing requests over the per-client bound are a 429 with Retry-After; saves are not bounded', async () => {
    const controllers = [new AbortController(), new AbortController()]
    const held = controllers.map((c) => post('/api/two-way', heavyTwoWay, c.signal).catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 200))
    const refused = await post('/api/runs', smallRun)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe(String(DEFAULT_LIMITS.retryAfterSeconds))
    expect((await refused.json()).message).toMatch(/2 computing requests in progress, the limit per client/)
    const preset = await (await fetch(`${server.url}/api/presets/de-reag-garp`)).json()
    expect([200, 201]).toContain((await post('/api/scenarios', preset)).status)
    for (const c of controllers) c.abort()
    await Promise.all(held)
  })

  it('a second background run of one client while the first is unfinished is a 429', async () => {
    // the server lets go of the requests aborted above once their abort has reached it
    let first = await post('/api/runs', { scenarioId: 'de-reag-garp', iterations: 20_000, seed: 'bg-1' })
    for (let i = 0; i < 50 && first.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      first = await post('/api/runs', { scenarioId: 'de-reag-garp', iterations: 20_000, seed: 'bg-1' })
    }
    expect(first.status).toBe(202)
    const second = await post('/api/runs', { scenarioId: 'de-reag-garp', iterations: 20_000, seed: 'bg-2' })
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe(String(DEFAULT_LIMITS.backgroundRetryAfterSeconds))
    expect((await second.json()).message).toMatch(/background runs in progress/)
    // an immediate run is not held up by the background one: interactive work goes first
    expect((await post('/api/runs', smallRun)).status).toBe(200)
  })
})
