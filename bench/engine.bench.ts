/**
 * `npm run bench`: engine speed in iterations per second for the UK and Germany presets, both cohort modes,
 * one core and all cores, against the floor "random numbers per iteration x time per number" measured here too.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { ParameterUniforms, Stream } from '../models/rng'
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

const timed = (n: number, loop: (n: number) => number): number => {
  const start = process.hrtime.bigint()
  const sink = loop(n)
  const t = seconds(start) / n
  if (sink === 42) console.log('')
  return t
}

/** Time per xorshift output of a cohort stream, in a loop that does nothing else (after a warm-up). */
const timePerStreamDraw = (): number => {
  const stream = new Stream().reset(1, 2, 3)
  const loop = (n: number) => {
    let sink = 0
    for (let i = 0; i < n; i++) sink += stream.nextDouble()
    return sink
  }
  loop(1e7)
  return timed(5e7, loop)
}

/** Time per parameter uniform (the hash of iteration and path words), likewise. */
const timePerParameterUniform = (): number => {
  const uniforms = new ParameterUniforms().setIteration(1, 2)
  const loop = (n: number) => {
    let sink = 0
    for (let i = 0; i < n; i++) sink += uniforms.uniform(i, i ^ 0x5bd1e995)
    return sink
  }
  loop(1e7)
  return timed(5e7, loop)
}

interface Draws {
  parameterUniforms: number
  streamDraws: number
}

/** Random numbers one iteration consumes (counted in a worker thread: see count-draws.ts). */
const drawsPerIteration = (scenario: Scenario): Promise<Draws> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./count-draws.mjs', import.meta.url), { workerData: scenario })
    worker.once('message', (draws: Draws) => {
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
  const uniformTime = timePerParameterUniform()
  const drawTime = timePerStreamDraw()
  console.log(`Homecoming engine benchmark — node ${process.version}, ${cores} cores`)
  console.log(
    `random numbers: ${(uniformTime * 1e9).toFixed(2)} ns per parameter uniform (hashed), ` +
      `${(drawTime * 1e9).toFixed(2)} ns per cohort stream draw (xorshift128)\n`,
  )
  const pool = createThreadPool(cores)
  const rows: string[][] = [
    ['preset', 'cohort', 'uniforms', 'draws', 'floor it/s', '1 core it/s', 'x floor', `${cores} cores it/s`, 'speed-up'],
  ]
  try {
    for (const id of ['uk-nao-2003', 'de-reag-garp']) {
      for (const cohort of ['expected', 'stochastic'] as const) {
        const scenario = preset(id, cohort)
        const draws = await drawsPerIteration(scenario)
        const floor = 1 / (draws.parameterUniforms * uniformTime + draws.streamDraws * drawTime)
        const one = singleCore(scenario)
        const iterations = Math.max(cores * 4096, Math.round(one * 2 * cores))
        // warm the threads up as long as the single core was (about a second each)
        await runJob({ kind: 'run', scenario, seed: 'warm', iterations: Math.round(one * cores) }, pool.execute, cores)
        const start = process.hrtime.bigint()
        await runJob({ kind: 'run', scenario, seed: 'bench', iterations }, pool.execute, cores)
        const all = iterations / seconds(start)
        rows.push([
          id,
          cohort,
          draws.parameterUniforms.toFixed(0),
          draws.streamDraws.toFixed(0),
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
  console.log(
    '\nuniforms: parameter uniforms per iteration (one per uncertain parameter); draws: cohort stream outputs per' +
      ' iteration (binomial counts, stochastic cohort only).\nx floor: time per iteration over (uniforms x time per' +
      ' uniform + draws x time per draw); 1.0 would be pure random-number cost.',
  )
}

await main()
