/** A mergeable quantile sketch of K observables to 0.5%, its buckets in pages used on demand. */
import { z } from 'zod'

/**
 * Every reported quantile is within this fraction (relative) of the sample order statistic it
 * estimates, for magnitudes from SKETCH_MIN_MAGNITUDE to 2^84 (1.9e25).
 *
 * Proof. A positive bucket holds the magnitudes in [lo, hi), lo and hi exact floats with
 * hi - lo <= SKETCH_RELATIVE_ERROR * lo (checked in integers when the table is built). A larger
 * magnitude never gets a smaller key: positive floats order like their bits, and the cell table is
 * non-decreasing. So the sorted sample meets the buckets in slot order, and the value x at rank r
 * lies in the bucket where the running count first exceeds r. Its estimate is clamped into
 * [lo, hi], so |estimate - x| <= hi - lo <= SKETCH_RELATIVE_ERROR lo <= SKETCH_RELATIVE_ERROR x.
 * Negative values mirror this. Magnitudes below SKETCH_MIN_MAGNITUDE are reported as 0, and those
 * of 2^84 and above fall in the top bucket: both outside the guarantee.
 */
export const SKETCH_RELATIVE_ERROR = 0.005
const INVERSE_ERROR = 200

/** Magnitudes below this count as zero. */
export const SKETCH_MIN_MAGNITUDE = 1e-9
/** Binades [2^e, 2^(e+1)) with buckets: 2^-30 <= 1e-9 and 1e25 < 2^84 (costs reach ~1e23). */
const MIN_EXPONENT = -30
const MAX_EXPONENT = 83

/**
 * Every binade has the same buckets scaled by its power of two, their bounds on a grid of 2^14
 * cells a binade, each bucket as wide as the grid allows within the error (greedy: the fewest
 * buckets on that grid). That is 140 buckets a binade, 0.7% more than the 139 of ideal log-spaced
 * bounds, and a value's key is its exponent and a table lookup on the top 14 bits of its mantissa:
 * no log, no comparison, and bounds that are exact floats on every platform.
 */
const CELL_BITS = 14
const CELLS = 1 << CELL_BITS
const [GRID_LOWER, CELL_BUCKET] = (() => {
  const lower = [0]
  while (lower[lower.length - 1] < CELLS) {
    const a = lower[lower.length - 1]
    // the largest b with (CELLS + b) / (CELLS + a) <= 1 + 1 / INVERSE_ERROR, in integers below 2^26
    lower.push(
      Math.min(CELLS, Math.floor(((CELLS + a) * (INVERSE_ERROR + 1)) / INVERSE_ERROR) - CELLS),
    )
  }
  const cells = new Uint16Array(CELLS)
  for (let b = 0; b + 1 < lower.length; b++) cells.fill(b, lower[b], lower[b + 1])
  return [lower, cells]
})()
const BUCKETS_PER_BINADE = GRID_LOWER.length - 1
/** Buckets per sign. */
const KEYS = (MAX_EXPONENT - MIN_EXPONENT + 1) * BUCKETS_PER_BINADE
const TOP_KEY = KEYS - 1
/** Slots in value order: negative keys from the largest magnitude down, zeros, positive keys up. */
const ZERO_SLOT = KEYS
const SLOTS = 2 * KEYS + 1

/** A bucket's lower bound within its binade, as a multiple of the binade's power of two (exact). */
const LOWER_IN_BINADE = Float64Array.from(GRID_LOWER, (a) => 1 + a / CELLS)
/** 2^(MIN_EXPONENT + i), by halving and doubling: exact, whatever the platform's Math.pow does. */
const BINADE_SCALE = (() => {
  const scale = new Float64Array(MAX_EXPONENT - MIN_EXPONENT + 2)
  let s = 1
  for (let e = 0; e > MIN_EXPONENT; e--) s /= 2
  for (let i = 0; i < scale.length; i++, s *= 2) scale[i] = s
  return scale
})()

/** The lower bound of a key; its upper bound is the next key's (at a binade's end, 2^(e+1)). */
const lowerBound = (key: number): number =>
  BINADE_SCALE[Math.floor(key / BUCKETS_PER_BINADE)] * LOWER_IN_BINADE[key % BUCKETS_PER_BINADE]

const BITS = new Float64Array(1)
const WORDS = new Int32Array(BITS.buffer)
/** The word with the sign, the exponent and the mantissa's top 20 bits, whatever the endianness. */
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0
const EXPONENT_OFFSET = 1023 + MIN_EXPONENT
const LAST_BINADE = MAX_EXPONENT - MIN_EXPONENT

/** The slot of a finite value. Int32 words throughout: a uint32 above 2^31 may be boxed. */
const slotOf = (x: number): number => {
  if (Math.abs(x) < SKETCH_MIN_MAGNITUDE) return ZERO_SLOT
  BITS[0] = x
  const high = WORDS[HIGH]
  const binade = ((high >>> 20) & 0x7ff) - EXPONENT_OFFSET
  const key =
    binade > LAST_BINADE
      ? TOP_KEY
      : binade * BUCKETS_PER_BINADE + CELL_BUCKET[(high >>> (20 - CELL_BITS)) & (CELLS - 1)]
  return high < 0 ? ZERO_SLOT - 1 - key : ZERO_SLOT + 1 + key
}

/** The magnitude bounds of a non-zero slot and whether it holds negative values. */
const slotBounds = (slot: number): { lo: number; hi: number; negative: boolean } => {
  const negative = slot < ZERO_SLOT
  const key = negative ? ZERO_SLOT - 1 - slot : slot - ZERO_SLOT - 1
  return { lo: lowerBound(key), hi: lowerBound(key + 1), negative }
}

/** The magnitudes [lo, hi) of a finite x's bucket (x's sign applies); zeros: [0, 1e-9). */
export const bucketOf = (x: number): { lo: number; hi: number } => {
  const slot = slotOf(x)
  return slot === ZERO_SLOT ? { lo: 0, hi: SKETCH_MIN_MAGNITUDE } : slotBounds(slot)
}

// Pages of 256 slots. An observable's page table is a directory of 20 chunks of 32 pages, allocated
// as touched: a flat table of its 633 pages would cost 2.5 KB, more than a page (2 KB) of counts.
const PAGE_BITS = 8
const PAGE_SIZE = 1 << PAGE_BITS
const CHUNK_BITS = 5
const CHUNK_SIZE = 1 << CHUNK_BITS
const PAGES = Math.ceil(SLOTS / PAGE_SIZE)
const DIRECTORY_SIZE = Math.ceil(PAGES / CHUNK_SIZE)
const ABSENT = -1

/** Identifies the bucket layout in an encoded sketch: decoding refuses any other. */
export const SKETCH_LAYOUT =
  `binary-grid${CELL_BITS}/error${SKETCH_RELATIVE_ERROR}/` +
  `binades${MIN_EXPONENT}..${MAX_EXPONENT}`

/**
 * The transport form: per observable, its non-empty slots in order as flat (slot, count) pairs,
 * each slot but the first written as its gap from the one before (short numbers). Counts are
 * integers, so JSON carries them exactly.
 */
export interface EncodedSketch {
  layout: string
  buckets: number[][]
}

const encodedSchema = z.object({
  layout: z.literal(SKETCH_LAYOUT),
  buckets: z.array(z.array(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER))),
})

/**
 * Bucket counts of K observables: add iterations, merge shards in any order (counts are integers
 * below 2^53, so every order gives the same bits), read quantiles and the CDF, encode them.
 */
export class QuantileSketch {
  /** Per observable, DIRECTORY_SIZE offsets into `chunks`, or ABSENT. */
  private readonly directory: Int32Array
  /** Chunks of CHUNK_SIZE page offsets into `pool`, or ABSENT. */
  private chunks: Int32Array
  private chunksUsed = 0
  /** Pages of PAGE_SIZE counts; doubles when full, so adding allocates only while it grows. */
  private pool: Float64Array
  private poolUsed = 0

  constructor(readonly observables: number) {
    this.directory = new Int32Array(observables * DIRECTORY_SIZE).fill(ABSENT)
    this.chunks = new Int32Array(Math.max(1, observables) * CHUNK_SIZE).fill(ABSENT)
    this.pool = new Float64Array(Math.max(1, observables) * PAGE_SIZE)
  }

  /** Count values[j] into observable j for j in [0, count); NaN and infinities are skipped. */
  add(values: Float64Array, count: number): void {
    if (count > this.observables)
      throw new Error(`add: ${count} values, ${this.observables} observables`)
    for (let j = 0; j < count; j++) {
      const x = values[j]
      if (x - x !== 0) continue
      const slot = slotOf(x)
      const page = this.page(j, slot >>> PAGE_BITS)
      this.pool[page + (slot & (PAGE_SIZE - 1))]++
    }
  }

  /**
   * Count a block of rows (row r's observable j at rows[r * width + j], j < this.observables), observable by
   * observable: its pages stay in cache for the whole column. The same counts as `add` row by row.
   */
  addRows(rows: Float64Array, n: number, width: number): void {
    if (width < this.observables) throw new Error(`addRows: rows of ${width}, ${this.observables} observables`)
    for (let j = 0; j < this.observables; j++) {
      // many columns repeat a value or a bucket (a cost line that is 0 in every iteration): count runs of one
      // slot and add each run once, and look a page up only when it changes
      let pageIndex = -1
      let page = 0
      let lastValue = NaN
      let slot = -1
      let run = 0
      for (let r = 0; r < n; r++) {
        const x = rows[r * width + j]
        if (x - x !== 0) continue
        if (x === lastValue) {
          run++
          continue
        }
        lastValue = x
        const next = slotOf(x)
        if (next === slot) {
          run++
          continue
        }
        if (run > 0) {
          if (slot >>> PAGE_BITS !== pageIndex) {
            pageIndex = slot >>> PAGE_BITS
            page = this.page(j, pageIndex)
          }
          this.pool[page + (slot & (PAGE_SIZE - 1))] += run
        }
        slot = next
        run = 1
      }
      if (run > 0) {
        if (slot >>> PAGE_BITS !== pageIndex) page = this.page(j, slot >>> PAGE_BITS)
        this.pool[page + (slot & (PAGE_SIZE - 1))] += run
      }
    }
  }

  /** Add another sketch's counts into this one. */
  merge(other: QuantileSketch): this {
    if (other.observables !== this.observables)
      throw new Error(`merge: ${other.observables} observables into ${this.observables}`)
    for (let j = 0; j < this.observables; j++) {
      for (let p = 0; p < PAGES; p++) {
        const from = other.existingPage(j, p)
        if (from === ABSENT) continue
        const to = this.page(j, p)
        for (let s = 0; s < PAGE_SIZE; s++) this.pool[to + s] += other.pool[from + s]
      }
    }
    return this
  }

  /** Values counted into observable j. */
  count(j: number): number {
    return this.countBelow(j, SLOTS)
  }

  /**
   * For each q, the value at rank floor(q (n - 1)) (0-based) of observable j's sorted values, to
   * SKETCH_RELATIVE_ERROR. The i-th (0-based) of the c values of a bucket [lo, hi) is put at
   * lo (hi / lo)^((i + 0.5) / c), so two observables whose quantiles share a bucket still print
   * different values. NaN for an observable with no values (or q outside [0, 1]).
   */
  quantiles(j: number, qs: readonly number[]): number[] {
    const n = this.count(j)
    return qs.map((q) => {
      if (n === 0 || !(q >= 0 && q <= 1)) return NaN
      const rank = Math.floor(q * (n - 1))
      let seen = 0
      for (let slot = this.nextFilled(j, 0); slot < SLOTS; slot = this.nextFilled(j, slot + 1)) {
        const c = this.countAt(j, slot)
        if (seen + c > rank) return valueInSlot(slot, rank - seen, c)
        seen += c
      }
      return NaN // not reached: rank < n
    })
  }

  /**
   * The fraction of observable j's values <= x, those in x's bucket spread through it as
   * `quantiles` puts them: cdf(j, the quantile at rank r) = (r + 0.5) / n. NaN with no values.
   */
  cdf(j: number, x: number): number {
    const n = this.count(j)
    if (n === 0 || Number.isNaN(x)) return NaN
    const slot = slotOf(x)
    return (this.countBelow(j, slot) + this.countAt(j, slot) * shareAtOrBelow(slot, x)) / n
  }

  /** The counts as plain JSON (see EncodedSketch). */
  encode(): EncodedSketch {
    const buckets: number[][] = []
    for (let j = 0; j < this.observables; j++) {
      const pairs: number[] = []
      let previous = 0
      for (let slot = this.nextFilled(j, 0); slot < SLOTS; slot = this.nextFilled(j, slot + 1)) {
        pairs.push(slot - previous, this.countAt(j, slot))
        previous = slot
      }
      buckets.push(pairs)
    }
    return { layout: SKETCH_LAYOUT, buckets }
  }

  /**
   * A sketch that crossed a structured clone (postMessage between threads), which keeps its typed arrays but not its
   * class: the same counts as a QuantileSketch again. An instance is returned as it is.
   */
  static revive(cloned: unknown): QuantileSketch {
    if (cloned instanceof QuantileSketch) return cloned
    return Object.setPrototypeOf(cloned as object, QuantileSketch.prototype) as QuantileSketch
  }

  /** The sketch `encode` gave, checked: its layout, one entry per observable, slots in order. */
  static decode(encoded: unknown, observables: number): QuantileSketch {
    const { buckets } = encodedSchema.parse(encoded)
    if (buckets.length !== observables)
      throw new Error(`buckets: ${buckets.length} observables, expected ${observables}`)
    const sketch = new QuantileSketch(observables)
    buckets.forEach((pairs, j) => {
      if (pairs.length % 2 !== 0) throw new Error(`buckets[${j}]: an odd number of entries`)
      for (let i = 0, slot = 0; i < pairs.length; i += 2) {
        slot += pairs[i]
        if ((i > 0 && pairs[i] === 0) || slot >= SLOTS || pairs[i + 1] === 0)
          throw new Error(`buckets[${j}][${i}]: slots rise, lie below ${SLOTS} and hold counts > 0`)
        const page = sketch.page(j, slot >>> PAGE_BITS) // first: it may grow the pool
        sketch.pool[page + (slot & (PAGE_SIZE - 1))] = pairs[i + 1]
      }
    })
    return sketch
  }

  /** Typed-array bytes held, and pages in use (each PAGE_SIZE counts of 8 bytes). */
  footprint(): { bytes: number; pages: number } {
    const bytes = this.directory.byteLength + this.chunks.byteLength + this.pool.byteLength
    return { bytes, pages: this.poolUsed / PAGE_SIZE }
  }

  /** The first slot at or after `from` where observable j has values; SLOTS if none. */
  private nextFilled(j: number, from: number): number {
    for (let p = from >>> PAGE_BITS; p < PAGES; p++) {
      const at = this.existingPage(j, p)
      if (at === ABSENT) continue
      const first = p === from >>> PAGE_BITS ? from & (PAGE_SIZE - 1) : 0
      for (let s = first; s < PAGE_SIZE; s++)
        if (this.pool[at + s] !== 0) return (p << PAGE_BITS) + s
    }
    return SLOTS
  }

  /** Observable j's count in a slot. */
  private countAt(j: number, slot: number): number {
    const at = this.existingPage(j, slot >>> PAGE_BITS)
    return at === ABSENT ? 0 : this.pool[at + (slot & (PAGE_SIZE - 1))]
  }

  /** Observable j's values in the slots below `end`. */
  private countBelow(j: number, end: number): number {
    let n = 0
    for (let slot = this.nextFilled(j, 0); slot < end; slot = this.nextFilled(j, slot + 1))
      n += this.countAt(j, slot)
    return n
  }

  /** The pool offset of observable j's page p, or ABSENT. */
  private existingPage(j: number, p: number): number {
    const chunk = this.directory[j * DIRECTORY_SIZE + (p >>> CHUNK_BITS)]
    return chunk === ABSENT ? ABSENT : this.chunks[chunk + (p & (CHUNK_SIZE - 1))]
  }

  /** The pool offset of observable j's page p, allocated (zeroed) on first use. */
  private page(j: number, p: number): number {
    const entry = j * DIRECTORY_SIZE + (p >>> CHUNK_BITS)
    let chunk = this.directory[entry]
    if (chunk === ABSENT) chunk = this.newChunk(entry)
    const at = this.chunks[chunk + (p & (CHUNK_SIZE - 1))]
    return at === ABSENT ? this.newPage(chunk + (p & (CHUNK_SIZE - 1))) : at
  }

  private newChunk(entry: number): number {
    if (this.chunksUsed === this.chunks.length) {
      const grown = new Int32Array(2 * this.chunks.length).fill(ABSENT)
      grown.set(this.chunks)
      this.chunks = grown
    }
    this.directory[entry] = this.chunksUsed
    this.chunksUsed += CHUNK_SIZE
    return this.directory[entry]
  }

  private newPage(chunkEntry: number): number {
    if (this.poolUsed === this.pool.length) {
      const grown = new Float64Array(2 * this.pool.length)
      grown.set(this.pool)
      this.pool = grown
    }
    this.chunks[chunkEntry] = this.poolUsed
    this.poolUsed += PAGE_SIZE
    return this.chunks[chunkEntry]
  }
}

/** The estimate of the i-th smallest (0-based) of the c values in a slot. */
const valueInSlot = (slot: number, i: number, c: number): number => {
  if (slot === ZERO_SLOT) return 0
  const { lo, hi, negative } = slotBounds(slot)
  // mirrored: the i-th smallest negative value has the (c - 1 - i)-th smallest magnitude
  const position = (negative ? c - i - 0.5 : i + 0.5) / c
  const magnitude = Math.min(hi, Math.max(lo, lo * (hi / lo) ** position))
  return negative ? -magnitude : magnitude
}

/** The share of a slot's values at or below x (in that slot), spread as `valueInSlot` puts them. */
const shareAtOrBelow = (slot: number, x: number): number => {
  if (slot === ZERO_SLOT) return x >= 0 ? 1 : 0
  const { lo, hi, negative } = slotBounds(slot)
  const position = Math.min(1, Math.max(0, Math.log(Math.abs(x) / lo) / Math.log(hi / lo)))
  return negative ? 1 - position : position
}
