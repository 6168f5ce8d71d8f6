/** Exact binomial and multinomial draws from a Stream, allocating nothing per draw. */
import type { Stream } from './rng'

/**
 * fc(k) = ln k! - (k + 1/2) ln(k + 1) + (k + 1) - ln(2 pi) / 2 for k = 0..14 (Loader's
 * stirlerr(k + 1)): BTRD's exact acceptance needs it, and below 15 the Stirling series is not yet
 * accurate. Exported for a test.
 */
export const STIRLING_TAIL = new Float64Array([
  0.0810614667953272582196702, 0.0413406959554092940938221, 0.02767792568499833914878929,
  0.02079067210376509311152277, 0.01664469118982119216319487, 0.01387612882307074799874573,
  0.01189670994589177009505572, 0.010411265261972096497478567, 0.009255462182712732917728637,
  0.008330563433362871256469318, 0.007573675487951840794972024, 0.006942840107209529865664152,
  0.006408994188004207068439631, 0.005951370112758847735624416, 0.00555473355196280137103869,
])

/**
 * Per probability slot, what a draw needs of p alone, computed when p is set rather than on every draw:
 * p itself (for the edge cases), the smaller of p and 1 - p, the larger, their ratio, ln(1 - the smaller),
 * and 1 where the draw counts failures (p > 1/2).
 */
const D_P = 0
const D_SMALLER = 1
const D_LARGER = 2
const D_RATIO = 3
const D_LOG_LARGER = 4
const D_FAILURES = 5
/** Numbers per slot in `BinomialSlots.derived`. */
export const SLOT_FIELDS = 6

/** Slot `i` of `derived` prepared for probability p: the same numbers the draw would compute from p. */
const prepareSlot = (derived: Float64Array, i: number, p: number): void => {
  const o = SLOT_FIELDS * i
  const smaller = Math.min(p, 1 - p)
  const larger = Math.max(p, 1 - p)
  derived[o + D_P] = p
  derived[o + D_SMALLER] = smaller
  derived[o + D_LARGER] = larger
  derived[o + D_RATIO] = smaller / larger
  // exp(n log1p(-p)) rather than q^n: n may be 1e7 and q is rounded
  derived[o + D_LOG_LARGER] = Math.log1p(-smaller)
  derived[o + D_FAILURES] = p > 0.5 ? 1 : 0
}

/**
 * Binomial probabilities a caller draws from many times with a fixed p (the cohort's flows, within an
 * iteration): write `p[i]`, then `prepare` the slots written; draws (`binomialSlotTo`) read the derived
 * numbers. The bits of a draw are those of `binomialAt` with the same p.
 */
export class BinomialSlots {
  readonly p: Float64Array
  readonly derived: Float64Array

  constructor(readonly size: number) {
    this.p = new Float64Array(size)
    this.derived = new Float64Array(SLOT_FIELDS * size)
  }

  /** Derive slots [from, to) from their probabilities in `p`. */
  prepare(from: number, to: number): void {
    for (let i = from; i < to; i++) prepareSlot(this.derived, i, this.p[i])
  }
}

/** Where `binomialAt` prepares its one-off slot. */
const ONE_OFF = new Float64Array(SLOT_FIELDS)

/**
 * Where `binomial` puts its p for the shared body. In V8 a double passed to a call that is not
 * inlined is boxed (a heap allocation); `binomial` is small enough to be inlined into its callers,
 * so its p goes through this slot unboxed, and only the large body below is a real call.
 */
const P_SLOT = new Float64Array(1)

/** One Binomial(n, p) draw for an integer n >= 0 and any p (p <= 0 gives 0, p >= 1 gives n). */
export const binomial = (n: number, p: number, rng: Stream): number => {
  P_SLOT[0] = p
  return binomialAt(n, P_SLOT, 0, rng)
}

/** One Binomial(n, probs[index]) draw: `binomial` for a probability already in a typed array. */
export const binomialAt = (n: number, probs: Float64Array, index: number, rng: Stream): number => {
  prepareSlot(ONE_OFF, 0, probs[index])
  return binomialPrepared(n, ONE_OFF, 0, rng)
}

/**
 * One Binomial(n, p) draw for the p prepared in slot `slot` of `derived`. For p > 1/2 it counts failures,
 * so both methods only see p <= 1/2: inversion while n p < 10, BTRD above. It is all one body on purpose:
 * a helper returning a double would box it on most draws.
 */
const binomialPrepared = (n: number, derived: Float64Array, slot: number, rng: Stream): number => {
  const o = SLOT_FIELDS * slot
  const p = derived[o + D_P]
  // BTRD never accepts a draw for a NaN: surface the NaN rather than loop forever
  if (Number.isNaN(p) || !Number.isFinite(n)) return NaN
  if (n <= 0 || p <= 0) return 0
  if (p >= 1) return n
  const failures = derived[o + D_FAILURES] !== 0
  // the smaller probability; with failures counted q is p itself, so only 1 - p is ever rounded
  const pl = derived[o + D_SMALLER]
  const q = derived[o + D_LARGER]
  let k = 0

  if (n * pl < 10) {
    // Sequential search of the CDF from 0: one uniform and about n p + 1 steps.
    const s = derived[o + D_RATIO]
    const x = n * derived[o + D_LOG_LARGER]
    let u = rng.nextDouble()
    // P(0) = e^x >= 1 + x + x^2/2 + x^3/6 (x <= 0, the remainder is positive): below that bound, less a
    // margin for both sides' rounding, the search would stop at 0, so it is skipped along with e^x (the same
    // draw, and most draws where n p is small)
    if (u <= 1 + x * (1 + x * (0.5 + x / 6)) - 1e-15) return failures ? n : 0
    const a = (n + 1) * s
    const p0 = Math.exp(x)
    search: for (;;) {
      let pk = p0
      for (k = 0; k <= n; k++) {
        if (u <= pk) break search
        u -= pk
        pk *= a / (k + 1) - s
      }
      // round-off left u above the whole computed mass: drawing again keeps the pmf's shape exact
      u = rng.nextDouble()
    }
    return failures ? n - k : k
  }

  // Hörmann (1993), "The generation of binomial random variates", algorithm BTRD: transformed
  // rejection with a quick-acceptance box, then exact acceptance on ln f(k)/f(m). It takes 1.4 to
  // 2.5 uniforms a draw, fewer as n p grows, whatever n.
  const m = Math.floor((n + 1) * pl)
  const r = derived[o + D_RATIO]
  const nr = (n + 1) * r
  const npq = n * pl * q
  const spq = Math.sqrt(npq)
  const b = 1.15 + 2.53 * spq
  const a = -0.0873 + 0.0248 * b + 0.01 * pl
  const c = n * pl + 0.5
  const alpha = (2.83 + 5.1 / b) * spq
  const vr = 0.92 - 4.2 / b
  const urvr = 0.86 * vr
  for (;;) {
    let v = rng.nextDouble()
    if (v <= urvr) {
      // inside the box the hat lies under the pmf: accept without evaluating it
      const u = v / vr - 0.43
      k = Math.floor(((2 * a) / (0.5 - Math.abs(u)) + b) * u + c)
      break
    }
    // both branches need one more uniform; a single call site keeps it inlined
    const w = rng.nextDouble()
    let u: number
    if (v >= vr) {
      u = w - 0.5
    } else {
      // reuse the rejected box draw for u, take a fresh v below the box height
      u = v / vr - 0.93
      u = (u < 0 ? -0.5 : 0.5) - u
      v = w * vr
    }
    const us = 0.5 - Math.abs(u)
    k = Math.floor(((2 * a) / us + b) * u + c)
    if (k < 0 || k > n) continue
    v = (v * alpha) / (a / (us * us) + b)
    const km = Math.abs(k - m)
    if (km <= 15) {
      // near the mode f(k)/f(m) is a short product: exact and cheaper than logs
      let f = 1
      if (m < k) for (let i = m + 1; i <= k; i++) f *= nr / i - r
      else if (m > k) for (let i = k + 1; i <= m; i++) v *= nr / i - r
      if (v <= f) break
      continue
    }
    v = Math.log(v)
    // squeeze: bounds on ln f(k)/f(m) decide most draws far from the mode without Stirling terms
    const rho = (km / npq) * (((km / 3 + 0.625) * km + 1 / 6) / npq + 0.5)
    const t = (-km * km) / (2 * npq)
    if (v < t - rho) break
    if (v > t + rho) continue
    // fc(m) + fc(n - m) - fc(k) - fc(n - k), in a loop rather than calls (see above)
    let corrections = 0
    for (let j = 0; j < 4; j++) {
      const i = j === 0 ? m : j === 1 ? n - m : j === 2 ? k : n - k
      let fc: number
      if (i < 15) {
        fc = STIRLING_TAIL[i]
      } else {
        // from 15 on, five terms of the Stirling series are exact to double precision
        const i1 = i + 1
        const i2 = i1 * i1
        fc = (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / i2) / i2) / i2) / i2) / i1
      }
      corrections += j < 2 ? fc : -fc
    }
    const nm = n - m + 1
    const nk = n - k + 1
    const logRatio =
      (m + 0.5) * Math.log((m + 1) / (r * nm)) +
      (n + 1) * Math.log1p((k - m) / nk) + // ln(nm / nk) without rounding the ratio first
      (k + 0.5) * Math.log((nk * r) / (k + 1)) +
      corrections
    if (v <= logRatio) break
  }
  return failures ? n - k : k
}

/**
 * The last draw of `binomialTo`. A caller that picks between a draw and a double (the cohort's `S ? draw :
 * expectation`) reads the draw from here: a call's result is a tagged value, and a phi of it with a double makes V8
 * box the double on the other path, once both paths have run in the process.
 */
export const DRAWN = new Float64Array(1)

/** `binomialAt`, its result in DRAWN[0]. */
export const binomialTo = (n: number, probs: Float64Array, index: number, rng: Stream): void => {
  DRAWN[0] = binomialAt(n, probs, index, rng)
}

/** A draw for slot `index` of prepared `slots`, its result in DRAWN[0]. */
export const binomialSlotTo = (n: number, slots: BinomialSlots, index: number, rng: Stream): void => {
  DRAWN[0] = binomialPrepared(n, slots.derived, index, rng)
}

/** Below this distance from 1, shares are taken to sum to 1: the rest is the caller's round-off. */
const SUM_TO_ONE_TOLERANCE = 1e-12

/**
 * A Multinomial(n, probs[0..k-1]) draw into out[0..k-1] by conditional binomials. If the
 * probabilities sum to 1 the last category takes what is left; if they sum to less, the leftover
 * n - sum(out) is an implicit last category that is not written. Sums above 1 are read as weights.
 */
export const multinomialInto = (
  n: number,
  probs: Float64Array,
  k: number,
  out: Float64Array,
  rng: Stream,
): void => {
  let total = 0
  for (let i = 0; i < k; i++) total += probs[i]
  const complete = total >= 1 - SUM_TO_ONE_TOLERANCE
  // the mass not yet split off: category i's share of it is its conditional probability
  let rest = complete ? total : 1
  let remaining = n
  for (let i = 0; i < k; i++) {
    if (remaining <= 0) {
      out[i] = 0
    } else if (complete && i === k - 1) {
      out[i] = remaining
    } else {
      const share = probs[i]
      const draw = share >= rest ? remaining : binomial(remaining, share / rest, rng)
      out[i] = draw
      remaining -= draw
    }
    rest -= probs[i]
  }
}
