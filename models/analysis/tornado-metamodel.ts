/**
 * The tornado read off the probabilistic sensitivity analysis instead of re-running the cohort for every input and
 * end (a metamodel of the PSA sample): for each uncertain input, E[outcome | input] at the input's 5th and 95th
 * percentile, by a local linear regression of the outcome on the input over the iterations whose input lies within
 * WINDOW of that percentile's rank (the lowest and the highest tenth for the default levels). With independent
 * inputs that is the bar of psa-mean mode (the other inputs as in the PSA); an input correlated with others carries
 * their share with it. One PSA of n iterations replaces the 2 x inputs x n re-runs of the cohort, at a cost in
 * precision: each end rests on a tenth of the sample, and its standard error is the regression's, stated per bar
 * (the two windows are disjoint, so their errors add in quadrature). Curvature within a window is not in it.
 */
import type { Scenario } from '../engine/scenario'
import { inputColumn, psaSample } from './psa-sample'
import { AnalysisProblems, needsComparator, type OutcomeSpec, type Sampling } from './outcomes'
import type { TornadoBar, TornadoResult } from './sensitivity'

/** Half the width of each end's window, in rank: the default ends use the lowest and the highest tenth. */
const WINDOW = 0.05

/** Fewer finite iterations than this and a window holds too few to fit a line. */
const MIN_ITERATIONS = 400

/**
 * The outcome at x = at, by least squares over the rows `from` .. `to` (exclusive) of the input's order, with its
 * standard error: sigma^2 (1/m + (mean x - at)^2 / Sxx).
 */
const localLinear = (x: Float64Array, y: Float64Array, order: Uint32Array, from: number, to: number, at: number) => {
  const m = to - from
  let sx = 0
  let sy = 0
  for (let r = from; r < to; r++) {
    sx += x[order[r]] - at
    sy += y[order[r]]
  }
  const mx = sx / m
  const my = sy / m
  let sxx = 0
  let sxy = 0
  for (let r = from; r < to; r++) {
    const dx = x[order[r]] - at - mx
    sxx += dx * dx
    sxy += dx * (y[order[r]] - my)
  }
  // an input that barely varies in its window (a point mass, a narrow spike): the window's mean is the estimate
  const slope = sxx > 0 ? sxy / sxx : 0
  let rss = 0
  for (let r = from; r < to; r++) {
    const e = y[order[r]] - my - slope * (x[order[r]] - at - mx)
    rss += e * e
  }
  const sigma2 = rss / Math.max(1, m - 2)
  const value = my - slope * mx
  const se = Math.sqrt(sigma2 * (1 / m + (sxx > 0 ? (mx * mx) / sxx : 0)))
  return { value, se }
}

/** An input's end at quantile level q: the input's value there and the outcome's local linear estimate. */
const endAt = (x: Float64Array, y: Float64Array, order: Uint32Array, q: number) => {
  const n = x.length
  const input = x[order[Math.floor(q * (n - 1))]]
  const from = Math.max(0, Math.floor((q - WINDOW) * n))
  const to = Math.min(n, Math.ceil((q + WINDOW) * n))
  return { input, ...localLinear(x, y, order, from, to, input) }
}

export const metamodelTornado = (
  scenario: Scenario,
  spec: OutcomeSpec,
  sampling: Sampling,
  levels: [number, number],
  expectedCohort = false,
): TornadoResult & { method: 'metamodel' } => {
  const withCohort = (s: Scenario): Scenario => (expectedCohort ? { ...s, cohort: 'expected' } : s)
  const comparator = needsComparator(spec.outcome) && spec.comparator ? withCohort(spec.comparator) : undefined
  const sample = psaSample(withCohort(scenario), { ...spec, comparator }, sampling)
  // iterations whose outcome is undefined (a ratio over zero) say nothing about it
  const finite: number[] = []
  for (let i = 0; i < sample.iterations; i++) if (Number.isFinite(sample.outcome[i])) finite.push(i)
  if (finite.length < MIN_ITERATIONS)
    throw new AnalysisProblems([
      { path: 'tornadoIterations', message: `the metamodel needs at least ${MIN_ITERATIONS} iterations with a defined outcome; ${finite.length} had one` },
    ])
  const pick = (column: Float64Array) => Float64Array.from(finite, (i) => column[i])
  const y = pick(sample.outcome)
  const bars: TornadoBar[] = sample.paths.map((path, k) => {
    const x = pick(inputColumn(sample, k))
    const order = Uint32Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i] - x[j])
    const low = endAt(x, y, order, levels[0])
    const high = endAt(x, y, order, levels[1])
    const swing = high.value - low.value
    return {
      path,
      low: { level: levels[0], input: low.input, outcome: low.value },
      high: { level: levels[1], input: high.input, outcome: high.value },
      swing: Number.isFinite(swing) ? Math.abs(swing) : 0,
      mcse: Math.hypot(low.se, high.se),
    }
  })
  bars.sort((a, b) => b.swing - a.swing || a.path.localeCompare(b.path))
  const base = y.reduce((a, b) => a + b, 0) / y.length
  return {
    outcome: spec.outcome,
    ...(spec.wtp !== undefined ? { wtp: spec.wtp } : {}),
    mode: 'psa-mean',
    method: 'metamodel',
    cohort: expectedCohort || scenario.cohort === 'expected' ? 'expected' : 'stochastic',
    iterations: sampling.iterations,
    seed: sampling.seed,
    base,
    bars,
  }
}
