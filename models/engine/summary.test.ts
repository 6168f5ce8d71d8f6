/** Mergeable summaries: any block-aligned split merges to the same bits; moments and quantiles. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BLOCK_SIZE,
  foldForest,
  mergeShardSummaries,
  momentsOf,
  ShardAccumulator,
  shardRanges,
  SKETCH_RELATIVE_ERROR,
  summaryCdf,
  summaryQuantiles,
  sumBlock,
  type ShardSummary,
} from './summary'

/** Observables per iteration in the merge properties; the first SKETCHED are sketched and kept. */
const K = 3
const SKETCHED = 2

/** Element-wise Object.is: the same bits up to NaN payloads, and +0 is not -0. */
const expectSameBits = (actual: Float64Array | undefined, expected: Float64Array | undefined) => {
  expect(actual === undefined).toBe(expected === undefined)
  if (!actual || !expected) return
  expect(actual.length).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]))
      expect.fail(`element ${i}: ${actual[i]} is not ${expected[i]}`)
  }
}

const canonicalForest = (s: ShardSummary) =>
  [...s.forest].sort((a, b) => a.level - b.level || a.index - b.index)

/** The same summary: range, forest node for node, folded moments, sketch and kept iterations. */
const expectSameSummary = (actual: ShardSummary, expected: ShardSummary) => {
  expect([actual.from, actual.to, actual.observables, actual.sketched]).toEqual([
    expected.from,
    expected.to,
    expected.observables,
    expected.sketched,
  ])
  const a = canonicalForest(actual)
  const e = canonicalForest(expected)
  expect(a.map((n) => [n.level, n.index])).toEqual(e.map((n) => [n.level, n.index]))
  a.forEach((node, i) => expectSameBits(node.data, e[i].data))
  expectSameBits(foldForest(actual.forest, K), foldForest(expected.forest, K))
  expect(JSON.stringify(actual.sketch?.encode())).toBe(JSON.stringify(expected.sketch?.encode()))
  expectSameBits(actual.iterations, expected.iterations)
}

const shardOf = (rows: Float64Array[], from: number, to: number, exactQuantiles = false): ShardSummary => {
  const acc = new ShardAccumulator(from, to, K, SKETCHED, { keepIterations: true, exactQuantiles })
  for (let i = from; i < to; i++) acc.add(rows[i])
  return acc.finish()
}

/** Mostly ordinary values over a wide range, sometimes a value every summary must skip. */
const valueArb = fc.oneof(
  { weight: 10, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -50, max: 50 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
)
const rowsOf = (minLength: number) =>
  fc
    .array(fc.array(valueArb, { minLength: K, maxLength: K }), { minLength, maxLength: 1000 })
    .map((rows) => rows.map((row) => Float64Array.from(row)))
const rowsArb = rowsOf(0)

/** Block-aligned cut points strictly inside (0, n), sorted and distinct. */
const cutsInside = (blocks: number[], n: number): number[] =>
  [...new Set(blocks.map((b) => b * BLOCK_SIZE).filter((c) => c > 0 && c < n))].sort(
    (x, y) => x - y,
  )

const rangesFromCuts = (cuts: number[], n: number) => {
  const bounds = [0, ...cuts, n]
  return bounds.slice(1).map((to, i) => ({ from: bounds[i], to }))
}

/** The ranges in the order given by `keys` (a random order of arrival). */
const arrivalOrder = <T>(items: T[], keys: number[]): T[] =>
  items
    .map((item, i) => ({ item, key: keys[i % keys.length], i }))
    .sort((x, y) => x.key - y.key || x.i - y.i)
    .map(({ item }) => item)

describe('merging shard summaries', () => {
  it('any block-aligned split, arriving in any order, merges to the single-shard bits', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        (rows, count, cutBlocks, keys) => {
          const n = rows.length
          const single = mergeShardSummaries([shardOf(rows, 0, n)])
          const splits = [shardRanges(n, count), rangesFromCuts(cutsInside(cutBlocks, n), n)]
          for (const ranges of splits) {
            if (ranges.length === 0) continue // n = 0: shardRanges has nothing to split
            const shards = arrivalOrder(
              ranges.map((r) => shardOf(rows, r.from, r.to)),
              keys,
            )
            expectSameSummary(mergeShardSummaries(shards), single)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('rows written in place (nextRow, commitRow) summarise to the bits of the same rows added', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (rows, exactQuantiles) => {
        const inPlace = new ShardAccumulator(0, rows.length, K, SKETCHED, { keepIterations: true, exactQuantiles })
        for (const row of rows) {
          inPlace.nextRow().set(row)
          inPlace.commitRow()
        }
        expectSameSummary(inPlace.finish(), shardOf(rows, 0, rows.length, exactQuantiles))
      }),
    )
  })

  it('is associative and indifferent to argument order, bit for bit', () => {
    const merge = (...shards: ShardSummary[]) => mergeShardSummaries(shards)
    fc.assert(
      fc.property(
        rowsOf(2 * BLOCK_SIZE + 1),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        (rows, x, y) => {
          const n = rows.length
          // three non-empty shards: two distinct cut points at block boundaries inside (0, n)
          const [lo, hi] = cutsInside([x, y], n)
          fc.pre(hi !== undefined)
          const a = shardOf(rows, 0, lo)
          const b = shardOf(rows, lo, hi)
          const c = shardOf(rows, hi, n)
          const left = merge(merge(a, b), c)
          const right = merge(a, merge(b, c))
          expectSameSummary(left, right)
          expectSameSummary(merge(c, a, b), left)
          expectSameSummary(merge(merge(c, b), a), left)
          expectSameSummary(merge(c, merge(b, a)), left)
          expectSameSummary(left, merge(shardOf(rows, 0, n)))
        },
      ),
      { numRuns: 150 },
    )
  })

  // sorting by `from` alone put [0, 64) before [0, 0) or after it depending on the input order, and
  // the tiling check then threw "shards do not tile: 64 then 0"; shardRanges makes no empty shard
  it('accepts an empty shard in any position', () => {
    const rows = Array.from({ length: 2 * BLOCK_SIZE }, (_, i) => Float64Array.of(i, -i, i % 7))
    const single = shardOf(rows, 0, 2 * BLOCK_SIZE)
    const first = shardOf(rows, 0, BLOCK_SIZE)
    const second = shardOf(rows, BLOCK_SIZE, 2 * BLOCK_SIZE)
    const empties = [0, BLOCK_SIZE, 2 * BLOCK_SIZE].map((at) => shardOf(rows, at, at))
    const orders = [
      [first, empties[0], second],
      [empties[0], first, second],
      [second, empties[1], first],
      [first, second, empties[1]],
      [empties[2], second, empties[0], first],
    ]
    for (const order of orders) expectSameSummary(mergeShardSummaries(order), single)
  })

  it('skips NaN and infinities in the sketched (metric) observables: counts and means are those of the finite values alone', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const moments = foldForest(shardOf(rows, 0, rows.length).forest, K)
        for (let j = 0; j < SKETCHED; j++) {
          const finite = rows.map((r) => r[j]).filter(Number.isFinite)
          const m = momentsOf(moments, K, j)
          expect(m.n).toBe(finite.length)
          if (finite.length === 0) {
            expect(m.mean).toBeNaN()
            continue
          }
          const mean = finite.reduce((s, x) => s + x, 0) / finite.length
          const scale = Math.max(...finite.map(Math.abs), 1)
          // the sum of at most 1000 values of magnitude <= scale, rounded at each step
          const tolerance = 4 * finite.length * Number.EPSILON * scale
          expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(tolerance)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('counts every value of the other observables (series every iteration defines): a non-finite one shows', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const moments = foldForest(shardOf(rows, 0, rows.length).forest, K)
        for (let j = SKETCHED; j < K; j++) {
          const values = rows.map((r) => r[j])
          const m = momentsOf(moments, K, j)
          expect(m.n).toBe(rows.length)
          if (rows.length === 0) {
            expect(m.mean).toBeNaN()
            continue
          }
          if (!values.every(Number.isFinite)) {
            expect(Number.isFinite(m.mean)).toBe(false)
            continue
          }
          const mean = values.reduce((s, x) => s + x, 0) / values.length
          const scale = Math.max(...values.map(Math.abs), 1)
          expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(4 * values.length * Number.EPSILON * scale)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('refuses a shard that starts off a block boundary', () => {
    expect(() => new ShardAccumulator(BLOCK_SIZE + 1, 200, 1, 1)).toThrow(/multiple of 64/)
    expect(() => new ShardAccumulator(BLOCK_SIZE, 200, 1, 1)).not.toThrow()
  })

  it('refuses shards that overlap or leave a gap, and an empty list', () => {
    const rows = Array.from({ length: 4 * BLOCK_SIZE }, (_, i) => Float64Array.of(i, -i, i * i))
    const s = (from: number, to: number) => shardOf(rows, from, to)
    expect(() => mergeShardSummaries([s(0, 128), s(64, 192)])).toThrow(/do not tile/)
    expect(() => mergeShardSummaries([s(0, 64), s(128, 192)])).toThrow(/do not tile/)
    expect(() => mergeShardSummaries([s(0, 128), s(0, 128)])).toThrow(/do not tile/)
    expect(() => mergeShardSummaries([])).toThrow(/nothing to merge/)
    expect(mergeShardSummaries([s(128, 256), s(0, 128)]).to).toBe(256)
  })
})

describe('sumBlock', () => {
  /** The definition, one observable and one value at a time. */
  const reference = (rows: Float64Array, n: number, k: number, counted: number): Float64Array => {
    const block = new Float64Array(4 * k)
    for (let j = 0; j < k; j++) {
      let count = 0
      for (let r = 0; r < n; r++) {
        const x = rows[r * k + j]
        if (j < counted && !Number.isFinite(x)) continue
        if (count === 0) block[k + j] = x
        const d = x - block[k + j]
        count++
        block[2 * k + j] += d
        block[3 * k + j] += d * d
      }
      block[j] = count
    }
    return block
  }

  it('gives the bits of the one-value-at-a-time definition, for any width, count and non-finite values', () => {
    const arb = fc
      .record({ k: fc.integer({ min: 1, max: 9 }), n: fc.integer({ min: 0, max: BLOCK_SIZE }) })
      .chain(({ k, n }) =>
        fc.record({
          k: fc.constant(k),
          n: fc.constant(n),
          counted: fc.integer({ min: 0, max: k }),
          values: fc.array(valueArb, { minLength: n * k, maxLength: n * k }),
        }),
      )
    fc.assert(
      fc.property(arb, ({ k, n, counted, values }) => {
        const rows = Float64Array.from(values)
        const block = new Float64Array(4 * k).fill(7) // sumBlock overwrites it all
        sumBlock(block, rows, n, k, counted)
        expectSameBits(block, reference(rows, n, k, counted))
      }),
    )
  })
})

describe('momentsOf: shifted block sums and Chan merges far from zero', () => {
  const twoPass = (xs: number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)
    return { mean, variance }
  }
  const summarise = (xs: number[]) => {
    const acc = new ShardAccumulator(0, xs.length, 1, 1)
    for (const x of xs) acc.add(Float64Array.of(x))
    return momentsOf(foldForest(acc.finish().forest, 1), 1, 0)
  }
  /** Data at `offset` plus noise in [-spread, spread]: n from 2 to 1000. */
  const offsetData = (offset: number, spread: number) =>
    fc
      .array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 2, maxLength: 1000 })
      .map((noise) => noise.map((k) => offset + (k / 1e6) * spread))
      .filter((xs) => xs.some((x) => x !== xs[0]))
  const offsets = fc.constantFrom(1e9, -3.7e8, 1e6, 0)

  it('the mean is the two-pass mean to 1e-12 relative', () => {
    fc.assert(
      fc.property(offsets.chain((offset) => offsetData(offset, 1)), (xs) => {
        const { mean } = twoPass(xs)
        const m = summarise(xs)
        expect(m.n).toBe(xs.length)
        expect(Math.abs(m.mean - mean)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(mean)))
      }),
      { numRuns: 100 },
    )
  })

  /**
   * Each block's mean is a float64 near the offset, so it is off by up to half an ulp of the offset
   * (eps |offset| / 2); the Chan term delta^2 na nb / n turns that into a relative variance error
   * of at most about eps |offset| / sd over the whole merge tree. That is the condition number of
   * the variance: the best a summary that stores means can do. The textbook one-pass formula
   * E[x^2] - E[x]^2 loses eps offset^2 / sd^2.
   */
  it('the variance is the two-pass variance within eps |offset| / sd (and 1e-12 near zero)', () => {
    fc.assert(
      fc.property(offsets.chain((offset) => offsetData(offset, 1)), (xs) => {
        const { mean, variance } = twoPass(xs)
        const m = summarise(xs)
        const sd = Math.sqrt(variance)
        const tolerance = 1e-12 + (Number.EPSILON * Math.abs(mean)) / sd
        expect(Math.abs(m.sd ** 2 - variance) / variance).toBeLessThanOrEqual(tolerance)
      }),
      { numRuns: 100 },
    )
  })

  it('the textbook one-pass formula fails that tolerance at offset 1e9 (the test can fail)', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => 1e9 + Math.sin(i))
    const { mean, variance } = twoPass(xs)
    const n = xs.length
    const naive = (xs.reduce((s, x) => s + x * x, 0) - n * mean * mean) / (n - 1)
    const tolerance = 1e-12 + (Number.EPSILON * Math.abs(mean)) / Math.sqrt(variance)
    expect(Math.abs(naive - variance) / variance).toBeGreaterThan(tolerance)
    expect(Math.abs(summarise(xs).sd ** 2 - variance) / variance).toBeLessThanOrEqual(tolerance)
  })

  // Means kept as a plain number lost ~3e-10 here (block means rounded to ulp(1e9) before their difference
  // was formed); kept as shift + offset, the error is a few 1e-12.
  it('the variance is the two-pass variance to 1e-10 relative at offset 1e9 (means kept as shift + offset)', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => 1e9 + Math.sin(i))
    const { variance } = twoPass(xs)
    expect(Math.abs(summarise(xs).sd ** 2 - variance) / variance).toBeLessThanOrEqual(1e-10)
  })

  it('one value has sd 0; none has no mean', () => {
    expect(summarise([5])).toMatchObject({ n: 1, mean: 5, sd: 0 })
    const empty = momentsOf(foldForest(new ShardAccumulator(0, 0, 1, 1).finish().forest, 1), 1, 0)
    expect(empty.n).toBe(0)
    expect(empty.mean).toBeNaN()
  })
})

describe('quantiles of a summary', () => {
  const sample = (n: number) =>
    Array.from({ length: n }, (_, i) => Float64Array.of(Math.sin(i * 12.9898) * 1e5, i % 7 === 0 ? NaN : i * 3.5, i))

  it('an exact summary gives the order statistics at rank floor(q (n - 1)) of the finite values, across shards', () => {
    const rows = sample(1000)
    const whole = shardOf(rows, 0, 1000, true)
    expect(whole.sketch).toBeUndefined()
    const merged = mergeShardSummaries([shardOf(rows, 512, 1000, true), shardOf(rows, 0, 512, true)])
    for (let j = 0; j < SKETCHED; j++) {
      const finite = rows.map((r) => r[j]).filter(Number.isFinite).sort((a, b) => a - b)
      const qs = [0, 0.05, 0.5, 0.95, 1]
      expect(summaryQuantiles(merged, j, qs)).toEqual(qs.map((q) => finite[Math.floor(q * (finite.length - 1))]))
      expect(summaryQuantiles(whole, j, qs)).toEqual(summaryQuantiles(merged, j, qs))
      const median = finite[Math.floor(0.5 * (finite.length - 1))]
      expect(summaryCdf(merged, j, median)).toBeCloseTo((finite.filter((x) => x < median).length + 0.5) / finite.length, 12)
    }
  })

  // the quantiles are found by selection, not a sort: ties, constant and sorted columns, ranks asked in any order,
  // columns long enough (past 600) for the selection to sample first
  it('exact quantiles and CDF are those of a sort of the finite values, whatever the ties and the order asked', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(NaN, Infinity, -Infinity, 0.5))
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 2500, size: 'max' }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }), (values, qs) => {
        const rows = values.map((x, i) => Float64Array.of(x, i % 3, -i))
        const summary = shardOf(rows, 0, rows.length, true)
        const finite = values.filter(Number.isFinite).sort((a, b) => a - b)
        const expected = qs.map((q) => (finite.length ? finite[Math.floor(q * (finite.length - 1))] : NaN))
        expect(summaryQuantiles(summary, 0, qs)).toEqual(expected)
        for (const x of [-1, 0, 0.5, 2]) {
          const cdf = finite.length ? (finite.filter((v) => v < x).length + finite.filter((v) => v === x).length / 2) / finite.length : NaN
          expect(summaryCdf(summary, 0, x)).toBe(cdf)
        }
      }),
      { seed: 20261202, numRuns: 300 },
    )
  })

  it('a sketched summary gives the same quantiles within the sketch error, and the two kinds do not merge', () => {
    const rows = sample(1000)
    const exact = shardOf(rows, 0, 1000, true)
    const sketched = shardOf(rows, 0, 1000, false)
    for (const q of [0.05, 0.5, 0.95]) {
      const [e] = summaryQuantiles(exact, 0, [q])
      const [s] = summaryQuantiles(sketched, 0, [q])
      expect(Math.abs(s - e)).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR * Math.abs(e))
    }
    expect(() => mergeShardSummaries([shardOf(rows, 0, 512, true), shardOf(rows, 512, 1000, false)])).toThrow(/exact and sketched/)
  })
})

describe('shardRanges', () => {
  it('tiles [0, n) with min(count, blocks) block-aligned, non-empty, near-equal ranges', () => {
    for (let n = 0; n <= 2000; n += n < 200 ? 1 : 37) {
      for (const count of [1, 2, 3, 4, 7, 8, 13, 64, 1000]) {
        const ranges = shardRanges(n, count)
        const blocks = Math.ceil(n / BLOCK_SIZE)
        expect(ranges.length).toBe(Math.min(count, blocks))
        let next = 0
        for (const { from, to } of ranges) {
          expect(from).toBe(next)
          expect(to).toBeGreaterThan(from)
          expect(from % BLOCK_SIZE).toBe(0)
          if (to !== n) expect(to % BLOCK_SIZE).toBe(0)
          next = to
        }
        expect(next).toBe(n)
        const sizes = ranges.map((r) => Math.ceil((r.to - r.from) / BLOCK_SIZE))
        if (sizes.length) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
      }
    }
  })
})
