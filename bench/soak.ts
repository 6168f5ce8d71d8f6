/**
 * `npm run soak`: mixed load on a real `npm start` (runs, saves, analyses, comparisons from 8 clients, each its
 * own loopback address, for SOAK_SECONDS; besides, a save every 200 ms and /healthz every 100 ms) while a 25 x 25
 * two-way at 5,000 iterations and a 2,000,000-iteration background run are in flight, with faults injected (a
 * worker thread killed, the server kill -9'd and restarted mid-run); prints what held: 5xx, lost saves, refusals by
 * status and reason, /healthz and save latency.
 * Exit 1 on any 5xx other than a stated 503, a lost save or a background run that ends failed.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPresetRaw } from '../scenarios/index'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60)
const DRAIN_SECONDS = Number(process.env.SOAK_DRAIN_SECONDS ?? 240)
const CLIENTS = 8
if (!(SECONDS > 0)) throw new Error(`SOAK_SECONDS must be a positive number of seconds, not ${SECONDS}`)

// ---- the server, as a user starts it ----

const dataDir = mkdtempSync(join(tmpdir(), 'homecoming-soak-'))
let server: { child: ChildProcess; port: number } | undefined

const startServer = () =>
  new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOMECOMING_DATA: dataDir, HOMECOMING_FAULTS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const match = /running at http:\/\/localhost:(\d+)/.exec(output)
      if (match) resolve({ child, port: Number(match[1]) })
    })
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)))
  })

// ---- HTTP from a chosen loopback address (the server bounds work per client address) ----

interface Answer {
  status: number
  body: string
  ms: number
}

/** status 0: no answer (the connection failed: the server was restarting). */
const call = (from: string, method: string, path: string, body?: unknown, timeoutMs = 600_000) =>
  new Promise<Answer>((resolve) => {
    const started = performance.now()
    const text = body === undefined ? undefined : JSON.stringify(body)
    const req = request(
      {
        host: '127.0.0.1',
        port: server!.port,
        localAddress: from,
        method,
        path,
        headers: text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {},
        timeout: timeoutMs,
      },
      (res) => {
        let data = ''
        res.on('data', (chunk) => (data += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, ms: performance.now() - started }))
        res.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - started }))
      },
    )
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve({ status: 0, body: '', ms: performance.now() - started }))
    req.end(text)
  })

// ---- what the soak records ----

const latencies: Record<string, number[]> = { healthz: [], save: [], run: [], analysis: [], compare: [] }
const byStatus = new Map<number, number>()
const refusals = new Map<string, number>()
const serverErrors: string[] = []
const saved = new Map<string, string>()
/** The slowest answers of a kind, each with when it was asked (s into the soak) and how long after a server start. */
const slowest: Record<string, { ms: number; at: number; sinceStart: number }[]> = { healthz: [], save: [] }
let soakStarted = 0
let serverStarted = 0
let noAnswer = 0
let stopping = false
/** Latencies count only while both heavy pieces are in flight. */
let heavyInFlight = 0

const record = async (kind: string, answer: Answer) => {
  byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1)
  // no answer: the server is restarting; wait a little rather than spin
  if (answer.status === 0) return void (noAnswer++, await sleep(250))
  if (heavyInFlight === 2) latencies[kind]?.push(answer.ms)
  if (heavyInFlight === 2 && slowest[kind]) {
    const askedAt = performance.now() - answer.ms
    slowest[kind].push({ ms: answer.ms, at: (askedAt - soakStarted) / 1000, sinceStart: (askedAt - serverStarted) / 1000 })
    slowest[kind] = slowest[kind].sort((a, b) => b.ms - a.ms).slice(0, 3)
  }
  if (answer.status >= 400) {
    let reason = answer.body.slice(0, 80)
    try {
      const problem = JSON.parse(answer.body) as { error: string; message: string }
      reason = `${problem.error}: ${problem.message.replace(/\d+(\.\d+)?/g, 'N')}`
    } catch {
      // not JSON: kept as text
    }
    const key = `${answer.status} ${reason}`
    refusals.set(key, (refusals.get(key) ?? 0) + 1)
    if (answer.status >= 500 && answer.status !== 503) serverErrors.push(`${kind}: ${answer.status} ${answer.body.slice(0, 200)}`)
  }
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- the load ----

const preset = getPresetRaw('de-reag-garp') as Record<string, any>
const grid = (from: number, step: number) => Array.from({ length: 25 }, (_, i) => from + i * step)

/** One client: runs, saves, analyses and comparisons in turn, each with its own seed. */
const client = async (index: number) => {
  const from = `127.0.0.${index + 2}`
  for (let turn = 0; !stopping; turn++) {
    const seed = `soak-${index}-${turn}`
    switch (turn % 4) {
      case 0: {
        const answer = await call(from, 'POST', '/api/runs', { scenarioId: 'de-reag-garp', iterations: 2_000 + 1_000 * (turn % 9), seed })
        await record('run', answer)
        break
      }
      case 1: {
        // a scenario no one saved before: its id and text are checked after the soak
        const scenario = { ...preset, id: `soak-${index}-${turn}` }
        const answer = await call(from, 'POST', '/api/scenarios', scenario)
        await record('save', answer)
        if (answer.status === 201) saved.set((JSON.parse(answer.body) as { id: string }).id, JSON.stringify(scenario))
        break
      }
      case 2: {
        const analysis =
          turn % 8 === 2
            ? { path: '/api/threshold', body: { scenario: 'de-reag-garp', lever: 'cashPerAdult', iterations: 500, seed } }
            : { path: '/api/sensitivity', body: { scenario: 'de-reag-garp', outcome: 'totalCost', iterations: 300, tornadoIterations: 100, seed } }
        await record('analysis', await call(from, 'POST', analysis.path, analysis.body))
        break
      }
      case 3:
        await record('compare', await call(from, 'POST', '/api/compare', { scenarios: ['de-reag-garp'], iterations: 2_000, seed, includeReport: true }))
    }
  }
}

/** /healthz every 100 ms. */
const prober = async () => {
  while (!stopping) {
    await record('healthz', await call('127.0.0.1', 'GET', '/healthz', undefined, 10_000))
    await sleep(100)
  }
}

/** A save of a new scenario every 200 ms besides the clients' own (theirs wait behind their runs: a few a minute). */
const saver = async () => {
  for (let turn = 0; !stopping; turn++) {
    const scenario = { ...preset, id: `soak-saver-${turn}` }
    const answer = await call('127.0.0.30', 'POST', '/api/scenarios', scenario, 10_000)
    await record('save', answer)
    if (answer.status === 201) saved.set((JSON.parse(answer.body) as { id: string }).id, JSON.stringify(scenario))
    await sleep(200)
  }
}

/** The heavy two-way, asked again whenever it ends (budget, restart) until the soak stops. */
const heavyTwoWay = async () => {
  const body = {
    scenario: 'de-reag-garp',
    rows: { lever: 'cashPerAdult', values: grid(100, 100) },
    columns: { lever: 'scale', values: grid(0.5, 0.05) },
    iterations: 5_000,
    seed: 'soak-two-way',
  }
  while (!stopping) {
    heavyInFlight++
    const answer = await call('127.0.0.20', 'POST', '/api/two-way', body)
    heavyInFlight--
    await record('two-way', answer)
  }
}

const main = async () => {
  server = await startServer()
  soakStarted = serverStarted = performance.now()
  console.log(`soak: ${CLIENTS} clients x ${SECONDS} s on http://127.0.0.1:${server.port} (data ${dataDir})`)
  const big = await call('127.0.0.21', 'POST', '/api/runs', { scenarioId: 'de-reag-garp', iterations: 2_000_000, seed: 'soak-2m' })
  if (big.status !== 202) throw new Error(`the 2,000,000-iteration run was not started: ${big.status} ${big.body}`)
  const { runId } = JSON.parse(big.body) as { runId: string }
  heavyInFlight++
  const twoWay = heavyTwoWay()
  const load = [prober(), saver(), ...Array.from({ length: CLIENTS }, (_, i) => client(i))]

  const faults: string[] = []
  await sleep((SECONDS * 1000) / 3)
  server.child.kill('SIGUSR2')
  faults.push(`t=${Math.round(SECONDS / 3)} s: a busy worker thread killed (SIGUSR2)`)
  await sleep((SECONDS * 1000) / 6)
  const before = JSON.parse((await call('127.0.0.1', 'GET', `/api/runs/${runId}`)).body) as { shardsDone: number; shardsTotal: number }
  await new Promise<void>((resolve) => {
    server!.child.once('exit', () => resolve())
    server!.child.kill('SIGKILL')
  })
  server = await startServer()
  serverStarted = performance.now()
  faults.push(`t=${Math.round(SECONDS / 2)} s: server kill -9 at shard ${before.shardsDone}/${before.shardsTotal} of the 2M run, restarted`)
  await sleep((SECONDS * 1000) / 2)
  stopping = true
  await Promise.all(load)
  heavyInFlight = 0

  let lost = 0
  for (const [id, text] of saved) {
    const answer = await call('127.0.0.1', 'GET', `/api/scenarios/${id}`)
    if (answer.status !== 200 || answer.body !== text) lost++
  }

  let status = { status: 'running', shardsDone: 0, shardsTotal: 0, error: undefined as string | undefined }
  const drainUntil = Date.now() + DRAIN_SECONDS * 1000
  while (status.status === 'running' && Date.now() < drainUntil) {
    const answer = await call('127.0.0.1', 'GET', `/api/runs/${runId}`)
    if (answer.status === 200) status = JSON.parse(answer.body)
    if (status.status === 'running') await sleep(2_000)
  }

  const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : `${x.toFixed(1)} ms`)
  console.log(faults.map((f) => `fault: ${f}`).join('\n'))
  console.log(`answers by status: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s === 0 ? 'no answer (restart)' : s}: ${n}`).join(', ')}`)
  console.log(`5xx other than a stated 503: ${serverErrors.length}`)
  for (const e of serverErrors.slice(0, 5)) console.log(`  ${e}`)
  console.log(`saves: ${saved.size} created, ${lost} lost`)
  console.log('refusals and stops by status and reason:')
  for (const [reason, n] of [...refusals].sort((a, b) => b[1] - a[1])) console.log(`  ${n} x ${reason}`)
  console.log('latency while the 25 x 25 two-way and the 2M background run were in flight:')
  for (const kind of ['healthz', 'save', 'run', 'compare', 'analysis'])
    console.log(`  ${kind.padEnd(8)} n=${latencies[kind].length}  p50 ${ms(percentile(latencies[kind], 50))}  p99 ${ms(percentile(latencies[kind], 99))}`)
  for (const kind of Object.keys(slowest))
    console.log(`  slowest ${kind}: ${slowest[kind].map((a) => `${ms(a.ms)} at t=${a.at.toFixed(1)} s (${a.sinceStart.toFixed(1)} s after its server started)`).join(', ')}`)
  console.log(`the 2M background run: ${status.status}, ${status.shardsDone}/${status.shardsTotal} shards${status.error ? ` (${status.error})` : ''}`)
  // the two-way still in flight ends with the server (killed below)
  void twoWay
  return serverErrors.length > 0 || lost > 0 || status.status === 'failed'
}

let failed = true
try {
  failed = await main()
} finally {
  stopping = true
  server?.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
}
process.exit(failed ? 1 : 0)
