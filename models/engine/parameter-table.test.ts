/** The parameter table: the staged draw is each parameter's inverse CDF at its own uniform; overrides. */
import { describe, expect, it } from 'vitest'
import { inverseCdf, type DistKind, type DistSpec } from './distributions'
import { PARAMETER_BLOCK, ParameterTable } from './parameter-table'
import { iterationKey, ParameterUniforms, seedKey } from './rng'

const specs: [string, DistSpec | number][] = [
  ['a.point', 4],
  ['a.uniform', { dist: 'uniform', min: 2, max: 5 }],
  ['a.triangular', { dist: 'triangular', min: 1, mode: 2, max: 6 }],
  ['a.pert', { dist: 'pert', min: 0, mode: 3, max: 10 }],
  ['a.normal', { dist: 'normal', mean: 10, sd: 2 }],
  ['a.truncated', { dist: 'normal', mean: 0, sd: 1, min: -0.5, max: 2 }],
  ['a.lognormal', { dist: 'lognormal', low: 1, high: 10 }],
  ['a.beta', { dist: 'beta', alpha: 2, beta: 1870 }],
  ['a.extreme-beta', { dist: 'beta', alpha: 0.001, beta: 0.001 }],
  // a shape no table serves (every quantile but the top ones underflows): inverted exactly
  ['a.untabled-beta', { dist: 'beta', alpha: 1e-9, beta: 5 }],
]

const table = new ParameterTable()
for (const [path, dist] of specs) table.add(path, dist as DistSpec, 0)
table.seal()
const RUN = seedKey('table')

describe('ParameterTable.drawBlock', () => {
  it('draws the bits drawAll draws, iteration by iteration, for full and partial blocks at any start', () => {
    const values = new Float64Array(table.size)
    const rows = new Float64Array(PARAMETER_BLOCK * table.size)
    for (const [first, count] of [[0, PARAMETER_BLOCK], [640, PARAMETER_BLOCK], [37, 5], [1000, 1]]) {
      rows.fill(NaN)
      table.drawBlock(RUN, first, count, rows)
      for (let r = 0; r < count; r++) {
        table.drawAll(RUN, iterationKey(first + r), values)
        for (let slot = 0; slot < table.size; slot++) {
          if (!Object.is(rows[r * table.size + slot], values[slot])) expect.fail(`${table.paths[slot]}, iteration ${first + r}`)
        }
      }
      // nothing past the block is written
      if (count < PARAMETER_BLOCK) expect(rows[count * table.size]).toBeNaN()
    }
  })
})

describe('ParameterTable.drawAll', () => {
  it('gives every slot its inverse CDF at its own uniform, kind by kind', () => {
    const values = new Float64Array(table.size)
    const uniforms = new ParameterUniforms()
    for (let i = 0; i < 2000; i++) {
      table.drawAll(RUN, iterationKey(i), values)
      uniforms.setIteration(RUN, iterationKey(i))
      for (let slot = 0; slot < table.size; slot++) {
        const expected = table.valueAt(slot, uniforms.uniform(table.keys[slot], table.salts[slot]))
        if (!Object.is(values[slot], expected)) expect.fail(`${table.paths[slot]}, iteration ${i}`)
      }
    }
    expect(values[0]).toBe(4)
    expect(table.samplerTables[table.paths.indexOf('a.untabled-beta')]).toBeNull()
    expect(table.samplerTables[table.paths.indexOf('a.beta')]).not.toBeNull()
  })

  it("is within the tables' u-error of the exact quantile (dx = du / f, checked as a relative error here)", () => {
    const uniforms = new ParameterUniforms()
    let worst = 0
    for (let i = 0; i < 2000; i++) {
      uniforms.setIteration(RUN, iterationKey(i))
      for (let slot = 1; slot < 7; slot++) {
        const u = uniforms.uniform(table.keys[slot], table.salts[slot])
        const sampled = table.valueAt(slot, u)
        const exact = inverseCdf(table.kinds[slot] as DistKind, table.params, 4 * slot, u)
        worst = Math.max(worst, Math.abs(sampled - exact) / Math.max(1, Math.abs(exact)))
      }
    }
    expect(worst).toBeLessThan(1e-6)
  })

  it('takes the overrides where they are not NaN, and draws the rest exactly as without them', () => {
    const plain = new Float64Array(table.size)
    const fixed = new Float64Array(table.size)
    const overrides = Float64Array.from({ length: table.size }, (_, slot) => (slot % 3 === 1 ? 100 + slot : NaN))
    for (let i = 0; i < 200; i++) {
      table.drawAll(RUN, iterationKey(i), plain)
      table.drawAll(RUN, iterationKey(i), fixed, overrides)
      for (let slot = 0; slot < table.size; slot++) {
        expect(fixed[slot]).toBe(slot % 3 === 1 ? 100 + slot : plain[slot])
      }
    }
    // every slot overridden (the analyses replay cached draws): the overrides, bit for bit
    const all = Float64Array.from({ length: table.size }, (_, slot) => -slot - 0.5)
    table.drawAll(RUN, iterationKey(3), fixed, all)
    expect(Array.from(fixed)).toEqual(Array.from(all))
  })
})
