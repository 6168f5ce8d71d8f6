import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../web/local'

let server: LocalServer
const post = async (path: string, body: unknown) => {
  const response = await fetch(server.url + path, { method: 'POST', body: JSON.stringify(body) })
  return { status: response.status, body: await response.json() }
}

beforeAll(async () => {
  server = await startLocalServer({ threads: 1 })
})
afterAll(() => server.close())

describe('POST /api/sensitivity', () => {
  it('answers a tornado sorted by swing, rank correlations and EVPPI in money', async () => {
    const { status, body } = await post('/api/sensitivity', {
      scenario: 'de-reag-garp',
      outcome: 'totalCost',
      seed: 1,
      iterations: 400,
      tornadoIterations: 20,
    })
    expect(status).toBe(200)
    const swings = body.tornado.bars.map((b: { swing: number }) => b.swing)
    expect(swings.length).toBeGreaterThan(10)
    expect([...swings].sort((a, b) => b - a)).toEqual(swings)
    expect(body.rankCorrelations.length).toBe(swings.length)
    expect(body.evppi.comparatorId).toBe('de-reag-garp-removal-only')
    expect(body.evppi.evpi).toBeGreaterThanOrEqual(0)
  })

  it('names the missing comparator, an unknown outcome and a bad seed', async () => {
    const missing = await post('/api/sensitivity', { scenario: 'de-reag-garp', outcome: 'incrementalCost', seed: 1 })
    expect(missing.status).toBe(400)
    expect(missing.body.problems).toContainEqual(expect.objectContaining({ path: 'comparator' }))
    const bad = await post('/api/sensitivity', { scenario: 'de-reag-garp', outcome: 'happiness', seed: [1] })
    expect(bad.status).toBe(400)
    expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['outcome', 'seed'])
  })

  it('refuses a comparator in another currency, by field', async () => {
    const { status, body } = await post('/api/sensitivity', {
      scenario: 'de-reag-garp',
      comparator: 'uk-nao-2003',
      outcome: 'incrementalCost',
      seed: 1,
    })
    expect(status).toBe(400)
    expect(body.problems[0].path).toBe('comparator.currency')
  })
})

describe('POST /api/threshold', () => {
  it('finds the cash per adult at which the programme is cost-neutral against its removal-only version, or says why not', async () => {
    const { status, body } = await post('/api/threshold', {
      scenario: 'be-low-cash',
      lever: 'cashPerAdult',
      seed: 2,
      iterations: 200,
    })
    expect(status).toBe(200)
    expect(body.comparatorId).toBe('be-low-cash-removal-only')
    expect(['found', 'no-root']).toContain(body.status)
    for (const point of body.grid) {
      expect(point.probability).toBeGreaterThanOrEqual(0)
      expect(point.probability).toBeLessThanOrEqual(1)
    }
  })

  it('names an unknown lever, and a min without its max', async () => {
    const lever = await post('/api/threshold', { scenario: 'be-low-cash', lever: 'luck', seed: 1 })
    expect(lever.status).toBe(400)
    expect(lever.body.problems.map((p: { path: string }) => p.path)).toEqual(['lever'])
    const range = await post('/api/threshold', { scenario: 'be-low-cash', lever: 'cashPerAdult', min: 0, seed: 1 })
    expect(range.status).toBe(400)
    expect(range.body.problems.map((p: { path: string }) => p.path)).toEqual(['max'])
  })
})
