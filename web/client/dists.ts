/** Editing a `Dist` (docs/model.md): its kinds and parameters, changing its kind, moving its centre, describing it. */
import { distMoments, type Dist, type DistSpec } from '../../models/engine/distributions'
import { Z95 } from '../../models/engine/normal'

export type DistKindName = DistSpec['dist']

/** What a quantity may be, as the schema checks it (models/scenario.ts). */
export type DomainName = 'probability' | 'nonNegative' | 'real' | 'atLeastOne' | 'exponent'
export const DOMAIN_BOUNDS: Record<DomainName, [number, number]> = {
  probability: [0, 1],
  nonNegative: [0, Infinity],
  real: [-Infinity, Infinity],
  atLeastOne: [1, Infinity],
  exponent: [0, 3],
}

export const KIND_LABELS: Record<DistKindName, string> = {
  point: 'Fixed value',
  uniform: 'Uniform',
  triangular: 'Triangular',
  pert: 'PERT',
  normal: 'Normal',
  lognormal: 'Lognormal',
  beta: 'Beta',
}
export const KINDS = Object.keys(KIND_LABELS) as DistKindName[]

/** The kinds a quantity can take: a lognormal is unbounded above, a beta lives in [0, 1] (shares only). */
export const kindsFor = (domain: DomainName): DistKindName[] => {
  const [min, max] = DOMAIN_BOUNDS[domain]
  return KINDS.filter(
    (k) => (k !== 'lognormal' || (min <= 0 && max === Infinity)) && (k !== 'beta' || domain === 'probability'),
  )
}

export interface ParamSpec {
  key: string
  label: string
  /** May be left empty (a normal's bounds). */
  optional?: boolean
}

export const PARAMS: Record<DistKindName, ParamSpec[]> = {
  point: [{ key: 'value', label: 'Value' }],
  uniform: [
    { key: 'min', label: 'Min' },
    { key: 'max', label: 'Max' },
  ],
  triangular: [
    { key: 'min', label: 'Min' },
    { key: 'mode', label: 'Most likely' },
    { key: 'max', label: 'Max' },
  ],
  pert: [
    { key: 'min', label: 'Min' },
    { key: 'mode', label: 'Most likely' },
    { key: 'max', label: 'Max' },
  ],
  normal: [
    { key: 'mean', label: 'Mean' },
    { key: 'sd', label: 'SD' },
    { key: 'min', label: 'Lower bound', optional: true },
    { key: 'max', label: 'Upper bound', optional: true },
  ],
  lognormal: [
    { key: 'low', label: '5th percentile' },
    { key: 'high', label: '95th percentile' },
  ],
  beta: [
    { key: 'alpha', label: 'Alpha' },
    { key: 'beta', label: 'Beta' },
  ],
}

/** A plain number is a point value. */
export const asSpec = (d: Dist): DistSpec => (typeof d === 'number' ? { dist: 'point', value: d } : d)


/** Four significant figures: converted parameters stay readable. */
const round4 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(4)) : x)
const clamp = (x: number, [lo, hi]: [number, number]): number => Math.min(hi, Math.max(lo, x))

/** The value a slider moves: the point, the most likely value, the mean or the median. */
export const centreOf = (d: DistSpec): number => {
  switch (d.dist) {
    case 'point':
      return d.value
    case 'uniform':
      return (d.min + d.max) / 2
    case 'triangular':
    case 'pert':
      return d.mode
    case 'normal':
      return d.mean
    case 'lognormal':
      return Math.sqrt(d.low * d.high)
    case 'beta':
      return d.alpha / (d.alpha + d.beta)
  }
}

/** The mean, as the engine computes it (a truncated normal's included). */
export const meanOf = (d: DistSpec): number => distMoments(d).mean

/** About the 90% interval (the support for the bounded kinds). */
export const spreadOf = (d: DistSpec): [number, number] => {
  switch (d.dist) {
    case 'point':
      return [d.value, d.value]
    case 'uniform':
    case 'triangular':
    case 'pert':
      return [d.min, d.max]
    case 'normal':
      return [d.mean - Z95 * d.sd, d.mean + Z95 * d.sd]
    case 'lognormal':
      return [d.low, d.high]
    case 'beta': {
      const s = d.alpha + d.beta
      const m = d.alpha / s
      const sd = Math.sqrt((m * (1 - m)) / (s + 1))
      return [Math.max(0, m - Z95 * sd), Math.min(1, m + Z95 * sd)]
    }
  }
}

/** A beta with this mean and about this 90% interval. */
const betaFrom = (mean: number, low: number, high: number): { alpha: number; beta: number } => {
  const m = clamp(mean, [0.001, 0.999])
  const sd = (high - low) / (2 * Z95)
  const variance = sd * sd
  const concentration = variance > 0 && variance < m * (1 - m) ? (m * (1 - m)) / variance - 1 : 20
  return { alpha: round4(m * concentration), beta: round4((1 - m) * concentration) }
}

/**
 * The same quantity under another kind: centre and 90% interval carried over (a point opens to +-20%), kept
 * inside the quantity's domain, its source kept.
 */
export const convertKind = (d: DistSpec, kind: DistKindName, domain: DomainName): DistSpec => {
  const bounds = DOMAIN_BOUNDS[domain]
  const source = d.source === undefined ? {} : { source: d.source }
  const c = centreOf(d)
  let [low, high] = spreadOf(d)
  if (low === high) {
    const width = c === 0 ? (domain === 'probability' ? 0.05 : 1) : Math.abs(c) * 0.2
    ;[low, high] = [c - width, c + width]
  }
  low = clamp(low, bounds)
  high = clamp(high, bounds)
  const centre = clamp(c, [low, high])
  switch (kind) {
    case 'point':
      return { dist: 'point', value: round4(c), ...source }
    case 'uniform':
      return { dist: 'uniform', min: round4(low), max: round4(high), ...source }
    case 'triangular':
    case 'pert':
      return { dist: kind, min: round4(low), mode: round4(centre), max: round4(high), ...source }
    case 'normal': {
      const out: DistSpec = { dist: 'normal', mean: round4(centre), sd: round4((high - low) / (2 * Z95)), ...source }
      if (Number.isFinite(bounds[0])) out.min = bounds[0]
      if (Number.isFinite(bounds[1])) out.max = bounds[1]
      return out
    }
    case 'lognormal': {
      const lo = low > 0 ? low : Math.max(high / 10, 1e-6)
      const hi = high > lo ? high : lo * 2
      return { dist: 'lognormal', low: round4(lo), high: round4(hi), ...source }
    }
    case 'beta':
      return { dist: 'beta', ...betaFrom(centre, low, high), ...source }
  }
}

/**
 * The distribution moved so that its centre is `c`: scaled when its centre is away from zero (the relative
 * uncertainty stays), shifted otherwise; a beta keeps its concentration. Not reversible (bounds are clamped,
 * parameters rounded): a lever moves the distribution it started from, never its own output (lever-state.ts).
 */
export const recentre = (d: DistSpec, c: number, domain: DomainName): DistSpec => {
  const bounds = DOMAIN_BOUNDS[domain]
  const old = centreOf(d)
  // rounding would move the other parameters even when the centre stays
  if (c === old) return d
  const factor = old > 0 && c > 0 ? c / old : NaN
  const move = (x: number) => round4(Number.isNaN(factor) ? x + (c - old) : x * factor)
  switch (d.dist) {
    case 'point':
      return { ...d, value: c }
    case 'uniform':
      return { ...d, min: clamp(move(d.min), bounds), max: clamp(move(d.max), bounds) }
    case 'triangular':
    case 'pert':
      // rounded, a bound may cross the centre it equalled
      return { ...d, min: Math.min(c, clamp(move(d.min), bounds)), mode: c, max: Math.max(c, clamp(move(d.max), bounds)) }
    case 'normal':
      return { ...d, mean: c, sd: Number.isNaN(factor) ? d.sd : round4(d.sd * factor) }
    case 'lognormal':
      if (c <= 0) return { dist: 'point', value: c, ...(d.source === undefined ? {} : { source: d.source }) }
      return { ...d, low: move(d.low), high: move(d.high) }
    case 'beta': {
      const s = d.alpha + d.beta
      const m = clamp(c, [0.0005, 0.9995])
      return { ...d, alpha: round4(m * s), beta: round4((1 - m) * s) }
    }
  }
}

/** One line for a distribution, numbers by `fmt`: "PERT 2,000 · 2,400 · 3,000". */
export const describeDist = (d: DistSpec, fmt: (x: number) => string): string => {
  switch (d.dist) {
    case 'point':
      return fmt(d.value)
    case 'uniform':
      return `uniform ${fmt(d.min)} to ${fmt(d.max)}`
    case 'triangular':
      return `triangular ${fmt(d.min)} · ${fmt(d.mode)} · ${fmt(d.max)}`
    case 'pert':
      return `PERT ${fmt(d.min)} · ${fmt(d.mode)} · ${fmt(d.max)}`
    case 'normal': {
      const bounds =
        d.min !== undefined || d.max !== undefined
          ? `, within ${d.min === undefined ? '-inf' : fmt(d.min)} to ${d.max === undefined ? 'inf' : fmt(d.max)}`
          : ''
      return `normal ${fmt(d.mean)} ± ${fmt(d.sd)} sd${bounds}`
    }
    case 'lognormal':
      return `lognormal, 90% in ${fmt(d.low)} to ${fmt(d.high)}`
    case 'beta':
      return `beta(${d.alpha}, ${d.beta}), mean ${fmt(d.alpha / (d.alpha + d.beta))}`
  }
}

/** The distribution without its source: what decides the numbers. */
export const valueOnly = (d: Dist): Omit<DistSpec, 'source'> => {
  const { source: _source, ...rest } = asSpec(d)
  return rest
}
