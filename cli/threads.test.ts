/** Threads by the size of the job: small jobs in this thread, large ones on every core. */
import { describe, expect, it } from 'vitest'
import { removalOnlyVersion } from '../models/analysis/compare'
import { parseScenario, type Scenario } from '../models/engine/scenario'
import type { Job } from '../models/engine/shard-task'
import { getPresetRaw } from '../scenarios/index'
import { estimatedSeconds, threadsFor } from './threads'

const preset = (id: string, cohort?: Scenario['cohort']): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(id)
  return cohort ? { ...parsed.scenario, cohort } : parsed.scenario
}

const run = (scenario: Scenario, iterations: number): Job => ({ kind: 'run', scenario, seed: 1, iterations })

describe('threadsFor', () => {
  it('keeps a small job in this thread and gives a large one every core, never more', () => {
    const germany = preset('de-reag-garp', 'stochastic')
    expect(threadsFor(run(germany, 500), 8)).toBe(1)
    expect(threadsFor(run(germany, 10_000), 2)).toBe(2)
    expect(threadsFor(run(germany, 1_000_000), 8)).toBe(8)
    expect(threadsFor(run(germany, 10_000), 1)).toBe(1)
    // the expected cohort is about ten times cheaper an iteration: 10,000 of them are not worth a thread's start
    expect(threadsFor(run({ ...germany, cohort: 'expected' }, 10_000), 2)).toBe(1)
    expect(threadsFor(run({ ...germany, cohort: 'expected' }, 400_000), 2)).toBe(2)
  })

  it('counts both scenarios of a comparison, and grows with groups and months', () => {
    const germany = preset('de-reag-garp')
    const compare: Job = { kind: 'compare', scenario: germany, comparator: removalOnlyVersion(germany), seed: 1, iterations: 1000 }
    expect(estimatedSeconds(compare)).toBeGreaterThan(estimatedSeconds(run(germany, 1000)))
    const longer = { ...germany, horizonMonths: germany.horizonMonths * 2 }
    expect(estimatedSeconds(run(longer, 1000))).toBeGreaterThan(estimatedSeconds(run(germany, 1000)))
    const uk = preset('uk-nao-2003')
    expect(uk.groups.length).toBeLessThan(germany.groups.length)
    expect(estimatedSeconds(run(uk, 1000))).toBeLessThan(estimatedSeconds(run(germany, 1000)))
  })
})
