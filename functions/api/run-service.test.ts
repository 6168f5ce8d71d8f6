import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../models/engine/scenario'
import { executeShardTask, type ShardTask } from '../../models/engine/shard-task'
import { getPresetRaw } from '../../scenarios/index'
import { embeddedStoreForTests } from '../store/embedded-store.test-util'
import { DEFAULT_LIMITS } from './limits'
import { createRunService, type ShardDispatcher } from './run-service'

const TABLE = 'run-service-test'
const parsed = parseScenario(getPresetRaw('de-reag-garp'))
if (!parsed.ok) throw new Error('preset')
const scenario = parsed.scenario
const comparator = { ...scenario, id: 'other' }

const embedded = embeddedStoreForTests(TABLE)

const noBackground: ShardDispatcher = async () => {
  throw new Error('these runs are immediate')
}

/** A run service whose shards are computed here after a short wait, each recorded with the signal it was given. */
const setUp = () => {
  const shards: { task: ShardTask; signal?: AbortSignal }[] = []
  const runs = createRunService({
    store: embedded.store,
    parallelism: 2,
    dispatch: noBackground,
    limits: { ...DEFAULT_LIMITS, minShardIterations: 64 },
    execute: (task, _onProgress, signal) => {
      shards.push({ task, signal })
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(executeShardTask(task)), 50)
        signal?.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
    },
  })
  return { runs, shards }
}

describe('immediate runs asked for again while they compute', () => {
  it('are computed once: every request gets the same report as a lone request would', async () => {
    const { runs, shards } = setUp()
    const request = { seed: 'shared', iterations: 256 }
    const answers = await Promise.all([1, 2, 3].map(() => runs.startRun(scenario, request)))
    expect(shards.length).toBe(2)
    for (const a of answers) expect(a).toEqual(answers[0])
    const lone = await setUp().runs.startRun(scenario, request)
    expect(lone).toEqual(answers[0])

    // the page's comparison with its run report, twice at once: one computation
    const compared = await Promise.all([1, 2].map(() => runs.compare(scenario, comparator, { ...request, seed: 'page', includeReport: true })))
    expect(shards.length).toBe(4)
    expect(compared[1]).toEqual(compared[0])
  })

  it('a request that goes away leaves the others their answer; the shards stop only when the last one has gone', async () => {
    const { runs, shards } = setUp()
    const request = { seed: 'leaving', iterations: 256 }
    const first = new AbortController()
    const staying = runs.startRun(scenario, request, { signal: new AbortController().signal })
    const leaving = runs.startRun(scenario, request, { signal: first.signal })
    first.abort(new Error('closed the tab'))
    await expect(leaving).rejects.toThrow('closed the tab')
    expect((await staying).status).toBe(200)
    expect(shards.every((s) => !s.signal?.aborted)).toBe(true)

    const everyone = [new AbortController(), new AbortController()]
    const gone = everyone.map((c) => runs.startRun(scenario, { ...request, seed: 'all gone' }, { signal: c.signal }))
    for (const c of everyone) c.abort(new Error('went away'))
    for (const g of gone) await expect(g).rejects.toThrow('went away')
    const cancelled = shards.slice(2)
    expect(cancelled.length).toBe(2)
    expect(cancelled.every((s) => s.signal?.aborted)).toBe(true)
  })
})
