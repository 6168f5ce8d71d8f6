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
import { populationCheck, populationDifferences, type PopulationCheck } from './population'
import { verdict, type Verdict } from './verdict'
import { budgetYearLabels, type BudgetYearLabel } from './budget-years'
import { incrementalTotals, unitCosts, type CostTotal, type UnitCost } from './unit-costs'

export { interpretIcer } from './verdict'
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

/** Whether `b` is `a` without its programme, as removalOnlyVersion makes it. */
export const isRemovalOnlyVersionOf = (a: Scenario, b: Scenario): boolean =>
  b.programme === null && b.id === removalOnlyVersion(a).id && b.title === removalOnlyVersion(a).title

/** The comparator id every scenario offers: its own removal-only version (`removal-only:<scenario id>`). */
export const REMOVAL_ONLY_PREFIX = 'removal-only:'
export const removalOnlyRef = (scenarioId: string): string => `${REMOVAL_ONLY_PREFIX}${scenarioId}`
/** The scenario id inside a `removal-only:<id>` reference, or undefined for any other reference. */
export const removalOnlyOf = (ref: string): string | undefined =>
  ref.startsWith(REMOVAL_ONLY_PREFIX) && ref.length > REMOVAL_ONLY_PREFIX.length ? ref.slice(REMOVAL_ONLY_PREFIX.length) : undefined

export interface ComparabilityOptions {
  /** Compare scenarios of different populations all the same; the report then says so. */
  compareAnyway?: boolean
}

/**
 * Problems that make two scenarios incomparable, named by field: another currency or horizon always, and another
 * population (groups, stock, inflow, households) unless `compareAnyway`.
 */
export const comparabilityProblems = (a: Scenario, b: Scenario, options: ComparabilityOptions = {}): FieldProblem[] => {
  const problems: FieldProblem[] = []
  if (a.currency !== b.currency)
    problems.push({ path: 'scenarios[1].currency', message: `must match the scenario's currency ${a.currency} (got ${b.currency})` })
  if (a.horizonMonths !== b.horizonMonths)
    problems.push({ path: 'scenarios[1].horizonMonths', message: `must match the scenario's horizon of ${a.horizonMonths} months` })
  if (!options.compareAnyway) problems.push(...populationDifferences(a, b))
  return problems
}

export interface ComparisonReport {
  engineVersion: string
  scenarioId: string
  comparatorId: string
  /** The titles the verdict names the scenarios by. */
  scenarioTitle: string
  comparatorTitle: string
  /** Whether both describe the same population; a comparison across populations is labelled so. */
  populations: PopulationCheck
  seed: Seed
  iterations: number
  currency: string
  /** Set when either scenario was a version 1 file, migrated on read: which. */
  migratedFrom?: { scenario?: 1; comparator?: 1 }
  /** How the quantiles were computed (see RunReport). */
  quantiles: RunReport['quantiles']
  /** The calendar year of the budget's first year, when the caller set one (withStartYear). */
  startYear: number | null
  /** The budget's years by name: calendar years from startYear, a partial last year said so. */
  budgetYears: BudgetYearLabel[]
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
    /** The ICER's quadrant from the means, in the scenarios' titles, no verdict words (= verdict.icerText). */
    icerInterpretation: string
    /** The verdict in words: a finding only at >= 95% probability, otherwise how likely (verdict.ts). */
    verdict: Verdict
    /** Programme and net unit costs against the comparator, each saying what it includes (unit-costs.ts). */
    unitCosts: UnitCost[]
    /** The incremental cost with and without stay, and its programme and stay parts. */
    totals: CostTotal[]
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
  const populations = populationCheck(a, b)
  const metrics = summariseSketched(merged, moments, METRICS, L.aMetrics)
  const comparatorMetrics = summariseSketched(merged, moments, METRICS, L.bMetrics)
  const units = {
    scenarioTitle: a.title,
    comparatorTitle: b.title,
    metrics,
    comparatorMetrics,
    incrementalCost: incremental.incrementalCost,
    incrementalReturns: incremental.incrementalReturns,
    incrementalSustainable: incremental.incrementalSustainable,
    incrementalCostWithoutStay: incremental.incrementalCostWithoutStay,
    incrementalProgrammeCost: incremental.incrementalProgrammeCost,
    incrementalStayCost: incremental.incrementalStayCost,
  }
  const said = verdict({
    scenarioTitle: a.title,
    // the sentence names the scenario once: its own removal-only version is that, not its title again
    comparatorTitle: isRemovalOnlyVersionOf(a, b) ? 'its removal-only version' : b.title,
    probCheaper: meanOf(L.cheaper),
    probMoreEffective: meanOf(L.moreEffective),
    meanIncrementalCost: incCost,
    meanIncrementalSustainable: incSustainable,
    acrossPopulations: populations.label,
  })
  return {
    engineVersion: ENGINE_VERSION,
    scenarioId: a.id,
    comparatorId: b.id,
    scenarioTitle: a.title,
    comparatorTitle: b.title,
    populations,
    seed,
    iterations: merged.to - merged.from,
    currency: a.currency,
    ...(a.migratedFrom || b.migratedFrom
      ? { migratedFrom: { ...(a.migratedFrom ? { scenario: a.migratedFrom } : {}), ...(b.migratedFrom ? { comparator: b.migratedFrom } : {}) } }
      : {}),
    quantiles: quantileMethod(merged),
    startYear: null,
    budgetYears: budgetYearLabels(a.horizonMonths),
    metrics,
    comparatorMetrics,
    comparison: {
      incrementalCost: incremental.incrementalCost,
      incrementalReturns: incremental.incrementalReturns,
      incrementalSustainable: incremental.incrementalSustainable,
      incrementalSustainableAtHorizon: incremental.incrementalSustainableAtHorizon,
      incrementalBudgetByYear: summariseBudget(merged, moments, budget, L.budgetBase - budget.budgetBase),
      icer: finiteOrNull(incCost / incSustainable),
      icerInterpretation: said.icerText,
      verdict: said,
      unitCosts: unitCosts(units),
      totals: incrementalTotals(units),
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

/** The report with its budget years named from `startYear` (a label only: the numbers do not change). */
export const withStartYear = <R extends ComparisonReport>(r: R, startYear: number | undefined): R => {
  if (startYear === undefined) return r
  const horizonMonths = r.budgetYears.reduce((sum, y) => sum + y.months, 0)
  return { ...r, startYear, budgetYears: budgetYearLabels(horizonMonths, startYear) }
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
