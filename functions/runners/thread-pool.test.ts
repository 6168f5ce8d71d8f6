import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { reportJob } from '../../models/analysis/job-report'
import { encodeShardSummary, inProcessExecutor, runJob, type Job } from '../../models/engine/shard-task'
import { getPresetRaw } from '../../scenarios/index'
import { tornado } from '../../models/analysis/sensitivity'
import { shardRanges } from '../../models/engine/summary'
import { createThreadPool, type ThreadPool } from './thread-pool'
import { PoolClosedError, type WorkKind, type WorkOf } from './work'

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(id)
  return parsed.scenario
}

describe('worker threads merge to the same bits as one shard', () => {
  const pool = createThreadPool(2)
  afterAll(() => pool.close())

  it('a stochastic run: 1 shard in-process = 2 threads = 5 shards over 2 threads', async () => {
    const job: Job = { kind: 'run', scenario: preset('de-reag-garp'), seed: 'bits', iterations: 1000 }
    const one = await runJob(job, inProcessExecutor, 1)
    const two = await runJob(job, pool.execute, 2)
    const five = await runJob(job, pool.execute, 5)
    expect(encodeShardSummary(two)).toBe(encodeShardSummary(one))
    expect(encodeShardSummary(five)).toBe(encodeShardSummary(one))
    expect(JSON.stringify(reportJob(job, five))).toBe(JSON.stringify(reportJob(job, one)))
    // and reported in a worker from the merged summary: the same report as here
    expect(JSON.stringify(await pool.submit({ kind: 'report', job, merged: five }))).toBe(JSON.stringify(reportJob(job, one)))
  })

  it('a run long enough for sketched quantiles: its sketches cross the threads and merge to the same bits', async () => {
    const job: Job = {
      kind: 'run',
      scenario: { ...preset('uk-nao-2003'), cohort: 'expected', horizonMonths: 6 },
      seed: 'sketch',
      iterations: 20_480,
    }
    const one = await runJob(job, inProcessExecutor, 1)
    expect(one.sketch).toBeDefined()
    const three = await runJob(job, pool.execute, 3)
    expect(encodeShardSummary(three)).toBe(encodeShardSummary(one))
    const here = JSON.stringify(reportJob(job, one))
    expect(JSON.stringify(reportJob(job, three))).toBe(here)
    // reported in a worker: from the merged summary (its sketch revived there), and from the shards as the store keeps them
    expect(JSON.stringify(await pool.submit({ kind: 'report', job, merged: three }))).toBe(here)
    const stored = await Promise.all(shardRanges(job.iterations, 3).map((range) => pool.submit({ kind: 'packedShard', task: { ...job, ...range } })))
    expect(JSON.stringify(await pool.submit({ kind: 'reportStored', job, payloads: stored.reverse() }))).toBe(here)
  })

  it('a comparison across threads equals the in-process one', async () => {
    const job: Job = {
      kind: 'compare',
      scenario: preset('de-reag-garp'),
      comparator: preset('removal-only'),
      seed: 7,
      iterations: 700,
    }
    const one = reportJob(job, await runJob(job, inProcessExecutor, 1))
    const three = reportJob(job, await runJob(job, pool.execute, 3))
    expect(JSON.stringify(three)).toBe(JSON.stringify(one))
  })

  it('a tornado split by inputs over the threads has the same bars as one thread', async () => {
    const scenario = preset('de-reag-garp')
    const spec = { outcome: 'totalCost' as const }
    const sampling = { seed: 'tornado', iterations: 64 }
    const options = { mode: 'psa-mean' as const, expectedCohort: true }
    const single = tornado(scenario, spec, sampling, options)
    const parallel = await pool.tornado({ scenario, spec, sampling, options })
    expect(parallel.bars.length).toBe(single.bars.length)
    expect(JSON.stringify(parallel)).toBe(JSON.stringify({ ...single, bars: parallel.bars }))
    const byPath = new Map(single.bars.map((b) => [b.path, b]))
    for (const bar of parallel.bars) expect(bar).toEqual(byPath.get(bar.path))
    expect(parallel.bars.map((b) => b.swing)).toEqual(single.bars.map((b) => b.swing))
  })

  it('a failing task rejects with its message instead of hanging', async () => {
    const job = { kind: 'run', scenario: { nonsense: true }, seed: 1, iterations: 64 } as unknown as Job
    await expect(runJob(job, pool.execute, 1)).rejects.toThrow()
  })
})

describe('a pool whose threads warm up first (the server)', () => {
  it('answers with the same bits: the warm-up leaves nothing behind', async () => {
    const pool = createThreadPool({ size: 2, warmUp: true })
    try {
      const job: Job = { kind: 'compare', scenario: preset('de-reag-garp'), comparator: preset('removal-only'), seed: 'warm', iterations: 700 }
      expect(encodeShardSummary(await runJob(job, pool.execute, 2))).toBe(encodeShardSummary(await runJob(job, inProcessExecutor, 1)))
      expect(pool.threadsStarted()).toBe(2)
    } finally {
      await pool.close()
    }
  })
})

describe('a worker that dies fails only its own task and is replaced', () => {
  const faulty = new URL('./fixtures/faulty-thread.mjs', import.meta.url)
  /** The fixture's work kinds are not the real ones: the pool only forwards them. */
  const send = (pool: ThreadPool, work: object, options?: Parameters<ThreadPool['submit']>[1]) =>
    pool.submit(work as unknown as WorkOf<WorkKind>, options) as Promise<unknown>

  it.runIf(existsSync('/proc/thread-self'))('a thread is niced before its code loads (its parsing never competes with the event loop)', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty })
    try {
      expect(await send(pool, { kind: 'niceness' })).toBe(10)
    } finally {
      await pool.close()
    }
  })

  it('a job’s shards, queued in order, go to the same threads each time, whichever finished last (their memos hold them)', async () => {
    const pool = createThreadPool({ size: 2, workerUrl: faulty })
    try {
      const rounds: unknown[][] = []
      // the first shard finishes last in even rounds and first in odd ones
      for (let round = 0; round < 4; round++)
        rounds.push(await Promise.all([send(pool, { kind: 'thread', ms: round % 2 ? 5 : 60 }), send(pool, { kind: 'thread', ms: round % 2 ? 60 : 5 })]))
      expect(new Set(rounds[0]).size).toBe(2)
      for (const round of rounds) expect(round).toEqual(rounds[0])
    } finally {
      await pool.close()
    }
  })

  it('a worker that exits: its task rejects naming the exit, queued tasks of others still complete', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty })
    try {
      const dying = send(pool, { kind: 'exit' })
      const queued = [send(pool, { kind: 'echo', value: 'a' }), send(pool, { kind: 'echo', value: 'b' })]
      await expect(dying).rejects.toThrow(/exit code 3/)
      expect(await Promise.all(queued)).toEqual(['a', 'b'])
    } finally {
      await pool.close()
    }
  })

  it('an uncaught error in a worker: that task rejects with it, the replacement takes the next task', async () => {
    const pool = createThreadPool({ size: 2, workerUrl: faulty })
    try {
      const crashing = send(pool, { kind: 'crash' })
      const others = Array.from({ length: 6 }, (_, i) => send(pool, { kind: 'echo', value: i }))
      await expect(crashing).rejects.toThrow('the fixture crashed')
      expect(await Promise.all(others)).toEqual([0, 1, 2, 3, 4, 5])
      // the pool keeps its size after the loss
      expect(await Promise.all([send(pool, { kind: 'echo', value: 'x' }), send(pool, { kind: 'echo', value: 'y' })])).toEqual(['x', 'y'])
    } finally {
      await pool.close()
    }
  })

  it('interactive tasks start before background ones queued earlier', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty, backgroundThreads: 1 })
    try {
      const order: string[] = []
      const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name))
      const busy = track('busy', send(pool, { kind: 'block', ms: 300, value: 0 }))
      const all = [
        busy,
        track('background 1', send(pool, { kind: 'echo' }, { priority: 'background' })),
        track('background 2', send(pool, { kind: 'echo' }, { priority: 'background' })),
        track('interactive', send(pool, { kind: 'echo' })),
      ]
      expect(pool.queued()).toEqual({ finishing: 0, interactive: 1, background: 2 })
      await Promise.all(all)
      expect(order).toEqual(['busy', 'interactive', 'background 1', 'background 2'])
    } finally {
      await pool.close()
    }
  })

  it('a finishing step (a report) starts before interactive and background tasks queued earlier', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty, backgroundThreads: 1 })
    try {
      const order: string[] = []
      const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name))
      const all = [
        track('busy', send(pool, { kind: 'block', ms: 300, value: 0 })),
        track('background', send(pool, { kind: 'echo' }, { priority: 'background' })),
        track('interactive 1', send(pool, { kind: 'echo' })),
        track('interactive 2', send(pool, { kind: 'echo' })),
        track('finishing 1', send(pool, { kind: 'echo' }, { priority: 'finishing' })),
        track('finishing 2', send(pool, { kind: 'echo' }, { priority: 'finishing' })),
      ]
      expect(pool.queued()).toEqual({ finishing: 2, interactive: 2, background: 1 })
      await Promise.all(all)
      // among themselves, first come first served
      expect(order).toEqual(['busy', 'finishing 1', 'finishing 2', 'interactive 1', 'interactive 2', 'background'])
    } finally {
      await pool.close()
    }
  })

  it('a background task that has waited its longest goes ahead of interactive tasks, one per wait: no starvation', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty, backgroundThreads: 1, backgroundMaxWaitMs: 100 })
    try {
      const order: string[] = []
      const track = (name: string, p: Promise<unknown>) => p.then(() => order.push(name))
      // the thread is busy with interactive work the whole time: ten 50 ms tasks, two background ones queued behind
      // the first
      const all = [track('interactive 0', send(pool, { kind: 'block', ms: 50, value: 0 }))]
      all.push(track('background 1', send(pool, { kind: 'echo' }, { priority: 'background' })))
      all.push(track('background 2', send(pool, { kind: 'echo' }, { priority: 'background' })))
      for (let i = 1; i < 10; i++) all.push(track(`interactive ${i}`, send(pool, { kind: 'block', ms: 50, value: i })))
      await Promise.all(all)
      // without the bound both would come last; the first goes once 100 ms have passed (however slow the machine,
      // that is before the tenth 50 ms task), and the second waits as long again from there, so at least one
      // interactive task comes between them
      const first = order.indexOf('background 1')
      const second = order.indexOf('background 2')
      expect(first).toBeGreaterThan(0)
      expect(second).toBeLessThan(order.length - 1)
      expect(second - first).toBeGreaterThan(1)
    } finally {
      await pool.close()
    }
  })

  it('closing the pool rejects what waits, and what comes after, as PoolClosedError (the API answers 503 stopping)', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty })
    const busy = send(pool, { kind: 'block', ms: 200, value: 0 })
    const waiting = expect(send(pool, { kind: 'echo', value: 'never' })).rejects.toBeInstanceOf(PoolClosedError)
    await pool.close()
    await waiting
    await expect(send(pool, { kind: 'echo', value: 'late' })).rejects.toBeInstanceOf(PoolClosedError)
    await busy.catch(() => undefined)
  })

  it('a cancelled task: queued, it is dropped; running, its worker is terminated and replaced', async () => {
    const pool = createThreadPool({ size: 1, workerUrl: faulty })
    try {
      const running = new AbortController()
      const queued = new AbortController()
      const blocked = send(pool, { kind: 'block', ms: 60_000 }, { signal: running.signal })
      const waiting = send(pool, { kind: 'echo', value: 'never' }, { signal: queued.signal })
      queued.abort(new Error('client gone'))
      await expect(waiting).rejects.toThrow('client gone')
      running.abort(new Error('over budget'))
      await expect(blocked).rejects.toThrow('over budget')
      // the replacement answers: the 60 s block was not waited out
      expect(await send(pool, { kind: 'echo', value: 'after' })).toBe('after')
    } finally {
      await pool.close()
    }
  })
})

describe('the real worker killed mid-shard', () => {
  const pool = createThreadPool(2)
  afterAll(() => pool.close())

  it('a cancelled shard stops at its next progress report: the thread is kept, and its next shard has the right bits', async () => {
    const before = pool.threadsStarted()
    const job: Job = { kind: 'run', scenario: preset('de-reag-garp'), seed: 'stopped', iterations: 40_000 }
    const controller = new AbortController()
    let reports = 0
    const cancelled = pool.execute({ ...job, from: 0, to: job.iterations }, () => {
      if (++reports === 1) controller.abort(new Error('the client left'))
    }, controller.signal)
    await expect(cancelled).rejects.toThrow('the client left')
    const small: Job = { ...job, iterations: 3_000 }
    const after = await runJob(small, pool.execute, 2)
    expect(encodeShardSummary(after)).toBe(encodeShardSummary(await runJob(small, inProcessExecutor, 1)))
    // no thread was terminated and replaced
    expect(pool.threadsStarted()).toBe(before)
  })

  it('fails that shard alone; the pool runs the job again to the bits of an in-process run', async () => {
    const job: Job = { kind: 'run', scenario: preset('de-reag-garp'), seed: 'killed', iterations: 4_000 }
    const attempt = runJob(job, pool.execute, 2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    while (!pool.killBusyWorker()) await new Promise((resolve) => setTimeout(resolve, 5))
    await expect(attempt).rejects.toThrow(/worker thread stopped/)
    const again = await runJob(job, pool.execute, 2)
    expect(encodeShardSummary(again)).toBe(encodeShardSummary(await runJob(job, inProcessExecutor, 1)))
  })

  it('an analysis dispatched in the worker equals the same analysis in this thread', async () => {
    const scenario = preset('de-reag-garp')
    const spec = { outcome: 'totalCost' as const }
    const sampling = { seed: 3, iterations: 200 }
    const rows = { lever: 'cashPerAdult' as const, values: [500, 1_500] }
    const columns = { lever: 'scale' as const, values: [0.5, 1] }
    const work: WorkOf<'twoWay'> = { kind: 'twoWay', scenario, spec, sampling, rows, columns }
    const { runWork } = await import('./work')
    expect(JSON.stringify(await pool.submit(work))).toBe(JSON.stringify(await runWork(work)))
  })
})
