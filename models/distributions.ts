/** The `Dist` of MODEL.md section 2: its zod schema, its compiled form and its samplers (each takes its stream). */
import { z } from 'zod'
import { normalCdf, normalQuantile, Z95 } from './normal'
import type { Stream } from './rng'

/** What a quantity may be: probabilities and shares in [0, 1], costs and counts >= 0, coefficients any real. */
export interface Domain {
  min: number
  max: number
  rule: string
}
export const PROBABILITY: Domain = { min: 0, max: 1, rule: 'a probability or share must lie in [0, 1]' }
export const NON_NEGATIVE: Domain = { min: 0, max: Infinity, rule: 'a cost or count must be >= 0' }
export const REAL: Domain = { min: -Infinity, max: Infinity, rule: 'a coefficient' }
export const positiveDomain = (rule: string): Domain => ({ min: Number.MIN_VALUE, max: Infinity, rule })

const num = z.number({ error: 'must be a number' }).finite({ error: 'must be a finite number' })
const source = z.string().max(2000).optional()

const pointSpec = z.strictObject({ dist: z.literal('point'), value: num, source })
const uniformSpec = z.strictObject({ dist: z.literal('uniform'), min: num, max: num, source })
const triangularSpec = z.strictObject({ dist: z.literal('triangular'), min: num, mode: num, max: num, source })
const pertSpec = z.strictObject({ dist: z.literal('pert'), min: num, mode: num, max: num, source })
const normalSpec = z.strictObject({
  dist: z.literal('normal'),
  mean: num,
  sd: num,
  min: num.optional(),
  max: num.optional(),
  source,
})
const lognormalSpec = z.strictObject({ dist: z.literal('lognormal'), low: num, high: num, source })
const betaSpec = z.strictObject({ dist: z.literal('beta'), alpha: num, beta: num, source })

const distSpec = z.discriminatedUnion(
  'dist',
  [pointSpec, uniformSpec, triangularSpec, pertSpec, normalSpec, lognormalSpec, betaSpec],
  { error: 'must be a number or a distribution object with "dist" one of point, uniform, triangular, pert, normal, lognormal, beta' },
)

export type DistSpec = z.infer<typeof distSpec>
/** As written in a scenario file: a plain number is a point value. */
export type Dist = number | DistSpec

/** The smallest and largest value a distribution can take (its support). */
export const distSupport = (d: DistSpec): [number, number] => {
  switch (d.dist) {
    case 'point':
      return [d.value, d.value]
    case 'uniform':
    case 'triangular':
    case 'pert':
      return [d.min, d.max]
    case 'normal':
      return [d.min ?? -Infinity, d.max ?? Infinity]
    case 'lognormal':
      return [0, Infinity]
    case 'beta':
      return [0, 1]
  }
}

/** Internal consistency of a distribution's own parameters; returns [field, rule] pairs. */
const shapeProblems = (d: DistSpec): [string, string][] => {
  const problems: [string, string][] = []
  switch (d.dist) {
    case 'uniform':
      if (d.min > d.max) problems.push(['max', 'max must be >= min'])
      break
    case 'triangular':
    case 'pert':
      if (d.min > d.mode) problems.push(['mode', 'mode must be >= min'])
      if (d.mode > d.max) problems.push(['max', 'max must be >= mode'])
      break
    case 'normal':
      if (d.sd < 0) problems.push(['sd', 'sd must be >= 0'])
      if (d.min !== undefined && d.max !== undefined && d.min >= d.max)
        problems.push(['max', 'max must be > min'])
      break
    case 'lognormal':
      if (d.low <= 0) problems.push(['low', 'low must be > 0 (a lognormal is positive)'])
      if (d.high <= d.low) problems.push(['high', 'high must be > low'])
      break
    case 'beta':
      if (d.alpha <= 0) problems.push(['alpha', 'alpha must be > 0'])
      if (d.beta <= 0) problems.push(['beta', 'beta must be > 0'])
      break
  }
  return problems
}

/** A `Dist` field for a quantity of the given domain; a plain number is read as a point value. */
export const distSchema = (domain: Domain) =>
  z
    .preprocess((v) => (typeof v === 'number' ? { dist: 'point', value: v } : v), distSpec)
    .superRefine((d, ctx) => {
      const shape = shapeProblems(d)
      for (const [field, message] of shape) ctx.addIssue({ code: 'custom', path: [field], message })
      if (shape.length > 0) return
      const [lo, hi] = distSupport(d)
      if (lo < domain.min || hi > domain.max) {
        const range = `[${domain.min === -Infinity ? '-inf' : domain.min}, ${domain.max === Infinity ? 'inf' : domain.max}]`
        ctx.addIssue({
          code: 'custom',
          message:
            d.dist === 'point'
              ? `${d.value} is out of range: ${domain.rule}`
              : `values can fall outside ${range}: ${domain.rule}` +
                (d.dist === 'normal' ? ' (give the normal min/max bounds)' : ''),
        })
      }
    })

/** Kinds of the compiled form; the hot loop switches on these small integers. */
export const enum DistKind {
  Point = 0,
  Uniform = 1,
  Triangular = 2,
  ScaledBeta = 3,
  Normal = 4,
  Lognormal = 5,
}

/** A distribution reduced to a kind and four numbers, so sampling reads typed arrays and allocates nothing. */
export interface CompiledDist {
  kind: DistKind
  a: number
  b: number
  c: number
  d: number
}

const pertShape = (min: number, mode: number, max: number): [number, number] => [
  1 + (4 * (mode - min)) / (max - min),
  1 + (4 * (max - mode)) / (max - min),
]

export const compileDist = (d: Dist): CompiledDist => {
  if (typeof d === 'number') return { kind: DistKind.Point, a: d, b: 0, c: 0, d: 0 }
  switch (d.dist) {
    case 'point':
      return { kind: DistKind.Point, a: d.value, b: 0, c: 0, d: 0 }
    case 'uniform':
      return { kind: DistKind.Uniform, a: d.min, b: d.max, c: 0, d: 0 }
    case 'triangular':
      if (d.min === d.max) return { kind: DistKind.Point, a: d.min, b: 0, c: 0, d: 0 }
      return { kind: DistKind.Triangular, a: d.min, b: d.mode, c: d.max, d: 0 }
    case 'pert': {
      if (d.min === d.max) return { kind: DistKind.Point, a: d.min, b: 0, c: 0, d: 0 }
      const [alpha, beta] = pertShape(d.min, d.mode, d.max)
      return { kind: DistKind.ScaledBeta, a: d.min, b: d.max - d.min, c: alpha, d: beta }
    }
    case 'normal':
      if (d.sd === 0) return { kind: DistKind.Point, a: d.mean, b: 0, c: 0, d: 0 }
      return {
        kind: DistKind.Normal,
        a: d.mean,
        b: d.sd,
        c: d.min === undefined ? 0 : normalCdf((d.min - d.mean) / d.sd),
        d: d.max === undefined ? 1 : normalCdf((d.max - d.mean) / d.sd),
      }
    case 'lognormal': {
      const mu = (Math.log(d.low) + Math.log(d.high)) / 2
      const sigma = (Math.log(d.high) - Math.log(d.low)) / (2 * Z95)
      return { kind: DistKind.Lognormal, a: mu, b: sigma, c: 0, d: 0 }
    }
    case 'beta':
      return { kind: DistKind.ScaledBeta, a: 0, b: 1, c: d.alpha, d: d.beta }
  }
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the u^(1/shape) boost below shape 1. */
export const sampleGamma = (shape: number, rng: Stream): number => {
  if (shape < 1) {
    const boost = Math.pow(rng.nextDouble(), 1 / shape)
    return sampleGamma(shape + 1, rng) * boost
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normalQuantile(rng.nextDouble())
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = rng.nextDouble()
    const x2 = x * x
    if (u < 1 - 0.0331 * x2 * x2) return d * v
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v
  }
}

/**
 * Beta(alpha, beta): Cheng's (1978) algorithm BB when both shapes exceed 1 (two uniforms and about one log
 * and exp per draw, several times faster than two gammas), the gamma ratio otherwise.
 */
export const sampleBeta = (alpha: number, beta: number, rng: Stream): number => {
  if (alpha > 1 && beta > 1) return sampleBetaCheng(alpha, beta, rng)
  const x = sampleGamma(alpha, rng)
  const y = sampleGamma(beta, rng)
  return x + y === 0 ? (alpha >= beta ? 1 : 0) : x / (x + y)
}

const LN4 = Math.log(4)
const ONE_PLUS_LN5 = 1 + Math.log(5)

/** Cheng's BB, written for alpha <= beta (the smaller shape first) and mapped back by symmetry. */
const sampleBetaCheng = (alpha0: number, beta0: number, rng: Stream): number => {
  const swap = alpha0 > beta0
  const a = swap ? beta0 : alpha0
  const b = swap ? alpha0 : beta0
  const sum = a + b
  const beta = Math.sqrt((sum - 2) / (2 * a * b - sum))
  const gamma = a + 1 / beta
  for (;;) {
    const u1 = rng.nextDouble()
    const u2 = rng.nextDouble()
    const v = beta * Math.log(u1 / (1 - u1))
    const w = a * Math.exp(v)
    const z = u1 * u1 * u2
    const r = gamma * v - LN4
    const s = a + r - w
    if (s + ONE_PLUS_LN5 >= 5 * z || s >= Math.log(z) || r + sum * Math.log(sum / (b + w)) >= Math.log(z)) {
      return swap ? b / (b + w) : w / (b + w)
    }
  }
}

/**
 * The inverse CDF at u of a compiled distribution of an inversion kind (every kind but the beta family), whose
 * four numbers sit at params[o .. o + 3]: what the sampler applies to its uniform, and the quantile function.
 * The numbers are read from the typed array rather than passed as arguments: V8 boxes doubles passed to a call
 * it does not inline, and this runs for every parameter of every iteration.
 */
export const inverseCdf = (kind: DistKind, params: Float64Array, o: number, u: number): number => {
  const a = params[o]
  const b = params[o + 1]
  switch (kind) {
    case DistKind.Uniform:
      return a + (b - a) * u
    case DistKind.Triangular: {
      const c = params[o + 2]
      const width = c - a
      return u < (b - a) / width ? a + Math.sqrt(u * width * (b - a)) : c - Math.sqrt((1 - u) * width * (c - b))
    }
    case DistKind.Normal: {
      const c = params[o + 2]
      return a + b * normalQuantile(c + (params[o + 3] - c) * u)
    }
    case DistKind.Lognormal:
      return Math.exp(a + b * normalQuantile(u))
    default:
      return a // a point; the beta family has no closed-form inverse (see quantiles.ts)
  }
}

/**
 * One draw of a compiled distribution. Every kind but the beta family uses exactly one uniform, by inversion,
 * so a parameter's value is a monotone function of its stream's first number.
 */
export const sampleCompiled = (kind: DistKind, params: Float64Array, o: number, rng: Stream): number => {
  if (kind === DistKind.Point) return params[o]
  if (kind === DistKind.ScaledBeta) return params[o] + params[o + 1] * sampleBeta(params[o + 2], params[o + 3], rng)
  return inverseCdf(kind, params, o, rng.nextDouble())
}

export const sampleDist = (dist: CompiledDist, rng: Stream): number =>
  sampleCompiled(dist.kind, Float64Array.of(dist.a, dist.b, dist.c, dist.d), 0, rng)

const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)

/** The theoretical mean and variance of a distribution (tests check the samplers against them). */
export const distMoments = (dist: Dist): { mean: number; variance: number } => {
  if (typeof dist === 'number') return { mean: dist, variance: 0 }
  switch (dist.dist) {
    case 'point':
      return { mean: dist.value, variance: 0 }
    case 'uniform':
      return { mean: (dist.min + dist.max) / 2, variance: (dist.max - dist.min) ** 2 / 12 }
    case 'triangular': {
      const { min: a, mode: c, max: b } = dist
      return { mean: (a + b + c) / 3, variance: (a * a + b * b + c * c - a * b - a * c - b * c) / 18 }
    }
    case 'pert': {
      if (dist.min === dist.max) return { mean: dist.min, variance: 0 }
      const [alpha, beta] = pertShape(dist.min, dist.mode, dist.max)
      const w = dist.max - dist.min
      const m = betaMoments(alpha, beta)
      return { mean: dist.min + w * m.mean, variance: w * w * m.variance }
    }
    case 'normal': {
      const { mean, sd } = dist
      if (sd === 0) return { mean, variance: 0 }
      const lo = dist.min === undefined ? -Infinity : (dist.min - mean) / sd
      const hi = dist.max === undefined ? Infinity : (dist.max - mean) / sd
      const z = normalCdf(hi) - normalCdf(lo)
      const pLo = Number.isFinite(lo) ? normalPdf(lo) : 0
      const pHi = Number.isFinite(hi) ? normalPdf(hi) : 0
      const tLo = Number.isFinite(lo) ? lo * pLo : 0
      const tHi = Number.isFinite(hi) ? hi * pHi : 0
      const shift = (pLo - pHi) / z
      return { mean: mean + sd * shift, variance: sd * sd * (1 + (tLo - tHi) / z - shift * shift) }
    }
    case 'lognormal': {
      const mu = (Math.log(dist.low) + Math.log(dist.high)) / 2
      const s2 = ((Math.log(dist.high) - Math.log(dist.low)) / (2 * Z95)) ** 2
      return { mean: Math.exp(mu + s2 / 2), variance: (Math.exp(s2) - 1) * Math.exp(2 * mu + s2) }
    }
    case 'beta':
      return betaMoments(dist.alpha, dist.beta)
  }
}

const betaMoments = (alpha: number, beta: number) => ({
  mean: alpha / (alpha + beta),
  variance: (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1)),
})
