/**
 * `npm run bench`: engine speed in iterations per second for the UK and Germany presets, both cohort modes,
 * one core and all cores, against the floor "PRNG draws per iteration x time per draw" measured here too.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { Stream } from '../models/rng'
import { runShard } from '../models/run'
import { parseScenario, type Scenario } from '../models/scenario'
import { runJob } from '../models/shard-task'
import { getPresetRaw } from '../scenarios/index'
import { createThreadPool } from '../functions/runners/thread-pool'

const preset = (id: string, cohort: Scenario['cohort']): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`preset ${id} does not parse`)
  return { ...parsed.scenario, cohort }
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

/** Time per uniform draw of the engine's stream, in a loop that does nothing else. */
const timePerDraw = (): number => {
  const stream = new Stream().reset(1, 2, 3)
  let sink = 0
  for (let i = 0; i < 1e7; i++) sink += stream.nextDouble()
  const n = 5e7
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) sink += stream.nextDouble()
  const t = seconds(start) / n
  if (sink === 42) console.log('')
  return t
}

/** PRNG outputs one iteration consumes (counted in a worker thread: see count-draws.ts). */
const drawsPerIteration = (scenario: Scenario): Promise<number> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./count-draws.mjs', import.meta.url), { workerData: scenario })
    worker.once('message', (draws: number) => {
      resolve(draws)
      void worker.terminate()
    })
    worker.once('error', reject)
  })

/** Iterations per second on this thread: warm up, then time a run of at least ~1.5 s. */
const singleCore = (scenario: Scenario): number => {
  runShard(scenario, { seed: 'warm', from: 0, to: 4096 })
  let n = 8192
  for (;;) {
    const start = process.hrtime.bigint()
    runShard(scenario, { seed: 'bench', from: 0, to: n })
    const t = seconds(start)
    if (t > 1.5) return n / t
    n *= 2
  }
}

const main = async () => {
  const cores = availableParallelism()
  const drawTime = timePerDraw()
  console.log(`Homecoming engine benchmark — node ${process.version}, ${cores} cores`)
  console.log(`PRNG: ${(drawTime * 1e9).toFixed(2)} ns per uniform draw (xorshift128 stream)\n`)
  const pool = createThreadPool(cores)
  const rows: string[][] = [
    ['preset', 'cohort', 'draws/iter', 'floor it/s', '1 core it/s', 'x floor', `${cores} cores it/s`, 'speed-up'],
  ]
  try {
    for (const id of ['uk-nao-2003', 'de-reag-garp']) {
      for (const cohort of ['expected', 'stochastic'] as const) {
        const scenario = preset(id, cohort)
        const draws = await drawsPerIteration(scenario)
        const floor = 1 / (draws * drawTime)
        const one = singleCore(scenario)
        const iterations = Math.max(cores * 4096, Math.round(one * 2 * cores))
        await runJob({ kind: 'run', scenario, seed: 'warm', iterations: cores * 1024 }, pool.execute, cores)
        const start = process.hrtime.bigint()
        await runJob({ kind: 'run', scenario, seed: 'bench', iterations }, pool.execute, cores)
        const all = iterations / seconds(start)
        rows.push([
          id,
          cohort,
          draws.toFixed(0),
          Math.round(floor).toLocaleString('en-GB'),
          Math.round(one).toLocaleString('en-GB'),
          (floor / one).toFixed(1),
          Math.round(all).toLocaleString('en-GB'),
          `${(all / one).toFixed(2)}x`,
        ])
      }
    }
  } finally {
    await pool.close()
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  for (const r of rows) console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
  console.log('\nx floor: time per iteration over (draws per iteration x time per draw); 1.0 would be pure PRNG cost.')
}

await main()
