/** `npm run bench:analysis`: the time of a tornado of every input (one thread and all cores) and of EVPPI. */
import { availableParallelism } from 'node:os'
import { evppi } from '../models/analysis/evppi'
import { psaSample } from '../models/analysis/psa-sample'
import { parseScenario, type Scenario } from '../models/engine/scenario'
import { tornado, type TornadoOptions } from '../models/analysis/sensitivity'
import { getPresetRaw } from '../scenarios/index'
import { createThreadPool } from '../functions/runners/thread-pool'

const parsed = parseScenario(getPresetRaw('de-reag-garp'))
if (!parsed.ok) throw new Error('preset de-reag-garp does not parse')
const preset: Scenario = parsed.scenario
const ITERATIONS = 10_000
const full = process.argv.includes('--full')

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9
const time = <T>(f: () => T): [T, number] => {
  const start = process.hrtime.bigint()
  const result = f()
  return [result, seconds(start)]
}

const runTornado = (iterations: number, options: TornadoOptions) =>
  time(() => tornado(preset, { outcome: 'totalCost' }, { seed: 'bench', iterations }, options))

const count = (n: number) => n.toLocaleString('en-GB')
const cores = availableParallelism()
console.log(`Decision-analysis benchmark: de-reag-garp, node ${process.version}, ${cores} cores\n`)
runTornado(200, { expectedCohort: true }) // warm up the JIT

const rows: string[][] = [['analysis', 'runs of the cohort', 'seconds', 'target']]
const [expectedTornado, expectedSeconds] = runTornado(ITERATIONS, { expectedCohort: true })
const inputs = expectedTornado.bars.length
const runsPerTornado = (n: number) => count(n * (2 * inputs + 1))
rows.push([
  `tornado, ${inputs} inputs, psa-mean, CRN, expected cohort, ${count(ITERATIONS)} it/end`,
  runsPerTornado(ITERATIONS),
  expectedSeconds.toFixed(2),
  '',
])
// the same tornado split by inputs over one worker thread per core (the same bars, see thread-pool.test.ts)
const pool = createThreadPool(cores)
const tornadoPart = { scenario: preset, spec: { outcome: 'totalCost' as const }, sampling: { seed: 'bench', iterations: ITERATIONS }, options: { expectedCohort: true } }
await pool.tornado({ ...tornadoPart, sampling: { seed: 'warm', iterations: 200 } })
const poolStart = process.hrtime.bigint()
await pool.tornado(tornadoPart)
rows.push([
  `  the same on ${cores} worker threads, split by inputs`,
  runsPerTornado(ITERATIONS),
  seconds(poolStart).toFixed(2),
  '< 2 s on 2 cores',
])

const stochasticIterations = full ? ITERATIONS : 1_000
/** At 10,000 per end: measured with --full, else extrapolated from 1,000 (linear in iterations). */
const atFull = (secondsAtStochastic: number) => ((secondsAtStochastic * ITERATIONS) / stochasticIterations).toFixed(1)
const [, stochasticSeconds] = runTornado(stochasticIterations, {})
rows.push([
  `tornado, psa-mean, CRN, stochastic cohort (the preset's), ${count(stochasticIterations)} it/end`,
  runsPerTornado(stochasticIterations),
  stochasticSeconds.toFixed(2),
  '',
])
// pricing inputs re-price the base run's counts (see sensitivity.ts); this is the tornado without that
const [, rerunSeconds] = runTornado(stochasticIterations, { repriceCosts: false })
rows.push([`  the same re-running the cohort for every input`, runsPerTornado(stochasticIterations), rerunSeconds.toFixed(2), ''])
const stochasticPart = { ...tornadoPart, sampling: { seed: 'bench', iterations: stochasticIterations }, options: {} }
const stochasticPoolStart = process.hrtime.bigint()
await pool.tornado(stochasticPart)
const stochasticPoolSeconds = seconds(stochasticPoolStart)
rows.push([
  `  the same on ${cores} worker threads, split by inputs`,
  runsPerTornado(stochasticIterations),
  stochasticPoolSeconds.toFixed(2),
  '',
])
await pool.close()
rows.push([
  `  on ${cores} worker threads at ${count(ITERATIONS)} it/end${full ? '' : ', extrapolated (--full runs it)'}`,
  runsPerTornado(ITERATIONS),
  atFull(stochasticPoolSeconds),
  '< 10 s on 2 cores',
])
// the metamodel reads every bar off one PSA of the preset's stochastic cohort (tornado-metamodel.ts)
const [metamodel, metamodelSeconds] = runTornado(ITERATIONS, { method: 'metamodel' })
const largestError = Math.max(...metamodel.bars.map((b) => b.mcse ?? 0))
rows.push([
  `tornado read off one PSA (metamodel), stochastic cohort, ${count(ITERATIONS)} iterations, one thread` +
    ` (largest bar s.e. EUR ${(largestError / 1e6).toFixed(0)} m)`,
  count(ITERATIONS),
  metamodelSeconds.toFixed(2),
  '< 10 s on 2 cores',
])
const [, medianStochasticSeconds] = runTornado(stochasticIterations, { mode: 'median' })
rows.push([
  `tornado, median mode, stochastic cohort averaged, ${count(stochasticIterations)} it/end`,
  runsPerTornado(stochasticIterations),
  medianStochasticSeconds.toFixed(2),
  '',
])
const [, medianSeconds] = runTornado(ITERATIONS, { mode: 'median', expectedCohort: true })
rows.push([
  'tornado, median mode, expected cohort (one iteration suffices)',
  runsPerTornado(1),
  medianSeconds.toFixed(4),
  '',
])

// a real choice for the EVPPI: the same cohort with counselling by trusted actors instead
const trusted = parseScenario(getPresetRaw('de-trusted-actors'))
if (!trusted.ok) throw new Error('preset de-trusted-actors does not parse')
const comparator = trusted.scenario
const WTP = 20_000
const spec = { outcome: 'netMonetaryBenefit' as const, comparator, wtp: WTP }
const sampling = { seed: 'bench', iterations: ITERATIONS }
const expected = <T extends Scenario>(s: T): T => ({ ...s, cohort: 'expected' })
const [sampleExpected, sampleExpectedSeconds] = time(() =>
  psaSample(expected(preset), { ...spec, comparator: expected(comparator) }, sampling),
)
const pairedRuns = count(2 * ITERATIONS)
rows.push([
  `PSA sample for EVPPI, ${count(ITERATIONS)} paired iterations, expected cohort`,
  pairedRuns,
  sampleExpectedSeconds.toFixed(2),
  '',
])
const [sample, sampleSeconds] = time(() => psaSample(preset, spec, sampling))
rows.push([
  `PSA sample for EVPPI, ${count(ITERATIONS)} paired iterations, stochastic cohort`,
  pairedRuns,
  sampleSeconds.toFixed(2),
  '',
])
evppi(sampleExpected) // warm up
const [report, evppiSeconds] = time(() => evppi(sample))
rows.push([
  `EVPPI of all ${report.inputs.length} single inputs from the ${count(ITERATIONS)} samples (P-splines, GCV)`,
  '0',
  evppiSeconds.toFixed(2),
  '< 1 s',
])
const [groupReport, groupSeconds] = time(() => evppi(sample, [{ name: 'all inputs', paths: ['*'] }], []))
rows.push([`EVPPI of all ${report.inputs.length} inputs as one group (splines + 8-input bilinear)`, '0', groupSeconds.toFixed(2), ''])

const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
const cell = (text: string, c: number) => (c === 0 ? text.padEnd(widths[c]) : text.padStart(widths[c]))
for (const r of rows) console.log(r.map(cell).join('  '))
const all = groupReport.groups[0]
console.log(
  `\nEVPI at WTP ${count(WTP)} (against ${comparator.id}): ${count(Math.round(report.evpi))}; ` +
    `all-input group EVPPI ${count(Math.round(all.evppi))} (R^2 ${all.rSquared.toFixed(3)}); largest single ` +
    `${report.inputs[0].name} ${count(Math.round(report.inputs[0].evppi))}.`,
)
console.log('Runs of the cohort: each iteration draws once, then re-runs the cohort for the base and each end of each bar.')
