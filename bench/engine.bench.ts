/**
 * `npm run bench`: engine speed in iterations per second for the UK and Germany presets, both cohort modes, one core
 * (each engine in processes of its own: engine-rate.ts) and all cores (the best of three), against the floor "random
 * numbers per iteration x time per number" measured here too. `npm run bench -- --baseline <git ref>` also runs that
 * commit's engine on its own presets, one core, its processes alternating with this engine's, and prints the ratio:
 * machine load then slows both alike.
 */
import { execFileSync, execSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { PerformanceObserver } from 'node:perf_hooks'
import { CohortModel } from '../models/engine/cohort'
import { ParameterUniforms, seedKey, Stream } from '../models/engine/rng'
import { parseScenario, type Scenario } from '../models/engine/scenario'
import { runJob } from '../models/engine/shard-task'
import { getPresetRaw, listPresets } from '../scenarios/index'
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

/**
 * One core's rates: each engine in a process of its own (engine-rate.ts), ALTERNATIONS times in turn, each time the
 * best of ROUNDS short runs; an engine's rate is its best process, and the ratio the median over alternations of the
 * two processes' ratio (neighbouring processes see the same load).
 */
const ALTERNATIONS = 4
const ROUNDS = 6
const ROUND_SECONDS = 0.4

const ROOT = new URL('..', import.meta.url).pathname

/** One process's best rate of the engine under `root` (this repository's, or a baseline's extracted copy). */
const rateIn = (root: string, id: string, cohort: Scenario['cohort']): number =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', `${ROOT}bench/engine-rate.ts`, root, id, cohort, String(ROUNDS), String(ROUND_SECONDS)], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ).rate

const singleCore = (roots: string[], id: string, cohort: Scenario['cohort']): { best: number[]; ratio: number } => {
  const best = roots.map(() => 0)
  const ratios: number[] = []
  for (let a = 0; a < ALTERNATIONS; a++) {
    const rates = roots.map((root) => rateIn(root, id, cohort))
    rates.forEach((rate, k) => (best[k] = Math.max(best[k], rate)))
    if (rates.length > 1) ratios.push(rates[0] / rates[1])
  }
  ratios.sort((x, y) => x - y)
  const ratio = ratios.length ? (ratios[(ratios.length - 1) >> 1] + ratios[ratios.length >> 1]) / 2 : NaN
  return { best, ratio }
}

/** Another commit's engine and presets, extracted with git archive under .bench-baseline/<ref>: its root. */
const baselineRoot = (ref: string): string => {
  const dir = `${ROOT}.bench-baseline/${ref.replace(/[^A-Za-z0-9._-]/g, '_')}`
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true })
    execSync(`git archive ${ref} models scenarios | tar -x -C ${dir}`, { cwd: ROOT })
  }
  return dir
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
  const at = process.argv.indexOf('--baseline')
  const ref = at >= 0 ? process.argv[at + 1] : undefined
  const baseline = ref ? { ref, root: baselineRoot(ref) } : undefined
  const cores = availableParallelism()
  // `--presets all` or a comma-separated list; the UK and Germany presets by default
  const listed = process.argv.indexOf('--presets')
  const wanted = listed >= 0 ? process.argv[listed + 1] : 'uk-nao-2003,de-reag-garp'
  const presetIds = wanted === 'all' ? listPresets().map((p) => p.id) : wanted.split(',')
  const uniformTime = timePerParameterUniform()
  const drawTime = timePerStreamDraw()
  console.log(`Homecoming engine benchmark — node ${process.version}, ${cores} cores`)
  console.log(
    `random numbers: ${(uniformTime * 1e9).toFixed(2)} ns per parameter uniform (hashed), ` +
      `${(drawTime * 1e9).toFixed(2)} ns per cohort stream draw (xorshift128)\n`,
  )
  const oneCoreOnly = process.argv.includes('--one-core')
  const rows: string[][] = [
    [
      'preset',
      'cohort',
      'uniforms',
      'draws',
      'floor it/s',
      '1 core it/s',
      'x floor',
      `${cores} cores it/s`,
      'speed-up',
      'GCs',
      ...(baseline ? [`${baseline.ref} it/s`, 'ratio', 'median ratio'] : []),
    ],
  ]
  for (const id of presetIds) {
    for (const cohort of ['expected', 'stochastic'] as const) {
      const scenario = preset(id, cohort)
      const draws = await drawsPerIteration(scenario)
      const floor = 1 / (draws.parameterUniforms * uniformTime + draws.streamDraws * drawTime)
      const collections = await collectionsDuring(scenario, cohort === 'expected' ? 100_000 : 10_000)
      const timing = singleCore([ROOT, ...(baseline ? [baseline.root] : [])], id, cohort)
      const [one, base] = timing.best
      // `--one-core` skips the thread pool: a quicker check of the one-core rates and ratios. A pool of its own per
      // row, as the one-core rate has a process of its own: threads that ran the other rows first ran the expected
      // cohort at ~1.0x of one core (their compiled month loop had seen both cohort modes)
      const pool = oneCoreOnly ? undefined : createThreadPool(cores)
      const all = pool ? await allCores(scenario, pool, one).finally(() => pool.close()) : NaN
      rows.push([
        id,
        cohort,
        draws.parameterUniforms.toFixed(0),
        draws.streamDraws.toFixed(0),
        Math.round(floor).toLocaleString('en-GB'),
        Math.round(one).toLocaleString('en-GB'),
        (floor / one).toFixed(1),
        oneCoreOnly ? '-' : Math.round(all).toLocaleString('en-GB'),
        oneCoreOnly ? '-' : `${(all / one).toFixed(2)}x`,
        `${collections} in ${cohort === 'expected' ? '100k' : '10k'}`,
        ...(base !== undefined
          ? [Math.round(base).toLocaleString('en-GB'), `${(one / base).toFixed(2)}x`, `${timing.ratio.toFixed(2)}x`]
          : []),
      ])
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  for (const r of rows) console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
  console.log(
    '\nuniforms: parameter uniforms per iteration (one per uncertain parameter); draws: cohort stream outputs per' +
      ' iteration (binomial counts, stochastic cohort only).\nx floor: time per iteration over (uniforms x time per' +
      ' uniform + draws x time per draw); 1.0 would be pure random-number cost.\nGCs: garbage collections' +
      ' during that many iterations of the model alone (the hot loop allocates nothing: 0 expected).' +
      (baseline
        ? `\nratio: this engine's best one-core rate over ${baseline.ref}'s, each engine in ${ALTERNATIONS} processes of its own,` +
          ` alternating; median ratio: the median of the ${ALTERNATIONS} pairs' ratios (steadier on a loaded machine).`
        : ''),
  )
}

await main()
