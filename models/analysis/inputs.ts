/** The uncertain inputs of one or more scenarios and their draws per iteration: paired by CRN, optionally correlated. */
import type { CohortModel } from '../engine/cohort'
import { prepareCorrelation, type CorrelationSpec, type PreparedCorrelation } from './correlation'
import { DistKind, inverseCdf } from '../engine/distributions'
import { normalCdf, normalQuantile } from '../engine/normal'
import { iterationKey, ParameterUniforms, pathSalt } from '../engine/rng'
import type { FieldProblem } from '../engine/scenario'

/** One uncertain input: a parameter path, and its slot in each model's table (-1 where a point or absent). */
export interface UncertainInput {
  path: string
  slots: number[]
}

/**
 * The union of the non-point parameters of `models`, in the first model's table order, then any the later
 * models add. A path shared by two models is one input: the models draw it from the same stream, so where
 * its Dist differs between them its values are still paired (comonotone: every kind inverts the same uniform).
 */
export const uncertainInputs = (models: readonly CohortModel[]): UncertainInput[] => {
  const byPath = new Map<string, UncertainInput>()
  models.forEach((model, m) => {
    const t = model.table
    t.paths.forEach((path, slot) => {
      if (t.kinds[slot] === DistKind.Point) return
      let input = byPath.get(path)
      if (!input) {
        input = { path, slots: models.map(() => -1) }
        byPath.set(path, input)
      }
      input.slots[m] = slot
    })
  })
  return [...byPath.values()]
}

/** The q-quantile of a model's parameter slot (exact: the beta family by root finding, not the sampler's table). */
export const slotQuantile = (model: CohortModel, slot: number, q: number): number =>
  inverseCdf(model.table.kinds[slot] as DistKind, model.table.params, 4 * slot, q)

/** Where the copula writes one correlated input in each model. */
interface CorrelatedTarget {
  key: number
  salt: number
  slots: Int32Array
}

/**
 * Draws every parameter of every model for an iteration, as full value vectors for `CohortModel.iterate`'s
 * overrides: the table's own draws (so results equal plain runs), then, for correlated inputs, a Gaussian
 * copula on the inputs' own uniforms. Each correlated input takes the uniform its draw used, turns it into a
 * normal score, mixes the scores with the Cholesky factor and maps them back through Phi and the input's
 * inverse CDF (the sampler's): every marginal is kept,
 * the first input of the spec keeps its exact draws, and shared paths stay paired across models.
 */
export class InputDraws {
  readonly inputs: UncertainInput[]
  readonly correlation?: PreparedCorrelation
  private readonly uniforms = new ParameterUniforms()
  private readonly targets: CorrelatedTarget[] = []
  private readonly scores: Float64Array
  private readonly mixed: Float64Array
  /** Inputs whose row of the factor has no off-diagonal entry keep their draws bit for bit (their own uniform's). */
  private readonly untouched: Uint8Array

  constructor(
    readonly models: readonly CohortModel[],
    correlation?: PreparedCorrelation,
  ) {
    this.inputs = uncertainInputs(models)
    this.correlation = correlation
    if (correlation) {
      for (const path of correlation.paths) {
        const input = this.inputs.find((i) => i.path === path)
        if (!input) throw new Error(`correlated input ${path} is not uncertain in any scenario`)
        const m = input.slots.findIndex((s) => s >= 0)
        const key = models[m].table.keys[input.slots[m]]
        this.targets.push({ key, salt: pathSalt(key), slots: Int32Array.from(input.slots) })
      }
    }
    const n = this.targets.length
    this.scores = new Float64Array(n)
    this.mixed = new Float64Array(n)
    this.untouched = Uint8Array.from({ length: n }, (_, i) => {
      for (let k = 0; k < i; k++) if (correlation!.cholesky[i * n + k] !== 0) return 0
      return 1
    })
  }

  /** Fill `values[m]` with model m's parameters of `iteration`; allocation-free. */
  draw(runKey: number, iteration: number, values: readonly Float64Array[]): void {
    const iterKey = iterationKey(iteration)
    for (let m = 0; m < this.models.length; m++) this.models[m].table.drawAll(runKey, iterKey, values[m])
    const c = this.correlation
    if (!c) return
    const n = this.targets.length
    const uniforms = this.uniforms.setIteration(runKey, iterKey)
    for (let j = 0; j < n; j++) {
      const t = this.targets[j]
      this.scores[j] = normalQuantile(uniforms.uniform(t.key, t.salt))
    }
    const l = c.cholesky
    for (let i = 0; i < n; i++) {
      let z = 0
      for (let k = 0; k <= i; k++) z += l[i * n + k] * this.scores[k]
      this.mixed[i] = z
    }
    for (let j = 0; j < n; j++) {
      const t = this.targets[j]
      if (this.untouched[j]) continue
      // Phi can round to exactly 0 or 1 far in the tails; keep the quantile finite
      const u = Math.min(1 - 2 ** -53, Math.max(2 ** -53, normalCdf(this.mixed[j])))
      for (let m = 0; m < this.models.length; m++) {
        const slot = t.slots[m]
        if (slot >= 0) values[m][slot] = this.models[m].table.valueAt(slot, u)
      }
    }
  }
}

/** Check a correlation spec against the models' uncertain inputs and prepare it. */
export const correlationFor = (
  models: readonly CohortModel[],
  spec: CorrelationSpec | undefined,
  repair = false,
): { ok: true; correlation?: PreparedCorrelation } | { ok: false; problems: FieldProblem[] } => {
  if (!spec) return { ok: true }
  const result = prepareCorrelation(spec, { knownPaths: uncertainInputs(models).map((i) => i.path), repair })
  return result.ok ? { ok: true, correlation: result.correlation } : result
}
