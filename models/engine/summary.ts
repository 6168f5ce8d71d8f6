/**
 * Mergeable run summaries: count, mean and variance by the parallel Welford (Chan et al.) update over a
 * canonical tree of iteration blocks, and a relative-error quantile sketch (sketch.ts), so any split into shards
 * merges to the same bits. Means are stored as such, so a variance is good to about eps * |mean| / sd relative.
 */

import { QuantileSketch } from './sketch'

/** Iterations per block. Shards start and end on block boundaries (or at the run's end). */
export const BLOCK_SIZE = 64

/**
 * Count, mean and M2 of K observables over a set of iterations. `data` holds counts in [0, K), a reference
 * value (shift) in [K, 2K), the mean's offset from it in [2K, 3K) and M2 in [3K, 4K): merges form the
 * difference of two means from the shifts and the small offsets, so a large common level (costs near 1e9)
 * does not round it away. Non-finite values (a ratio with a zero denominator) are not counted.
 */
export interface MomentNode {
  level: number
  index: number
  data: Float64Array
}

/** Slots per observable in a moment node. */
export const MOMENT_SLOTS = 4

/**
 * One block's moments, observable by observable from the block's rows (row r holds iteration r's K observables):
 * sums shifted by each observable's first counted value, so there is no division per observation (a Welford update
 * divides), and with at most 64 values no loss of precision worth the name. Observables [0, counted) may be undefined
 * in an iteration (a ratio with a zero denominator: NaN or infinite), which is then not counted; the rest (the
 * monthly series, which every iteration defines) are summed as they are, and an overflow shows.
 * Writes counts into [0, K), shifts into [K, 2K), sums into [2K, 3K) and sums of squares into [3K, 4K) of `block`.
 */
export const sumBlock = (block: Float64Array, rows: Float64Array, n: number, k: number, counted: number): void => {
  block.fill(0)
  for (let j = 0; j < counted; j++) {
    let count = 0
    let shift = 0
    let sum = 0
    let squares = 0
    for (let r = 0; r < n; r++) {
      const x = rows[r * k + j]
      if (x - x !== 0) continue // NaN or +-Infinity
      if (count === 0) shift = x
      const d = x - shift
      count++
      sum += d
      squares += d * d
    }
    setSums(block, k, j, count, shift, sum, squares)
  }
  // every value counts here: no test per value (the first row is the shift, as above). Two columns a pass (the last
  // one twice when they are odd in number): their sums are independent chains of additions the processor overlaps
  if (n === 0) return
  const end = n * k
  for (let a = counted; a < k; a += 2) {
    const b = a + 1 < k ? a + 1 : a
    const shiftA = rows[a]
    const shiftB = rows[b]
    let sumA = 0
    let squaresA = 0
    let sumB = 0
    let squaresB = 0
    for (let row = 0; row < end; row += k) {
      const dA = rows[row + a] - shiftA
      const dB = rows[row + b] - shiftB
      sumA += dA
      squaresA += dA * dA
      sumB += dB
      squaresB += dB * dB
    }
    setSums(block, k, a, n, shiftA, sumA, squaresA)
    setSums(block, k, b, n, shiftB, sumB, squaresB)
  }
}

/** Observable j's count, shift, sum and sum of squares in a block of K observables (small: V8 inlines it). */
const setSums = (
  block: Float64Array,
  k: number,
  j: number,
  count: number,
  shift: number,
  sum: number,
  squares: number,
): void => {
  block[j] = count
  block[k + j] = shift
  block[2 * k + j] = sum
  block[3 * k + j] = squares
}

/** A block's shifted sums as count, shift, mean offset and M2 (the form every merge works on). */
export const blockMoments = (block: Float64Array, k: number): Float64Array => {
  const out = new Float64Array(MOMENT_SLOTS * k)
  for (let j = 0; j < k; j++) {
    const n = block[j]
    if (n === 0) continue
    const s1 = block[2 * k + j]
    out[j] = n
    out[k + j] = block[k + j]
    out[2 * k + j] = s1 / n
    out[3 * k + j] = Math.max(0, block[3 * k + j] - (s1 * s1) / n)
  }
  return out
}

/** Chan et al.'s parallel update: the moments of a then b. Order matters for the bits, so callers fix it. */
export const combineMoments = (a: Float64Array, b: Float64Array, k: number): Float64Array => {
  const out = new Float64Array(MOMENT_SLOTS * k)
  for (let j = 0; j < k; j++) {
    const na = a[j]
    const nb = b[j]
    const from = nb === 0 ? a : na === 0 ? b : undefined
    if (from) {
      out[j] = from[j]
      out[k + j] = from[k + j]
      out[2 * k + j] = from[2 * k + j]
      out[3 * k + j] = from[3 * k + j]
      continue
    }
    const n = na + nb
    // b's mean in a's frame: the shifts' difference (exact when they are within a factor 2) plus offsets
    const delta = b[k + j] - a[k + j] + (b[2 * k + j] - a[2 * k + j])
    out[j] = n
    out[k + j] = a[k + j]
    out[2 * k + j] = a[2 * k + j] + (delta * nb) / n
    out[3 * k + j] = a[3 * k + j] + b[3 * k + j] + (delta * delta * na * nb) / n
  }
  return out
}

/**
 * A forest of dyadic block ranges: node (level, index) covers blocks [index * 2^level, (index + 1) * 2^level).
 * Siblings are combined as soon as both are present, so whatever order blocks arrive in, the forest is the
 * canonical dyadic decomposition of the covered range and every node's bits are the same.
 */
export const insertNode = (forest: MomentNode[], node: MomentNode, k: number): void => {
  let current = node
  for (;;) {
    const siblingIndex = current.index ^ 1
    const at = forest.findIndex((n) => n.level === current.level && n.index === siblingIndex)
    if (at < 0) break
    const [sibling] = forest.splice(at, 1)
    const [left, right] = current.index < siblingIndex ? [current, sibling] : [sibling, current]
    current = { level: current.level + 1, index: current.index >> 1, data: combineMoments(left.data, right.data, k) }
  }
  forest.push(current)
}

/** Fold the forest's nodes from the first iteration to the last: the run's moments. */
export const foldForest = (forest: MomentNode[], k: number): Float64Array => {
  const ordered = [...forest].sort((a, b) => a.index * 2 ** a.level - b.index * 2 ** b.level)
  let acc: Float64Array = new Float64Array(MOMENT_SLOTS * k)
  for (const node of ordered) acc = combineMoments(acc, node.data, k)
  return acc
}

// ---- quantiles ----

export { QuantileSketch, SKETCH_RELATIVE_ERROR } from './sketch'

/**
 * Runs of up to this many iterations report exact quantiles (order statistics of the kept values: 20,000 iterations
 * of ~250 observables are ~40 MB); longer runs report the sketch's, within SKETCH_RELATIVE_ERROR. A run decides by
 * its own total, so all its shards summarise alike and merge to the same bits.
 */
export const EXACT_QUANTILES_UP_TO = 20_000

export const exactQuantilesFor = (iterations: number): boolean => iterations <= EXACT_QUANTILES_UP_TO

/**
 * A summary's kept iterations column by column, made once per summary: read a column at a time from the row-major
 * values, every value is a cache miss (a row is ~1 KB), and a report reads every column.
 */
const columnMajor = new WeakMap<ShardSummary, Float64Array>()

const columnsOf = (s: ShardSummary): Float64Array => {
  const known = columnMajor.get(s)
  if (known) return known
  const rows = s.to - s.from
  const k = s.sketched
  const values = s.iterations!
  const columns = new Float64Array(rows * k)
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) columns[j * rows + i] = values[i * k + j]
  columnMajor.set(s, columns)
  return columns
}

/** The buffer `finiteColumn` copies into, grown as needed: a fresh array per column was a third of a report's time. */
let scratch = new Float64Array(0)

/**
 * Observable j's finite values in a summary's kept iterations, in iteration order, in a buffer the next call reuses
 * (the caller may reorder it, and reads it before it calls again); and whether they are all one value.
 */
const finiteColumn = (s: ShardSummary, j: number): { column: Float64Array; constant: boolean } => {
  const rows = s.to - s.from
  const columns = columnsOf(s)
  if (scratch.length < rows) scratch = new Float64Array(rows)
  let n = 0
  let min = Infinity
  let max = -Infinity
  for (let i = j * rows; i < (j + 1) * rows; i++) {
    const x = columns[i]
    if (x - x === 0) {
      scratch[n++] = x
      if (x < min) min = x
      if (x > max) max = x
    }
  }
  return { column: scratch.subarray(0, n), constant: min === max }
}

/**
 * Reorder a[left..right] so that a[k] is the value a sort would put there, everything before it no larger and
 * everything after no smaller: Floyd and Rivest's selection (1975), which first selects within a sample around k so
 * the partition that follows leaves little on k's side, ~1.5 n comparisons where Hoare's takes ~3 n; a few quantiles
 * of a column cost O(n), not a sort's O(n log n). Finite values only.
 */
const selectRank = (a: Float64Array, left: number, right: number, k: number): void => {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1
      const m = k - left + 1
      const z = Math.log(n)
      const sample = 0.5 * Math.exp((2 * z) / 3)
      const spread = 0.5 * Math.sqrt((z * sample * (n - sample)) / n) * (m - n / 2 < 0 ? -1 : 1)
      selectRank(a, Math.max(left, Math.floor(k - (m * sample) / n + spread)), Math.min(right, Math.floor(k + ((n - m) * sample) / n + spread)), k)
    }
    const t = a[k]
    let i = left
    let j = right
    swap(a, left, k)
    if (a[right] > t) swap(a, left, right)
    while (i < j) {
      swap(a, i, j)
      i++
      j--
      while (a[i] < t) i++
      while (a[j] > t) j--
    }
    if (a[left] === t) swap(a, left, j)
    else swap(a, ++j, right)
    if (j <= k) left = j + 1
    if (k <= j) right = j - 1
  }
}

const swap = (a: Float64Array, i: number, j: number): void => {
  const t = a[i]
  a[i] = a[j]
  a[j] = t
}

/**
 * The q-quantiles of sketched observable j: the value at rank floor(q (n - 1)) of its sorted finite values, exactly
 * from the kept iterations of an exact summary, else from the sketch. NaN where it has no values.
 */
export const summaryQuantiles = (s: ShardSummary, j: number, qs: readonly number[]): number[] => {
  if (s.sketch) return s.sketch.quantiles(j, qs)
  const { column, constant } = finiteColumn(s, j)
  const n = column.length
  if (n === 0) return qs.map(() => NaN)
  // one value throughout (a cost line a scenario does not use, a waiting list that never forms): every rank has it
  if (constant) return qs.map(() => column[0])
  const ranks = qs.map((q) => Math.floor(q * (n - 1)))
  // rank by rank upwards: each selection leaves the ranks above it in the part to its right, which the next one
  // reorders without touching the rank already found
  let lo = 0
  for (const k of [...ranks].sort((x, y) => x - y)) {
    if (k >= lo) selectRank(column, lo, n - 1, k)
    lo = k + 1
  }
  return ranks.map((k) => column[k])
}

/** The share of observable j's finite values at or below x (exact summaries count ties half, like the sketch's midpoint). */
export const summaryCdf = (s: ShardSummary, j: number, x: number): number => {
  if (s.sketch) return s.sketch.cdf(j, x)
  const { column } = finiteColumn(s, j)
  if (column.length === 0 || Number.isNaN(x)) return NaN
  let below = 0
  let equal = 0
  for (let i = 0; i < column.length; i++) {
    if (column[i] < x) below++
    else if (column[i] === x) equal++
  }
  return (below + equal / 2) / column.length
}

// ---- the accumulator a shard fills ----

/**
 * What a shard hands back: its moment forest, and for the sketched observables either their values per iteration
 * (exact quantiles) or a quantile sketch, with the values too when the run keeps its iterations.
 */
export interface ShardSummary {
  from: number
  to: number
  observables: number
  sketched: number
  forest: MomentNode[]
  /** Absent in an exact summary: its quantiles come from `iterations`. */
  sketch?: QuantileSketch
  /** Row-major, `sketched` values per iteration: in an exact summary, or when the run keeps its iterations. */
  iterations?: Float64Array
  /** A comparison's A alone over the same iterations, when it was asked for (CompareRequest.includeRun). */
  run?: ShardSummary
}

export interface AccumulatorOptions {
  /** Keep every iteration's sketched observables (the CSV). */
  keepIterations?: boolean
  /** Exact quantiles: keep the values and no sketch (see EXACT_QUANTILES_UP_TO). */
  exactQuantiles?: boolean
}

/**
 * Collects a shard's iterations in order, a block of 64 at a time: the block's rows are buffered and then summed
 * and sketched observable by observable, so each observable's sums and sketch pages stay in cache for its 64 values.
 * The first `sketched` observables also get quantile sketches (and are the ones kept per iteration); the rest (the
 * monthly series) get moments only.
 */
export class ShardAccumulator {
  private readonly rows: Float64Array
  private readonly rowViews: Float64Array[]
  private readonly block: Float64Array
  private blockIndex: number
  private inBlock = 0
  private readonly forest: MomentNode[] = []
  private readonly sketch?: QuantileSketch
  private readonly kept?: Float64Array
  private keptCount = 0

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly observables: number,
    private readonly sketched: number,
    { keepIterations = false, exactQuantiles = false }: AccumulatorOptions = {},
  ) {
    if (from % BLOCK_SIZE !== 0) throw new Error(`a shard must start at a multiple of ${BLOCK_SIZE}; got ${from}`)
    this.rows = new Float64Array(BLOCK_SIZE * observables)
    this.rowViews = Array.from({ length: BLOCK_SIZE }, (_, r) => this.rows.subarray(r * observables, (r + 1) * observables))
    this.block = new Float64Array(4 * observables)
    this.blockIndex = from / BLOCK_SIZE
    if (!exactQuantiles) this.sketch = new QuantileSketch(sketched)
    if (keepIterations || exactQuantiles) this.kept = new Float64Array((to - from) * sketched)
  }

  /** Add the next iteration's observables (iterations arrive in order from `from`). */
  add(values: Float64Array): void {
    // loops rather than set(subarray): a subarray is an allocation per iteration
    const { rows, observables } = this
    const row = this.inBlock * observables
    for (let j = 0; j < observables; j++) rows[row + j] = values[j]
    this.commitRow()
  }

  /**
   * Where the next iteration's observables go, for a caller that writes them in place (then `commitRow`), saving
   * `add`'s copy: a view of the block's buffer, made once per row position, not per iteration.
   */
  nextRow(): Float64Array {
    return this.rowViews[this.inBlock]
  }

  /** Count the row written into `nextRow()` as the next iteration. */
  commitRow(): void {
    const kept = this.kept
    if (kept) {
      const { rows, observables } = this
      const row = this.inBlock * observables
      const at = this.keptCount++ * this.sketched
      for (let j = 0; j < this.sketched; j++) kept[at + j] = rows[row + j]
    }
    if (++this.inBlock === BLOCK_SIZE) this.closeBlock()
  }

  private closeBlock(): void {
    const k = this.observables
    sumBlock(this.block, this.rows, this.inBlock, k, this.sketched)
    this.sketch?.addRows(this.rows, this.inBlock, k)
    insertNode(this.forest, { level: 0, index: this.blockIndex, data: blockMoments(this.block, k) }, k)
    this.inBlock = 0
    this.blockIndex++
  }

  finish(): ShardSummary {
    if (this.inBlock > 0) this.closeBlock()
    return {
      from: this.from,
      to: this.to,
      observables: this.observables,
      sketched: this.sketched,
      forest: this.forest,
      sketch: this.sketch,
      iterations: this.kept,
    }
  }
}

/** A summary that crossed a structured clone (from a worker thread): its sketch a QuantileSketch again. */
export const reviveShardSummary = (cloned: ShardSummary): ShardSummary => ({
  ...cloned,
  ...(cloned.sketch ? { sketch: QuantileSketch.revive(cloned.sketch) } : {}),
  ...(cloned.run ? { run: reviveShardSummary(cloned.run) } : {}),
})

/** Merge shard summaries (any order) into one; they must tile a range without overlap. */
export const mergeShardSummaries = (shards: readonly ShardSummary[]): ShardSummary => {
  if (shards.length === 0) throw new Error('nothing to merge')
  const sorted = [...shards].sort((a, b) => a.from - b.from || a.to - b.to)
  const { observables, sketched } = sorted[0]
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].from !== sorted[i - 1].to)
      throw new Error(`shards do not tile: ${sorted[i - 1].to} then ${sorted[i].from}`)
  }
  if (!sorted.every((s) => (s.sketch === undefined) === (sorted[0].sketch === undefined)))
    throw new Error('cannot merge exact and sketched summaries')
  const forest: MomentNode[] = []
  const sketch = sorted[0].sketch ? new QuantileSketch(sketched) : undefined
  const keep = sorted.every((s) => s.iterations)
  const iterations = keep ? new Float64Array((sorted.at(-1)!.to - sorted[0].from) * sketched) : undefined
  for (const shard of sorted) {
    for (const node of shard.forest) insertNode(forest, { ...node, data: node.data.slice() }, observables)
    if (sketch) sketch.merge(shard.sketch!)
    if (iterations && shard.iterations) iterations.set(shard.iterations, (shard.from - sorted[0].from) * sketched)
  }
  const merged: ShardSummary = { from: sorted[0].from, to: sorted.at(-1)!.to, observables, sketched, forest, sketch, iterations }
  if (sorted.some((s) => s.run)) {
    if (!sorted.every((s) => s.run)) throw new Error('cannot merge shards with and without their run summary')
    merged.run = mergeShardSummaries(sorted.map((s) => s.run!))
  }
  return merged
}

/** Split [0, iterations) into at most `count` block-aligned shards of near-equal size. */
export const shardRanges = (iterations: number, count: number): { from: number; to: number }[] => {
  const blocks = Math.ceil(iterations / BLOCK_SIZE)
  const shards = Math.max(1, Math.min(count, blocks))
  const ranges: { from: number; to: number }[] = []
  for (let s = 0; s < shards; s++) {
    const from = Math.floor((s * blocks) / shards) * BLOCK_SIZE
    const to = Math.min(iterations, Math.floor(((s + 1) * blocks) / shards) * BLOCK_SIZE)
    if (to > from) ranges.push({ from, to })
  }
  return ranges
}

/** Mean, sd, Monte Carlo standard error and count of observable j from folded moments. */
export const momentsOf = (data: Float64Array, k: number, j: number) => {
  const n = data[j]
  const mean = n > 0 ? data[k + j] + data[2 * k + j] : NaN
  const variance = n > 1 ? Math.max(0, data[3 * k + j]) / (n - 1) : n === 1 ? 0 : NaN
  const sd = Math.sqrt(variance)
  return { n, mean, sd, mcse: n > 0 ? sd / Math.sqrt(n) : NaN }
}
