/**
 * `npm run bench`: engine speed in iterations per second for the UK and Germany presets, both cohort modes,
 * one core and all cores (each the best of three runs), against the floor "random numbers per iteration x time per
 * number" measured here too.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { PerformanceObserver } from 'node:perf_hooks'
import { CohortModel } from '../models/engine/cohort'
import { ParameterUniforms, seedKey, Stream } from '../models/engine/rng'
import { runShard } from '../models/engine/run'
import { parseScenario, type Scenario } from '../models/engine/scenario'
import { runJob } from '../models/engine/shard-task'
import { getPresetRaw } from '../scenarios/index'
import { createThreadPool, type ThreadPool } from '../functions/runners/thread-pool'

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

/** The best of `REPEATS` timings: the machine's other load only ever slows a run down. */
const REPEATS = 3

/** Iterations per second on this thread: warm up, find a run of at least ~1 s, then the best of REPEATS runs. */
const singleCore = (scenario: Scenario): number => {
  runShard(scenario, { seed: 'warm', from: 0, to: 4096 })
  let n = 8192
  for (;;) {
    const start = process.hrtime.bigint()
    runShard(scenario, { seed: 'bench', from: 0, to: n })
    if (seconds(start) > 1) break
    n *= 2
  }
  let best = 0
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint()
    runShard(scenario, { seed: `bench-${r}`, from: 0, to: n })
    best = Math.max(best, n / seconds(start))
  }
  return best
}

/** Iterations per second over the thread pool, after a warm-up as long as one core's run: the best of REPEATS. */
const allCores = async (scenario: Scenario, pool: ThreadPool, one: number): Promise<number> => {
  const cores = pool.size
  const iterations = Math.max(cores * 4096, Math.round(one * 1.5 * cores))
  await runJob({ kind: 'run', scenario, seed: 'warm', iterations: Math.round(one * cores) }, pool.execute, cores)
  let best = 0
  for (let r = 0; r < REPEATS; r++) {
    const start = process.hrtime.bigint()
    await runJob({ kind: 'run', scenario, seed: `bench-${r}`, iterations }, pool.execute, cores)
    best = Math.max(best, iterations / seconds(start))
  }
  return best
}

/**
 * Garbage collections during `iterations` iterations of the model alone (no summaries): the hot loop should
 * allocate nothing, so this should be 0 (a boxed double per parameter would show as dozens).
 */
const collectionsDuring = async (scenario: Scenario, iterations: number): Promise<number> => {
  const model = new CohortModel(scenario)
  const out = new Float64Array(model.layout.observables)
  const runKey = seedKey('bench')
  for (let i = 0; i < iterations / 4; i++) model.iterate(runKey, i, out)
  let collections = 0
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length))
  observer.observe({ entryTypes: ['gc'] })
  for (let i = 0; i < iterations; i++) model.iterate(runKey, i, out)
  await new Promise((resolve) => setTimeout(resolve, 50)) // gc entries arrive asynchronously
  observer.disconnect()
  return collections
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
    ['preset', 'cohort', 'uniforms', 'draws', 'floor it/s', '1 core it/s', 'x floor', `${cores} cores it/s`, 'speed-up', 'GCs'],
  ]
  try {
    for (const id of ['uk-nao-2003', 'de-reag-garp']) {
      for (const cohort of ['expected', 'stochastic'] as const) {
        const scenario = preset(id, cohort)
        const draws = await drawsPerIteration(scenario)
        const floor = 1 / (draws.parameterUniforms * uniformTime + draws.streamDraws * drawTime)
        const collections = await collectionsDuring(scenario, cohort === 'expected' ? 100_000 : 10_000)
        const one = singleCore(scenario)
        const all = await allCores(scenario, pool, one)
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
          `${collections} in ${cohort === 'expected' ? '100k' : '10k'}`,
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
      ' uniform + draws x time per draw); 1.0 would be pure random-number cost.\nGCs: garbage collections' +
      ' during that many iterations of the model alone (the hot loop allocates nothing: 0 expected).',
  )
}

await main()
