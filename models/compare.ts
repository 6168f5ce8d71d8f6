/**
 * Scenario A against comparator B, paired by common random numbers (MODEL.md section 5): incremental cost,
 * returns and sustainable reintegrations, ICER, P(cheaper), net monetary benefit, CEAC and EVPI.
 */
import { CohortModel } from './cohort'
import { M, METRICS } from './layout'
import { seedKey, type Seed } from './rng'
import { finiteOrNull, summariseSketched, type MetricSummary } from './run'
import type { FieldProblem, Scenario } from './scenario'
import { foldForest, mergeShardSummaries, momentsOf, ShardAccumulator, type ShardSummary } from './summary'
import { ENGINE_VERSION } from './version'

/** Willingness to pay per sustainable reintegration, in the scenarios' currency: 0 and 1-2-5 steps to 10^7. */
export const DEFAULT_WTP_GRID: readonly number[] = [
  0,
  ...[2, 3, 4, 5, 6].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e)),
  1e7,
]

const INCREMENTAL = ['incrementalCost', 'incrementalReturns', 'incrementalSustainable'] as const

/** Where the paired observables of one iteration sit. */
const pairedLayout = (wtps: number) => {
  const sketched = INCREMENTAL.length + 2 * METRICS.length
  const cheaper = sketched
  const wtpBase = cheaper + 1
  // per wtp: incremental net monetary benefit, its positive part, and whether A is cost-effective
  return { sketched, cheaper, wtpBase, observables: wtpBase + 3 * wtps }
}

export interface CompareRequest {
  seed: Seed
  from: number
  to: number
  wtpGrid?: readonly number[]
}

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

/** Run iterations [from, to) of A and B with the same seed: iteration i of both uses the same streams. */
export const runCompareShard = (a: Scenario, b: Scenario, request: CompareRequest): ShardSummary => {
  const wtpGrid = request.wtpGrid ?? DEFAULT_WTP_GRID
  const modelA = new CohortModel(a)
  const modelB = new CohortModel(b)
  const runKey = seedKey(request.seed)
  const outA = new Float64Array(modelA.layout.observables)
  const outB = new Float64Array(modelB.layout.observables)
  const L = pairedLayout(wtpGrid.length)
  const paired = new Float64Array(L.observables)
  const acc = new ShardAccumulator(request.from, request.to, L.observables, L.sketched)
  const nMetrics = METRICS.length
  for (let i = request.from; i < request.to; i++) {
    modelA.iterate(runKey, i, outA)
    modelB.iterate(runKey, i, outB)
    const incCost = outA[M.totalCost] - outB[M.totalCost]
    const incSustainable = outA[M.sustainableReintegrations] - outB[M.sustainableReintegrations]
    paired[0] = incCost
    paired[1] = outA[M.returnsTotal] - outB[M.returnsTotal]
    paired[2] = incSustainable
    paired.set(outA.subarray(0, nMetrics), INCREMENTAL.length)
    paired.set(outB.subarray(0, nMetrics), INCREMENTAL.length + nMetrics)
    paired[L.cheaper] = incCost < 0 ? 1 : 0
    for (let w = 0; w < wtpGrid.length; w++) {
      const incNmb = wtpGrid[w] * incSustainable - incCost
      paired[L.wtpBase + 3 * w] = incNmb
      paired[L.wtpBase + 3 * w + 1] = incNmb > 0 ? incNmb : 0
      paired[L.wtpBase + 3 * w + 2] = incNmb > 0 ? 1 : 0
    }
    acc.add(paired)
  }
  return acc.finish()
}

export interface ComparisonReport {
  engineVersion: string
  scenarioId: string
  comparatorId: string
  seed: Seed
  iterations: number
  currency: string
  metrics: Record<string, MetricSummary>
  comparatorMetrics: Record<string, MetricSummary>
  comparison: {
    incrementalCost: MetricSummary
    incrementalReturns: MetricSummary
    incrementalSustainable: MetricSummary
    /** Mean incremental cost over mean incremental sustainable reintegrations; null where undefined. */
    icer: number | null
    icerInterpretation: string
    probCheaper: number
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
  const L = pairedLayout(wtpGrid.length)
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
    metrics: summariseSketched(merged, moments, METRICS, INCREMENTAL.length),
    comparatorMetrics: summariseSketched(merged, moments, METRICS, INCREMENTAL.length + METRICS.length),
    comparison: {
      incrementalCost: incremental.incrementalCost,
      incrementalReturns: incremental.incrementalReturns,
      incrementalSustainable: incremental.incrementalSustainable,
      icer: finiteOrNull(incCost / incSustainable),
      icerInterpretation: interpretIcer(incCost, incSustainable),
      probCheaper: meanOf(L.cheaper),
      wtp: wtpGrid[ref],
      netMonetaryBenefit: { mean: finiteOrNull(nmb.mean), mcse: finiteOrNull(nmb.mcse) },
      ceac: wtpGrid.map((w, i) => ({ wtp: w, probCostEffective: meanOf(L.wtpBase + 3 * i + 2) })),
      evpi: evpiAt(ref),
      evpiCurve: wtpGrid.map((w, i) => ({ wtp: w, evpi: evpiAt(i) })),
    },
  }
}

/** The WTP grid with the reference WTP in it, sorted. */
export const wtpGridWith = (wtp: number, grid: readonly number[] = DEFAULT_WTP_GRID): number[] =>
  [...new Set([...grid, wtp])].sort((x, y) => x - y)

/** Compare in this thread (one shard). */
export const compareInProcess = (
  a: Scenario,
  b: Scenario,
  options: { seed: Seed; iterations: number; wtp?: number },
): ComparisonReport => {
  const grid = wtpGridWith(options.wtp ?? 0)
  const shard = runCompareShard(a, b, { seed: options.seed, from: 0, to: options.iterations, wtpGrid: grid })
  return reportComparison(a, b, options.seed, mergeShardSummaries([shard]), grid, options.wtp ?? 0)
}
