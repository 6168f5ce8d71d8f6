/** The seeded streams: seedrandom's xor128 step for step, uniforms inside (0, 1), distinct keys; the parameter uniforms. */
import fc from 'fast-check'
import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { iterationKey, mix32, ParameterUniforms, pathKey, pathSalt, seedKey, Stream } from './rng'

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff })
const uint32 = fc.integer({ min: 0, max: 0xffffffff })

/** The next `count` int32 outputs of seedrandom's xor128 restored from (x, y, z, w). */
const xor128Outputs = (x: number, y: number, z: number, w: number, count: number): number[] => {
  // a string seed runs the constructor's warm-up; the state option then overwrites all four words
  const reference = seedrandom.xor128('', { state: { x, y, z, w } })
  return Array.from({ length: count }, () => reference.int32())
}

const streamOutputs = (stream: Stream, count: number): number[] =>
  Array.from({ length: count }, () => stream.nextInt32())

describe('Stream is seedrandom xor128', () => {
  const states: [number, number, number, number][] = [
    [1, 2, 3, 4],
    [0, 0, 0, 1],
    [-1, 0x7fffffff, -0x80000000, 0],
    [0x12345678, -0x6789abcd, 0x0badf00d, -0x21524111],
  ]
  const seeded = seedrandom.xor128('homecoming', { state: true }).state()
  states.push([seeded.x, seeded.y, seeded.z, seeded.w])

  it.each(states)('from state (%i, %i, %i, %i): the same 1000 int32 outputs', (x, y, z, w) => {
    const stream = new Stream().setState(x, y, z, w)
    expect(streamOutputs(stream, 1000)).toEqual(xor128Outputs(x, y, z, w, 1000))
  })

  it('from any nonzero state: the same outputs (property)', () => {
    fc.assert(
      fc.property(int32, int32, int32, int32, (x, y, z, w) => {
        fc.pre((x | y | z | w) !== 0)
        const ours = streamOutputs(new Stream().setState(x, y, z, w), 64)
        const theirs = xor128Outputs(x, y, z, w, 64)
        return ours.every((v, i) => v === theirs[i])
      }),
      { numRuns: 300, seed: 7 },
    )
  })

  it('after reset, continues exactly as xor128 from the same state', () => {
    const stream = new Stream().reset(seedKey('run'), iterationKey(12), pathKey('groups.a.uptake'))
    const { x, y, z, w } = stream
    expect(streamOutputs(stream, 1000)).toEqual(xor128Outputs(x, y, z, w, 1000))
  })
})

describe('nextDouble', () => {
  it('maps the extreme words 0 and 2^32 - 1 strictly inside (0, 1)', () => {
    // x = 0 makes the xorshift's t vanish, so the output is w ^ (w >>> 19): 0 for w = 0, and all
    // ones for w = 0xffffe000
    const low = new Stream().setState(0, 1, 1, 0)
    const high = new Stream().setState(0, 1, 1, 0xffffe000)
    expect(new Stream().setState(0, 1, 1, 0).nextInt32()).toBe(0)
    expect(new Stream().setState(0, 1, 1, 0xffffe000).nextInt32()).toBe(-1)
    const smallest = low.nextDouble()
    const largest = high.nextDouble()
    expect(smallest).toBeGreaterThan(0)
    expect(smallest).toBe(0.5 / 2 ** 32)
    expect(largest).toBeLessThan(1)
    expect(largest).toBe(1 - 0.5 / 2 ** 32)
    expect(Math.log(smallest)).toBeGreaterThan(-Infinity)
    expect(Math.log1p(-largest)).toBeGreaterThan(-Infinity)
  })

  it('is uniform on (0, 1): mean 1/2 and variance 1/12 within 4 standard errors', () => {
    const count = 1_000_000
    const stream = new Stream().reset(seedKey(2024), iterationKey(0), pathKey('uniform'))
    let sum = 0
    let sumSquares = 0
    let outside = 0
    for (let i = 0; i < count; i++) {
      const u = stream.nextDouble()
      if (!(u > 0 && u < 1)) outside++
      sum += u
      sumSquares += (u - 0.5) ** 2
    }
    expect(outside).toBe(0)
    // U(0, 1): variance 1/12, and (U - 1/2)^2 has variance 1/80 - 1/144
    expect(Math.abs(sum / count - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / count))
    const squaresTolerance = 4 * Math.sqrt((1 / 80 - 1 / 144) / count)
    expect(Math.abs(sumSquares / count - 1 / 12)).toBeLessThan(squaresTolerance)
  })
})

describe('reset and the keys', () => {
  it('reset is a pure function of (run, iteration, path): no state carries over', () => {
    fc.assert(
      fc.property(uint32, uint32, uint32, uint32, (run, iteration, path, steps) => {
        const fresh = streamOutputs(new Stream().reset(run, iteration, path), 16)
        const used = new Stream().reset(path, run, iteration)
        for (let i = 0; i < steps % 100; i++) used.nextInt32()
        const again = streamOutputs(used.reset(run, iteration, path), 16)
        return fresh.every((v, i) => v === again[i])
      }),
      { numRuns: 500, seed: 11 },
    )
  })

  it('100,000 (iteration, path) pairs give 100,000 distinct first two outputs', () => {
    const run = seedKey('collisions')
    const paths = [
      'groups.a.uptake',
      'groups.b.uptake',
      'groups.a.abscond',
      'programme.cash',
      'programme.inKind',
      'costs.flight',
      'costs.flights',
      'removal.attempt',
      'remigration.sustainable',
      'a',
    ].map(pathKey)
    const stream = new Stream()
    const seen = new Set<string>()
    for (let iteration = 0; iteration < 10_000; iteration++) {
      const iterKey = iterationKey(iteration)
      for (const path of paths) {
        stream.reset(run, iterKey, path)
        seen.add(`${stream.nextInt32()},${stream.nextInt32()}`)
      }
    }
    expect(seen.size).toBe(100_000)
  })

  it("neighbouring streams' first uniforms are uncorrelated", () => {
    // xorshift is linear: streams whose states share words could move together
    const count = 100_000
    const run = seedKey(1)
    const pathA = pathKey('groups.a.uptake')
    const pathB = pathKey('groups.b.uptake')
    const stream = new Stream()
    const first = (iteration: number, path: number) =>
      stream.reset(run, iterationKey(iteration), path).nextDouble() - 0.5
    let acrossPaths = 0
    let acrossIterations = 0
    for (let i = 0; i < count; i++) {
      const a = first(i, pathA)
      acrossPaths += a * first(i, pathB)
      acrossIterations += a * first(i + 1, pathA)
    }
    // the correlation of two independent uniforms has standard error 1 / sqrt(count)
    const tolerance = 4 / Math.sqrt(count)
    expect(Math.abs((12 * acrossPaths) / count)).toBeLessThan(tolerance)
    expect(Math.abs((12 * acrossIterations) / count)).toBeLessThan(tolerance)
  })

  it('seedKey reads 7 and "7" alike, and separates other seeds', () => {
    expect(seedKey('7')).toBe(seedKey(7))
    expect(seedKey(7)).not.toBe(seedKey(8))
    expect(seedKey('run-a')).not.toBe(seedKey('run-b'))
    for (const seed of [0, 7, 'x', 'a long seed with spaces', 2 ** 40]) {
      const key = seedKey(seed)
      expect(Number.isInteger(key) && key >= 0 && key <= 0xffffffff).toBe(true)
    }
  })

  it('pathKey differs between paths, even near-identical ones', () => {
    const paths = [
      '',
      'a',
      'b',
      'ab',
      'ba',
      'a.b',
      'b.a',
      'groups.a.uptake',
      'groups.a.uptak',
      'groups.a.uptakf',
      'groups.A.uptake',
      'groups.b.uptake',
      'costs.flight',
      'costs.flights',
    ]
    const keys = paths.map(pathKey)
    expect(new Set(keys).size).toBe(paths.length)
    expect(keys.every((key) => Number.isInteger(key) && key >= 0 && key <= 0xffffffff)).toBe(true)
    expect(pathKey('groups.a.uptake')).toBe(pathKey('groups.a.uptake'))
  })

  it('iterationKey and mix32 are one-to-one on the first 100,000 iterations', () => {
    const iterationKeys = new Set<number>()
    const mixed = new Set<number>()
    for (let i = 0; i < 100_000; i++) {
      iterationKeys.add(iterationKey(i))
      mixed.add(mix32(i))
    }
    expect(iterationKeys.size).toBe(100_000)
    expect(mixed.size).toBe(100_000)
  })
})

describe('ParameterUniforms', () => {
  const paths = ['groups[a].stock', 'groups[b].stock', 'programme.cashPerAdult', 'effects.packageValue', 'a', 'b'].map(
    pathKey,
  )
  const uniformOf = (u: ParameterUniforms, path: number) => u.uniform(path, pathSalt(path))

  it('is strictly inside (0, 1) and on a 2^-52 grid offset by 2^-53, at the extreme words too', () => {
    fc.assert(
      fc.property(uint32, uint32, uint32, (run, iteration, path) => {
        const u = uniformOf(new ParameterUniforms().setIteration(run, iteration), path)
        return u > 0 && u < 1 && Number.isInteger(u * 2 ** 52 - 0.5)
      }),
      { numRuns: 2000, seed: 5 },
    )
  })

  it('is uniform: mean 1/2 and variance 1/12 within 4 standard errors over iterations', () => {
    const count = 400_000
    const uniforms = new ParameterUniforms()
    const run = seedKey('uniforms')
    let sum = 0
    let sumSquares = 0
    for (let i = 0; i < count; i++) {
      const u = uniformOf(uniforms.setIteration(run, iterationKey(i)), paths[i % paths.length])
      sum += u
      sumSquares += (u - 0.5) ** 2
    }
    expect(Math.abs(sum / count - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / count))
    expect(Math.abs(sumSquares / count - 1 / 12)).toBeLessThan(4 * Math.sqrt((1 / 80 - 1 / 144) / count))
  })

  it('fills 1,000 equal cells evenly (chi-square within 4 sd of its mean)', () => {
    const cells = 1000
    const count = 500_000
    const counts = new Float64Array(cells)
    const uniforms = new ParameterUniforms()
    for (let i = 0; i < count; i++) {
      counts[Math.floor(uniformOf(uniforms.setIteration(seedKey(9), iterationKey(i)), paths[0]) * cells)]++
    }
    const expected = count / cells
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0)
    // chi-square with cells - 1 degrees of freedom: mean cells - 1, variance 2 (cells - 1)
    expect(Math.abs(chiSquare - (cells - 1))).toBeLessThan(4 * Math.sqrt(2 * (cells - 1)))
  })

  it('neighbouring paths, iterations and runs give uncorrelated uniforms', () => {
    const count = 100_000
    const uniforms = new ParameterUniforms()
    let acrossPaths = 0
    let acrossIterations = 0
    let acrossRuns = 0
    for (let i = 0; i < count; i++) {
      const u = uniformOf(uniforms.setIteration(1, iterationKey(i)), paths[0]) - 0.5
      acrossPaths += u * (uniformOf(uniforms, paths[1]) - 0.5)
      acrossIterations += u * (uniformOf(uniforms.setIteration(1, iterationKey(i + 1)), paths[0]) - 0.5)
      acrossRuns += u * (uniformOf(uniforms.setIteration(2, iterationKey(i)), paths[0]) - 0.5)
    }
    // the correlation of two independent uniforms has standard error 1 / sqrt(count)
    const tolerance = 4 / Math.sqrt(count)
    for (const products of [acrossPaths, acrossIterations, acrossRuns]) {
      expect(Math.abs((12 * products) / count)).toBeLessThan(tolerance)
    }
  })

  it('is a pure function of (run, iteration, path): distinct for 100,000 (iteration, path) pairs', () => {
    const uniforms = new ParameterUniforms()
    const seen = new Set<number>()
    const iterations = Math.ceil(100_000 / paths.length)
    for (let i = 0; i < iterations; i++) {
      uniforms.setIteration(seedKey('pure'), iterationKey(i))
      for (const path of paths) seen.add(uniformOf(uniforms, path))
    }
    expect(seen.size).toBe(iterations * paths.length)
    const again = new ParameterUniforms().setIteration(seedKey('pure'), iterationKey(7))
    uniforms.setIteration(seedKey('other'), iterationKey(3))
    uniforms.setIteration(seedKey('pure'), iterationKey(7))
    expect(uniformOf(uniforms, paths[2])).toBe(uniformOf(again, paths[2]))
  })
})
