/** Threshold analysis: the lever value at which the programme breaks even (or meets a target), by paired bisection. */
import { CohortModel } from '../engine/cohort'
import { slotQuantile } from './inputs'
import {
  isStructural,
  leverPath,
  leverProblems,
  leverSlot,
  NUMERIC_LEVERS,
  constantScale,
  SCALE_RANGE,
  withStructuralLever,
  type NumericLever,
} from './levers'
import { AnalysisProblems, checkAnalysis, PairedRun, type Sampling } from './outcomes'
import type { FieldProblem, Scenario } from '../engine/scenario'

export type ThresholdCriterion =
  | { kind: 'cost-neutral' }
  | { kind: 'target'; outcome: 'costPerSustainableReintegration'; value: number }

export interface ThresholdOptions {
  lever: NumericLever
  /** Cost-neutral against the comparator unless given. */
  criterion?: ThresholdCriterion
  /**
   * Lever values searched; either end may be left out. By default from 0 (money) or 0.1 (scale); up to 10 for scale,
   * and for money from max(10,000, 4 x the 95th percentile) doubled until the criterion changes sign or
   * EXPANSION_LIMIT times that is reached. A given upper end is searched as given.
   */
  range?: [number | undefined, number | undefined]
  /** Grid points for the first bracket and the uncertainty curve (11 unless given). */
  gridPoints?: number
  /** Accept a comparator of another population (refused otherwise). */
  compareAnyway?: boolean
  /** Bisection stops when the bracket is narrower than this share of the range (1e-5 unless given). */
  tolerance?: number
}

export interface ThresholdPoint {
  value: number
  /** Mean incremental cost (cost-neutral) or mean cost per sustainable reintegration (target). */
  mean: number | null
  /** Share of iterations cost-neutral or better (incremental cost <= 0), or at or below the target. */
  probability: number
}

export interface ThresholdResult {
  lever: NumericLever
  path: string
  criterion: ThresholdCriterion
  range: [number, number]
  iterations: number
  seed: string | number
  status: 'found' | 'no-root'
  /** The lever value at the threshold; null when there is none in the range. */
  value: number | null
  message: string
  /** Share of iterations meeting the criterion at the threshold value (about one half where the mean is met). */
  probabilityAtValue: number | null
  /** True when the upper end was found by doubling the default (no upper end given, none in the default range). */
  rangeExpanded: boolean
  /** Sign changes of the mean minus the criterion on the grid: more than one means several thresholds. */
  crossings: number
  grid: ThresholdPoint[]
  /** The scenario as written, the lever drawn from its own distribution (money) or at its own scale. */
  current: { value: number; mean: number | null; probability: number }
}

const DRAW_CACHE_LIMIT = 4_000_000

/** How far a money lever's search grows past its default upper end when no threshold lies within it. */
export const EXPANSION_LIMIT = 64

const fmt = (x: number): string =>
  Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-GB') : String(Number(x.toPrecision(4)))

/**
 * Find the lever value where the criterion is met. The mean over iterations is evaluated on a grid; the
 * first sign change is bisected (each evaluation re-runs the scenario's iterations with the lever fixed,
 * replaying cached draws, against the comparator's cached results); no sign change is a 'no-root' result.
 */
export const threshold = (
  scenario: Scenario,
  comparator: Scenario | null | undefined,
  sampling: Sampling,
  options: ThresholdOptions,
): ThresholdResult => {
  const criterion = options.criterion ?? { kind: 'cost-neutral' }
  const problems: FieldProblem[] = [...leverProblems(scenario, options.lever)]
  if (!NUMERIC_LEVERS.includes(options.lever))
    problems.push({ path: 'lever', message: `a threshold needs a numeric lever: ${NUMERIC_LEVERS.join(', ')}` })
  if (criterion.kind === 'cost-neutral' && !comparator)
    problems.push({ path: 'comparator', message: 'is required to find where the programme is cost-neutral' })
  if (criterion.kind === 'target' && !(Number.isFinite(criterion.value) && criterion.value > 0))
    problems.push({ path: 'target', message: 'must be a positive amount of cost per sustainable reintegration' })
  const gridPoints = options.gridPoints ?? 11
  if (!Number.isInteger(gridPoints) || gridPoints < 2 || gridPoints > 1001)
    problems.push({ path: 'gridPoints', message: 'must be a whole number from 2 to 1001' })
  if (problems.length) throw new AnalysisProblems(problems)
  checkAnalysis(scenario, { outcome: 'totalCost', comparator, compareAnyway: options.compareAnyway }, sampling)

  const lever = options.lever
  const run = new PairedRun(scenario, comparator, sampling)
  const slot = isStructural(lever) ? -1 : leverSlot(run.a, lever as Exclude<NumericLever, 'scale'>)
  const ownValue = lever === 'scale' ? constantScale(scenario) : slotQuantile(run.a, slot, 0.5)
  const defaultHigh =
    lever === 'scale' ? SCALE_RANGE[1] : Math.max(lever === 'counsellingCost' ? 5000 : 10_000, 4 * slotQuantile(run.a, slot, 0.95))
  const lo = options.range?.[0] ?? (lever === 'scale' ? SCALE_RANGE[0] : 0)
  let hi = options.range?.[1] ?? (lever === 'scale' || lo < defaultHigh ? defaultHigh : lo + defaultHigh)
  const expandable = options.range?.[1] === undefined && lever !== 'scale'
  const rangeProblems: FieldProblem[] = []
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
    rangeProblems.push({ path: 'range', message: 'must be two numbers, low < high' })
  else if (lever === 'scale' && (lo < SCALE_RANGE[0] || hi > SCALE_RANGE[1]))
    rangeProblems.push({ path: 'range', message: `scale must stay within ${SCALE_RANGE[0]} .. ${SCALE_RANGE[1]}` })
  else if (lo < 0) rangeProblems.push({ path: 'range', message: `${lever} must be >= 0` })
  if (rangeProblems.length) throw new AnalysisProblems(rangeProblems)

  const n = sampling.iterations
  const size = run.a.table.size
  const cache = n * size <= DRAW_CACHE_LIMIT ? new Float64Array(n * size) : undefined
  const costB = new Float64Array(n)
  const sustainableB = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    run.draw(i)
    if (cache) for (let j = 0; j < size; j++) cache[i * size + j] = run.values[0][j]
    run.runB(i)
    costB[i] = run.costB
    sustainableB[i] = run.sustainableB
  }
  const target = criterion.kind === 'target' ? criterion.value : 0
  const costNeutral = criterion.kind === 'cost-neutral'
  const models = new Map<number, CohortModel>()
  const modelFor = (x: number): CohortModel => {
    if (lever !== 'scale') return run.a
    let model = models.get(x)
    if (!model) {
      model = new CohortModel(withStructuralLever(scenario, 'scale', x))
      models.set(x, model)
    }
    return model
  }

  /** Mean of the criterion's quantity with the lever at x (NaN: drawn as in the scenario) and the share meeting it. */
  const evaluate = (x: number): { mean: number; probability: number } => {
    const model = modelFor(Number.isNaN(x) ? ownValue : x)
    const values = run.values[0]
    let sum = 0
    let count = 0
    let meeting = 0
    for (let i = 0; i < n; i++) {
      if (cache) for (let j = 0; j < size; j++) values[j] = cache[i * size + j]
      else run.draw(i)
      if (slot >= 0 && !Number.isNaN(x)) values[slot] = x
      run.runA(i, model)
      const y = costNeutral ? run.costA - costB[i] : run.costA / run.sustainableA
      if (y - y === 0) {
        sum += y
        count++
      }
      if (y <= target) meeting++
    }
    return { mean: count > 0 ? sum / count : NaN, probability: meeting / n }
  }

  // no upper end given: double it until the criterion changes sign between the ends, or give up far out
  let rangeExpanded = false
  if (expandable) {
    const side = (x: number) => Math.sign(evaluate(x).mean - target)
    const low = side(lo)
    const limit = lo + EXPANSION_LIMIT * (hi - lo)
    let high = side(hi)
    while (low !== 0 && high === low && hi < limit) {
      hi = Math.min(limit, lo + 2 * (hi - lo))
      rangeExpanded = true
      high = side(hi)
    }
  }
  const grid: ThresholdPoint[] = Array.from({ length: gridPoints }, (_, j) => {
    const value = lo + ((hi - lo) * j) / (gridPoints - 1)
    const r = evaluate(value)
    return { value, mean: Number.isFinite(r.mean) ? r.mean : null, probability: r.probability }
  })
  const own = evaluate(NaN)
  const current = {
    value: ownValue,
    mean: Number.isFinite(own.mean) ? own.mean : null,
    probability: own.probability,
  }
  const gap = (p: ThresholdPoint) => (p.mean === null ? NaN : p.mean - target)

  let crossings = 0
  let bracket: [ThresholdPoint, ThresholdPoint] | undefined
  let exact: ThresholdPoint | undefined
  const defined = grid.filter((p) => p.mean !== null)
  for (let j = 0; j < defined.length; j++) {
    if (gap(defined[j]) === 0) exact ??= defined[j]
    if (j > 0 && Math.sign(gap(defined[j - 1])) * Math.sign(gap(defined[j])) < 0) {
      crossings++
      bracket ??= [defined[j - 1], defined[j]]
    }
  }
  const quantity = costNeutral ? 'mean incremental cost' : 'mean cost per sustainable reintegration'
  const goal = costNeutral ? '0 (cost-neutral)' : `the target ${fmt(target)}`
  const base = {
    lever,
    path: leverPath(lever),
    criterion,
    range: [lo, hi] as [number, number],
    rangeExpanded,
    iterations: n,
    seed: sampling.seed,
    crossings,
    grid,
    current,
  }

  if (!bracket && !exact) {
    const first = defined[0]
    const last = defined.at(-1)
    const side = first && gap(first) > 0 ? 'above' : 'below'
    const message = !first
      ? `${quantity} is undefined over the whole range (no sustainable reintegrations)`
      : `no threshold in ${fmt(lo)} .. ${fmt(hi)}${rangeExpanded ? ` (searched up to ${EXPANSION_LIMIT} times the default range)` : ''}: ${quantity} stays ${side} ${goal} ` +
        `(${fmt(first.mean!)} at ${fmt(first.value)}, ${fmt(last!.mean!)} at ${fmt(last!.value)})`
    return { ...base, status: 'no-root', value: null, message, probabilityAtValue: null }
  }

  let value: number
  if (exact && (!bracket || exact.value <= bracket[0].value)) {
    value = exact.value
  } else {
    let [a, b] = bracket!.map((p) => ({ x: p.value, g: gap(p) }))
    const tolerance = (options.tolerance ?? 1e-5) * (hi - lo)
    for (let step = 0; step < 100 && b.x - a.x > tolerance; step++) {
      const x = 0.5 * (a.x + b.x)
      const g = evaluate(x).mean - target
      if (g === 0) {
        a = b = { x, g: 0 }
        break
      }
      // undefined there (no sustainable reintegration in any iteration): keep the bracket reached so far
      if (!Number.isFinite(g)) break
      if (Math.sign(g) === Math.sign(a.g)) a = { x, g }
      else b = { x, g }
    }
    // within the last bracket the mean is close to linear: interpolate rather than take the midpoint
    value = a.x === b.x || a.g === b.g ? a.x : a.x - (a.g * (b.x - a.x)) / (b.g - a.g)
  }
  const at = evaluate(value)
  const several = crossings > 1 ? ` (${crossings} crossings on the grid: the lowest is reported)` : ''
  const message =
    `${quantity} reaches ${goal} at ${lever} = ${fmt(value)}${several}; there ${fmt(at.probability * 100)}% ` +
    `of iterations are ${costNeutral ? 'cost-neutral or better' : 'at or below the target'}`
  return { ...base, status: 'found', value, message, probabilityAtValue: at.probability }
}
