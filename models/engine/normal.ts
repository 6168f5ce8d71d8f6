/** The standard normal's CDF and its inverse, accurate enough to sample by inversion far into the tails. */
import { buildInversionTable, type InversionTable } from './inversion-table'

/**
 * Phi(x): Marsaglia's (2004) series for |x| <= 3 (absolute error near 1e-15), and in the tails the Laplace
 * continued fraction of the Mills ratio, accurate relative to the tiny tail itself (0 below about -38.5).
 */
export const normalCdf = (x: number): number => {
  if (Number.isNaN(x)) return NaN
  if (x < -3) return normalUpperTail(-x)
  if (x > 3) return 1 - normalUpperTail(x)
  let s = x
  let t = 0
  let b = x
  const q = x * x
  let i = 1
  while (s !== t) {
    t = s
    i += 2
    b *= q / i
    s = t + b
  }
  return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178)
}

/** 1 - Phi(x) for x >= 3: phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))), evaluated from the back. */
const normalUpperTail = (x: number): number => {
  if (x === Infinity) return 0
  let fraction = x
  for (let k = 120; k >= 1; k--) fraction = x + k / fraction
  return Math.exp(-0.5 * x * x - 0.91893853320467274178) / fraction
}

/** Phi^-1(p) by Wichura's algorithm AS241 (PPND16), relative error about 1e-16 for 0 < p < 1. */
export const normalQuantile = (p: number): number => {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    )
  }
  let r = q < 0 ? p : 1 - p
  r = Math.sqrt(-Math.log(r))
  let value: number
  if (r <= 5) {
    r -= 1.6
    value =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) *
        r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) *
        r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1)
  } else {
    r -= 5
    value =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) *
        r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) *
        r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1)
  }
  return q < 0 ? -value : value
}

/** The 95th percentile of the standard normal: a lognormal's low..high is its 5th..95th percentile. */
export const Z95 = 1.6448536269514722

const HALF_LN_2PI = 0.91893853320467274178

let standardNormalTable: InversionTable | undefined

/**
 * The sampler's inverse of Phi: an inversion table with a u-error of 1e-10, AS241 itself beyond the outer
 * millionths; one table for every normal and lognormal, built on first use (~1 ms). About twice as fast as AS241.
 */
export const standardNormalInversion = (): InversionTable =>
  (standardNormalTable ??= buildInversionTable(
    {
      cdf: normalCdf,
      pdf: (x) => Math.exp(-0.5 * x * x - HALF_LN_2PI),
      dLogPdf: (x) => -x,
      quantile: normalQuantile,
    },
    { tolerance: 1e-10, tail: 1e-6 },
  )!)
