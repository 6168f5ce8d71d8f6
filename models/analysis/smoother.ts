/** Penalised regression splines on the ranks of the inputs, chosen by GCV: the smoothers behind the EVPPI. */

/** Midranks scaled into (0, 1): (rank + 0.5) / n with ties sharing their average rank. */
export const rankUniforms = (x: ArrayLike<number>): Float64Array => {
  const n = x.length
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i] - x[j])
  const u = new Float64Array(n)
  let i = 0
  while (i < n) {
    let j = i
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++
    const rank = (i + j) / 2
    for (let k = i; k <= j; k++) u[order[k]] = (rank + 0.5) / n
    i = j + 1
  }
  return u
}

/** The four non-zero uniform cubic B-splines at u in [0, 1] with `segments` equal segments: first column, values. */
const cubicBasisAt = (u: number, segments: number, values: Float64Array): number => {
  const x = Math.min(Math.max(u, 0), 1) * segments
  const s = Math.min(Math.floor(x), segments - 1)
  const t = x - s
  const t2 = t * t
  const t3 = t2 * t
  const w = 1 - t
  values[0] = (w * w * w) / 6
  values[1] = (3 * t3 - 6 * t2 + 4) / 6
  values[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6
  values[3] = t3 / 6
  return s
}

/** D'D of second differences on k coefficients (k x k, row-major): zero on constant and linear coefficients. */
const secondDifferencePenalty = (k: number): Float64Array => {
  const p = new Float64Array(k * k)
  for (let r = 0; r + 2 < k; r++) {
    const d = [1, -2, 1]
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) p[(r + a) * k + r + b] += d[a] * d[b]
  }
  return p
}

/**
 * One block of columns: a spline of one input or a tensor product of two, minus its first function if `drop`;
 * with `segments` 0, the single unpenalised column (u_1 - 1/2)(u_2 - 1/2) of two inputs.
 */
interface Component {
  inputs: number[]
  segments: number
  drop: boolean
  offset: number
  width: number
}

export interface SmoothFit {
  fitted: Float64Array
  /** Effective degrees of freedom (trace of the hat matrix). */
  edf: number
  rSquared: number
  lambda: number
}

/** Lower Cholesky factor of a positive definite p x p matrix in place; false if it is not. */
const choleskyInPlace = (a: Float64Array, p: number): boolean => {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j]
    for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k]
    if (!(d > 0)) return false
    const pivot = Math.sqrt(d)
    a[j * p + j] = pivot
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j]
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k]
      a[i * p + j] = s / pivot
    }
  }
  return true
}

/** Solve L L' x = b in place for a lower factor L. */
const choleskySolve = (l: Float64Array, p: number, b: Float64Array): void => {
  for (let i = 0; i < p; i++) {
    let s = b[i]
    for (let k = 0; k < i; k++) s -= l[i * p + k] * b[k]
    b[i] = s / l[i * p + i]
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i]
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * b[k]
    b[i] = s / l[i * p + i]
  }
}

/**
 * Fit y on the columns of the components by penalised least squares, (X'X + lambda P) beta = X'y, choosing
 * lambda by generalised cross-validation, GCV = n RSS / (n - edf)^2, over a grid of decades refined to
 * quarter decades. Rows have few non-zero columns (4 per spline, 16 per tensor product), so X'X is built
 * from those alone.
 */
const penalisedFit = (
  inputs: readonly Float64Array[],
  yRaw: Float64Array,
  components: Component[],
  intercept: boolean,
): SmoothFit => {
  const n = yRaw.length
  // centred, so that the sums of squares below do not cancel (costs are large numbers); the bases hold constants
  let yMean = 0
  for (let i = 0; i < n; i++) yMean += yRaw[i]
  yMean /= n
  const y = yRaw.map((v) => v - yMean)
  const p = (intercept ? 1 : 0) + components.reduce((s, c) => s + c.width, 0)
  const xtx = new Float64Array(p * p)
  const xty = new Float64Array(p)
  const nonZero = (c: Component) => (c.segments === 0 ? 1 : 4 ** c.inputs.length)
  const maxNonZero = (intercept ? 1 : 0) + components.reduce((s, c) => s + nonZero(c), 0)
  const cols = new Int32Array(maxNonZero)
  const vals = new Float64Array(maxNonZero)
  const b1 = new Float64Array(4)
  const b2 = new Float64Array(4)
  let yy = 0
  let ySum = 0

  /** The non-zero columns of row i, into cols/vals; returns how many. */
  const rowOf = (i: number): number => {
    let nz = 0
    if (intercept) {
      cols[nz] = 0
      vals[nz++] = 1
    }
    for (const c of components) {
      if (c.segments === 0) {
        cols[nz] = c.offset
        vals[nz++] = (inputs[c.inputs[0]][i] - 0.5) * (inputs[c.inputs[1]][i] - 0.5)
        continue
      }
      const k = c.segments + 3
      const s1 = cubicBasisAt(inputs[c.inputs[0]][i], c.segments, b1)
      if (c.inputs.length === 1) {
        for (let a = 0; a < 4; a++) {
          const col = s1 + a - (c.drop ? 1 : 0)
          if (col < 0) continue
          cols[nz] = c.offset + col
          vals[nz++] = b1[a]
        }
      } else {
        const s2 = cubicBasisAt(inputs[c.inputs[1]][i], c.segments, b2)
        const kk = k - (c.drop ? 1 : 0)
        for (let a = 0; a < 4; a++) {
          const ca = s1 + a - (c.drop ? 1 : 0)
          if (ca < 0) continue
          for (let b = 0; b < 4; b++) {
            const cb = s2 + b - (c.drop ? 1 : 0)
            if (cb < 0) continue
            cols[nz] = c.offset + ca * kk + cb
            vals[nz++] = b1[a] * b2[b]
          }
        }
      }
    }
    return nz
  }

  for (let i = 0; i < n; i++) {
    const nz = rowOf(i)
    const yi = y[i]
    yy += yi * yi
    ySum += yi
    for (let a = 0; a < nz; a++) {
      const ca = cols[a]
      const va = vals[a]
      xty[ca] += va * yi
      const row = ca * p
      for (let b = 0; b < nz; b++) xtx[row + cols[b]] += va * vals[b]
    }
  }

  // the penalty: second differences within each spline, along both margins of a tensor product
  const penalty = new Float64Array(p * p)
  for (const c of components) {
    if (c.segments === 0) continue
    const k = c.segments + 3
    const full = secondDifferencePenalty(k)
    const skip = c.drop ? 1 : 0
    const kk = k - skip
    if (c.inputs.length === 1) {
      for (let a = 0; a < kk; a++)
        for (let b = 0; b < kk; b++) penalty[(c.offset + a) * p + c.offset + b] += full[(a + skip) * k + b + skip]
    } else {
      for (let a1 = 0; a1 < kk; a1++)
        for (let b1i = 0; b1i < kk; b1i++)
          for (let a2 = 0; a2 < kk; a2++)
            for (let b2i = 0; b2i < kk; b2i++) {
              const margin1 = a2 === b2i ? full[(a1 + skip) * k + b1i + skip] : 0
              const margin2 = a1 === b1i ? full[(a2 + skip) * k + b2i + skip] : 0
              if (margin1 === 0 && margin2 === 0) continue
              penalty[(c.offset + a1 * kk + a2) * p + c.offset + b1i * kk + b2i] += margin1 + margin2
            }
    }
  }

  let traceXtx = 0
  let tracePenalty = 0
  for (let j = 0; j < p; j++) {
    traceXtx += xtx[j * p + j]
    tracePenalty += penalty[j * p + j]
  }
  const scale = tracePenalty > 0 ? traceXtx / tracePenalty : 1
  // a whisper of ridge keeps X'X + lambda P definite where columns overlap (interactions against main effects)
  const ridge = 1e-10 * (traceXtx / p)
  const a = new Float64Array(p * p)
  const beta = new Float64Array(p)
  const column = new Float64Array(p)

  const solve = (lambda: number): { gcv: number; edf: number; rss: number } | undefined => {
    for (let j = 0; j < p * p; j++) a[j] = xtx[j] + lambda * penalty[j]
    for (let j = 0; j < p; j++) a[j * p + j] += ridge
    if (!choleskyInPlace(a, p)) return undefined
    beta.set(xty)
    choleskySolve(a, p, beta)
    // edf = trace((X'X + lambda P)^-1 X'X), one column of X'X at a time
    let edf = 0
    for (let j = 0; j < p; j++) {
      for (let r = 0; r < p; r++) column[r] = xtx[r * p + j]
      choleskySolve(a, p, column)
      edf += column[j]
    }
    let fitSquare = 0
    let cross = 0
    for (let r = 0; r < p; r++) {
      cross += beta[r] * xty[r]
      let s = 0
      for (let c = 0; c < p; c++) s += xtx[r * p + c] * beta[c]
      fitSquare += beta[r] * s
    }
    const rss = Math.max(0, yy - 2 * cross + fitSquare)
    return { gcv: (n * rss) / Math.max(1e-12, (n - edf) ** 2), edf, rss }
  }

  let best = { logLambda: 0, gcv: Infinity }
  const tryLog = (logLambda: number) => {
    const r = solve(scale * 10 ** logLambda)
    if (r && r.gcv < best.gcv) best = { logLambda, gcv: r.gcv }
  }
  for (let e = -8; e <= 6; e++) tryLog(e)
  const centre = best.logLambda
  for (const d of [-0.75, -0.5, -0.25, 0.25, 0.5, 0.75]) tryLog(centre + d)
  const lambda = scale * 10 ** best.logLambda
  const final = solve(lambda)
  if (!final) throw new Error('smoother: the penalised system is singular')

  const fitted = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const nz = rowOf(i)
    let s = 0
    for (let k = 0; k < nz; k++) s += vals[k] * beta[cols[k]]
    fitted[i] = s + yMean
  }
  const tss = yy - (ySum * ySum) / n
  return { fitted, edf: final.edf, rSquared: tss > 0 ? 1 - final.rss / tss : 1, lambda }
}

/** E[y | x] for one input: a cubic P-spline (20 segments, second-difference penalty) on the input's ranks. */
export const smoothOne = (x: ArrayLike<number>, y: Float64Array, segments = 20): SmoothFit => {
  const spline: Component = { inputs: [0], segments, drop: false, offset: 0, width: segments + 3 }
  return penalisedFit([rankUniforms(x)], y, [spline], false)
}

/** Groups up to this size also get pairwise tensor-product interactions. */
export const MAX_INTERACTING_GROUP = 4
/** Larger groups get the bilinear products of this many inputs, those that explain most on their own. */
export const BILINEAR_INPUTS = 8

/**
 * E[y | x_1 .. x_d] for a group of inputs, by regression on a basis of their ranks: an intercept, a cubic
 * P-spline per input (10 segments; 6 beyond the interacting size, 4 beyond 20 inputs) and, for groups of up
 * to four inputs, the tensor product of coarse splines (3 segments) of every pair; larger groups get only
 * the bilinear products (u_j - 1/2)(u_l - 1/2) of their eight leading inputs. Interactions of three or more
 * inputs, and most interactions in large groups, are not represented: check the fit's R^2.
 */
export const smoothGroup = (xs: readonly ArrayLike<number>[], y: Float64Array): SmoothFit => {
  if (xs.length === 1) return smoothOne(xs[0], y)
  const d = xs.length
  const ranks = xs.map(rankUniforms)
  const components: Component[] = []
  let offset = 1
  const mainSegments = d <= MAX_INTERACTING_GROUP ? 10 : d <= 20 ? 6 : 4
  for (let j = 0; j < d; j++) {
    const width = mainSegments + 3 - 1
    components.push({ inputs: [j], segments: mainSegments, drop: true, offset, width })
    offset += width
  }
  if (d > MAX_INTERACTING_GROUP) {
    // costs are counts times unit costs: products of the inputs that matter most carry much of the rest
    const leading = xs
      .map((x, j) => ({ j, explained: smoothOne(x, y).rSquared }))
      .sort((a, b) => b.explained - a.explained)
      .slice(0, BILINEAR_INPUTS)
      .map((o) => o.j)
    for (let a = 0; a < leading.length; a++)
      for (let b = a + 1; b < leading.length; b++) {
        components.push({ inputs: [leading[a], leading[b]], segments: 0, drop: false, offset, width: 1 })
        offset += 1
      }
  }
  if (d <= MAX_INTERACTING_GROUP) {
    for (let j = 0; j < d; j++)
      for (let l = j + 1; l < d; l++) {
        const width = (3 + 3 - 1) ** 2
        components.push({ inputs: [j, l], segments: 3, drop: true, offset, width })
        offset += width
      }
  }
  return penalisedFit(ranks, y, components, true)
}
