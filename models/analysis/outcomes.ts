/** What a decision analysis measures, its options, and a scenario with its comparator run on shared draws. */
import { CohortModel } from '../engine/cohort'
import { comparabilityProblems, removalOnlyVersion } from './compare'
import type { CorrelationSpec } from '../engine/correlation'
import { correlationFor, InputDraws } from './inputs'
import { M } from '../engine/layout'
import { seedKey, type Seed } from '../engine/rng'
import type { FieldProblem, Scenario } from '../engine/scenario'

// read once: the layout's exports are module bindings, and these are read for every run
const TOTAL_COST = M.totalCost
const SUSTAINABLE = M.sustainableReintegrations

export const OUTCOMES = [
  'totalCost',
  'costPerSustainableReintegration',
  'incrementalCost',
  'netMonetaryBenefit',
] as const
export type Outcome = (typeof OUTCOMES)[number]

/** The outcome and, for the incremental ones, the comparator and the WTP per sustainable reintegration. */
export interface OutcomeSpec {
  outcome: Outcome
  comparator?: Scenario | null
  wtp?: number
  /** Accept a comparator of another population (groups, stock, inflow, households); otherwise refused. */
  compareAnyway?: boolean
}

/** The analysis environment, threaded through every analysis: seed, iterations, and input correlation. */
export interface Sampling {
  seed: Seed
  iterations: number
  correlation?: CorrelationSpec
  /** Repair a correlation matrix that is not positive semi-definite instead of refusing it. */
  repairCorrelation?: boolean
}

/** Invalid analysis options, named by field (the CLI prints them one per line, the API as a 400). */
export class AnalysisProblems extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'))
  }
}

export const needsComparator = (outcome: Outcome): boolean =>
  outcome === 'incrementalCost' || outcome === 'netMonetaryBenefit'

/**
 * The spec with its default comparator: an incremental outcome without one is taken against the scenario's own
 * removal-only version (the same people without the programme), as a comparison is.
 */
export const withDefaultComparator = (a: Scenario, spec: OutcomeSpec): OutcomeSpec =>
  needsComparator(spec.outcome) && !spec.comparator ? { ...spec, comparator: removalOnlyVersion(a) } : spec

/** Problems with an outcome spec for scenario `a`: a missing comparator or wtp, an incomparable comparator. */
export const outcomeProblems = (a: Scenario, spec: OutcomeSpec): FieldProblem[] => {
  const problems: FieldProblem[] = []
  if (!(OUTCOMES as readonly string[]).includes(spec.outcome))
    problems.push({ path: 'outcome', message: `must be one of ${OUTCOMES.join(', ')}` })
  if (needsComparator(spec.outcome) && !spec.comparator)
    problems.push({
      path: 'comparator',
      message: `is required for the outcome ${spec.outcome} (the scenario it is incremental to)`,
    })
  if (spec.outcome === 'netMonetaryBenefit' && (spec.wtp === undefined || !Number.isFinite(spec.wtp)))
    problems.push({
      path: 'wtp',
      message: 'is required for netMonetaryBenefit: the willingness to pay per sustainable reintegration',
    })
  if (spec.wtp !== undefined && !(spec.wtp >= 0)) problems.push({ path: 'wtp', message: 'must be a number >= 0' })
  if (spec.comparator)
    for (const p of comparabilityProblems(a, spec.comparator, { compareAnyway: spec.compareAnyway }))
      problems.push({ ...p, path: p.path.replace('scenarios[1]', 'comparator') })
  return problems
}

export const samplingProblems = (sampling: Sampling): FieldProblem[] =>
  Number.isSafeInteger(sampling.iterations) && sampling.iterations >= 1
    ? []
    : [{ path: 'iterations', message: 'must be a whole number >= 1' }]

/**
 * One iteration's outcome from the scalar results of A and its comparator B. Incremental net monetary
 * benefit is wtp x incremental sustainable reintegrations - incremental cost.
 */
export const outcomeValue = (
  outcome: Outcome,
  wtp: number,
  costA: number,
  sustainableA: number,
  costB: number,
  sustainableB: number,
): number => {
  switch (outcome) {
    case 'totalCost':
      return costA
    case 'costPerSustainableReintegration':
      return costA / sustainableA
    case 'incrementalCost':
      return costA - costB
    case 'netMonetaryBenefit':
      return wtp * (sustainableA - sustainableB) - (costA - costB)
  }
}

/**
 * Scenario A and, where given, its comparator B, ready to run iteration by iteration on shared draws: `draw`
 * fills `values` (A's parameters, then B's), callers may change them (fix an input, set a lever), and `runA`
 * / `runB` run one model on them and keep its total cost and sustainable reintegrations.
 */
export class PairedRun {
  readonly a: CohortModel
  readonly b?: CohortModel
  readonly draws: InputDraws
  readonly values: Float64Array[]
  readonly runKey: number
  costA = 0
  sustainableA = 0
  costB = 0
  sustainableB = 0
  private readonly outA: Float64Array
  private readonly outB: Float64Array

  constructor(
    a: Scenario,
    b: Scenario | null | undefined,
    readonly sampling: Sampling,
  ) {
    this.a = new CohortModel(a)
    this.b = b ? new CohortModel(b) : undefined
    const models = this.b ? [this.a, this.b] : [this.a]
    const correlation = correlationFor(models, sampling.correlation, sampling.repairCorrelation)
    if (!correlation.ok) throw new AnalysisProblems(correlation.problems)
    this.draws = new InputDraws(models, correlation.correlation)
    this.values = models.map((m) => new Float64Array(m.table.size))
    this.runKey = seedKey(sampling.seed)
    this.outA = new Float64Array(this.a.layout.observables)
    this.outB = new Float64Array(this.b?.layout.observables ?? 0)
  }

  draw(iteration: number): void {
    this.draws.draw(this.runKey, iteration, this.values)
  }

  /** Run A (or a variant of A with the same parameter table) on `values[0]`. */
  runA(iteration: number, model: CohortModel = this.a): void {
    model.iterate(this.runKey, iteration, this.outA, this.values[0])
    this.costA = this.outA[TOTAL_COST]
    this.sustainableA = this.outA[SUSTAINABLE]
  }

  runB(iteration: number): void {
    if (!this.b) return
    this.b.iterate(this.runKey, iteration, this.outB, this.values[1])
    this.costB = this.outB[TOTAL_COST]
    this.sustainableB = this.outB[SUSTAINABLE]
  }

  outcome(spec: OutcomeSpec): number {
    const { costA, sustainableA, costB, sustainableB } = this
    return outcomeValue(spec.outcome, spec.wtp ?? 0, costA, sustainableA, costB, sustainableB)
  }
}

/** Validate a spec and sampling for scenario `a`, throwing every problem at once. */
export const checkAnalysis = (a: Scenario, spec: OutcomeSpec, sampling: Sampling): void => {
  const problems = [...outcomeProblems(a, spec), ...samplingProblems(sampling)]
  if (problems.length) throw new AnalysisProblems(problems)
}

/** A running mean that skips undefined values (a ratio with a zero denominator), as the run summaries do. */
export class FiniteMean {
  sum = 0
  n = 0
  add(x: number): void {
    if (x - x === 0) {
      this.sum += x
      this.n++
    }
  }
  get mean(): number {
    return this.n > 0 ? this.sum / this.n : NaN
  }
}
