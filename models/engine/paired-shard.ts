/** Scenario A and its comparator B run on the same streams, iteration by iteration: the paired observables a comparison reads. */
import { CohortModel } from './cohort'
import { M, METRICS } from './layout'
import { seedKey, type Seed } from './rng'
import type { Scenario } from './scenario'
import { ShardAccumulator, type ShardSummary } from './summary'

/** Willingness to pay per sustainable reintegration, in the scenarios' currency: 0 and 1-2-5 steps to 10^7. */
export const DEFAULT_WTP_GRID: readonly number[] = [
  0,
  ...[2, 3, 4, 5, 6].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e)),
  1e7,
]

export const INCREMENTAL = ['incrementalCost', 'incrementalReturns', 'incrementalSustainable'] as const

/** Where the paired observables of one iteration sit. */
export const pairedLayout = (wtps: number) => {
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

/** The WTP grid with the reference WTP in it, sorted. */
export const wtpGridWith = (wtp: number, grid: readonly number[] = DEFAULT_WTP_GRID): number[] =>
  [...new Set([...grid, wtp])].sort((x, y) => x - y)
