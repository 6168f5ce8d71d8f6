/** Assumptions side by side: groups matched by id, differences found by value, not by source or absence. */
import { describe, expect, it } from 'vitest'
import { getPresetRaw } from '../../scenarios/index'
import { assumptionRows } from './assumptions'

const preset = (id: string) => structuredClone(getPresetRaw(id)) as Record<string, any>

describe('assumptionRows', () => {
  it('marks what differs between two presets and leaves what is shared', () => {
    const rows = assumptionRows([preset('de-reag-garp'), preset('de-trusted-actors')])
    const byKey = new Map(rows.map((r) => [r.key, r]))
    expect(byKey.get('programme.counselling.setting')).toMatchObject({ differs: true, values: ['Neutral (outside enforcement)', 'Trusted community actors'], differsFromFirst: [false, true] })
    expect(byKey.get('groups[rejected-enforceable].stock')?.differs).toBe(false)
    expect(byKey.get('groups[rejected-enforceable].stock')?.label).toContain('People eligible at month 0')
  })

  it('ignores sources and treats an absent field as its fallback, unless absence means more', () => {
    const a = preset('be-low-cash')
    const b = preset('be-low-cash')
    b.programme.cashPerAdult = { ...b.programme.cashPerAdult, source: 'another source' }
    a.programme.travelPerPerson = 0
    delete b.programme.travelPerPerson
    b.programme.capacityPerMonth = 100
    const rows = new Map(assumptionRows([a, b]).map((r) => [r.key, r]))
    expect(rows.get('programme.cashPerAdult')?.differs).toBe(false)
    expect(rows.get('programme.travelPerPerson')?.differs).toBe(false)
    expect(rows.get('programme.capacityPerMonth')).toMatchObject({ differs: true, values: ['not set (no limit)', '100'] })
  })

  it('shows a group one scenario lacks as missing, and a removal-only programme as missing', () => {
    const rows = assumptionRows([preset('de-reag-garp'), preset('removal-only')])
    const stock = rows.find((r) => r.key === 'groups[tolerated-duldung].stock')!
    expect(stock.values[1]).toBe('—')
    expect(stock.differs).toBe(true)
    expect(rows.find((r) => r.key === 'programme.cashPerAdult')!.values[1]).toBe('—')
  })
})
