/** A Dist fitted to draws: each family valid for the field, fitted by its quantiles, the closest one chosen. */
import type { DistSpec } from '../engine/distributions'
import { distQuantile } from '../engine/quantiles'

/** What values the field takes: a probability or share, a signed coefficient, or a non-negative amount or count. */
export type FieldKind = 'probability' | 'signed' | 'nonNegative'

/** The field's kind and the range the fitted Dist must keep to: the prior's support within the field's domain. */
export interface FitBounds {
  kind: FieldKind
  lower: number
  upper: number
}

export type Family = 'beta' | 'pert' | 'lognormal' | 'normal'

/** The families tried for each kind of field (beta/PERT for shares, lognormal/PERT/bounded normal for amounts). */
export const FAMILIES: Record<FieldKind, readonly Family[]> = {
  probability: ['beta', 'pert'],
  nonNegative: ['lognormal', 'pert', 'normal'],
  signed: ['normal', 'pert'],
}

export interface MarginalFit {
  dist: DistSpec
  family: Family
  /** Mean |fitted quantile - sample quantile| over FIT_LEVELS, in sample standard deviations. */
  distance: number
  /** Every family tried and its distance (Infinity where it could not fit within the bounds). */
  candidates: { family: Family; distance: number }[]
}

/** The quantile levels compared: the midpoints of 40 equal slices of probability (1.25% .. 98.75%). */
export const FIT_LEVELS = Float64Array.from({ length: 40 }, (_, k) => (k + 0.5) / 40)

/**
 * A fitted Dist may put at most this much probability outside the prior's support (a beta or lognormal has no
 * bound of its own to set there); more, and the family does not fit the field.
 */
export const OUTSIDE_SUPPORT = 0.001

/** The type-7 q-quantile of sorted values (linear between order statistics). */
export const sortedQuantile = (sorted: ArrayLike<number>, q: number): number => {
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** Nelder-Mead minimisation of f from x0 with initial steps `steps`; infeasible points return Infinity. */
export const nelderMead = (
  f: (x: number[]) => number,
  x0: number[],
  steps: number[],
  maxEvaluations = 400,
  tolerance = 1e-7,
): { x: number[]; value: number } => {
  const n = x0.length
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + steps[i] : v)))]
  let values = simplex.map(f)
  let evaluations = n + 1
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i] - v))
  while (evaluations < maxEvaluations) {
    const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b])
    simplex = order.map((i) => simplex[i])
    values = order.map((i) => values[i])
    if (Number.isFinite(values[n]) && values[n] - values[0] <= tolerance * (Math.abs(values[0]) + tolerance)) break
    const centroid = x0.map((_, j) => simplex.slice(0, n).reduce((s, p) => s + p[j], 0) / n)
    const reflected = combine(centroid, simplex[n], -1)
    const fr = f(reflected)
    evaluations++
    if (fr < values[0]) {
      const expanded = combine(centroid, simplex[n], -2)
      const fe = f(expanded)
      evaluations++
      ;[simplex[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr]
    } else if (fr < values[n - 1]) {
      ;[simplex[n], values[n]] = [reflected, fr]
    } else {
      const outside = fr < values[n]
      const contracted = combine(centroid, outside ? reflected : simplex[n], 0.5)
      const fc = f(contracted)
      evaluations++
      if (fc < (outside ? fr : values[n])) {
        ;[simplex[n], values[n]] = [contracted, fc]
      } else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = combine(simplex[0], simplex[i], 0.5)
          values[i] = f(simplex[i])
        }
        evaluations += n
      }
    }
  }
  const best = values.indexOf(Math.min(...values))
  return { x: simplex[best], value: values[best] }
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t))
const logit = (p: number) => Math.log(p / (1 - p))
const round = (x: number, digits = 4): number => Number(x.toPrecision(digits))
/** x to the nearest thousandth of the sample's sd (a location or bound: 4 figures of the spread, not of x). */
const roundToSpread = (x: number, sd: number): number => {
  const decimals = 3 - Math.floor(Math.log10(sd))
  return decimals > 0 ? Number(x.toFixed(Math.min(decimals, 100))) : Math.round(x / 10 ** -decimals) * 10 ** -decimals
}

interface FamilyFit {
  /** The Dist of a parameter vector, or undefined where the vector is infeasible. */
  distOf: (theta: number[]) => DistSpec | undefined
  start: number[]
  steps: number[]
  /** The fitted Dist with its numbers rounded for the file, kept valid. */
  rounded: (d: DistSpec) => DistSpec
}

interface SampleSummary {
  sorted: Float64Array
  mean: number
  sd: number
}

/** Each family's parameterisation, start (by moments) and rounding; undefined where it cannot apply. */
const familyFit = (family: Family, s: SampleSummary, b: FitBounds): FamilyFit | undefined => {
  const { mean, sd, sorted } = s
  const min = sorted[0]
  const max = sorted[sorted.length - 1]
  switch (family) {
    case 'beta': {
      const v = Math.min(sd * sd, 0.99 * mean * (1 - mean))
      const k = mean > 0 && mean < 1 ? (mean * (1 - mean)) / v - 1 : NaN
      if (!(k > 0)) return undefined
      return {
        distOf: ([la, lb]) => {
          const alpha = Math.exp(la)
          const beta = Math.exp(lb)
          return alpha >= 0.05 && beta >= 0.05 && alpha <= 1e7 && beta <= 1e7 ? { dist: 'beta', alpha, beta } : undefined
        },
        start: [Math.log(Math.max(0.05, mean * k)), Math.log(Math.max(0.05, (1 - mean) * k))],
        steps: [0.3, 0.3],
        rounded: (d) => (d.dist === 'beta' ? { dist: 'beta', alpha: round(d.alpha), beta: round(d.beta) } : d),
      }
    }
    case 'pert': {
      const pad = 0.1 * (max - min)
      const a0 = Math.max(b.lower, min - pad)
      const b0 = Math.min(b.upper, max + pad)
      if (!(b0 > a0)) return undefined
      const m0 = Math.min(b0, Math.max(a0, (6 * mean - a0 - b0) / 4))
      const share0 = Math.min(0.98, Math.max(0.02, (m0 - a0) / (b0 - a0)))
      return {
        distOf: ([lo, hi, t]) =>
          lo >= b.lower && hi <= b.upper && hi > lo && Number.isFinite(hi)
            ? { dist: 'pert', min: lo, mode: lo + (hi - lo) * sigmoid(t), max: hi }
            : undefined,
        start: [a0, b0, logit(share0)],
        steps: [0.25 * (b0 - a0), 0.25 * (b0 - a0), 0.5],
        rounded: (d) => {
          if (d.dist !== 'pert') return d
          const lo = Math.max(b.lower, roundToSpread(d.min, sd))
          const hi = Math.min(b.upper, roundToSpread(d.max, sd))
          return { dist: 'pert', min: lo, mode: Math.min(hi, Math.max(lo, roundToSpread(d.mode, sd))), max: hi }
        },
      }
    }
    case 'lognormal': {
      const low0 = sortedQuantile(sorted, 0.05)
      const high0 = sortedQuantile(sorted, 0.95)
      if (!(low0 > 0 && high0 > low0) || b.lower < 0) return undefined
      return {
        distOf: ([ll, lh]) => (lh > ll ? { dist: 'lognormal', low: Math.exp(ll), high: Math.exp(lh) } : undefined),
        start: [Math.log(low0), Math.log(high0)],
        steps: [0.1 * (Math.log(high0) - Math.log(low0)), 0.1 * (Math.log(high0) - Math.log(low0))],
        rounded: (d) => {
          if (d.dist !== 'lognormal') return d
          const low = round(d.low)
          const high = round(d.high)
          return high > low ? { dist: 'lognormal', low, high } : { dist: 'lognormal', low: round(d.low, 8), high: round(d.high, 8) }
        },
      }
    }
    case 'normal': {
      const bounds = {
        ...(Number.isFinite(b.lower) ? { min: b.lower } : {}),
        ...(Number.isFinite(b.upper) ? { max: b.upper } : {}),
      }
      return {
        distOf: ([mu, ls]) => ({ dist: 'normal', mean: mu, sd: Math.exp(ls), ...bounds }),
        start: [mean, Math.log(sd)],
        steps: [0.2 * sd, 0.2],
        rounded: (d) => (d.dist === 'normal' ? { ...d, mean: roundToSpread(d.mean, sd), sd: round(d.sd) } : d),
      }
    }
  }
}

/** Probability outside [lower, upper] above OUTSIDE_SUPPORT on either side: the Dist leaves the prior's support. */
const leavesSupport = (d: DistSpec, b: FitBounds): boolean =>
  distQuantile(d, OUTSIDE_SUPPORT) < b.lower || distQuantile(d, 1 - OUTSIDE_SUPPORT) > b.upper

/** The sample's quantiles at FIT_LEVELS. */
export const levelQuantiles = (sorted: Float64Array): Float64Array => FIT_LEVELS.map((q) => sortedQuantile(sorted, q))

/** The distance of a Dist from a sample: mean |quantile difference| over FIT_LEVELS, in sample sds. */
export const quantileDistance = (d: DistSpec, sampleQuantiles: Float64Array, sd: number): number => {
  let sum = 0
  for (let k = 0; k < FIT_LEVELS.length; k++) sum += Math.abs(distQuantile(d, FIT_LEVELS[k]) - sampleQuantiles[k])
  return sum / FIT_LEVELS.length / sd
}

/**
 * Fit every family valid for the field to the draws (by Nelder-Mead on the quantile distance, from a start by
 * moments) and keep the closest; `accept` may refuse a fitted Dist (the scenario's schema, say), and then the
 * next closest is taken. Undefined where the draws do not vary (nothing to fit) or no family is accepted.
 */
export const fitMarginal = (
  draws: ArrayLike<number>,
  bounds: FitBounds,
  accept: (d: DistSpec) => boolean = () => true,
): MarginalFit | undefined => {
  const sorted = Float64Array.from(draws).sort()
  const n = sorted.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += sorted[i]
  mean /= n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2
  const sd = Math.sqrt(ss / Math.max(1, n - 1))
  if (!(sd > 0)) return undefined
  const sample = { sorted, mean, sd }
  const empirical = levelQuantiles(sorted)
  const fits: { family: Family; dist?: DistSpec; distance: number }[] = FAMILIES[bounds.kind].map((family) => {
    const fit = familyFit(family, sample, bounds)
    if (!fit) return { family, distance: Infinity }
    const objective = (theta: number[]) => {
      const d = fit.distOf(theta)
      return d && !leavesSupport(d, bounds) ? quantileDistance(d, empirical, sd) : Infinity
    }
    const best = nelderMead(objective, fit.start, fit.steps)
    const raw = fit.distOf(best.x)
    if (!raw || !Number.isFinite(best.value)) return { family, distance: Infinity }
    const dist = fit.rounded(raw)
    return { family, dist, distance: leavesSupport(dist, bounds) ? Infinity : quantileDistance(dist, empirical, sd) }
  })
  const ranked = fits.filter((f) => f.dist && Number.isFinite(f.distance)).sort((a, b) => a.distance - b.distance)
  const chosen = ranked.find((f) => accept(f.dist!))
  if (!chosen) return undefined
  return {
    dist: chosen.dist!,
    family: chosen.family,
    distance: chosen.distance,
    candidates: fits.map(({ family, distance }) => ({ family, distance })),
  }
}
