/** Rank correlation between uncertain inputs (an analysis option): checked, repaired on request, for the copula. */
import type { FieldProblem } from './scenario'

/** Inputs by parameter path (`programme.cashPerAdult`, `groups[<id>].stock`) and their Spearman correlations. */
export interface CorrelationSpec {
  paths: string[]
  matrix: number[][]
}

/** A checked correlation, ready for the copula. */
export interface PreparedCorrelation {
  paths: string[]
  /** The rank (Spearman) correlations used: the requested ones, or their repair. */
  rank: number[][]
  /** Pearson correlations of the normal scores that give those rank correlations. */
  normal: number[][]
  /** Lower-triangular factor of `normal`, row-major n x n. */
  cholesky: Float64Array
  /** Set when the matrix was repaired: what changed. */
  repair?: string
}

export type CorrelationResult =
  | { ok: true; correlation: PreparedCorrelation }
  | { ok: false; problems: FieldProblem[] }

/** Spearman's rho of a bivariate normal with Pearson r is (6 / pi) asin(r / 2); this is its inverse. */
export const normalFromRank = (rho: number): number => 2 * Math.sin((Math.PI * rho) / 6)
export const rankFromNormal = (r: number): number => (6 / Math.PI) * Math.asin(r / 2)

const SYMMETRY_TOLERANCE = 1e-12
/** A pivot above -PIVOT_TOLERANCE counts as zero: semi-definite matrices (a correlation of 1) are allowed. */
const PIVOT_TOLERANCE = 1e-10

/**
 * Cholesky factor of a symmetric n x n matrix (row-major), allowing zero pivots (positive semi-definite):
 * the lower factor, or the row at which the matrix shows it is not positive semi-definite.
 */
export const choleskySemidefinite = (
  a: Float64Array,
  n: number,
): { factor: Float64Array } | { failedRow: number } => {
  const l = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k]
    if (d < -PIVOT_TOLERANCE) return { failedRow: j }
    const pivot = d > PIVOT_TOLERANCE ? Math.sqrt(d) : 0
    l[j * n + j] = pivot
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k]
      if (pivot === 0) {
        // a zero pivot leaves nothing to divide by: the column must vanish, else the matrix is indefinite
        if (Math.abs(s) > Math.sqrt(PIVOT_TOLERANCE)) return { failedRow: i }
        l[i * n + j] = 0
      } else {
        l[i * n + j] = s / pivot
      }
    }
  }
  return { factor: l }
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix by cyclic Jacobi rotations. */
export const symmetricEigen = (
  input: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } => {
  const a = Float64Array.from(input)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q]
    if (off < 1e-30) break
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]
        if (Math.abs(apq) < 1e-300) continue
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const s = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]
          const akq = a[k * n + q]
          a[k * n + p] = c * akp - s * akq
          a[k * n + q] = s * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]
          const aqk = a[q * n + k]
          a[p * n + k] = c * apk - s * aqk
          a[q * n + k] = s * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]
          const vkq = v[k * n + q]
          v[k * n + p] = c * vkp - s * vkq
          v[k * n + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]
  return { values, vectors: v }
}

/** The nearest positive semi-definite matrix in the Frobenius norm: negative eigenvalues set to `floor`. */
const projectPsd = (a: Float64Array, n: number, floor: number): Float64Array => {
  const { values, vectors } = symmetricEigen(a, n)
  const out = new Float64Array(n * n)
  for (let k = 0; k < n; k++) {
    const lambda = Math.max(values[k], floor)
    if (lambda === 0) continue
    for (let i = 0; i < n; i++) {
      const vik = vectors[i * n + k] * lambda
      for (let j = 0; j < n; j++) out[i * n + j] += vik * vectors[j * n + k]
    }
  }
  return out
}

/**
 * Higham's (2002) nearest correlation matrix: alternating projections onto the positive semi-definite cone
 * and the unit-diagonal matrices, with Dykstra's correction (plain alternation converges to a matrix that
 * is in both sets but not the nearest one). Eigenvalues are floored at a small positive value so that the
 * result factors cleanly.
 */
export const nearestCorrelation = (a: Float64Array, n: number, floor = 1e-8): Float64Array => {
  let y = Float64Array.from(a)
  let correction = new Float64Array(n * n)
  for (let iteration = 0; iteration < 1000; iteration++) {
    const r = new Float64Array(n * n)
    for (let i = 0; i < n * n; i++) r[i] = y[i] - correction[i]
    const x = projectPsd(r, n, floor)
    correction = new Float64Array(n * n)
    for (let i = 0; i < n * n; i++) correction[i] = x[i] - r[i]
    const next = Float64Array.from(x)
    for (let i = 0; i < n; i++) next[i * n + i] = 1
    let change = 0
    for (let i = 0; i < n * n; i++) change = Math.max(change, Math.abs(next[i] - y[i]))
    y = next
    if (change < 1e-12) break
  }
  // symmetrise away rounding, so the factor sees an exactly symmetric matrix
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const mean = 0.5 * (y[i * n + j] + y[j * n + i])
      y[i * n + j] = mean
      y[j * n + i] = mean
    }
  return y
}

const flatten = (m: number[][], n: number, map: (x: number) => number = (x) => x): Float64Array => {
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = map(m[i][j])
  return out
}

const unflatten = (a: Float64Array, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)))

/** The largest change between two matrices, as a readable entry. */
const largestChange = (before: number[][], after: number[][], paths: string[]): string => {
  let best = { i: 0, j: 1, d: -1 }
  for (let i = 0; i < before.length; i++)
    for (let j = i + 1; j < before.length; j++) {
      const d = Math.abs(after[i][j] - before[i][j])
      if (d > best.d) best = { i, j, d }
    }
  const { i, j } = best
  return `matrix[${i}][${j}] (${paths[i]} ~ ${paths[j]}) ${before[i][j]} -> ${after[i][j].toFixed(4)}`
}

/**
 * Check a correlation spec: paths unique and known, a square symmetric matrix with unit diagonal and entries
 * in [-1, 1], positive semi-definite once mapped to normal scores. A matrix that is not PSD is refused with
 * the entry its nearest correlation matrix changes most, or, with `repair`, replaced by that matrix.
 */
export const prepareCorrelation = (
  spec: CorrelationSpec,
  options: { knownPaths?: readonly string[]; repair?: boolean } = {},
): CorrelationResult => {
  const problems: FieldProblem[] = []
  const { paths, matrix } = spec
  const n = paths.length
  if (n < 2) problems.push({ path: 'correlation.paths', message: 'needs at least two inputs' })
  const seen = new Set<string>()
  paths.forEach((p, i) => {
    if (seen.has(p)) problems.push({ path: `correlation.paths[${i}]`, message: `duplicate input "${p}"` })
    seen.add(p)
    if (options.knownPaths && !options.knownPaths.includes(p))
      problems.push({
        path: `correlation.paths[${i}]`,
        message: `"${p}" is not an uncertain input of the scenario (a parameter path with a distribution that is not a point)`,
      })
  })
  const square = Array.isArray(matrix) && matrix.length === n && matrix.every((row) => Array.isArray(row) && row.length === n)
  if (!square) problems.push({ path: 'correlation.matrix', message: `must be a ${n} x ${n} matrix, one row and column per path` })
  if (problems.length) return { ok: false, problems }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = matrix[i][j]
      const at = `correlation.matrix[${i}][${j}]`
      const problem =
        typeof x !== 'number' || !Number.isFinite(x)
          ? 'must be a finite number'
          : i === j && x !== 1
            ? `a diagonal entry must be 1 (got ${x})`
            : x < -1 || x > 1
              ? `a correlation must lie in [-1, 1] (got ${x})`
              : j > i && Math.abs(x - matrix[j][i]) > SYMMETRY_TOLERANCE
                ? `must equal matrix[${j}][${i}] (${matrix[j][i]}): the matrix must be symmetric`
                : undefined
      if (problem) problems.push({ path: at, message: problem })
    }
  if (problems.length) return { ok: false, problems }

  let rank = matrix.map((row) => [...row])
  let normal = flatten(rank, n, normalFromRank)
  let chol = choleskySemidefinite(normal, n)
  let repair: string | undefined
  if ('failedRow' in chol) {
    const nearest = unflatten(nearestCorrelation(normal, n), n).map((row) => row.map(rankFromNormal))
    const change = largestChange(rank, nearest, paths)
    if (!options.repair)
      return {
        ok: false,
        problems: [
          {
            path: 'correlation.matrix',
            message:
              `is not positive semi-definite (no joint distribution has these correlations; the Cholesky factor ` +
              `fails at row ${chol.failedRow}, ${paths[chol.failedRow]}); the nearest valid matrix changes ` +
              `${change} most: fix that entry, or ask for the repair`,
          },
        ],
      }
    repair =
      'not positive semi-definite: replaced by the nearest correlation matrix (Higham 2002); ' +
      `largest change ${change}`
    rank = nearest
    normal = flatten(rank, n, normalFromRank)
    chol = choleskySemidefinite(normal, n)
    if ('failedRow' in chol)
      return { ok: false, problems: [{ path: 'correlation.matrix', message: 'could not be repaired' }] }
  }
  return {
    ok: true,
    correlation: { paths: [...paths], rank, normal: unflatten(normal, n), cholesky: chol.factor, repair },
  }
}
