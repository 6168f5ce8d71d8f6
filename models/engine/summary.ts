/**
 * Mergeable run summaries: count, mean and variance by the parallel Welford (Chan et al.) update over a
 * canonical tree of iteration blocks, and a relative-error quantile sketch, so any split into shards merges to
 * the same bits. Means are stored as such, so a variance is good to about eps * |mean| / sd relative.
 */

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
 * Sums within one block, shifted by the block's first value of each observable: no division per
 * observation (a Welford update divides), and with at most 64 values no loss of precision worth the name.
 * `block` holds counts in [0, K), shifts in [K, 2K), sums in [2K, 3K) and sums of squares in [3K, 4K).
 * This adds observables [0, count): the metrics, where a ratio may be undefined (NaN or infinite) and then is
 * not counted.
 */
export const addToBlock = (block: Float64Array, k: number, values: Float64Array, count = k): void => {
  for (let j = 0; j < count; j++) {
    const x = values[j]
    if (x - x !== 0) continue // NaN or +-Infinity
    if (block[j] === 0) block[k + j] = x
    const d = x - block[k + j]
    block[j]++
    block[2 * k + j] += d
    block[3 * k + j] += d * d
  }
}

/**
 * `addToBlock` for observables [from, K), the monthly series and the budget, which every iteration defines: no
 * test per value, and their counts are the block's iteration count, set when the block closes (`setSeriesCounts`).
 * Their shift is the block's first iteration's value. A non-finite value (an overflow) is kept and shows.
 */
export const addSeriesToBlock = (block: Float64Array, k: number, from: number, values: Float64Array, first: boolean) => {
  if (first) {
    for (let j = from; j < k; j++) block[k + j] = values[j]
    return
  }
  for (let j = from; j < k; j++) {
    const d = values[j] - block[k + j]
    block[2 * k + j] += d
    block[3 * k + j] += d * d
  }
}

/** The counts of observables [from, K) of a block of `iterations` iterations (see `addSeriesToBlock`). */
export const setSeriesCounts = (block: Float64Array, from: number, k: number, iterations: number): void => {
  block.fill(iterations, from, k)
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

// ---- quantile sketch ----

/** Relative accuracy of every reported quantile: the sketch's answer is within 0.5% of a sample quantile. */
export const SKETCH_RELATIVE_ERROR = 0.005
const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR)
const LOG_GAMMA = Math.log(GAMMA)
/** Magnitudes below this count as zero; above the top they land in the last bucket. */
const MIN_MAGNITUDE = 1e-6
const MIN_KEY = Math.ceil(Math.log(MIN_MAGNITUDE) / LOG_GAMMA)
const MAX_KEY = Math.ceil(Math.log(1e16) / LOG_GAMMA)
/** Buckets per sign; one more slot holds the zeros. */
export const SKETCH_BUCKETS = MAX_KEY - MIN_KEY + 1
/** Slots per observable: negative buckets, the zero slot, positive buckets. */
export const SKETCH_SLOTS = 2 * SKETCH_BUCKETS + 1

/**
 * Bucket b (key b + MIN_KEY) holds the magnitudes in (UPPER[b - 1], UPPER[b]], UPPER[b] = gamma^(b + MIN_KEY): the
 * DDSketch partition, by a table rather than a log per value (a log costs ~10 ns, and runs for every metric of
 * every iteration). A cell of the table is a binade's 1/256th, narrower than a bucket (0.39% against 1%), so it
 * holds at most one bound: the bucket of the cell's lower end, or the next.
 */
const UPPER = Float64Array.from({ length: SKETCH_BUCKETS }, (_, b) => Math.exp((b + MIN_KEY) * LOG_GAMMA))
const CELL_BITS = 8
const MIN_EXPONENT = Math.floor(Math.log2(MIN_MAGNITUDE))
const MAX_EXPONENT = Math.floor(Math.log2(UPPER[SKETCH_BUCKETS - 1]))
const CELL_BUCKET = (() => {
  const cells = new Int16Array((MAX_EXPONENT - MIN_EXPONENT + 1) << CELL_BITS)
  for (let c = 0, b = 0; c < cells.length; c++) {
    const lowerEnd = 2 ** ((c >> CELL_BITS) + MIN_EXPONENT) * (1 + (c & ((1 << CELL_BITS) - 1)) / (1 << CELL_BITS))
    while (b < SKETCH_BUCKETS - 1 && lowerEnd > UPPER[b]) b++
    cells[c] = b
  }
  return cells
})()
const BITS = new Float64Array(1)
const HIGH_WORD = new Uint32Array(BITS.buffer, 4, 1) // little-endian: the sign, exponent and top of the mantissa

/** The bucket of a magnitude >= MIN_MAGNITUDE; beyond the last bound, the last bucket. */
const bucketOf = (magnitude: number): number => {
  BITS[0] = magnitude
  const high = HIGH_WORD[0]
  const cell = (((high >>> 20) - 1023 - MIN_EXPONENT) << CELL_BITS) | ((high >>> (20 - CELL_BITS)) & ((1 << CELL_BITS) - 1))
  if (cell >= CELL_BUCKET.length) return SKETCH_BUCKETS - 1
  const b = CELL_BUCKET[cell]
  return magnitude <= UPPER[b] || b === SKETCH_BUCKETS - 1 ? b : b + 1
}

/** Count one iteration's first `k` observables into the sketch (a DDSketch with dense buckets). */
export const addToSketch = (counts: Float64Array, k: number, values: Float64Array): void => {
  for (let j = 0; j < k; j++) {
    const x = values[j]
    if (x - x !== 0) continue
    const base = j * SKETCH_SLOTS
    if (x >= MIN_MAGNITUDE) counts[base + SKETCH_BUCKETS + 1 + bucketOf(x)]++
    else if (x <= -MIN_MAGNITUDE) counts[base + SKETCH_BUCKETS - 1 - bucketOf(-x)]++
    else counts[base + SKETCH_BUCKETS]++
  }
}

/** Counts add exactly (integers below 2^53), so sketches merge in any order to the same bits. */
export const mergeSketches = (into: Float64Array, from: Float64Array): void => {
  for (let i = 0; i < into.length; i++) into[i] += from[i]
}

const slotValue = (slot: number): number => {
  if (slot === SKETCH_BUCKETS) return 0
  const positive = slot > SKETCH_BUCKETS
  const bucket = positive ? slot - SKETCH_BUCKETS - 1 : SKETCH_BUCKETS - 1 - slot
  const value = (2 * UPPER[bucket]) / (GAMMA + 1)
  return positive ? value : -value
}

/** The q-quantiles of observable j: the values at rank floor(q (n - 1)) of the sorted sample, to 0.5%. */
export const sketchQuantiles = (counts: Float64Array, j: number, qs: readonly number[]): number[] => {
  const base = j * SKETCH_SLOTS
  let n = 0
  for (let s = 0; s < SKETCH_SLOTS; s++) n += counts[base + s]
  if (n === 0) return qs.map(() => NaN)
  return qs.map((q) => {
    const rank = Math.floor(q * (n - 1))
    let seen = 0
    for (let s = 0; s < SKETCH_SLOTS; s++) {
      seen += counts[base + s]
      if (seen > rank) return slotValue(s)
    }
    return slotValue(SKETCH_SLOTS - 1)
  })
}

/** The fraction of observable j's values <= x (x's own bucket counted half): where a figure falls in a distribution. */
export const sketchCdf = (counts: Float64Array, j: number, x: number): number => {
  const base = j * SKETCH_SLOTS
  let n = 0
  for (let s = 0; s < SKETCH_SLOTS; s++) n += counts[base + s]
  if (n === 0 || !Number.isFinite(x)) return NaN
  const own = x >= MIN_MAGNITUDE ? SKETCH_BUCKETS + 1 + bucketOf(x) : x <= -MIN_MAGNITUDE ? SKETCH_BUCKETS - 1 - bucketOf(-x) : SKETCH_BUCKETS
  let below = 0
  for (let s = 0; s < own; s++) below += counts[base + s]
  return (below + counts[base + own] / 2) / n
}

// ---- the accumulator a shard fills ----

/** What a shard hands back: its moment forest, its sketch, and optionally its iterations' observables. */
export interface ShardSummary {
  from: number
  to: number
  observables: number
  sketched: number
  forest: MomentNode[]
  sketch: Float64Array
  /** Row-major, `sketched` values per iteration, when the run keeps its iterations. */
  iterations?: Float64Array
}

/**
 * Collects a shard's iterations in order. The first `sketched` observables also get quantile sketches
 * (and are the ones kept per iteration); the rest (monthly series, yearly budget) get moments only.
 */
export class ShardAccumulator {
  private readonly block: Float64Array
  private blockIndex: number
  private inBlock = 0
  private readonly forest: MomentNode[] = []
  private readonly sketch: Float64Array
  private readonly kept?: Float64Array
  private keptCount = 0

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly observables: number,
    private readonly sketched: number,
    keepIterations = false,
  ) {
    if (from % BLOCK_SIZE !== 0) throw new Error(`a shard must start at a multiple of ${BLOCK_SIZE}; got ${from}`)
    this.block = new Float64Array(4 * observables)
    this.blockIndex = from / BLOCK_SIZE
    this.sketch = new Float64Array(sketched * SKETCH_SLOTS)
    if (keepIterations) this.kept = new Float64Array((to - from) * sketched)
  }

  /** Add the next iteration's observables (iterations arrive in order from `from`). */
  add(values: Float64Array): void {
    addToBlock(this.block, this.observables, values, this.sketched)
    addSeriesToBlock(this.block, this.observables, this.sketched, values, this.inBlock === 0)
    addToSketch(this.sketch, this.sketched, values)
    if (this.kept) this.kept.set(values.subarray(0, this.sketched), this.keptCount++ * this.sketched)
    if (++this.inBlock === BLOCK_SIZE) this.closeBlock()
  }

  private closeBlock(): void {
    setSeriesCounts(this.block, this.sketched, this.observables, this.inBlock)
    const data = blockMoments(this.block, this.observables)
    insertNode(this.forest, { level: 0, index: this.blockIndex, data }, this.observables)
    this.block.fill(0)
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

/** Merge shard summaries (any order) into one; they must tile a range without overlap. */
export const mergeShardSummaries = (shards: readonly ShardSummary[]): ShardSummary => {
  if (shards.length === 0) throw new Error('nothing to merge')
  const sorted = [...shards].sort((a, b) => a.from - b.from || a.to - b.to)
  const { observables, sketched } = sorted[0]
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].from !== sorted[i - 1].to)
      throw new Error(`shards do not tile: ${sorted[i - 1].to} then ${sorted[i].from}`)
  }
  const forest: MomentNode[] = []
  const sketch = new Float64Array(sketched * SKETCH_SLOTS)
  const keep = sorted.every((s) => s.iterations)
  const iterations = keep ? new Float64Array((sorted.at(-1)!.to - sorted[0].from) * sketched) : undefined
  for (const shard of sorted) {
    for (const node of shard.forest) insertNode(forest, { ...node, data: node.data.slice() }, observables)
    mergeSketches(sketch, shard.sketch)
    if (iterations && shard.iterations) iterations.set(shard.iterations, (shard.from - sorted[0].from) * sketched)
  }
  return { from: sorted[0].from, to: sorted.at(-1)!.to, observables, sketched, forest, sketch, iterations }
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
