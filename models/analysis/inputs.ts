/** The uncertain inputs of one or more scenarios and their draws per iteration: paired by CRN, optionally correlated. */
import type { CohortModel } from '../engine/cohort'
import { Copula } from '../engine/copula'
import { prepareCorrelation, type CorrelationSpec, type PreparedCorrelation } from '../engine/correlation'
import { DistKind, inverseCdf } from '../engine/distributions'
import { iterationKey } from '../engine/rng'
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

/**
 * Draws every parameter of every model for an iteration, as full value vectors for `CohortModel.iterate`'s
 * overrides: the table's own draws (so results equal plain runs), then, for correlated inputs, the engine's Gaussian
 * copula (copula.ts) on the inputs' own uniforms: every marginal kept, the first input of the spec with its exact
 * draws, shared paths paired across models. Without a correlation of its own, the first model's scenario's (a
 * scenario file may carry one) applies, exactly as a plain run of that scenario draws it.
 */
export class InputDraws {
  readonly inputs: UncertainInput[]
  readonly correlation?: PreparedCorrelation
  private readonly copula?: Copula
  private readonly slots: Int32Array[]

  constructor(
    readonly models: readonly CohortModel[],
    correlation?: PreparedCorrelation,
  ) {
    this.inputs = uncertainInputs(models)
    this.correlation = correlation ?? models[0]?.correlation
    if (this.correlation) {
      for (const path of this.correlation.paths)
        if (!models.some((m) => m.table.paths.includes(path)))
          throw new Error(`correlated input ${path} is not a parameter of any scenario`)
      this.copula = new Copula(this.correlation)
    }
    this.slots = models.map((m) => this.copula?.slotsIn(m.table) ?? new Int32Array(0))
  }

  /** Fill `values[m]` with model m's parameters of `iteration`; allocation-free. */
  draw(runKey: number, iteration: number, values: readonly Float64Array[]): void {
    const iterKey = iterationKey(iteration)
    for (let m = 0; m < this.models.length; m++) this.models[m].table.drawAll(runKey, iterKey, values[m])
    const copula = this.copula
    if (!copula) return
    copula.mix(runKey, iterKey)
    for (let m = 0; m < this.models.length; m++) copula.applyTo(this.models[m].table, this.slots[m], values[m])
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
