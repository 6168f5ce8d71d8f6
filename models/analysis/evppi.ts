/** EVPPI from PSA samples by non-parametric regression (Strong, Oakley & Brennan 2014), in money units. */
import { AnalysisProblems } from './outcomes'
import { inputColumn, type PsaSample } from './psa-sample'
import { smoothGroup, smoothOne, type SmoothFit } from './smoother'

export interface EvppiEstimate {
  /** The input's path, or the group's name. */
  name: string
  paths: string[]
  /** In money units per run; at most the EVPI (an overshooting fit is capped there). */
  evppi: number
  /** Effective degrees of freedom of the smoother and the share of the INB variance it explains. */
  edf: number
  rSquared: number
  /**
   * What a fit to pure noise would give: the root mean square of the fitted values of an input that does
   * not matter is about sd(INB) x sqrt(edf / n), and the EVPPI cannot exceed that root mean square.
   */
  noiseLevel: number
}

export interface EvppiReport {
  wtp: number
  iterations: number
  /** EVPI from the same sample: mean(max(INB, 0)) - max(mean(INB), 0). */
  evpi: number
  inputs: EvppiEstimate[]
  groups: EvppiEstimate[]
}

/**
 * With two options (the scenario or its comparator) and a linear smoother, regressing the incremental NMB
 * is the same as regressing each option's NMB and differencing: max over {fitted INB, 0}.
 */
const valueOfFit = (fit: SmoothFit): number => {
  const n = fit.fitted.length
  let sum = 0
  let positive = 0
  for (let i = 0; i < n; i++) {
    const g = fit.fitted[i]
    sum += g
    if (g > 0) positive += g
  }
  return Math.max(0, positive / n - Math.max(0, sum / n))
}

const evpiOf = (inb: Float64Array): number => {
  let sum = 0
  let positive = 0
  for (const x of inb) {
    sum += x
    if (x > 0) positive += x
  }
  return Math.max(0, positive / inb.length - Math.max(0, sum / inb.length))
}

const sdOf = (x: Float64Array): number => {
  let mean = 0
  for (const v of x) mean += v
  mean /= x.length
  let ss = 0
  for (const v of x) ss += (v - mean) ** 2
  return Math.sqrt(ss / Math.max(1, x.length - 1))
}

/**
 * EVPPI of every single input of the sample and of each named group (`{ name, paths }`; `'*'` in paths
 * means every input). Needs a sample with a comparator (the decision is the scenario or its comparator).
 */
export const evppi = (
  sample: PsaSample,
  groups: readonly { name: string; paths: readonly string[] }[] = [],
  onlyInputs?: readonly string[],
): EvppiReport => {
  const inb = sample.incrementalNmb
  if (!inb)
    throw new AnalysisProblems([
      { path: 'comparator', message: 'EVPPI needs a PSA sample with a comparator (the decision between two options)' },
    ])
  const n = sample.iterations
  const sd = sdOf(inb)
  const evpi = evpiOf(inb)
  // EVPPI <= EVPI always; a fit that overshoots (fitted values crossing 0 where no INB does) can exceed it
  const estimate = (name: string, paths: string[], fit: SmoothFit): EvppiEstimate => ({
    name,
    paths,
    evppi: Math.min(valueOfFit(fit), evpi),
    edf: fit.edf,
    rSquared: fit.rSquared,
    noiseLevel: sd * Math.sqrt(fit.edf / n),
  })
  const inputs = sample.paths
    .map((path, k) => ({ path, k }))
    .filter(({ path }) => !onlyInputs || onlyInputs.includes(path))
    .map(({ path, k }) => estimate(path, [path], smoothOne(inputColumn(sample, k), inb)))
  const groupEstimates = groups.map((g) => {
    const paths = g.paths.includes('*') ? [...sample.paths] : [...g.paths]
    const columns = paths.map((p) => {
      const k = sample.paths.indexOf(p)
      if (k < 0)
        throw new AnalysisProblems([{ path: `groups.${g.name}`, message: `${p} is not an uncertain input of the sample` }])
      return inputColumn(sample, k)
    })
    return estimate(g.name, paths, smoothGroup(columns, inb))
  })
  inputs.sort((a, b) => b.evppi - a.evppi)
  return { wtp: sample.wtp, iterations: n, evpi, inputs, groups: groupEstimates }
}
