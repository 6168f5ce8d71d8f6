/** Exact hypergeometric draws from a Stream: how many of a fixed number of places fall to one pool. */
import type { Stream } from './rng'

/** Up to this many draws, sequential sampling (one uniform a draw) is the cheapest exact method. */
const SEQUENTIAL_BELOW = 16
/** A tail weight below this share of the mass so far is past double precision for the search's uniform. */
const NEGLIGIBLE = 2 ** -60

/**
 * The number of successes among `draws` taken without replacement from `total` items of which `successes` are
 * successes: Hypergeometric(total, successes, draws), for whole numbers 0 <= successes, draws <= total. By symmetry
 * it only ever samples draws <= total / 2 and successes <= total / 2: sequentially for a few draws, otherwise by
 * inversion of the pmf searched outward from the mode (unnormalised weights by the pmf's ratio recurrence, the mass
 * summed first), so no log-gamma of a large count ever rounds the probabilities.
 */
export const hypergeometric = (total: number, successes: number, draws: number, rng: Stream): number => {
  if (draws <= 0 || successes <= 0) return 0
  if (draws >= total) return successes
  if (successes >= total) return draws
  // H(N, K, n) = K - H(N, K, N - n) = n - H(N, N - K, n): the draw below sees n, K <= N / 2 (no recursion, so the
  // stream's uniforms stay inlined)
  const otherDraws = 2 * draws > total
  const otherSuccesses = 2 * successes > total
  const n = otherDraws ? total - draws : draws
  const k = otherSuccesses ? total - successes : successes
  const x = smallerHalves(total, k, n, rng)
  const y = otherSuccesses ? n - x : x
  return otherDraws ? successes - y : y
}

/** Hypergeometric(total, successes, draws) for 0 < draws, successes <= total / 2. */
const smallerHalves = (total: number, successes: number, draws: number, rng: Stream): number => {
  if (draws < SEQUENTIAL_BELOW) {
    let k = 0
    for (let i = 0; i < draws; i++) if (rng.nextDouble() * (total - i) < successes - k) k++
    return k
  }
  const failures = total - successes
  const lo = Math.max(0, draws - failures)
  const hi = Math.min(draws, successes)
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (successes + 1)) / (total + 2))))
  // f(x + 1) / f(x) = (K - x)(n - x) / ((x + 1)(N - K - n + x + 1))
  let mass = 1
  let weight = 1
  for (let x = mode; x < hi; x++) {
    weight *= ((successes - x) * (draws - x)) / ((x + 1) * (failures - draws + x + 1))
    mass += weight
    if (weight < mass * NEGLIGIBLE) break
  }
  weight = 1
  for (let x = mode; x > lo; x--) {
    weight *= (x * (failures - draws + x)) / ((successes - x + 1) * (draws - x + 1))
    mass += weight
    if (weight < mass * NEGLIGIBLE) break
  }
  for (;;) {
    let u = rng.nextDouble() * mass - 1
    if (u <= 0) return mode
    // walk down and up from the mode in turn: any fixed order of the support is an exact inversion
    let down = mode
    let up = mode
    let downWeight = 1
    let upWeight = 1
    while (down > lo || up < hi) {
      if (up < hi) {
        upWeight *= ((successes - up) * (draws - up)) / ((up + 1) * (failures - draws + up + 1))
        up++
        u -= upWeight
        if (u <= 0) return up
      }
      if (down > lo) {
        downWeight *= (down * (failures - draws + down)) / ((successes - down + 1) * (draws - down + 1))
        down--
        u -= downWeight
        if (u <= 0) return down
      }
      if (upWeight < mass * NEGLIGIBLE && downWeight < mass * NEGLIGIBLE) break
    }
    // round-off left u above the computed mass: drawing again keeps the pmf's shape exact
  }
}
