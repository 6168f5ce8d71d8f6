/**
 * A server's threads compile the engine before their first request: V8 optimises a function only after it has run
 * a while, and the first 5,000 stochastic iterations in a fresh thread took about twice as long as the next 5,000.
 * One-shot callers (the CLI) skip this: for them it would be pure delay.
 */
import { removalOnlyVersion } from '../../models/analysis/compare'
import { parseScenario } from '../../models/engine/scenario'
import { executeShardTask } from '../../models/engine/shard-task'
import { getPresetRaw } from '../../scenarios/index'

/** Iterations of each warm-up pass: enough for the hot loops to reach the optimising compiler. */
const WARM_UP_ITERATIONS = 1024

/** A comparison with its run of the Germany preset (it has most of the model's mechanisms), in both cohort modes. */
export const warmUpEngine = (): void => {
  const parsed = parseScenario(getPresetRaw('de-reag-garp'))
  if (!parsed.ok) return
  for (const cohort of ['stochastic', 'expected'] as const) {
    const scenario = { ...parsed.scenario, cohort }
    executeShardTask({
      kind: 'compare',
      scenario,
      comparator: removalOnlyVersion(scenario),
      seed: 'warm-up',
      iterations: WARM_UP_ITERATIONS,
      includeRun: true,
      from: 0,
      to: WARM_UP_ITERATIONS,
    })
  }
}
