/** Scenario A and its comparator B run on the same streams, iteration by iteration: the paired observables a comparison reads. */
import { CohortModel } from './cohort'
import { COST_LINES, M, METRICS, type ObservableLayout } from './layout'
import { seedKey, type Seed } from './rng'
import type { ProgressListener } from './run'
import type { Scenario } from './scenario'
import { ComparatorMemo } from './comparator-memo'
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
  // the incremental cost's parts, paired within each iteration so that each has its own interval
  'incrementalCostWithoutStay',
  'incrementalProgrammeCost',
  'incrementalStayCost',
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
  /** Also summarise A's own run over these iterations (`ShardSummary.run`): the page's full numbers in one pass. */
  includeRun?: boolean
  /** Where B's values of earlier comparisons are kept: B is read from it when there, and stored in it when not. */
  memo?: ComparatorMemo
}

/**
 * Run iterations [from, to) of A and B with the same seed: iteration i of both uses the same streams. B's side is
 * what the paired observables read of it (its metrics, its budget lines by year), so a memo of it is exact.
 */
export const runCompareShard = (a: Scenario, b: Scenario, request: CompareRequest, onProgress?: ProgressListener): ShardSummary => {
  const { from, to, memo } = request
  const wtpGrid = request.wtpGrid ?? DEFAULT_WTP_GRID
  const modelA = new CohortModel(a)
  const runKey = seedKey(request.seed)
  const outA = new Float64Array(modelA.layout.observables)
  const budget = modelA.layout
  const L = pairedLayout(wtpGrid.length, budget)
  const paired = new Float64Array(L.observables)
  const exactQuantiles = request.exactQuantiles
  const acc = new ShardAccumulator(from, to, L.observables, L.sketched, { exactQuantiles })
  const runAcc = request.includeRun ? new ShardAccumulator(from, to, budget.observables, budget.sketched, { exactQuantiles }) : undefined
  const nMetrics = METRICS.length
  const lines = COST_LINES.length
  const payerOfLine = modelA.payerOfLine
  // B's row: its metrics, then its cost lines year by year (the horizons match)
  const width = nMetrics + budget.years * lines
  const memoKey = memo ? ComparatorMemo.keyOf(b, request.seed) : ''
  const remembered = memo?.get(memoKey, from, to, width)
  const modelB = remembered ? undefined : new CohortModel(b)
  const outB = modelB ? new Float64Array(modelB.layout.observables) : undefined
  const rowsB = remembered ?? new Float64Array((to - from) * width)
  modelA.drawAheadUntil(to)
  modelB?.drawAheadUntil(to)
  for (let i = from; i < to; i++) {
    modelA.iterate(runKey, i, outA)
    runAcc?.add(outA)
    const rowB = (i - from) * width
    if (modelB && outB) {
      modelB.iterate(runKey, i, outB)
      for (let j = 0; j < nMetrics; j++) rowsB[rowB + j] = outB[j]
      for (let y = 0; y < budget.years; y++) {
        const fromB = modelB.layout.budgetBase + y * modelB.layout.budgetColumns
        for (let l = 0; l < lines; l++) rowsB[rowB + nMetrics + y * lines + l] = outB[fromB + l]
      }
    }
    const incCost = outA[M.totalCost] - rowsB[rowB + M.totalCost]
    const incSustainable = outA[M.sustainableReintegrations] - rowsB[rowB + M.sustainableReintegrations]
    paired[0] = incCost
    paired[1] = outA[M.returnsTotal] - rowsB[rowB + M.returnsTotal]
    paired[2] = incSustainable
    paired[3] = outA[M.sustainableAtHorizon] - rowsB[rowB + M.sustainableAtHorizon]
    const incStay = outA[M['cost.stay']] - rowsB[rowB + M['cost.stay']]
    paired[4] = incCost - incStay
    paired[5] = outA[M.programmeCost] - rowsB[rowB + M.programmeCost]
    paired[6] = incStay
    // loops rather than set(subarray): a subarray is an allocation per iteration
    for (let j = 0; j < nMetrics; j++) {
      paired[L.aMetrics + j] = outA[j]
      paired[L.bMetrics + j] = rowsB[rowB + j]
    }
    // the incremental budget by year: line by line, payers as A names them
    paired.fill(0, L.budgetBase, L.sketched)
    for (let y = 0; y < budget.years; y++) {
      const cell = L.budgetBase + y * budget.budgetColumns
      const fromA = budget.budgetBase + y * budget.budgetColumns
      const fromB = rowB + nMetrics + y * lines
      let total = 0
      for (let l = 0; l < lines; l++) {
        const x = outA[fromA + l] - rowsB[fromB + l]
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
    if (onProgress && (i - from + 1) % 1024 === 0) onProgress(i - from + 1)
  }
  if (memo && !remembered) memo.set(memoKey, from, to, rowsB)
  const summary = acc.finish()
  return runAcc ? { ...summary, run: runAcc.finish() } : summary
}

/** The WTP grid with the reference WTP in it, sorted. */
export const wtpGridWith = (wtp: number, grid: readonly number[] = DEFAULT_WTP_GRID): number[] =>
  [...new Set([...grid, wtp])].sort((x, y) => x - y)
