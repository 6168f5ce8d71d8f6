/** A unit of work a runner executes anywhere (this thread, a worker thread, a Lambda): its form and transport. */
import { fromBase64, toBase64 } from './base64'
import type { ComparatorMemo } from './comparator-memo'
import type { EncodedSketch } from './sketch'
import { runCompareShard, wtpGridWith } from './paired-shard'
import { runShard, type ProgressListener } from './run'
import type { Seed } from './rng'
import type { Scenario } from './scenario'
import { ENGINE_VERSION } from './version'
import {
  BLOCK_SIZE,
  exactQuantilesFor,
  mergeShardSummaries,
  QuantileSketch,
  shardRanges,
  type MomentNode,
  type ShardSummary,
} from './summary'

/** A run or a comparison over the whole iteration range; `shard` narrows it to [from, to). */
export type Job =
  | { kind: 'run'; scenario: Scenario; seed: Seed; iterations: number; keepIterations?: boolean }
  | {
      kind: 'compare'
      scenario: Scenario
      comparator: Scenario
      seed: Seed
      iterations: number
      wtp?: number
      /** Also A's own run summary (ShardSummary.run), from the same pass. */
      includeRun?: boolean
    }

/**
 * A shard of a job; a background run's shards carry the engine version the run started on, and a runner on another
 * engine refuses them: a run's shards all come from one engine, or the merge would mix two engines' bits.
 */
export type ShardTask = Job & { from: number; to: number; engineVersion?: string }

/** Whether a run or shard records an engine other than this one (absent: recorded before runs carried it). */
export const startedOnOtherEngine = (engineVersion: string | undefined): engineVersion is string =>
  engineVersion !== undefined && engineVersion !== ENGINE_VERSION

/** The refusal of a shard started on another engine (a deploy or an upgrade during the run). */
export const engineMismatch = (startedOn: string): string =>
  `the run was started on engine ${startedOn} and this server runs engine ${ENGINE_VERSION}: its shards would mix two engines' results`

/** `memo`: where this thread keeps comparators' values across comparisons (see ComparatorMemo). */
export const executeShardTask = (task: ShardTask, onProgress?: ProgressListener, memo?: ComparatorMemo): ShardSummary => {
  if (startedOnOtherEngine(task.engineVersion)) throw new Error(engineMismatch(task.engineVersion))
  return task.kind === 'run'
    ? runShard(
        task.scenario,
        {
          seed: task.seed,
          from: task.from,
          to: task.to,
          keepIterations: task.keepIterations,
          exactQuantiles: exactQuantilesFor(task.iterations),
        },
        onProgress,
      )
    : runCompareShard(
        task.scenario,
        task.comparator,
        {
          seed: task.seed,
          from: task.from,
          to: task.to,
          wtpGrid: wtpGridWith(task.wtp ?? 0),
          exactQuantiles: exactQuantilesFor(task.iterations),
          includeRun: task.includeRun,
          memo,
        },
        onProgress,
      )
}

/** Runs one shard somewhere; the only contract between the orchestrator and a runner. */
export type ShardExecutor = (task: ShardTask, onProgress?: ProgressListener) => Promise<ShardSummary>

/** This thread as a runner. */
export const inProcessExecutor: ShardExecutor = async (task, onProgress) => executeShardTask(task, onProgress)

/**
 * Split a job into block-aligned shards, run them through `executor` (which may run them in parallel),
 * and merge: the result is the same bits for any shard count.
 */
export const runJob = async (
  job: Job,
  executor: ShardExecutor,
  shards: number,
  onProgress?: (done: number, total: number) => void,
): Promise<ShardSummary> => {
  const ranges = shardRanges(job.iterations, shards)
  const doneByShard = new Array<number>(ranges.length).fill(0)
  const results = await Promise.all(
    ranges.map((range, s) =>
      executor({ ...job, ...range }, (done) => {
        doneByShard[s] = done
        onProgress?.(doneByShard.reduce((a, b) => a + b, 0), job.iterations)
      }),
    ),
  )
  onProgress?.(job.iterations, job.iterations)
  return mergeShardSummaries(results)
}

/**
 * `runJob` a window of iterations at a time (block-aligned, each window over `shards` shards), handing each
 * window's merged summary to `onWindow` in iteration order before the next starts: a caller that keeps the
 * iterations (a CSV) writes them there and holds one window of them at a time. Each window's shards are the
 * job's shards narrowed (same total, so the same quantile method), so the merge is the same bits as `runJob`'s.
 * Where the merge reports sketched quantiles, the windows' kept iterations are dropped after `onWindow`; an
 * exact summary (up to EXACT_QUANTILES_UP_TO iterations) needs them for its quantiles and keeps them.
 */
export const runJobInWindows = async (
  job: Job,
  executor: ShardExecutor,
  shards: number,
  window: number,
  onWindow: (summary: ShardSummary) => void | Promise<void>,
  onProgress?: (done: number, total: number) => void,
): Promise<ShardSummary> => {
  const size = Math.max(BLOCK_SIZE, Math.ceil(window / BLOCK_SIZE) * BLOCK_SIZE)
  const exact = exactQuantilesFor(job.iterations)
  // merged as the windows come (a window's sketch is ~1 MB: kept apart they would grow with the run)
  let merged: ShardSummary | undefined
  for (let from = 0; from < job.iterations; from += size) {
    const to = Math.min(job.iterations, from + size)
    const ranges = shardRanges(to - from, shards).map((r) => ({ from: from + r.from, to: from + r.to }))
    const doneByShard = new Array<number>(ranges.length).fill(0)
    const results = await Promise.all(
      ranges.map((range, s) =>
        executor({ ...job, ...range }, (done) => {
          doneByShard[s] = done
          onProgress?.(from + doneByShard.reduce((a, b) => a + b, 0), job.iterations)
        }),
      ),
    )
    const summary = mergeShardSummaries(results)
    await onWindow(summary)
    const kept = exact ? summary : { ...summary, iterations: undefined }
    merged = merged ? mergeShardSummaries([merged, kept]) : kept
  }
  onProgress?.(job.iterations, job.iterations)
  if (!merged) throw new Error('a job has at least one iteration')
  return merged
}

// ---- transport: typed arrays as base64, so a shard crosses JSON (Lambda payloads, DynamoDB) bit-exactly ----

const float64sOf = (text: string): Float64Array => new Float64Array(fromBase64(text))

interface EncodedSummary {
  from: number
  to: number
  observables: number
  sketched: number
  forest: { level: number; index: number; data: string }[]
  sketch?: EncodedSketch
  iterations?: string
  run?: EncodedSummary
}

const encodeSummary = (s: ShardSummary): EncodedSummary => ({
  from: s.from,
  to: s.to,
  observables: s.observables,
  sketched: s.sketched,
  forest: s.forest.map((n) => ({ level: n.level, index: n.index, data: toBase64(n.data) })),
  sketch: s.sketch?.encode(),
  iterations: s.iterations ? toBase64(s.iterations) : undefined,
  run: s.run ? encodeSummary(s.run) : undefined,
})

const decodeSummary = (raw: EncodedSummary): ShardSummary => ({
  from: raw.from,
  to: raw.to,
  observables: raw.observables,
  sketched: raw.sketched,
  forest: raw.forest.map((n): MomentNode => ({ level: n.level, index: n.index, data: float64sOf(n.data) })),
  sketch: raw.sketch === undefined ? undefined : QuantileSketch.decode(raw.sketch, raw.sketched),
  iterations: raw.iterations !== undefined ? float64sOf(raw.iterations) : undefined,
  ...(raw.run ? { run: decodeSummary(raw.run) } : {}),
})

export const encodeShardSummary = (s: ShardSummary): string => JSON.stringify(encodeSummary(s))

export const decodeShardSummary = (text: string): ShardSummary => decodeSummary(JSON.parse(text))
