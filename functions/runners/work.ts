/** The computations a runner executes off the request's thread, one kind each, and how their results cross back. */
import { sensitivityReport, thresholdReport, type SensitivityRequest, type ThresholdRequest } from '../../models/analysis/analysis-report'
import { attributeDifference } from '../../models/analysis/attribution'
import { calibrate, type CalibrationRequest } from '../../models/analysis/calibration'
import { AnalysisProblems, type OutcomeSpec, type Sampling } from '../../models/analysis/outcomes'
import type { TornadoResult } from '../../models/analysis/sensitivity'
import { runTornadoPart, type TornadoPart } from '../../models/analysis/tornado-split'
import { twoWay, type TwoWayAxis } from '../../models/analysis/two-way'
import type { ProgressListener } from '../../models/engine/run'
import type { FieldProblem, Scenario } from '../../models/engine/scenario'
import { reportJob } from '../../models/analysis/job-report'
import { ComparatorMemo } from '../../models/engine/comparator-memo'
import { executeShardTask, type Job, type ShardTask } from '../../models/engine/shard-task'
import { reviveShardSummary, type ShardSummary } from '../../models/engine/summary'
import { mergePackedShards, packShard } from './shard-payload'

/** Plain data (it crosses a structured clone): what to compute. */
export type Work =
  | { kind: 'shard'; task: ShardTask }
  /** A background shard, packed for the store in the worker (compression off the event loop). */
  | { kind: 'packedShard'; task: ShardTask }
  | { kind: 'tornado'; part: TornadoPart }
  /**
   * The report of a job from its merged shards: a 10,000-iteration comparison with its run reads every kept column
   * for its exact quantiles, ~100-200 ms that would hold the event loop; the summary crosses in tens of ms at most.
   */
  | { kind: 'report'; job: Job; merged: ShardSummary }
  /** The report of a background run from its shards as stored (packed): unpacked and merged off the event loop too. */
  | { kind: 'reportStored'; job: Job; payloads: string[] }
  /** The rest of a sensitivity report (PSA, rank correlations, EVPPI) around a tornado computed before. */
  | { kind: 'sensitivity'; scenario: Scenario; request: SensitivityRequest; tornado: TornadoResult }
  | { kind: 'threshold'; scenario: Scenario; comparator: Scenario | null; request: ThresholdRequest }
  | { kind: 'diff'; a: Scenario; b: Scenario; spec: OutcomeSpec; sampling: Sampling }
  | { kind: 'twoWay'; scenario: Scenario; spec: OutcomeSpec; sampling: Sampling; rows: TwoWayAxis; columns: TwoWayAxis }
  | { kind: 'calibrate'; scenario: Scenario; request: CalibrationRequest }

export type WorkKind = Work['kind']

export interface WorkResults {
  shard: ShardSummary
  packedShard: string
  tornado: TornadoResult
  report: ReturnType<typeof reportJob>
  reportStored: ReturnType<typeof reportJob>
  sensitivity: Awaited<ReturnType<typeof sensitivityReport>>
  threshold: ReturnType<typeof thresholdReport>
  diff: ReturnType<typeof attributeDifference>
  twoWay: ReturnType<typeof twoWay>
  calibrate: ReturnType<typeof calibrate>
}

export type WorkOf<K extends WorkKind> = Extract<Work, { kind: K }>

/**
 * This thread's comparators of recent comparisons (32 MB at most: four comparisons of 10,000 iterations), so a lever
 * moved on the page re-runs the scenario and not its removal-only comparator.
 */
const comparatorMemo = new ComparatorMemo(4_000_000)

/** Compute `work` in this thread (the worker's side, and the inline runner where threads are not worth it). */
export const runWork = async <K extends WorkKind>(work: WorkOf<K>, onProgress?: ProgressListener): Promise<WorkResults[K]> => {
  const w = work as Work
  switch (w.kind) {
    case 'shard':
      return executeShardTask(w.task, onProgress, comparatorMemo) as WorkResults[K]
    case 'packedShard':
      return packShard(executeShardTask(w.task, onProgress)) as WorkResults[K]
    case 'tornado':
      return runTornadoPart(w.part) as WorkResults[K]
    case 'report':
      // a summary that crossed a structured clone lost its sketch's prototype
      return reportJob(w.job, reviveShardSummary(w.merged)) as WorkResults[K]
    case 'reportStored':
      return reportJob(w.job, mergePackedShards(w.payloads)) as WorkResults[K]
    case 'sensitivity':
      return (await sensitivityReport(w.scenario, w.request, { tornado: async () => w.tornado })) as WorkResults[K]
    case 'threshold':
      return thresholdReport(w.scenario, w.comparator, w.request) as WorkResults[K]
    case 'diff':
      return attributeDifference(w.a, w.b, w.spec, w.sampling) as WorkResults[K]
    case 'twoWay':
      return twoWay(w.scenario, w.spec, w.sampling, w.rows, w.columns) as WorkResults[K]
    case 'calibrate':
      return calibrate(w.scenario, w.request) as WorkResults[K]
  }
  throw new Error(`unknown work kind ${(w as { kind: string }).kind}`)
}

/** A structured clone drops prototypes: a shard summary's sketch is revived, the analyses are plain data. */
export const reviveResult = <K extends WorkKind>(kind: K, value: unknown): WorkResults[K] =>
  (kind === 'shard' ? reviveShardSummary(value as ShardSummary) : value) as WorkResults[K]

/** A failure as it crosses back: analysis problems keep their field paths. */
export interface WorkFailure {
  message: string
  problems?: FieldProblem[]
}

export const encodeFailure = (e: unknown): WorkFailure =>
  e instanceof AnalysisProblems ? { message: e.message, problems: e.problems } : { message: (e as Error)?.message ?? String(e) }

export const decodeFailure = (failure: WorkFailure): Error =>
  failure.problems ? new AnalysisProblems(failure.problems) : new Error(failure.message)

/** The pool was closed (the server is stopping) before the task was done: a later server may do it. */
export class PoolClosedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PoolClosedError'
  }
}

/** The thread computing a task stopped under it (killed, out of memory): the task may succeed when asked again. */
export class WorkerLostError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WorkerLostError'
  }
}

export interface ComputeOptions {
  /** Aborting it stops the work (or abandons it where it cannot be stopped) and rejects with its reason. */
  signal?: AbortSignal
}

/** Computes a Work somewhere: the thread pool locally, this process in Lambda (which has its own concurrency). */
export type Compute = <K extends WorkKind>(work: WorkOf<K>, options?: ComputeOptions) => Promise<WorkResults[K]>

/** This process as the place to compute: nothing starts once the signal is aborted. */
export const inlineCompute: Compute = async (work, options = {}) => {
  options.signal?.throwIfAborted()
  return runWork(work)
}
