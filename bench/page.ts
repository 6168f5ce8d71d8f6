/**
 * `npm run bench:page`: the page's full numbers after a lever move, over HTTP on a local server started here (the
 * Germany preset, 10,000 iterations, cash per adult moved to values no earlier request ran). It times one
 * `POST /api/compare` with `includeReport` (what the page sends) against the comparison and the run as two requests
 * (what it sent before), alternately, and prints their medians and the ratio. The browser's own figure (debounce,
 * preview and drawing included) is printed by the browser tests.
 */
import { startLocalServer } from '../app/local-server'
import { getPresetRaw } from '../scenarios/index'

const MOVES = Number(process.env.PAGE_MOVES ?? 8)
const body = { iterations: 10_000, seed: 20_261_202 }

const server = await startLocalServer({})
const base = structuredClone(getPresetRaw('de-reag-garp')) as { programme: Record<string, unknown> }
const withCash = (cash: number) => ({ ...base, programme: { ...base.programme, cashPerAdult: cash } })

const post = async (path: string, payload: unknown) => {
  const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

const ways = {
  'one request (includeReport)': (scenario: unknown) => post('/api/compare', { scenarios: [scenario], ...body, includeReport: true }),
  'two requests (compare + run)': (scenario: unknown) =>
    Promise.all([post('/api/compare', { scenarios: [scenario], ...body }), post('/api/runs', { scenario, ...body })]),
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]))
try {
  // warm: the threads compile the engine, and keep the comparator of this seed
  await ways['one request (includeReport)'](withCash(1999))
  let cash = 2001
  for (let move = 0; move < MOVES; move++)
    for (const [name, way] of Object.entries(ways)) {
      const started = performance.now()
      await way(withCash(cash++))
      times[name].push(performance.now() - started)
    }
  console.log(`Germany preset, 10,000 iterations, ${MOVES} lever moves each, alternating (ms):`)
  for (const [name, t] of Object.entries(times)) console.log(`  ${name.padEnd(30)} median ${Math.round(median(t))}  (${t.map(Math.round).join(', ')})`)
  const [one, two] = Object.values(times).map(median)
  console.log(`  ratio: the two requests take ${(two / one).toFixed(2)}x as long`)
} finally {
  await server.close()
}
