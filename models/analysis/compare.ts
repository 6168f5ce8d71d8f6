/**
 * Scenario A against comparator B, paired by common random numbers (docs/model.md): incremental cost,
 * returns and sustainable reintegrations, ICER, P(cheaper), net monetary benefit, CEAC and EVPI.
 */
import { METRICS } from '../engine/layout'
import { DEFAULT_WTP_GRID, INCREMENTAL, pairedLayout, runCompareShard, wtpGridWith } from '../engine/paired-shard'
import type { Seed } from '../engine/rng'
import {
  finiteOrNull,
  layoutOf,
  quantileMethod,
  summariseBudget,
  summariseSketched,
  type BudgetYear,
  type MetricSummary,
  type RunReport,
} from '../engine/run'
import type { FieldProblem, Scenario } from '../engine/scenario'
import { exactQuantilesFor, foldForest, mergeShardSummaries, momentsOf, type ShardSummary } from '../engine/summary'
import { ENGINE_VERSION } from '../engine/version'

export { DEFAULT_WTP_GRID, runCompareShard, wtpGridWith, type CompareRequest } from '../engine/paired-shard'

/**
 * The same cohort without the assisted-return programme: the natural comparator of a scenario (same groups,
 * so every shared parameter is paired).
 */
export const removalOnlyVersion = (s: Scenario): Scenario => ({
  ...s,
  id: `${s.id.slice(0, 66)}-removal-only`,
  title: `${s.title.slice(0, 185)} (removal only)`,
  programme: null,
})

/** Problems that make two scenarios incomparable, named by field. */
export const comparabilityProblems = (a: Scenario, b: Scenario): FieldProblem[] => {
  const problems: FieldProblem[] = []
  if (a.currency !== b.currency)
    problems.push({ path: 'scenarios[1].currency', message: `must match the scenario's currency ${a.currency} (got ${b.currency})` })
  if (a.horizonMonths !== b.horizonMonths)
    problems.push({ path: 'scenarios[1].horizonMonths', message: `must match the scenario's horizon of ${a.horizonMonths} months` })
  return problems
}

export interface ComparisonReport {
  engineVersion: string
  scenarioId: string
  comparatorId: string
  seed: Seed
  iterations: number
  currency: string
  /** Set when either scenario was a version 1 file, migrated on read: which. */
  migratedFrom?: { scenario?: 1; comparator?: 1 }
  /** How the quantiles were computed (see RunReport). */
  quantiles: RunReport['quantiles']
  metrics: Record<string, MetricSummary>
  comparatorMetrics: Record<string, MetricSummary>
  comparison: {
    incrementalCost: MetricSummary
    incrementalReturns: MetricSummary
    incrementalSustainable: MetricSummary
    incrementalSustainableAtHorizon: MetricSummary
    /** The incremental budget by year (A minus B), lines, A's payers and total, each with its interval. */
    incrementalBudgetByYear: BudgetYear[]
    /** Mean incremental cost over mean incremental sustainable reintegrations; null where undefined. */
    icer: number | null
    icerInterpretation: string
    probCheaper: number
    /** P(A achieves more sustainable reintegrations than B). */
    probMoreEffective: number
    wtp: number
    netMonetaryBenefit: { mean: number | null; mcse: number | null }
    ceac: { wtp: number; probCostEffective: number }[]
    /** Expected value of perfect information per run (the population of the scenario) at `wtp`. */
    evpi: number
    evpiCurve: { wtp: number; evpi: number }[]
  }
}

/** hesim/dampack's reading of the ICER, dominance first. */
export const interpretIcer = (incCost: number, incEffect: number): string => {
  if (incEffect === 0) return incCost <= 0 ? 'no difference in effect; A costs no more' : 'no difference in effect; A costs more'
  if (incEffect > 0 && incCost <= 0) return 'A dominates: more sustainable reintegrations at lower cost'
  if (incEffect < 0 && incCost >= 0) return 'A is dominated: fewer sustainable reintegrations at higher cost'
  if (incEffect > 0) return 'A costs more and achieves more: ICER is the cost per additional sustainable reintegration'
  return 'A costs less and achieves less: ICER is the saving per sustainable reintegration forgone'
}

export const reportComparison = (
  a: Scenario,
  b: Scenario,
  seed: Seed,
  merged: ShardSummary,
  wtpGrid: readonly number[] = DEFAULT_WTP_GRID,
  wtp = 0,
): ComparisonReport => {
  const budget = layoutOf(a)
  const L = pairedLayout(wtpGrid.length, budget)
  const k = merged.observables
  const moments = foldForest(merged.forest, k)
  const incremental = summariseSketched(merged, moments, INCREMENTAL)
  const meanOf = (j: number) => momentsOf(moments, k, j).mean
  const incCost = meanOf(0)
  const incSustainable = meanOf(2)
  const evpiAt = (w: number) => Math.max(0, meanOf(L.wtpBase + 3 * w + 1) - Math.max(0, meanOf(L.wtpBase + 3 * w)))
  let ref = wtpGrid.indexOf(wtp)
  if (ref < 0) ref = 0
  const nmb = momentsOf(moments, k, L.wtpBase + 3 * ref)
  return {
    engineVersion: ENGINE_VERSION,
    scenarioId: a.id,
    comparatorId: b.id,
    seed,
    iterations: merged.to - merged.from,
    currency: a.currency,
    ...(a.migratedFrom || b.migratedFrom
      ? { migratedFrom: { ...(a.migratedFrom ? { scenario: a.migratedFrom } : {}), ...(b.migratedFrom ? { comparator: b.migratedFrom } : {}) } }
      : {}),
    quantiles: quantileMethod(merged),
    metrics: summariseSketched(merged, moments, METRICS, L.aMetrics),
    comparatorMetrics: summariseSketched(merged, moments, METRICS, L.bMetrics),
    comparison: {
      incrementalCost: incremental.incrementalCost,
      incrementalReturns: incremental.incrementalReturns,
      incrementalSustainable: incremental.incrementalSustainable,
      incrementalSustainableAtHorizon: incremental.incrementalSustainableAtHorizon,
      incrementalBudgetByYear: summariseBudget(merged, moments, budget, L.budgetBase - budget.budgetBase),
      icer: finiteOrNull(incCost / incSustainable),
      icerInterpretation: interpretIcer(incCost, incSustainable),
      probCheaper: meanOf(L.cheaper),
      probMoreEffective: meanOf(L.moreEffective),
      wtp: wtpGrid[ref],
      netMonetaryBenefit: { mean: finiteOrNull(nmb.mean), mcse: finiteOrNull(nmb.mcse) },
      ceac: wtpGrid.map((w, i) => ({ wtp: w, probCostEffective: meanOf(L.wtpBase + 3 * i + 2) })),
      evpi: evpiAt(ref),
      evpiCurve: wtpGrid.map((w, i) => ({ wtp: w, evpi: evpiAt(i) })),
    },
  }
}

/** Compare in this thread (one shard). */
export const compareInProcess = (
  a: Scenario,
  b: Scenario,
  options: { seed: Seed; iterations: number; wtp?: number },
): ComparisonReport => {
  const grid = wtpGridWith(options.wtp ?? 0)
  const shard = runCompareShard(a, b, {
    seed: options.seed,
    from: 0,
    to: options.iterations,
    wtpGrid: grid,
    exactQuantiles: exactQuantilesFor(options.iterations),
  })
  return reportComparison(a, b, options.seed, mergeShardSummaries([shard]), grid, options.wtp ?? 0)
}
