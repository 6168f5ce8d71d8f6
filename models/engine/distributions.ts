/** The `Dist` of docs/model.md: its zod schema, its compiled form and its inverse CDFs (every kind is sampled by inversion). */
import { z } from 'zod'
import { betaInversion, betaQuantile } from './beta'
import type { InversionTable } from './inversion-table'
import { normalCdf, normalQuantile, standardNormalInversion, Z95 } from './normal'
import type { Stream } from './rng'

/**
 * What a quantity may be: probabilities and shares in [0, 1], people counts and money amounts >= 0 and below a
 * ceiling (docs/model.md), effect coefficients on the log-odds scale within +-100. The ceilings are not
 * about plausibility: past them a count stops being a count in floating point (1e17 people), or a sum overflows.
 */
export interface Domain {
  min: number
  max: number
  rule: string
}
export const PROBABILITY: Domain = { min: 0, max: 1, rule: 'a probability or share must lie in [0, 1]' }
export const NON_NEGATIVE: Domain = { min: 0, max: Infinity, rule: 'a cost or count must be >= 0' }
export const REAL: Domain = { min: -Infinity, max: Infinity, rule: 'a coefficient' }
export const PEOPLE_CEILING = 1e9
export const MONEY_CEILING = 1e12
export const PEOPLE: Domain = { min: 0, max: PEOPLE_CEILING, rule: 'a number of people must lie in [0, 1e9]' }
export const MONEY: Domain = { min: 0, max: MONEY_CEILING, rule: 'a money amount must lie in [0, 1e12]' }
export const COEFFICIENT: Domain = {
  min: -100,
  max: 100,
  rule: 'an effect on the log-odds scale must lie in [-100, 100]',
}
export const positiveDomain = (rule: string, max = Infinity): Domain => ({ min: Number.MIN_VALUE, max, rule })

/**
 * The extreme uniforms the engine ever inverts: parameter uniforms lie in [2^-53, 1 - 2^-53] (rng.ts), and so do
 * the copula's (inputs.ts). A distribution unbounded on one side can still only reach its quantiles there, and
 * that is what the schema checks against a domain: no value the sampler can draw leaves it.
 */
export const LOWEST_UNIFORM = 2 ** -53
export const HIGHEST_UNIFORM = 1 - 2 ** -53

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

/** The smallest and largest value the sampler can draw: the support, with an open side cut at the extreme uniform. */
export const drawableRange = (d: DistSpec): [number, number] => {
  const [lo, hi] = distSupport(d)
  // a lognormal's 0 is an infimum it never reaches: it too is cut at the extreme uniform
  const open = d.dist === 'lognormal'
  if (!open && Number.isFinite(lo) && Number.isFinite(hi)) return [lo, hi]
  const compiled = compileDist(d)
  const params = Float64Array.of(compiled.a, compiled.b, compiled.c, compiled.d)
  const at = (u: number) => inverseCdf(compiled.kind, params, 0, u)
  return [!open && Number.isFinite(lo) ? lo : at(LOWEST_UNIFORM), Number.isFinite(hi) ? hi : at(HIGHEST_UNIFORM)]
}

const formatBound = (x: number): string => (x === -Infinity ? '-inf' : x === Infinity ? 'inf' : String(x))

/** A `Dist` field for a quantity of the given domain; a plain number is read as a point value. */
export const distSchema = (domain: Domain) =>
  z
    .preprocess((v) => (typeof v === 'number' ? { dist: 'point', value: v } : v), distSpec)
    .superRefine((d, ctx) => {
      const shape = shapeProblems(d)
      for (const [field, message] of shape) ctx.addIssue({ code: 'custom', path: [field], message })
      if (shape.length > 0) return
      const [lo, hi] = drawableRange(d)
      if (lo < domain.min || hi > domain.max) {
        const range = `[${formatBound(domain.min)}, ${formatBound(domain.max)}]`
        const open = distSupport(d).some((x) => !Number.isFinite(x))
        ctx.addIssue({
          code: 'custom',
          message:
            d.dist === 'point'
              ? `${d.value} is out of range: ${domain.rule}`
              : `values can fall outside ${range}: ${domain.rule}` +
                (d.dist === 'normal' && open ? ' (give the normal min/max bounds)' : ''),
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

// The inverse CDFs of the kinds, one small function each: the parameter table's per-kind loops inline them. The
// normal family and the beta family take the sampler's inversion table (`samplerTableOf`), or null for the exact
// inverse (AS241, root finding): the table is within a u-error of 1e-10 of it, and several times faster.
export const uniformInverse = (params: Float64Array, o: number, u: number): number =>
  params[o] + (params[o + 1] - params[o]) * u

export const triangularInverse = (params: Float64Array, o: number, u: number): number => {
  const a = params[o]
  const mode = params[o + 1]
  const c = params[o + 2]
  const width = c - a
  return u < (mode - a) / width ? a + Math.sqrt(u * width * (mode - a)) : c - Math.sqrt((1 - u) * width * (c - mode))
}

/** A (truncated) normal's level for Phi^-1: u mapped into [Phi(lower), Phi(upper)]. */
export const truncatedNormalLevel = (params: Float64Array, o: number, u: number): number =>
  params[o + 2] + (params[o + 3] - params[o + 2]) * u

/** The normal's value for a standard normal quantile z; the lognormal's; the beta family's for a Beta quantile y. */
export const scaleNormal = (params: Float64Array, o: number, z: number): number => params[o] + params[o + 1] * z
export const scaleLognormal = (params: Float64Array, o: number, z: number): number =>
  Math.exp(params[o] + params[o + 1] * z)
export const scaleBeta = (params: Float64Array, o: number, y: number): number => params[o] + params[o + 1] * y

export const normalInverse = (params: Float64Array, o: number, u: number, table: InversionTable | null): number => {
  const level = truncatedNormalLevel(params, o, u)
  return scaleNormal(params, o, table !== null ? table.at(level) : normalQuantile(level))
}

export const lognormalInverse = (params: Float64Array, o: number, u: number, table: InversionTable | null): number =>
  scaleLognormal(params, o, table !== null ? table.at(u) : normalQuantile(u))

export const scaledBetaInverse = (params: Float64Array, o: number, u: number, table: InversionTable | null): number =>
  scaleBeta(params, o, table !== null ? table.at(u) : betaQuantile(u, params[o + 2], params[o + 3]))

/**
 * The inverse CDF at u of a compiled distribution whose four numbers sit at params[o .. o + 3]: every kind is
 * sampled by inverting one uniform, so a parameter's value is a monotone function of its uniform. With `table`
 * null it is exact (the quantile function); the sampler passes its table. The numbers are read from the typed
 * array rather than passed as arguments: V8 boxes doubles passed to a call it does not inline.
 */
export const inverseCdf = (
  kind: DistKind,
  params: Float64Array,
  o: number,
  u: number,
  table: InversionTable | null = null,
): number => {
  switch (kind) {
    case DistKind.Uniform:
      return uniformInverse(params, o, u)
    case DistKind.Triangular:
      return triangularInverse(params, o, u)
    case DistKind.ScaledBeta:
      return scaledBetaInverse(params, o, u, table)
    case DistKind.Normal:
      return normalInverse(params, o, u, table)
    case DistKind.Lognormal:
      return lognormalInverse(params, o, u, table)
    default:
      return params[o] // a point
  }
}

/** The sampler's inversion table of a compiled distribution: Phi's for the normal family, Beta(alpha, beta)'s for
 * the beta family (null for a shape no table serves), none for the closed-form kinds. */
export const samplerTableOf = (kind: DistKind, params: Float64Array, o: number): InversionTable | null =>
  kind === DistKind.ScaledBeta
    ? betaInversion(params[o + 2], params[o + 3])
    : kind === DistKind.Normal || kind === DistKind.Lognormal
      ? standardNormalInversion()
      : null

/** One draw of a compiled distribution from the next uniform of `rng`, exactly as the engine draws it. */
export const sampleDist = (dist: CompiledDist, rng: Stream): number => {
  const params = Float64Array.of(dist.a, dist.b, dist.c, dist.d)
  return inverseCdf(dist.kind, params, 0, rng.nextDouble(), samplerTableOf(dist.kind, params, 0))
}

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
