/** Levers never change what they do not show: random moves and back give the scenario exactly as it was. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inCurrentFormat } from '../../models/engine/migrate'
import { parseScenario } from '../../models/engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { Edits, getAt } from './edits'
import { fromShown, leverCentre, leverRefusal, LEVERS, LeverState, shownOf } from './lever-state'

/** The page's way with a lever: sync with the scenario, refuse or write, the edit dropped where it equals the base. */
const session = (presetId: string) => {
  const base = inCurrentFormat(structuredClone(getPresetRaw(presetId))) as Record<string, unknown>
  const edits = new Edits()
  const current = () => edits.apply(base)
  const states = LEVERS.map((lever) => new LeverState(lever))
  const type = (i: number, x: number): boolean => {
    const lever = LEVERS[i]
    states[i].sync(getAt(current(), lever.path), getAt(base, lever.path))
    // the field of a capacity without a limit is disabled
    if (lever.unlimited && getAt(current(), lever.path) === undefined) return false
    if (leverRefusal(lever, x) !== null) return false
    edits.edit(base, lever.path, states[i].valueAt(x))
    return true
  }
  /** What the lever's field showed when the page opened, typed back in. */
  const typeOriginal = (i: number) => {
    const lever = LEVERS[i]
    const c = leverCentre(lever, getAt(base, lever.path)) ?? (lever.unlimited ? undefined : lever.fallback)
    if (c !== undefined) type(i, fromShown(lever, shownOf(lever, c)))
  }
  return { base, edits, current, type, typeOriginal }
}

const move = fc.record({
  lever: fc.integer({ min: 0, max: LEVERS.length - 1 }),
  // anything a person may type: in range, out of range, negative, zero, fractions
  x: fc.oneof(fc.double({ min: -1000, max: 20_000, noNaN: true }), fc.constantFrom(0, -500, 3000, 1e7, 0.5, 1)),
})

describe('the levers', () => {
  it('after 200 random moves and back, the scenario is deep-equal to the original', () => {
    for (const presetId of ['de-reag-garp', 'be-low-cash', 'uk-nao-2003'])
      fc.assert(
        fc.property(fc.array(move, { minLength: 200, maxLength: 200 }), (moves) => {
          const s = session(presetId)
          for (const m of moves) s.type(m.lever, m.x)
          LEVERS.forEach((_, i) => s.typeOriginal(i))
          expect(s.current()).toEqual(s.base)
          expect(s.edits.size).toBe(0)
        }),
        { numRuns: 30, seed: 11 },
      )
  })

  it('keeps the spread of the original while moved (cash 0 then back to 2,000 and on to 3,000)', () => {
    const s = session('de-reag-garp')
    const cash = LEVERS.findIndex((l) => l.id === 'cash')
    const original = getAt(s.base, LEVERS[cash].path)
    expect(original).toMatchObject({ dist: 'pert', min: 1200, mode: 2000, max: 2000 })
    s.type(cash, 0)
    s.type(cash, 3000)
    // from the original, scaled by 1.5: never from the value at 0
    expect(getAt(s.current(), LEVERS[cash].path)).toMatchObject({ dist: 'pert', min: 1800, mode: 3000, max: 3000 })
    s.type(cash, 2000)
    expect(getAt(s.current(), LEVERS[cash].path)).toEqual(original)
  })

  it('refuses what the quantity cannot be, by the field, and every accepted move leaves a valid scenario', () => {
    const [cash, , reach, scale, , ramp] = LEVERS
    expect(leverRefusal(cash, -500)).toBe('must be 0 or more')
    expect(leverRefusal(reach, 1.2)).toBe('must be from 0% to 100%')
    expect(leverRefusal(scale, 11)).toBe('must be from 0 to 10')
    expect(leverRefusal(ramp, 2.5)).toBe('must be a whole number')
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 40 }), (moves) => {
        const s = session('de-reag-garp')
        for (const m of moves) s.type(m.lever, m.x)
        const parsed = parseScenario(s.current())
        expect(parsed.ok ? [] : parsed.problems).toEqual([])
      }),
      { numRuns: 100, seed: 12 },
    )
  })

  it('reads a value a link carries (an earlier move) as the original moved, so it can still go back', () => {
    const s = session('de-reag-garp')
    const cash = LEVERS.findIndex((l) => l.id === 'cash')
    s.type(cash, 0)
    const link = Edits.decode(s.edits.encode())
    // a fresh page with that link: its lever starts from the value in the link
    const state = new LeverState(LEVERS[cash])
    state.sync(getAt(link.apply(s.base), LEVERS[cash].path), getAt(s.base, LEVERS[cash].path))
    expect(state.valueAt(2000)).toEqual(getAt(s.base, LEVERS[cash].path))
  })
})
