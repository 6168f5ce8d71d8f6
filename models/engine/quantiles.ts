/** The quantile function of a Dist as written in a scenario file (exact for every kind, the beta family included). */
import { compileDist, distSupport, inverseCdf, type Dist } from './distributions'

/**
 * The q-quantile (inverse CDF) of a Dist, for q in [0, 1]; a point is its value at every q, and levels 0 and 1
 * are the ends of the support exactly (through Phi and its inverse a truncated normal's bound would round).
 */
export const distQuantile = (dist: Dist, q: number): number => {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must lie in [0, 1] (got ${q})`)
  if (typeof dist !== 'number' && (q === 0 || q === 1)) return distSupport(dist)[q]
  const c = compileDist(dist)
  return inverseCdf(c.kind, Float64Array.of(c.a, c.b, c.c, c.d), 0, q)
}
