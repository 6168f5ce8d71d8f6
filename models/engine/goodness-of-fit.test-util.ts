/** Goodness of fit of a discrete sampler to its exact pmf: Pearson's chi-square with pooled bins, and its p-value. */
import { normalCdf } from './normal'

/** Goodness-of-fit tests reject below this p-value: a fixed, small alpha. */
export const ALPHA = 1e-4

/**
 * P(X > x) for X ~ chi-square with integer df, in closed form: a Poisson sum for even df, the
 * normal tail plus a finite series for odd df (Abramowitz and Stegun 26.4.4, 26.4.5).
 */
export const chiSquareSurvival = (x: number, df: number): number => {
  if (df % 2 === 0) {
    let term = Math.exp(-x / 2)
    let sum = term
    for (let j = 1; j < df / 2; j++) {
      term *= x / 2 / j
      sum += term
    }
    return sum
  }
  const root = Math.sqrt(x)
  let term = (2 * root * Math.exp(-x / 2)) / Math.sqrt(2 * Math.PI)
  let sum = 2 * normalCdf(-root)
  for (let j = 1; j <= (df - 1) / 2; j++) {
    sum += term
    term *= x / (2 * j + 1)
  }
  return sum
}

/**
 * Pearson's chi-square of `count` draws of `draw()` against the exact pmf on [lo, lo + pmf.length), adjacent
 * values pooled until each bin expects at least max(20, count / 40) draws: the approximation holds and df stays
 * below ~45. `outside` counts draws off the pmf's range.
 */
export const goodnessOfFit = (pmf: Float64Array, lo: number, count: number, draw: () => number) => {
  const observed = new Float64Array(pmf.length)
  let outside = 0
  for (let i = 0; i < count; i++) {
    const k = draw()
    if (k < lo || k >= lo + pmf.length) outside++
    else observed[k - lo]++
  }
  const minExpected = Math.max(20, count / 40)
  const binExpected: number[] = []
  const binObserved: number[] = []
  let e = 0
  let o = 0
  for (let i = 0; i < pmf.length; i++) {
    e += pmf[i] * count
    o += observed[i]
    if (e >= minExpected) {
      binExpected.push(e)
      binObserved.push(o)
      e = 0
      o = 0
    }
  }
  // the short last bin joins its neighbour rather than standing alone with a tiny expectation
  binExpected[binExpected.length - 1] += e
  binObserved[binObserved.length - 1] += o
  let statistic = 0
  for (let i = 0; i < binExpected.length; i++)
    statistic += (binObserved[i] - binExpected[i]) ** 2 / binExpected[i]
  const df = binExpected.length - 1
  return { statistic, df, pValue: chiSquareSurvival(statistic, df), outside }
}
