import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../app/local-server'
import { parseScenario } from '../../models/engine/scenario'

let server: LocalServer
const post = async (path: string, body: unknown) => {
  const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
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

  it('takes an incremental outcome against the removal-only version by default; names an unknown outcome and a bad seed', async () => {
    const small = { iterations: 50, tornadoIterations: 5 }
    const byDefault = await post('/api/sensitivity', { scenario: 'de-reag-garp', outcome: 'incrementalCost', seed: 1, ...small })
    expect(byDefault.status, JSON.stringify(byDefault.body)).toBe(200)
    expect(byDefault.body.comparatorId).toBe('de-reag-garp-removal-only')
    const across = await post('/api/sensitivity', { scenario: 'de-reag-garp', outcome: 'incrementalCost', comparator: 'removal-only', seed: 1, ...small })
    expect(across.status).toBe(400)
    expect(across.body.problems[0].path).toBe('comparator.groups')
    const bad = await post('/api/sensitivity', { scenario: 'de-reag-garp', outcome: 'happiness', seed: [1] })
    expect(bad.status).toBe(400)
    expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['outcome', 'seed'])
  })

  it('reads the tornado off one PSA with tornadoMethod metamodel, each bar with its error; refuses it in median mode', async () => {
    const { status, body } = await post('/api/sensitivity', {
      scenario: 'uk-nao-2003',
      outcome: 'totalCost',
      seed: 1,
      iterations: 100,
      tornadoIterations: 1000,
      tornadoMethod: 'metamodel',
    })
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.tornado).toMatchObject({ method: 'metamodel', mode: 'psa-mean', iterations: 1000 })
    expect(body.tornado.bars.every((b: { mcse: number }) => b.mcse > 0)).toBe(true)
    const median = await post('/api/sensitivity', { scenario: 'uk-nao-2003', outcome: 'totalCost', seed: 1, tornadoMethod: 'metamodel', mode: 'median' })
    expect(median.status).toBe(400)
    expect(median.body.problems[0].path).toBe('mode')
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

  it('names an unknown lever; either end of the range alone is accepted, a max not above its min named at max', async () => {
    const lever = await post('/api/threshold', { scenario: 'be-low-cash', lever: 'luck', seed: 1 })
    expect(lever.status).toBe(400)
    expect(lever.body.problems.map((p: { path: string }) => p.path)).toEqual(['lever'])
    const maxAlone = await post('/api/threshold', { scenario: 'be-low-cash', lever: 'cashPerAdult', max: 3000, iterations: 20, seed: 1 })
    expect(maxAlone.status).toBe(200)
    expect(maxAlone.body.range).toEqual([0, 3000])
    const inverted = await post('/api/threshold', { scenario: 'be-low-cash', lever: 'cashPerAdult', min: 5000, max: 10, iterations: 5, seed: 1 })
    expect(inverted.status).toBe(400)
    expect(inverted.body.problems.map((p: { path: string }) => p.path)).toEqual(['max'])
  })
})

describe('POST /api/diff', () => {
  it('credits the change from B to A to each differing assumption, in a stated order, summing to the total', async () => {
    const { status, body } = await post('/api/diff', {
      scenarios: ['de-trusted-actors', 'de-reag-garp'],
      outcome: 'totalCost',
      seed: 3,
      iterations: 200,
    })
    expect(status).toBe(200)
    expect(body.order.length).toBeGreaterThan(0)
    expect(body.order.some((a: string) => a.startsWith('programme.counselling'))).toBe(true)
    const sum = body.steps.reduce((acc: number, step: { contribution: number }) => acc + step.contribution, 0)
    expect(Math.abs(sum - body.total)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(body.total)))
    expect(typeof body.orderRule).toBe('string')
  })

  it('refuses scenarios in different currencies, by field', async () => {
    const { status, body } = await post('/api/diff', { scenarios: ['de-reag-garp', 'uk-nao-2003'], seed: 1 })
    expect(status).toBe(400)
    expect(body.problems[0].path).toBe('scenarios[1].currency')
  })
})

describe('POST /api/two-way', () => {
  it('gives the mean outcome for every cell of cash per adult x counselling setting', async () => {
    const { status, body } = await post('/api/two-way', {
      scenario: 'de-reag-garp',
      rows: { lever: 'cashPerAdult', values: [0, 2000, 4000] },
      columns: { lever: 'counsellingSetting', values: ['enforcement', 'trusted-actors'] },
      seed: 4,
      iterations: 64,
    })
    expect(status).toBe(200)
    expect(body.mean.length).toBe(3)
    for (const row of body.mean) {
      expect(row.length).toBe(2)
      for (const cell of row) expect(Number.isFinite(cell)).toBe(true)
    }
  })

  it('is computed once for identical requests, at once or later; another seed is computed afresh', async () => {
    const request = {
      scenario: 'de-reag-garp',
      rows: { lever: 'cashPerAdult', values: [1000, 3000] },
      columns: { lever: 'scale', values: [1, 2] },
      seed: 'once',
      iterations: 64,
    }
    const before = server.pool.tasksStarted()
    const [first, second] = await Promise.all([post('/api/two-way', request), post('/api/two-way', request)])
    expect(first.status).toBe(200)
    expect(second.body).toEqual(first.body)
    const once = server.pool.tasksStarted() - before
    expect(once).toBeGreaterThan(0)
    const again = await post('/api/two-way', request)
    expect(again.body).toEqual(first.body)
    expect(server.pool.tasksStarted() - before).toBe(once)
    const other = await post('/api/two-way', { ...request, seed: 'twice' })
    expect(other.status).toBe(200)
    expect(server.pool.tasksStarted() - before).toBe(2 * once)
  })

  it('names a lever it does not know', async () => {
    const { status, body } = await post('/api/two-way', {
      scenario: 'de-reag-garp',
      rows: { lever: 'luck', values: [1, 2] },
      columns: { lever: 'scale', values: [1, 2] },
      seed: 1,
    })
    expect(status).toBe(400)
    expect(body.problems[0].path).toBe('rows')
  })
})

const TARGETS = [
  { id: 'forced-unit-cost', metric: 'costPerForcedReturn', value: 11000, low: 9000, high: 13000 },
  { id: 'removals-per-year', metric: 'returnsForced', perYear: true, value: 13500, sd: 1800 },
]

describe('POST /api/calibrate', () => {
  it('answers the calibrated scenario, its correlation, the diagnostics and the predictive check', async () => {
    const { status, body } = await post('/api/calibrate', { scenarioId: 'uk-nao-2003', targets: TARGETS, iterations: 1000, checkIterations: 300, seed: 2 })
    expect(status).toBe(200)
    expect(parseScenario(body.scenario).ok).toBe(true)
    expect(body.scenario.id).toBe('uk-nao-2003-calibrated')
    expect(body.diagnostics).toMatchObject({ method: 'sir', priorDraws: 1000, posteriorDraws: 1000 })
    expect(body.diagnostics.ess).toBeGreaterThan(0)
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual(['forced-unit-cost', 'removals-per-year'])
    expect(body.targets[0].check).toHaveProperty('inside')
    expect(body.predictiveCheck.iterations).toBe(300)
  })

  it('takes an inline scenario, and names each bad field', async () => {
    const preset = await (await fetch(`${server.url}/api/presets/uk-nao-2003`)).json()
    const inline = await post('/api/calibrate', { scenario: preset, targets: TARGETS, iterations: 200, checkIterations: 50, seed: 'x' })
    expect(inline.status).toBe(200)
    const bad = await post('/api/calibrate', {
      scenarioId: 'uk-nao-2003',
      targets: [{ metric: 'returnsForced', value: 1 }],
      iterations: 50,
      seed: 1,
      method: 'mcmc',
    })
    expect(bad.status).toBe(400)
    expect(bad.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(['iterations', 'method', 'targets[0].sd'])
    const both = await post('/api/calibrate', { scenarioId: 'uk-nao-2003', scenario: preset, seed: 1 })
    expect(both.body.problems).toContainEqual(expect.objectContaining({ path: 'scenario' }))
    const { targets: _published, ...withoutTargets } = preset
    const none = await post('/api/calibrate', { scenario: withoutTargets, seed: 1, iterations: 200 })
    expect(none.status).toBe(400)
    expect(none.body.problems).toEqual([expect.objectContaining({ path: 'targets', message: expect.stringMatching(/no targets/) })])
  })

  it('is described in openapi.json', async () => {
    const doc = await (await fetch(`${server.url}/openapi.json`)).json()
    expect(doc.paths['/api/calibrate'].post.requestBody).toBeDefined()
    expect(Object.keys(doc.components.schemas.CalibrateRequest.properties)).toEqual(
      expect.arrayContaining(['scenario', 'scenarioId', 'targets', 'iterations', 'seed']),
    )
  })
})
