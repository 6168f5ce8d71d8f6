/** One-way sensitivity as a tornado: each uncertain input at its 5th and 95th percentile, the swing of the outcome. */
import { slotQuantile, type UncertainInput } from './inputs'
import {
  AnalysisProblems,
  checkAnalysis,
  FiniteMean,
  needsComparator,
  PairedRun,
  type Outcome,
  type OutcomeSpec,
  type Sampling,
} from './outcomes'
import type { Scenario } from '../engine/scenario'
import { M } from '../engine/layout'
import type { CohortModel } from '../engine/cohort'
import { metamodelTornado } from './tornado-metamodel'

// read once: the layout's exports are module bindings
const TOTAL_COST = M.totalCost
const SUSTAINABLE = M.sustainableReintegrations

export type TornadoMode = 'median' | 'psa-mean'

/** 'rerun': the cohort run again for each input and end; 'metamodel': read off the PSA sample (tornado-metamodel.ts). */
export type TornadoMethod = 'rerun' | 'metamodel'

export interface TornadoOptions {
  /** 'psa-mean' (default): the other inputs drawn as in the PSA; 'median': the other inputs at their medians. */
  mode?: TornadoMode
  /** Quantile levels of the low and high ends: 0.05 and 0.95 unless given. */
  levels?: [number, number]
  /** Only these input paths (the default is every uncertain input); a runner may split the inputs this way. */
  inputs?: readonly string[]
  /**
   * Run the cohort at its expected values whatever the scenario says: first-order (cohort) noise is then
   * averaged analytically rather than by iterations, which is exact for costs that are linear in the counts
   * and much faster.
   */
  expectedCohort?: boolean
  /**
   * Inputs that only price counts (unit costs, the programme's costs: `CohortModel.pricingSlots`) re-price the
   * base run's counts instead of re-running the cohort: the same result (default true; false re-runs every input).
   */
  repriceCosts?: boolean
  /** 'rerun' (default) or 'metamodel' (psa-mean mode only: one PSA of the iterations instead of 2 x inputs re-runs). */
  method?: TornadoMethod
  onProgress?: (done: number, total: number) => void
}

export interface TornadoEnd {
  level: number
  /** The input's value at that level (the scenario's; the comparator's for an input only it has). */
  input: number
  /** Mean outcome with the input fixed there. */
  outcome: number | null
}

export interface TornadoBar {
  path: string
  low: TornadoEnd
  high: TornadoEnd
  /** |high - low| of the outcome. */
  swing: number
  /** Monte Carlo standard error of high - low (paired iterations); 0 where one deterministic iteration sufficed. */
  mcse: number | null
}

export interface TornadoResult {
  outcome: Outcome
  wtp?: number
  mode: TornadoMode
  /** How the bars were made; absent: re-run ('rerun'). */
  method?: TornadoMethod
  cohort: 'expected' | 'stochastic'
  /** Iterations behind each mean (1 in median mode with an expected cohort: nothing is random). */
  iterations: number
  seed: string | number
  /** Mean outcome with no input fixed (psa-mean: the PSA mean; median: every input at its median). */
  base: number | null
  bars: TornadoBar[]
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null)

/** Each input's value in each model at quantile level q (NaN where the model does not have it as uncertain). */
const levelValues = (run: PairedRun, inputs: UncertainInput[], q: number): Float64Array[] => {
  const models = run.b ? [run.a, run.b] : [run.a]
  return inputs.map((input) =>
    Float64Array.from(models, (model, m) => (input.slots[m] >= 0 ? slotQuantile(model, input.slots[m], q) : NaN)),
  )
}

/**
 * The tornado of a scenario. For each input and end, the mean outcome over the iterations with that input
 * fixed, every other input as the mode says; in psa-mean mode iteration i of every bar uses the same draws
 * of the other inputs (and the same cohort streams), so the swings are paired differences with small noise.
 * Each iteration draws once and re-runs the cohort per bar and end, replaying the draws.
 */
export const tornado = (
  scenario: Scenario,
  spec: OutcomeSpec,
  sampling: Sampling,
  options: TornadoOptions = {},
): TornadoResult => {
  checkAnalysis(scenario, spec, sampling)
  const mode = options.mode ?? 'psa-mean'
  const [lowLevel, highLevel] = options.levels ?? [0.05, 0.95]
  if (!(lowLevel > 0 && lowLevel < highLevel && highLevel < 1))
    throw new AnalysisProblems([{ path: 'levels', message: 'must be two quantile levels 0 < low < high < 1' }])
  if (options.method === 'metamodel') {
    if (mode !== 'psa-mean') throw new AnalysisProblems([{ path: 'mode', message: 'the metamodel tornado reads the PSA: mode must be psa-mean' }])
    if (options.inputs) throw new AnalysisProblems([{ path: 'inputs', message: 'the metamodel tornado fits every input from one PSA' }])
    return metamodelTornado(scenario, spec, sampling, [lowLevel, highLevel], options.expectedCohort)
  }
  const expected = options.expectedCohort ?? false
  const withCohort = (s: Scenario): Scenario => (expected ? { ...s, cohort: 'expected' } : s)
  const comparator = needsComparator(spec.outcome) && spec.comparator ? withCohort(spec.comparator) : undefined
  // at the medians nothing is drawn, so there is nothing to correlate
  const draws = mode === 'median' ? { ...sampling, correlation: undefined } : sampling
  const run = new PairedRun(withCohort(scenario), comparator, draws)
  const all = run.draws.inputs
  if (options.inputs) {
    const unknown = options.inputs.filter((p) => !all.some((i) => i.path === p))
    if (unknown.length)
      throw new AnalysisProblems(
        unknown.map((p) => ({ path: 'inputs', message: `${p} is not an uncertain input of the scenario` })),
      )
  }
  const inputs = options.inputs ? all.filter((i) => options.inputs!.includes(i.path)) : all
  const low = levelValues(run, inputs, lowLevel)
  const high = levelValues(run, inputs, highLevel)
  const models = run.b ? 2 : 1
  const cohort = run.a.stochastic || (run.b?.stochastic ?? false) ? 'stochastic' : 'expected'
  const iterations = mode === 'median' && cohort === 'expected' ? 1 : sampling.iterations

  if (mode === 'median') {
    // the medians replace the draws for good: fill the vectors once, every iteration reuses them
    run.draw(0)
    const medians = levelValues(run, all, 0.5)
    all.forEach((input, k) => {
      for (let m = 0; m < models; m++) if (input.slots[m] >= 0) run.values[m][input.slots[m]] = medians[k][m]
    })
  }

  const base = new FiniteMean()
  const lowMeans = inputs.map(() => new FiniteMean())
  const highMeans = inputs.map(() => new FiniteMean())
  // sums of (high - low) shifted by the first difference, so that the variance does not cancel (costs are large)
  const differences = inputs.map(() => ({ n: 0, shift: 0, sum: 0, squares: 0 }))
  const needsB = run.b !== undefined

  // inputs that only price counts: every model that has the input has it in a pricing slot
  const pricingOf = (model: CohortModel) => new Set(model.pricingSlots)
  const pricingSlots = run.b ? [pricingOf(run.a), pricingOf(run.b)] : [pricingOf(run.a)]
  const reprices = inputs.map(
    (input) => (options.repriceCosts ?? true) && input.slots.every((slot, m) => slot < 0 || pricingSlots[m].has(slot)),
  )
  const outs = [new Float64Array(run.a.layout.observables), new Float64Array(run.b?.layout.observables ?? 0)]

  /**
   * Model m (0: the scenario, 1: its comparator) with input k set: re-run, or for a pricing input its last (base)
   * iteration re-priced; a model without the input keeps its base result.
   */
  const modelWith = (m: number, i: number, input: UncertainInput, reprice: boolean, base: [number, number]): void => {
    let [cost, sustainable] = base
    if (input.slots[m] >= 0) {
      const model = m === 0 ? run.a : run.b!
      const out = outs[m]
      if (reprice) model.reprice(run.values[m], out)
      else model.iterate(run.runKey, i, out, run.values[m])
      cost = out[TOTAL_COST]
      sustainable = out[SUSTAINABLE]
    }
    if (m === 0) {
      run.costA = cost
      run.sustainableA = sustainable
    } else {
      run.costB = cost
      run.sustainableB = sustainable
    }
  }

  /** The outcome with input k at `value` in each model that has it. */
  const runWith = (
    i: number,
    input: UncertainInput,
    value: Float64Array,
    reprice: boolean,
    baseA: [number, number],
    baseB: [number, number],
  ): number => {
    for (let m = 0; m < models; m++) if (input.slots[m] >= 0) run.values[m][input.slots[m]] = value[m]
    modelWith(0, i, input, reprice, baseA)
    if (needsB) modelWith(1, i, input, reprice, baseB)
    return run.outcome(spec)
  }

  // the pricing inputs first, while the models still hold the base run's counts
  const order = inputs.map((_, k) => k).sort((j, k) => Number(reprices[k]) - Number(reprices[j]))

  const saved = new Float64Array(models)
  const baseA: [number, number] = [0, 0]
  const baseB: [number, number] = [0, 0]
  for (let i = 0; i < iterations; i++) {
    if (mode === 'psa-mean') run.draw(i)
    run.runA(i)
    run.runB(i)
    baseA[0] = run.costA
    baseA[1] = run.sustainableA
    baseB[0] = run.costB
    baseB[1] = run.sustainableB
    base.add(run.outcome(spec))
    for (const k of order) {
      const input = inputs[k]
      for (let m = 0; m < models; m++) saved[m] = input.slots[m] >= 0 ? run.values[m][input.slots[m]] : NaN
      const yLow = runWith(i, input, low[k], reprices[k], baseA, baseB)
      const yHigh = runWith(i, input, high[k], reprices[k], baseA, baseB)
      for (let m = 0; m < models; m++) if (input.slots[m] >= 0) run.values[m][input.slots[m]] = saved[m]
      lowMeans[k].add(yLow)
      highMeans[k].add(yHigh)
      const d = yHigh - yLow
      if (d - d === 0) {
        const acc = differences[k]
        if (acc.n === 0) acc.shift = d
        const e = d - acc.shift
        acc.n++
        acc.sum += e
        acc.squares += e * e
      }
    }
    if (options.onProgress && ((i + 1) % 256 === 0 || i + 1 === iterations)) options.onProgress(i + 1, iterations)
  }

  const bars: TornadoBar[] = inputs.map((input, k) => {
    const source = input.slots[0] >= 0 ? 0 : 1
    const lo = lowMeans[k].mean
    const hi = highMeans[k].mean
    const acc = differences[k]
    const variance = acc.n > 1 ? (acc.squares - (acc.sum * acc.sum) / acc.n) / (acc.n - 1) : NaN
    return {
      path: input.path,
      low: { level: lowLevel, input: low[k][source], outcome: finiteOrNull(lo) },
      high: { level: highLevel, input: high[k][source], outcome: finiteOrNull(hi) },
      swing: Number.isFinite(hi - lo) ? Math.abs(hi - lo) : 0,
      mcse: iterations === 1 ? 0 : finiteOrNull(Math.sqrt(Math.max(0, variance) / acc.n)),
    }
  })
  // ties (inputs that move nothing) in path order, so the order does not depend on how the inputs were listed
  bars.sort((a, b) => b.swing - a.swing || a.path.localeCompare(b.path))
  return {
    outcome: spec.outcome,
    ...(spec.wtp !== undefined ? { wtp: spec.wtp } : {}),
    mode,
    cohort,
    iterations,
    seed: sampling.seed,
    base: finiteOrNull(base.mean),
    bars,
  }
}
