/** The Beta distribution's special functions: ln Gamma, the regularized incomplete beta function and its inverse. */
import { buildInversionTable, InversionTable, type InversionTableData } from './inversion-table'

/** Lanczos (g = 7, n = 9) coefficients: about 15 significant digits for x > 0. */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]
const HALF_LN_2PI = 0.91893853320467274178

/** ln Gamma(x) by the Lanczos approximation, with the reflection formula below 0.5. */
export const lnGamma = (x: number): number => {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x)
  const z = x - 1
  let sum = LANCZOS[0]
  for (let i = 1; i < 9; i++) sum += LANCZOS[i] / (z + i)
  const t = z + 7.5
  return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

const TINY = 1e-300
const EPS = 1e-16

/** The continued fraction of the incomplete beta function, by the modified Lentz method (Numerical Recipes' betacf). */
const betaContinuedFraction = (a: number, b: number, x: number): number => {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < EPS) break
  }
  return h
}

/** The regularized incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x. */
export const regularizedBeta = (x: number, a: number, b: number): number => {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x))
  // the fraction converges fast on the side of the mean; use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) beyond it
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b
}

/** A first guess of the Beta(a, b) quantile (Numerical Recipes' invbetai), refined by `betaQuantile`. */
const betaQuantileGuess = (p: number, a: number, b: number): number => {
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p
    const t = Math.sqrt(-2 * Math.log(pp))
    let x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
    if (p < 0.5) x = -x
    const al = (x * x - 3) / 6
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
    const w = (x * Math.sqrt(al + h)) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h))
    return a / (a + b * Math.exp(2 * w))
  }
  const lna = Math.log(a / (a + b))
  const lnb = Math.log(b / (a + b))
  const t = Math.exp(a * lna) / a
  const u = Math.exp(b * lnb) / b
  const w = t + u
  return p < t / w ? Math.pow(a * w * p, 1 / a) : 1 - Math.pow(b * w * (1 - p), 1 / b)
}

/**
 * The p-quantile of Beta(a, b): Halley steps on I_x(a, b) - p from NR's guess, safeguarded as in NR's rtsafe:
 * a step that leaves the bracket [lo, hi] (narrowed by every evaluation) or does not at least halve the step
 * before last is replaced by bisection, so it always converges, also where the density underflows.
 */
export const betaQuantile = (p: number, a: number, b: number): number => {
  if (p <= 0) return 0
  if (p >= 1) return 1
  let lo = 0
  let hi = 1
  let x = betaQuantileGuess(p, a, b)
  // with a shape below 1 the guess is the tail's own asymptote: where it rounds to 0 or 1, so does the quantile
  // (Beta(0.01, 1) at p = 1e-6 is 1e-600), and bisecting down to it would take thousands of steps
  if ((a < 1 || b < 1) && (x === 0 || x === 1)) return x
  if (!(x > 0 && x < 1)) x = 0.5
  const logNorm = -lnBeta(a, b)
  let step = 1
  let stepBefore = 1
  for (let iteration = 0; iteration < 300; iteration++) {
    const err = regularizedBeta(x, a, b) - p
    if (err === 0) return x
    if (err < 0) lo = x
    else hi = x
    const density = Math.exp(logNorm + (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x))
    let next = NaN
    if (density > 0 && Number.isFinite(density)) {
      const u = err / density
      const curvature = Math.min(1, u * ((a - 1) / x - (b - 1) / (1 - x)))
      next = x - u / (1 - 0.5 * curvature)
      // converged; a last step past the bracket (beyond 1, next to a U-shaped beta's pole) keeps x
      if (Math.abs(next - x) <= 1e-15 * x) return next > lo && next < hi ? next : x
    }
    if (!(next > lo && next < hi) || Math.abs(next - x) > 0.5 * Math.abs(stepBefore)) next = 0.5 * (lo + hi)
    stepBefore = step
    step = next - x
    if (hi - lo <= 1e-15 * hi) return next
    x = next
  }
  return x
}

/** ln B(a, b), the log of the Beta function. */
export const lnBeta = (a: number, b: number): number => lnGamma(a) + lnGamma(b) - lnGamma(a + b)

/** The Beta(a, b) density; at 0 and 1 its limit (0, a constant or infinity). */
export const betaDensity = (x: number, a: number, b: number, logBeta = lnBeta(a, b)): number => {
  if (x < 0 || x > 1) return 0
  if (x === 0) return a < 1 ? Infinity : a === 1 ? Math.exp(-logBeta) : 0
  if (x === 1) return b < 1 ? Infinity : b === 1 ? Math.exp(-logBeta) : 0
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta)
}

/** The beta sampler's inversion tables: a u-error of 1e-10, exact beyond the outer millionths (`InversionTable`). */
export const BETA_INVERSION = { tolerance: 1e-10, tail: 1e-6 }

/** Distinct shapes whose tables are kept (a few KB each); the least recently used goes first. */
const TABLES_KEPT = 256
const tables = new Map<string, InversionTable | null>()

/**
 * The inversion table of Beta(a, b), built on first use and kept: each shape costs a few hundred evaluations of the
 * incomplete beta function once. Null where no table meets the tolerance (extreme shapes): invert exactly then.
 */
export const betaInversion = (a: number, b: number): InversionTable | null => {
  const key = `${a},${b}`
  let table = tables.get(key)
  if (table !== undefined) {
    tables.delete(key)
  } else {
    const logBeta = lnBeta(a, b)
    table =
      buildInversionTable(
        {
          cdf: (x) => regularizedBeta(x, a, b),
          pdf: (x) => betaDensity(x, a, b, logBeta),
          dLogPdf: (x) => (a - 1) / x - (b - 1) / (1 - x),
          quantile: (u) => betaQuantile(u, a, b),
        },
        BETA_INVERSION,
      ) ?? null
    if (tables.size >= TABLES_KEPT) tables.delete(tables.keys().next().value!)
  }
  tables.set(key, table)
  return table
}

/** A shape's table as data: null where no table meets the tolerance. */
export interface BetaTableData {
  a: number
  b: number
  table: InversionTableData | null
}

/**
 * The tables this thread has built or adopted, as data: a runner may keep them (a thread's first shard built them in
 * ~0.1 s, every time a command started) and hand them to the next thread with `adoptBetaTables`.
 */
export const keptBetaTables = (): BetaTableData[] =>
  [...tables].map(([key, table]) => {
    const [a, b] = key.split(',').map(Number)
    return { a, b, table: table?.toData() ?? null }
  })

/**
 * Take tables kept by `keptBetaTables` (in this engine: the caller keys what it keeps by the engine's code), for the
 * shapes this thread has none of: each draws exactly as the table built here would.
 */
export const adoptBetaTables = (kept: readonly BetaTableData[]): void => {
  for (const { a, b, table } of kept) {
    const key = `${a},${b}`
    if (tables.has(key) || tables.size >= TABLES_KEPT) continue
    tables.set(key, table && InversionTable.of(table, (u) => betaQuantile(u, a, b)))
  }
}
