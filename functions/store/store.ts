/** The persistence port: scenarios and runs as the API and shard workers see them, any database. */

export interface SavedScenario {
  id: string
  scenario: unknown
  savedAt: string
}

/** A share: the scenario as given and the snapshot of its report when shared, stored together and never changed. */
export interface SavedShare {
  id: string
  scenario: unknown
  snapshot: unknown
  savedAt: string
}

export type RunStatus = 'running' | 'complete' | 'failed'

export interface RunRecord {
  runId: string
  scenarioId?: string
  request: unknown
  status: RunStatus
  shardsTotal: number
  shardsDone: number
  createdAt: string
  updatedAt: string
  result?: unknown
  error?: string
  keepIterations: boolean
  /** The background shards stored and counted so far (a resuming server runs the others). */
  countedShards?: number[]
}

export type NewRun = Omit<RunRecord, 'updatedAt' | 'shardsDone' | 'status'>

export interface ShardResult {
  shardIndex: number
  payload: string
}

export interface Store {
  /** id = contentId(scenario); a scenario saved before is left untouched: created=false. */
  saveScenario(scenario: unknown): Promise<{ id: string; created: boolean }>
  /** The scenario exactly as first saved (key order and all), or undefined. */
  getScenario(id: string): Promise<SavedScenario | undefined>
  /** Starts a run as 'running', no shard done; throws RunAlreadyExistsError, never overwrites. */
  createRun(run: NewRun): Promise<void>
  getRun(runId: string): Promise<RunRecord | undefined>
  /**
   * Stores one shard's payload and counts the shard once, however often it is retried.
   * True when this call wrote the payload, false when the shard was already there.
   */
  putShardResult(runId: string, shardIndex: number, payload: string): Promise<boolean>
  /** Every stored shard payload, in shard order. */
  listShardResults(runId: string): Promise<ShardResult[]>
  /** Marks the run complete with its (possibly large) merged result. */
  completeRun(runId: string, result: unknown): Promise<void>
  /** Marks the run failed; a run already complete stays complete. */
  failRun(runId: string, error: string): Promise<void>
  /** Stores per-iteration CSV in chunks, each at most MAX_CHUNK_BYTES (see chunkText). */
  putIterationChunks(runId: string, csvChunks: string[]): Promise<void>
  /** The chunks in order, or undefined when none were stored (or they expired). */
  getIterationChunks(runId: string): Promise<string[] | undefined>
  /** Every run still 'running' (a scan: for a local server's start, not for a request). */
  listUnfinishedRuns(): Promise<RunRecord[]>
  /**
   * Takes or renews the lease of a background shard until `untilMs`: true when it is `owner`'s now (it was free,
   * had run out, or was already `owner`'s), false while another owner's lease holds.
   */
  leaseShard(runId: string, shardIndex: number, owner: string, untilMs: number): Promise<boolean>
  /** Deletes every item whose retention ran out by `nowMs` (dynalite has no TTL); the count deleted. */
  sweepExpired(nowMs: number): Promise<number>
}

/** How long what a run leaves behind is kept; without it nothing expires. Saved scenarios never do. */
export interface Retention {
  runMs: number
  iterationsMs: number
}

/** Shares, beside the Store (a store without them answers the share routes with 501). */
export interface ShareStore {
  /** id = contentId({ scenario, snapshot }); a share made before is left untouched: created=false. */
  saveShare(share: { scenario: unknown; snapshot: unknown }): Promise<{ id: string; created: boolean }>
  /** The share exactly as saved, or undefined. */
  getShare(id: string): Promise<SavedShare | undefined>
}

export const isShareStore = (store: object): store is ShareStore =>
  typeof (store as Partial<ShareStore>).saveShare === 'function' && typeof (store as Partial<ShareStore>).getShare === 'function'

export class RunAlreadyExistsError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} already exists; a run is never overwritten`)
    this.name = 'RunAlreadyExistsError'
  }
}

export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} does not exist`)
    this.name = 'RunNotFoundError'
  }
}

/** Default chunk size: room under DynamoDB's 400 KB item limit for the keys and attribute names. */
export const MAX_CHUNK_BYTES = 350_000

const NEWLINE = 0x0a

/** A UTF-8 continuation byte (10xxxxxx): cutting before one would split a character. */
const isContinuationByte = (byte: number): boolean => (byte & 0xc0) === 0x80

/**
 * Splits text into pieces of at most maxBytes UTF-8 bytes whose concatenation is the text. Cuts
 * just after a newline when one falls in the window, so CSV rows stay whole; a single line longer
 * than maxBytes (a JSON document, say) is cut at a character boundary instead.
 */
export const chunkText = (text: string, maxBytes = MAX_CHUNK_BYTES): string[] => {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) {
    const rule = 'an integer >= 4 (room for any UTF-8 character)'
    throw new RangeError(`chunkText: maxBytes must be ${rule}, got ${maxBytes}`)
  }
  const bytes = Buffer.from(text, 'utf8')
  const chunks: string[] = []
  let start = 0
  while (start < bytes.length) {
    let end = start + maxBytes
    if (end < bytes.length) {
      const newline = bytes.lastIndexOf(NEWLINE, end - 1)
      if (newline >= start) end = newline + 1
      else while (isContinuationByte(bytes[end])) end--
    } else {
      end = bytes.length
    }
    chunks.push(bytes.toString('utf8', start, end))
    start = end
  }
  return chunks
}
