/**
 * Correlated inputs: a Gaussian copula on the parameters' own uniforms. Each correlated path's uniform (the hash the
 * parameter table inverts, so a model need not even hold the parameter) becomes a normal score; the scores are mixed
 * by the Cholesky factor of the normal-score correlation and mapped back through Phi and each model's own inverse
 * CDF. Every marginal is kept, the first path keeps its exact draws, and two models sharing a path stay paired.
 */
import type { PreparedCorrelation } from './correlation'
import { normalCdf, normalQuantile } from './normal'
import type { ParameterTable } from './parameter-table'
import { pathKey, pathSalt, ParameterUniforms } from './rng'

/** Phi can round to exactly 0 or 1 far in the tails; the quantile must stay finite. */
const LOWEST = 2 ** -53

export class Copula {
  readonly paths: readonly string[]
  private readonly n: number
  private readonly keys: Uint32Array
  private readonly salts: Uint32Array
  private readonly cholesky: Float64Array
  private readonly scores: Float64Array
  /** Per path, the mixed uniform of the last `mix`. */
  readonly levels: Float64Array
  /** Paths whose row of the factor has no off-diagonal entry keep their own draws bit for bit. */
  private readonly untouched: Uint8Array
  private readonly uniforms = new ParameterUniforms()

  constructor(correlation: PreparedCorrelation) {
    const n = correlation.paths.length
    this.paths = correlation.paths
    this.n = n
    this.keys = Uint32Array.from(correlation.paths, (p) => pathKey(p))
    this.salts = Uint32Array.from(this.keys, (k) => pathSalt(k))
    this.cholesky = correlation.cholesky
    this.scores = new Float64Array(n)
    this.levels = new Float64Array(n)
    this.untouched = Uint8Array.from({ length: n }, (_, i) => {
      for (let k = 0; k < i; k++) if (this.cholesky[i * n + k] !== 0) return 0
      return 1
    })
  }

  /** Each path's slot in a table (-1 where the table does not hold it). */
  slotsIn(table: ParameterTable): Int32Array {
    return Int32Array.from(this.paths, (p) => table.paths.indexOf(p))
  }

  /** The correlated uniforms of iteration `iterKey` of run `runKey`, into `levels`; allocation-free. */
  mix(runKey: number, iterKey: number): void {
    const { n, scores, levels, cholesky } = this
    const uniforms = this.uniforms.setIteration(runKey, iterKey)
    for (let j = 0; j < n; j++) scores[j] = normalQuantile(uniforms.uniform(this.keys[j], this.salts[j]))
    for (let i = 0; i < n; i++) {
      let z = 0
      for (let k = 0; k <= i; k++) z += cholesky[i * n + k] * scores[k]
      levels[i] = Math.min(1 - LOWEST, Math.max(LOWEST, normalCdf(z)))
    }
  }

  /** Overwrite a model's drawn values at `slots` (from `slotsIn`) with the last `mix`'s values. */
  applyTo(table: ParameterTable, slots: Int32Array, values: Float64Array): void {
    for (let j = 0; j < this.n; j++) {
      const slot = slots[j]
      if (slot >= 0 && !this.untouched[j]) values[slot] = table.valueAt(slot, this.levels[j])
    }
  }
}
