/**
 * Runs for the API: small runs at once, large ones as background shards whose results the store keeps
 * (one conditional write per shard) and the first status read after the last shard merges.
 */
import { randomUUID } from 'node:crypto'
import type { ComparisonReport } from '../../models/analysis/compare'
import { iterationsCsv, layoutOf, type ProgressListener, type RunReport } from '../../models/engine/run'
import type { Seed } from '../../models/engine/rng'
import type { Scenario } from '../../models/engine/scenario'
import { reportJob, type ComparisonWithRun } from '../../models/analysis/job-report'
import { engineMismatch, runJob, startedOnOtherEngine, type Job, type ShardTask } from '../../models/engine/shard-task'
import { ENGINE_VERSION } from '../../models/engine/version'
import { BLOCK_SIZE, exactQuantilesFor, shardRanges, type ShardSummary } from '../../models/engine/summary'
import { mergePackedShards, packShard, unpackShard } from '../runners/shard-payload'
import { canonicalJson } from '../store/canonical'
import { chunkText, type RunRecord, type Store } from '../store/store'
import type { Release } from './admission'
import { ComputedOnce, KeptAnswers } from './computed-once'
import { InFlight } from './in-flight'
import type { ApiLimits } from './limits'
import { ApiError } from './problems'

/** One background shard: its index in the run and what it computes. */
export interface ShardAssignment {
  index: number
  task: ShardTask
}

/**
 * Starts background shards (each one, when done, stores its result with `storeShardResult`); resolves once they
 * are under way, with `finished`, which settles when every one is stored or the run failed.
 */
export type ShardDispatcher = (runId: string, shards: ShardAssignment[]) => Promise<{ finished: Promise<void> }>

/** A ShardExecutor whose task the signal cancels. */
export type CancellableExecutor = (task: ShardTask, onProgress?: ProgressListener, signal?: AbortSignal) => Promise<ShardSummary>

/** What a request brings to a run: its cancellation, and a place among the background runs when it needs one. */
export interface RunContext {
  signal?: AbortSignal
  /** A place for a background run (throws a 429 when full); released when its shards finish. */
  admitBackground?: () => Release
}

export interface RunServiceDeps {
  store: Store
  /** Runs the shards of an immediate run (worker threads locally, this process or Lambda in AWS). */
  execute: CancellableExecutor
  /** How many shards an immediate run is split into. */
  parallelism: number
  dispatch: ShardDispatcher
  limits: ApiLimits
  /**
   * Builds a job's report from its merged summary, and from its shards as stored: on a worker thread locally (a
   * 10,000-iteration report is ~100 ms of quantiles, the event loop's to keep), in this process by default.
   */
  reports?: ReportBuilders
}

export interface ReportBuilders {
  fromMerged: (job: Job, merged: ShardSummary) => Promise<JobReport>
  fromStored: (job: Job, payloads: string[]) => Promise<JobReport>
}

type JobReport = ReturnType<typeof reportJob>

/** The reports made in this process. */
export const inlineReports: ReportBuilders = {
  fromMerged: async (job, merged) => reportJob(job, merged),
  fromStored: async (job, payloads) => reportJob(job, mergePackedShards(payloads)),
}

export { packShard, unpackShard }

/** What a shard worker does with a finished shard, wherever it runs. */
export const storeShardResult = (store: Store, runId: string, shardIndex: number, summary: ShardSummary) =>
  store.putShardResult(runId, shardIndex, packShard(summary))

export interface RunStatusBody {
  runId: string
  status: RunRecord['status']
  shardsDone: number
  shardsTotal: number
  progress: number
  result?: unknown
  error?: string
  iterationsCsv?: string
}

/** Values (8 bytes, base64) a stored shard may carry: well inside one item of the store. */
const STORED_VALUES_PER_SHARD = 30_000

/**
 * The shards of a background run: of the limit's size, and in a run with exact quantiles (whose shards carry their
 * values per iteration) few enough iterations that each shard fits one store item.
 */
export const backgroundShards = (scenario: Scenario, iterations: number, limits: Pick<ApiLimits, 'shardIterations'>) => {
  const size = exactQuantilesFor(iterations)
    ? Math.min(limits.shardIterations, Math.max(BLOCK_SIZE, Math.floor(STORED_VALUES_PER_SHARD / layoutOf(scenario).sketched)))
    : limits.shardIterations
  return shardRanges(iterations, Math.ceil(iterations / size))
}

/** A background run's request as stored: the job and the engine it started on (absent in runs stored before). */
type StartedJob = Job & { engineVersion?: string }

const jobKey = (job: Job): string =>
  canonicalJson({ ...job, seed: typeof job.seed === 'number' ? { n: job.seed } : { s: job.seed } })

export const createRunService = (deps: RunServiceDeps) => {
  const { store, limits } = deps
  const reports = deps.reports ?? inlineReports
  // a report is a pure function of (job, seed, iterations)
  const cache = new KeptAnswers<RunReport | ComparisonReport>(256)
  const reportsOnce = new ComputedOnce(cache)
  // a comparison with its run is kept as its two parts (below), so only its computation is shared, by this
  const inFlight = new InFlight<ComparisonWithRun>()

  /**
   * Shards for an immediate run: what the caller asks for, at most what we have, and none smaller than
   * minShardIterations, so a small job takes one thread (the bits are the same for any count).
   */
  const shardsFor = (iterations: number, workers?: number) =>
    Math.max(1, Math.min(workers ?? deps.parallelism, deps.parallelism, Math.floor(iterations / limits.minShardIterations)))

  const execute = (job: Job, signal?: AbortSignal, workers?: number) =>
    runJob(job, (task, onProgress) => deps.execute(task, onProgress, signal), shardsFor(job.iterations, workers))

  /** The report of `job`: kept, already computing for another request, or computed now. */
  const runNow = (job: Job, signal?: AbortSignal, workers?: number) =>
    reportsOnce.run(
      jobKey(job),
      async (shared) => (await reports.fromMerged(job, await execute(job, shared, workers))) as RunReport | ComparisonReport,
      signal,
    )

  return {
    /** A run of `scenario`: the report now (200) or a run id to poll (202). */
    async startRun(
      scenario: Scenario,
      request: { seed: Seed; iterations: number; keepIterations?: boolean; scenarioId?: string; workers?: number },
      context: RunContext = {},
    ) {
      const job: Job = { kind: 'run', scenario, seed: request.seed, iterations: request.iterations }
      if (request.iterations <= limits.syncIterations && !request.keepIterations) {
        return { status: 200 as const, body: await runNow(job, context.signal, request.workers) }
      }
      const runId = randomUUID()
      const createdAt = new Date().toISOString()
      if (request.iterations <= limits.syncIterations) {
        // kept iterations: run now, keep the CSV under a run id
        const merged = await execute({ ...job, keepIterations: true }, context.signal, request.workers)
        const report = await reports.fromMerged(job, merged)
        await store.createRun({ runId, scenarioId: request.scenarioId, request: job, shardsTotal: 0, createdAt, keepIterations: true })
        await store.putIterationChunks(runId, chunkText(iterationsCsv(job.scenario, merged)))
        await store.completeRun(runId, report)
        return { status: 200 as const, body: { ...report, runId, iterationsCsv: `/api/runs/${runId}/iterations.csv` } }
      }
      const release = context.admitBackground?.()
      const ranges = backgroundShards(scenario, request.iterations, limits)
      // the engine it starts on goes with the request and every shard: a server or worker on another refuses it
      const started: StartedJob = { ...job, engineVersion: ENGINE_VERSION }
      try {
        await store.createRun({ runId, scenarioId: request.scenarioId, request: started, shardsTotal: ranges.length, createdAt, keepIterations: false })
      } catch (e) {
        release?.()
        throw e
      }
      try {
        const { finished } = await deps.dispatch(
          runId,
          ranges.map((range, index) => ({ index, task: { ...started, ...range } })),
        )
        void finished.finally(() => release?.())
      } catch (e) {
        release?.()
        // a run that cannot start must not read as running for ever
        await store.failRun(runId, `could not start its shards: ${(e as Error).message}`)
        throw new ApiError(503, 'unavailable', 'the run could not be started; try again', [])
      }
      return { status: 202 as const, body: { runId, status: 'running', statusUrl: `/api/runs/${runId}` } }
    },

    /**
     * The run's status; the first read after its last shard merges the shards and completes it, and a read of a
     * run no shard of which finished for staleRunMs marks it failed (in Lambda its retried workers all stopped).
     */
    async runStatus(runId: string): Promise<RunStatusBody | undefined> {
      let run = await store.getRun(runId)
      if (!run) return undefined
      const startedOn = (run.request as StartedJob | undefined)?.engineVersion
      if (run.status === 'running' && startedOnOtherEngine(startedOn)) {
        await store.failRun(runId, `${engineMismatch(startedOn)}; start it again`)
        run = (await store.getRun(runId))!
      } else if (run.status === 'running' && run.shardsTotal > 0 && run.shardsDone >= run.shardsTotal) {
        const job = run.request as Job
        const shards = await store.listShardResults(runId)
        await store.completeRun(runId, await reports.fromStored(job, shards.map((s) => s.payload)))
        run = (await store.getRun(runId))!
      } else if (run.status === 'running' && Date.now() - Date.parse(run.updatedAt) > limits.staleRunMs) {
        const minutes = Math.round(limits.staleRunMs / 60_000)
        await store.failRun(runId, `no shard of this run finished in ${minutes} min: its workers stopped; start it again`)
        run = (await store.getRun(runId))!
      }
      return {
        runId,
        status: run.status,
        shardsDone: run.shardsDone,
        shardsTotal: run.shardsTotal,
        progress: run.shardsTotal > 0 ? run.shardsDone / run.shardsTotal : run.status === 'complete' ? 1 : 0,
        ...(run.status === 'complete' ? { result: run.result } : {}),
        ...(run.error ? { error: run.error } : {}),
        ...(run.keepIterations ? { iterationsCsv: `/api/runs/${runId}/iterations.csv` } : {}),
      }
    },

    iterationsCsv: (runId: string) => store.getIterationChunks(runId),

    /**
     * After a restart: every unfinished background run gets its missing shards dispatched again (a shard is pure,
     * so the run ends with the bits of an uninterrupted one); a run that cannot be resumed is marked failed with
     * the reason. Shards another live server holds a lease on are left to it.
     */
    async resumeUnfinished(): Promise<{ resumed: string[]; failed: string[] }> {
      const resumed: string[] = []
      const failed: string[] = []
      for (const run of await store.listUnfinishedRuns()) {
        const job = run.request as Partial<StartedJob> | undefined
        const readable = (job?.kind === 'run' || job?.kind === 'compare') && Number.isSafeInteger(job.iterations)
        const otherEngine = startedOnOtherEngine(job?.engineVersion)
        if (run.shardsTotal === 0 || !readable || otherEngine) {
          // an immediate run (kept iterations) has no shards to resume: its request died with the server
          const why =
            run.shardsTotal === 0
              ? 'the server stopped before this run finished'
              : !readable
                ? 'its request cannot be read back'
                : engineMismatch(job!.engineVersion!)
          await store.failRun(run.runId, `${why}; start it again`)
          failed.push(run.runId)
          continue
        }
        const counted = new Set(run.countedShards ?? [])
        const missing = shardRanges(job.iterations!, run.shardsTotal)
          .map((range, index): ShardAssignment => ({ index, task: { ...(job as StartedJob), ...range } }))
          .filter((shard) => !counted.has(shard.index))
        if (missing.length === 0) await this.runStatus(run.runId)
        else await deps.dispatch(run.runId, missing)
        resumed.push(run.runId)
      }
      return { resumed, failed }
    },

    /**
     * A paired comparison, answered at once; with includeReport also the run report of A (same seed and iterations),
     * from the same pass over the iterations. Its parts are kept apart too, so a later run or comparison of the same
     * job is answered from them.
     */
    compare: async (
      scenario: Scenario,
      comparator: Scenario,
      request: { seed: Seed; iterations: number; wtp?: number; includeReport?: boolean },
      context: RunContext = {},
    ) => {
      const { seed, iterations } = request
      const comparison: Job = { kind: 'compare', scenario, comparator, seed, iterations, wtp: request.wtp }
      if (!request.includeReport) return (await runNow(comparison, context.signal)) as ComparisonReport
      const run: Job = { kind: 'run', scenario, seed, iterations }
      const [compared, ran] = [cache.get(jobKey(comparison)), cache.get(jobKey(run))]
      if (compared && ran) return { ...(compared as ComparisonReport), report: ran as RunReport }
      const job: Job = { ...comparison, includeRun: true }
      return inFlight.run(
        jobKey(job),
        async (shared) => {
          const both = (await reports.fromMerged(job, await execute(job, shared))) as ComparisonWithRun
          const { report, ...alone } = both
          cache.set(jobKey(comparison), alone)
          cache.set(jobKey(run), report)
          return both
        },
        context.signal,
      )
    },
  }
}

export type RunService = ReturnType<typeof createRunService>

/** Who holds a shard's lease, and for how long at a time (renewed while the shard waits and runs). */
export interface ShardLease {
  owner: string
  ms: number
}
