/** Unsaved edits: applied on top of the base, carried through the URL, never reaching a prototype. */
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../../models/engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { Edits, getAt } from './edits'

const base = () => structuredClone(getPresetRaw('de-reag-garp')) as Record<string, any>

describe('Edits', () => {
  it('applies edits without touching the base, and a later edit of a path replaces the earlier ones', () => {
    const original = base()
    const edits = new Edits()
    edits.set(['programme', 'cashPerAdult'], 4000)
    edits.set(['groups', 1, 'stock'], { dist: 'uniform', min: 1, max: 2 })
    edits.set(['programme', 'cashPerAdult'], 5000)
    const out = edits.apply(original) as Record<string, any>
    expect(out.programme.cashPerAdult).toBe(5000)
    expect(out.groups[1].stock).toEqual({ dist: 'uniform', min: 1, max: 2 })
    expect(original).toEqual(base())
    expect(edits.size).toBe(2)
  })

  it('creates a missing optional object with its required fields, and removes optional fields', () => {
    const edits = new Edits()
    edits.set(['programme', 'preReturnTraining', 'costPerCase'], 300)
    edits.set(['programme', 'outreach', 'annualCost'], undefined)
    edits.set(['removal', 'maxAttemptsPerMonth'], undefined)
    const out = edits.apply(base()) as Record<string, any>
    expect(out.programme.preReturnTraining).toEqual({ share: 0, costPerCase: 300 })
    expect(out.programme.outreach).toEqual({ reach: base().programme.outreach.reach })
    expect('maxAttemptsPerMonth' in out.removal).toBe(false)
    expect(parseScenario(out).ok).toBe(true)
  })

  it('goes through the URL and back, unicode included', () => {
    const edits = new Edits()
    edits.set(['title'], 'Neu: Rückkehr «test» 😀 </script>')
    edits.set(['programme', 'counselling', 'setting'], 'trusted-actors')
    edits.set(['programme', 'complexCaseTopUp'], undefined)
    const text = edits.encode()
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
    const back = Edits.decode(text)
    expect(back.apply(base())).toEqual(edits.apply(base()))
    expect(new Edits().encode()).toBe('')
  })

  it('opens the unedited scenario from a damaged link, and never writes to a prototype', () => {
    expect(Edits.decode('%%%not-base64').size).toBe(0)
    const hostile = btoa(JSON.stringify([['__proto__.polluted', 1], ['constructor.prototype.polluted', 1], ['title', 'ok']]))
    const edits = Edits.decode(hostile)
    const out = edits.apply(base()) as Record<string, any>
    expect(out.title).toBe('ok')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reads values by path', () => {
    expect(getAt(base(), ['groups', 0, 'id'])).toBe('rejected-enforceable')
    expect(getAt(base(), ['programme', 'nothing', 'here'])).toBeUndefined()
  })
})
