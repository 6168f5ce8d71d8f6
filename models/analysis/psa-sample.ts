/** The probabilistic sensitivity analysis as data (each iteration's inputs and outcome), and rank correlations. */
import { sampleCorrelation } from 'simple-statistics'
import { checkAnalysis, outcomeValue, PairedRun, type OutcomeSpec, type Sampling } from './outcomes'
import type { Scenario } from '../engine/scenario'
import { rankUniforms } from './smoother'

export interface PsaSample {
  /** The uncertain inputs of the scenario and its comparator, by path. */
  paths: string[]
  iterations: number
  /** Input values by input then iteration: input k of iteration i at values[k * iterations + i]. */
  values: Float64Array
  /** The outcome of each iteration (NaN where a ratio is undefined). */
  outcome: Float64Array
  /** Incremental net monetary benefit of the scenario over its comparator at `wtp`, when there is a comparator. */
  incrementalNmb?: Float64Array
  wtp: number
}

/**
 * Run the PSA of a scenario (and comparator, paired) and keep, per iteration, every uncertain input's value
 * (the scenario's, or the comparator's for an input only it has) and the outcome.
 */
export const psaSample = (scenario: Scenario, spec: OutcomeSpec, sampling: Sampling): PsaSample => {
  checkAnalysis(scenario, spec, sampling)
  const run = new PairedRun(scenario, spec.comparator, sampling)
  const inputs = run.draws.inputs
  const n = sampling.iterations
  const values = new Float64Array(inputs.length * n)
  const outcome = new Float64Array(n)
  const wtp = spec.wtp ?? 0
  const incrementalNmb = run.b ? new Float64Array(n) : undefined
  const source = inputs.map((input) => (input.slots[0] >= 0 ? 0 : 1))
  const slot = inputs.map((input, k) => input.slots[source[k]])
  for (let i = 0; i < n; i++) {
    run.draw(i)
    for (let k = 0; k < inputs.length; k++) values[k * n + i] = run.values[source[k]][slot[k]]
    run.runA(i)
    run.runB(i)
    outcome[i] = run.outcome(spec)
    if (incrementalNmb) {
      const { costA, sustainableA, costB, sustainableB } = run
      incrementalNmb[i] = outcomeValue('netMonetaryBenefit', wtp, costA, sustainableA, costB, sustainableB)
    }
  }
  return { paths: inputs.map((i) => i.path), iterations: n, values, outcome, incrementalNmb, wtp }
}

/** Input k's values across the sample's iterations. */
export const inputColumn = (sample: PsaSample, k: number): Float64Array =>
  sample.values.subarray(k * sample.iterations, (k + 1) * sample.iterations)

export interface RankCorrelation {
  path: string
  /** Spearman's rho between the input and the outcome; null where the outcome never varies. */
  rho: number | null
}

/**
 * Spearman's rank correlation of every input with the outcome: Pearson's correlation (simple-statistics) of
 * the midranks, over the iterations where the outcome is defined. Sorted by |rho|, largest first.
 */
export const rankCorrelations = (sample: PsaSample): RankCorrelation[] => {
  const n = sample.iterations
  const keep: number[] = []
  for (let i = 0; i < n; i++) if (Number.isFinite(sample.outcome[i])) keep.push(i)
  const outcomeRanks = Array.from(rankUniforms(keep.map((i) => sample.outcome[i])))
  const result = sample.paths.map((path, k) => {
    const column = inputColumn(sample, k)
    const ranks = Array.from(rankUniforms(keep.map((i) => column[i])))
    const rho = keep.length > 2 ? sampleCorrelation(ranks, outcomeRanks) : NaN
    return { path, rho: Number.isFinite(rho) ? rho : null }
  })
  return result.sort((a, b) => Math.abs(b.rho ?? 0) - Math.abs(a.rho ?? 0))
}
