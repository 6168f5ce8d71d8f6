/**
 * Fast numerical inversion of a continuous CDF: piecewise quintic Hermite interpolation of the inverse CDF on
 * adaptive intervals (Hörmann and Leydold, "Continuous random variate generation by fast numerical inversion",
 * 2003), built once per distribution, so a draw is a table lookup and a polynomial instead of a root search or a
 * long rational function. The far tails, where the table would need most of its intervals, invert exactly.
 */

/** What the builder needs of a distribution: its CDF, its density, the log-density's derivative f'/f, and its exact
 * inverse (slow, for the tails and the table's ends). */
export interface InvertibleDistribution {
  cdf: (x: number) => number
  pdf: (x: number) => number
  dLogPdf: (x: number) => number
  quantile: (u: number) => number
}

/**
 * The inverse of a CDF to a stated u-error: for every u in (0, 1), |F(at(u)) - u| <= the tolerance it was built
 * for, plus what the rounding of x to a double costs there (`roundingOf`). So a draw is exact inversion of a
 * uniform moved by at most that much; in the tails (u below the table's first knot or above its last, a
 * probability of 2 x `tail`) the inversion is exact.
 */
export class InversionTable {
  private readonly lastInterval: number

  constructor(
    /**
     * Eight numbers per interval, one cache line: u at its two knots, then the six coefficients of x as a
     * polynomial in u - (u at its left knot).
     */
    private readonly lines: Float64Array,
    /** guide[j]: the interval holding u = j / guide.length, where the search for u starts. */
    private readonly guide: Int32Array,
    /** The exact inverse, for the tails. */
    private readonly exact: (u: number) => number,
    /** Where the tails start: u at the first and last knots, or the tail mass where the quantile there rounds to the
     * support's end (Beta(0.01, 1) below 1e-6 is 0) and the table starts at the end itself. */
    private readonly firstKnot: number,
    private readonly lastKnot: number,
    /** x at the first and last knots: no rounding of a polynomial puts a value outside them (or the support). */
    private readonly lower: number,
    private readonly upper: number,
  ) {
    this.lastInterval = lines.length / 8 - 1
  }

  get intervals(): number {
    return this.lastInterval + 1
  }

  /** The table's numbers, exactly: what `InversionTable.of` needs, with the exact inverse, to make it again. */
  toData(): InversionTableData {
    const { lines, guide, firstKnot, lastKnot, lower, upper } = this
    return { lines, guide, firstKnot, lastKnot, lower, upper }
  }

  /** A table from `toData`'s numbers: the same draws, bit for bit, as the table they came from. */
  static of(data: InversionTableData, exact: (u: number) => number): InversionTable {
    return new InversionTable(data.lines, data.guide, exact, data.firstKnot, data.lastKnot, data.lower, data.upper)
  }

  /** x with F(x) = u to the table's u-error, for u in (0, 1). */
  at(u: number): number {
    // `+`: the call's result is any value to V8, and merging it with the polynomial's would box every result
    if (u < this.firstKnot || u > this.lastKnot) return +this.exact(u)
    const lines = this.lines
    const last = this.lastInterval
    let i = this.guide[(u * this.guide.length) | 0]
    while (i < last && u >= lines[8 * i + 1]) i++
    const o = 8 * i
    const d = u - lines[o]
    const x =
      lines[o + 2] + d * (lines[o + 3] + d * (lines[o + 4] + d * (lines[o + 5] + d * (lines[o + 6] + d * lines[o + 7]))))
    return x < this.lower ? this.lower : x > this.upper ? this.upper : x
  }
}

/** An inversion table's numbers (see the constructor), without its exact inverse. */
export interface InversionTableData {
  lines: Float64Array
  guide: Int32Array
  firstKnot: number
  lastKnot: number
  lower: number
  upper: number
}

/** A knot: x, u = F(x), and the inverse's first two derivatives there, x'(u) = 1/f and x''(u) = -(f'/f) / f^2. */
interface Knot {
  x: number
  u: number
  slope: number
  curvature: number
}

const knotAt = (d: InvertibleDistribution, x: number): Knot => {
  const slope = 1 / d.pdf(x)
  const curvature = -d.dLogPdf(x) * slope * slope
  return { x, u: d.cdf(x), slope, curvature }
}

/** The quintic in t with the two knots' values and first two derivatives (in u, scaled to t by the width h). */
const quinticCoefficients = (a: Knot, b: Knot, out: Float64Array, o: number): boolean => {
  const h = b.u - a.u
  // where a derivative is not finite (the density vanishes or underflows) fall back to the secant and no curvature
  const secant = (b.x - a.x) / h
  const p1 = h * (Number.isFinite(a.slope) ? a.slope : secant)
  const q1 = h * (Number.isFinite(b.slope) ? b.slope : secant)
  const p2 = h * h * (Number.isFinite(a.curvature) && Number.isFinite(a.slope) ? a.curvature : 0)
  const q2 = h * h * (Number.isFinite(b.curvature) && Number.isFinite(b.slope) ? b.curvature : 0)
  const rise = b.x - a.x
  out[o] = a.x
  out[o + 1] = p1
  out[o + 2] = p2 / 2
  out[o + 3] = 10 * rise - 6 * p1 - 4 * q1 - (3 * p2 - q2) / 2
  out[o + 4] = -15 * rise + 8 * p1 + 7 * q1 + (3 * p2 - 2 * q2) / 2
  out[o + 5] = 6 * rise - 3 * p1 - 3 * q1 - (p2 - q2) / 2
  for (let k = 0; k < 6; k++) if (!Number.isFinite(out[o + k])) return false
  return true
}

const polynomial = (c: Float64Array, o: number, t: number): number =>
  c[o] + t * (c[o + 1] + t * (c[o + 2] + t * (c[o + 3] + t * (c[o + 4] + t * c[o + 5]))))

/** Guide cells per interval. */
const GUIDE_CELLS = 4

/** Points inside an interval where the u-error is checked. */
const CHECKS = [0.1, 0.3, 0.5, 0.7, 0.9]

/**
 * The u-error no double can avoid at x: F's change over the spacing of doubles there. Near a pole of the density
 * (a U-shaped beta next to 1) it exceeds any tolerance, and no inverse, exact or not, does better.
 */
export const roundingOf = (d: InvertibleDistribution, x: number): number =>
  d.pdf(x) * Math.max(Math.abs(x) * Number.EPSILON, Number.MIN_VALUE)

/** Whether the interpolant between knots a and b is monotone and within `target` (plus rounding) at the checks. */
const withinTolerance = (d: InvertibleDistribution, a: Knot, b: Knot, c: Float64Array, target: number): boolean => {
  let previous = a.x
  for (const t of CHECKS) {
    const x = polynomial(c, 0, t)
    if (!(x >= previous && x <= b.x)) return false
    if (Math.abs(d.cdf(x) - (a.u + t * (b.u - a.u))) > target + roundingOf(d, x)) return false
    previous = x
  }
  return true
}

export interface InversionOptions {
  /** The largest u-error allowed. */
  tolerance: number
  /** The probability in each tail left to the exact inverse. */
  tail: number
  /** Stop and give up (undefined) beyond this many intervals. */
  maxIntervals?: number
}

/**
 * Build the table, splitting an interval until its interpolant is monotone and within half the tolerance at the
 * check points (the other half covers the CDF's own rounding and the points between). Undefined where the
 * tolerance cannot be met in `maxIntervals` intervals: the caller then inverts exactly.
 */
export const buildInversionTable = (
  d: InvertibleDistribution,
  { tolerance, tail, maxIntervals = 20_000 }: InversionOptions,
): InversionTable | undefined => {
  const target = tolerance / 2
  const done: Knot[] = []
  const coefficients: number[] = []
  const scratch = new Float64Array(6)
  // intervals to do, the leftmost on top: the table comes out in order
  const pending: Knot[] = [knotAt(d, d.quantile(1 - tail)), knotAt(d, d.quantile(tail))]
  while (pending.length > 1) {
    if (done.length > maxIntervals) return undefined
    const a = pending[pending.length - 1]
    const b = pending[pending.length - 2]
    const h = b.u - a.u
    if (!(h > 0)) {
      pending.pop() // no mass between the two knots (a flat CDF, or rounding): the inverse steps over it
      continue
    }
    // a quintic that passes the checks; else, where nothing finer can be resolved, the straight line between the
    // knots (no double lies between them, or the interval is a sliver of u whose error cannot exceed its width)
    let fit = quinticCoefficients(a, b, scratch, 0) && withinTolerance(d, a, b, scratch, target)
    const unresolvable =
      b.x - a.x <= 4 * Number.EPSILON * Math.max(Math.abs(a.x), Math.abs(b.x)) || h <= 8 * Number.EPSILON
    if (!fit && unresolvable) {
      scratch.fill(0)
      scratch[0] = a.x
      scratch[1] = b.x - a.x
      fit = true
    }
    if (fit) {
      for (let k = 0; k < 6; k++) coefficients.push(scratch[k])
      done.push(a)
      pending.pop()
      continue
    }
    // split about the u-midpoint (the quintic's value there), so splits halve the interval's mass
    let split = quinticCoefficients(a, b, scratch, 0) ? polynomial(scratch, 0, 0.5) : NaN
    if (!(split > a.x && split < b.x)) split = a.x + (b.x - a.x) / 2
    pending.splice(pending.length - 1, 0, knotAt(d, split))
  }
  const last = pending[0]
  done.push(last)

  const n = done.length - 1
  if (n === 0) return undefined
  const lines = new Float64Array(8 * n)
  for (let i = 0; i < n; i++) {
    const h = done[i + 1].u - done[i].u
    lines[8 * i] = done[i].u
    lines[8 * i + 1] = done[i + 1].u
    // the polynomial in t = (u - u_i) / h, rewritten in u - u_i: no division per draw
    for (let k = 0, scale = 1; k < 6; k++, scale /= h) lines[8 * i + 2 + k] = coefficients[6 * i + k] * scale
  }
  // GUIDE_CELLS cells per interval: the search from a cell's interval takes on average n / cells steps, so
  // almost always none (a branch that is predicted), where one cell per interval costs a mispredicted exit a draw
  const cells = GUIDE_CELLS * n
  const guide = new Int32Array(cells)
  for (let j = 0, i = 0; j < cells; j++) {
    while (i < n - 1 && done[i + 1].u <= j / cells) i++
    guide[j] = i
  }
  return new InversionTable(
    lines,
    guide,
    d.quantile,
    Math.max(done[0].u, tail),
    Math.min(last.u, 1 - tail),
    done[0].x,
    last.x,
  )
}
