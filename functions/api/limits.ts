/**
 * Every limit of the server in one place: request sizes, time budgets, admission bounds, leases and retention.
 * README ("Limits") and openapi.json (info.x-limits) are written from these.
 */

export interface ApiLimits {
  /** Largest request body accepted. */
  maxBodyBytes: number
  /** Runs up to this many iterations answer at once; larger ones run in the background (202). */
  syncIterations: number
  maxIterations: number
  /** Iterations per background shard. */
  shardIterations: number
  /** An immediate run is split into shards of at least this many iterations (one thread for small jobs). */
  minShardIterations: number
  /** Per-iteration CSV is kept for runs up to this size. */
  keepIterationsMax: number
  maxCompareIterations: number
  /** PSA iterations for sensitivity and threshold analyses (they run many paired evaluations). */
  maxAnalysisIterations: number
  /** Time budget of an immediate run or comparison; over it the work is stopped and the answer is a 503. */
  runBudgetMs: number
  /** Time budget of an analysis (sensitivity, threshold, diff, two-way, calibrate). */
  analysisBudgetMs: number
  /** Computing requests admitted at once (running or waiting for a thread), in all and per client address. */
  maxActiveRequests: number
  maxActiveRequestsPerClient: number
  /** Background runs unfinished at once in this server, in all and per client address. */
  maxBackgroundRuns: number
  maxBackgroundRunsPerClient: number
  /** Retry-After of a refused computing request and of a refused background run, in seconds. */
  retryAfterSeconds: number
  backgroundRetryAfterSeconds: number
  /** A background shard's lease: renewed while it runs; an expired one is taken over by a resuming server. */
  shardLeaseMs: number
  /**
   * Longest a background shard waits behind interactive work: past it, it takes the next thread it may hold, and the
   * next shard waits as long again, so a background run progresses under any interactive load, one shard per wait.
   */
  backgroundMaxWaitMs: number
  /** A background run with no shard finished for this long reads failed (Lambda: its shard workers stopped). */
  staleRunMs: number
  /** How long a run's result, shards and kept iterations are kept; saved scenarios are kept for ever. */
  runRetentionMs: number
  /** Kept iterations (the CSV of a run) go sooner: they are the bulk of the disk. */
  iterationsRetentionMs: number
  /** How often the local server sweeps expired items (dynalite has no TTL of its own). */
  sweepIntervalMs: number
}

/** The store's retention from the limits. */
export const retentionOf = (limits: ApiLimits) => ({ runMs: limits.runRetentionMs, iterationsMs: limits.iterationsRetentionMs })

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 256 * 1024,
  syncIterations: 20_000,
  maxIterations: 2_000_000,
  shardIterations: 25_000,
  minShardIterations: 5_000,
  keepIterationsMax: 20_000,
  maxCompareIterations: 200_000,
  maxAnalysisIterations: 20_000,
  runBudgetMs: 2 * MINUTE,
  analysisBudgetMs: 5 * MINUTE,
  maxActiveRequests: 16,
  maxActiveRequestsPerClient: 4,
  maxBackgroundRuns: 4,
  maxBackgroundRunsPerClient: 2,
  retryAfterSeconds: 5,
  backgroundRetryAfterSeconds: 30,
  shardLeaseMs: 15 * SECOND,
  backgroundMaxWaitMs: 10 * SECOND,
  staleRunMs: 20 * MINUTE,
  runRetentionMs: 7 * 24 * HOUR,
  iterationsRetentionMs: 24 * HOUR,
  sweepIntervalMs: 10 * MINUTE,
}

/** The limits as a reader wants them: each with its value and what it bounds (README and openapi.json). */
export const LIMIT_DESCRIPTIONS: Record<keyof ApiLimits, string> = {
  maxBodyBytes: 'largest request body, bytes (413 over it)',
  syncIterations: 'runs up to this many iterations answer at once; larger ones run in the background (202)',
  maxIterations: 'iterations of a run',
  shardIterations: 'iterations per background shard',
  minShardIterations: 'an immediate run is split into shards of at least this many iterations',
  keepIterationsMax: 'iterations of a run that keeps its per-iteration CSV',
  maxCompareIterations: 'iterations of a comparison',
  maxAnalysisIterations: 'iterations of an analysis',
  runBudgetMs: 'time budget of an immediate run or comparison, ms (503 over it, the work stopped)',
  analysisBudgetMs: 'time budget of an analysis, ms (503 over it, the work stopped)',
  maxActiveRequests: 'computing requests admitted at once (429 over it)',
  maxActiveRequestsPerClient: 'computing requests admitted at once from one client address (429 over it)',
  maxBackgroundRuns: 'background runs unfinished at once (429 over it)',
  maxBackgroundRunsPerClient: 'background runs unfinished at once from one client address (429 over it)',
  retryAfterSeconds: 'Retry-After of a refused computing request, s',
  backgroundRetryAfterSeconds: 'Retry-After of a refused background run, s',
  shardLeaseMs: 'lease of a background shard, ms: a shard whose lease ran out is run again',
  backgroundMaxWaitMs: 'longest a background shard waits behind interactive work, ms (then it takes the next thread it may hold; the next waits as long again)',
  staleRunMs: 'a background run with no shard finished for this long reads failed, ms',
  runRetentionMs: 'how long a run, its shards and its result are kept, ms (saved scenarios: for ever)',
  iterationsRetentionMs: 'how long kept iterations (the CSV) are kept, ms',
  sweepIntervalMs: 'how often the local server deletes what expired, ms',
}
