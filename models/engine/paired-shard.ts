/** Scenario A and its comparator B run on the same streams, iteration by iteration: the paired observables a comparison reads. */
import { CohortModel } from './cohort'
import { COST_LINES, M, METRICS, type ObservableLayout } from './layout'
import { seedKey, type Seed } from './rng'
import type { Scenario } from './scenario'
import { ShardAccumulator, type ShardSummary } from './summary'

/** Willingness to pay per sustainable reintegration, in the scenarios' currency: 0 and 1-2-5 steps to 10^7. */
export const DEFAULT_WTP_GRID: readonly number[] = [
  0,
  ...[2, 3, 4, 5, 6].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e)),
  1e7,
]

export const INCREMENTAL = [
  'incrementalCost',
  'incrementalReturns',
  'incrementalSustainable',
  'incrementalSustainableAtHorizon',
] as const

/**
 * Where the paired observables of one iteration sit: the increments, A's metrics, B's metrics and the incremental
 * budget (A's budget layout: lines, A's payers, total) have sketches; then whether A is cheaper and whether it is
 * more effective, and per wtp the incremental net monetary benefit, its positive part and whether A is cost-effective.
 */
export const pairedLayout = (wtps: number, budget: ObservableLayout) => {
  const aMetrics = INCREMENTAL.length
  const bMetrics = aMetrics + METRICS.length
  const budgetBase = bMetrics + METRICS.length
  const sketched = budgetBase + budget.years * budget.budgetColumns
  const cheaper = sketched
  const moreEffective = cheaper + 1
  const wtpBase = moreEffective + 1
  return { aMetrics, bMetrics, budgetBase, sketched, cheaper, moreEffective, wtpBase, observables: wtpBase + 3 * wtps }
}

export interface CompareRequest {
  seed: Seed
  from: number
  to: number
  wtpGrid?: readonly number[]
  /** Exact quantiles (the comparison's total decides: exactQuantilesFor); a sketch otherwise. */
  exactQuantiles?: boolean
}

/** Run iterations [from, to) of A and B with the same seed: iteration i of both uses the same streams. */
export const runCompareShard = (a: Scenario, b: Scenario, request: CompareRequest): ShardSummary => {
  const wtpGrid = request.wtpGrid ?? DEFAULT_WTP_GRID
  const modelA = new CohortModel(a)
  const modelB = new CohortModel(b)
  const runKey = seedKey(request.seed)
  const outA = new Float64Array(modelA.layout.observables)
  const outB = new Float64Array(modelB.layout.observables)
  const budget = modelA.layout
  const L = pairedLayout(wtpGrid.length, budget)
  const paired = new Float64Array(L.observables)
  const acc = new ShardAccumulator(request.from, request.to, L.observables, L.sketched, {
    exactQuantiles: request.exactQuantiles,
  })
  const nMetrics = METRICS.length
  const lines = COST_LINES.length
  const payerOfLine = modelA.payerOfLine
  for (let i = request.from; i < request.to; i++) {
    modelA.iterate(runKey, i, outA)
    modelB.iterate(runKey, i, outB)
    const incCost = outA[M.totalCost] - outB[M.totalCost]
    const incSustainable = outA[M.sustainableReintegrations] - outB[M.sustainableReintegrations]
    paired[0] = incCost
    paired[1] = outA[M.returnsTotal] - outB[M.returnsTotal]
    paired[2] = incSustainable
    paired[3] = outA[M.sustainableAtHorizon] - outB[M.sustainableAtHorizon]
    paired.set(outA.subarray(0, nMetrics), L.aMetrics)
    paired.set(outB.subarray(0, nMetrics), L.bMetrics)
    // the incremental budget by year: line by line (the horizons match), payers as A names them
    paired.fill(0, L.budgetBase, L.sketched)
    for (let y = 0; y < budget.years; y++) {
      const cell = L.budgetBase + y * budget.budgetColumns
      const from = budget.budgetBase + y * budget.budgetColumns
      const fromB = modelB.layout.budgetBase + y * modelB.layout.budgetColumns
      let total = 0
      for (let l = 0; l < lines; l++) {
        const x = outA[from + l] - outB[fromB + l]
        paired[cell + l] = x
        paired[cell + lines + payerOfLine[l]] += x
        total += x
      }
      paired[cell + lines + budget.payers.length] = total
    }
    paired[L.cheaper] = incCost < 0 ? 1 : 0
    paired[L.moreEffective] = incSustainable > 0 ? 1 : 0
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

/** The WTP grid with the reference WTP in it, sorted. */
export const wtpGridWith = (wtp: number, grid: readonly number[] = DEFAULT_WTP_GRID): number[] =>
  [...new Set([...grid, wtp])].sort((x, y) => x - y)
