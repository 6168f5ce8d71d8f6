/** A tornado split by inputs into parts any runner can compute, and the parts merged back into one. */
import { CohortModel } from '../engine/cohort'
import { uncertainInputs } from './inputs'
import { needsComparator, type OutcomeSpec, type Sampling } from './outcomes'
import type { Scenario } from '../engine/scenario'
import { tornado, type TornadoOptions, type TornadoResult } from './sensitivity'

/** One part of a tornado: the same analysis for a subset of the inputs. Plain data, so it crosses threads. */
export interface TornadoPart {
  scenario: Scenario
  spec: OutcomeSpec
  sampling: Sampling
  options: Omit<TornadoOptions, 'onProgress'>
}

/**
 * Deal the uncertain inputs round-robin into `parts` parts (the bar order is by swing, so the split does not
 * need to follow it). Every part draws iteration i from the same streams, so the merged bars equal one run's.
 */
export const splitTornado = (
  scenario: Scenario,
  spec: OutcomeSpec,
  sampling: Sampling,
  options: Omit<TornadoOptions, 'onProgress'>,
  parts: number,
): TornadoPart[] => {
  // the metamodel fits every input from one PSA sample: one part
  if (options.method === 'metamodel') return [{ scenario, spec, sampling, options }]
  const models = [new CohortModel(scenario)]
  if (needsComparator(spec.outcome) && spec.comparator) models.push(new CohortModel(spec.comparator))
  const paths = options.inputs ?? uncertainInputs(models).map((input) => input.path)
  const count = Math.max(1, Math.min(parts, paths.length))
  return Array.from({ length: count }, (_, p) => ({
    scenario,
    spec,
    sampling,
    options: { ...options, inputs: paths.filter((_, i) => i % count === p) },
  }))
}

export const runTornadoPart = (part: TornadoPart): TornadoResult =>
  tornado(part.scenario, part.spec, part.sampling, part.options)

/** The parts' bars together, sorted by swing as one tornado's are. */
export const mergeTornadoParts = (parts: readonly TornadoResult[]): TornadoResult => ({
  ...parts[0],
  bars: parts.flatMap((p) => p.bars).sort((a, b) => b.swing - a.swing || a.path.localeCompare(b.path)),
})
