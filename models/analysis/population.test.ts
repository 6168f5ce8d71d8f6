import { describe, expect, it } from 'vitest'
import { parseScenario, type Scenario } from '../engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { comparabilityProblems, removalOnlyVersion } from './compare'
import { populationCheck, populationDifferences } from './population'

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

describe('populationDifferences', () => {
  it('finds none against the removal-only version (the same people)', () => {
    const de = preset('de-reag-garp')
    expect(populationDifferences(de, removalOnlyVersion(de))).toEqual([])
    expect(populationCheck(de, removalOnlyVersion(de))).toEqual({ same: true, differences: [] })
  })

  it("names the generic removal-only preset's different groups against Germany", () => {
    const problems = populationDifferences(preset('de-reag-garp'), preset('removal-only'))
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0].path).toBe('scenarios[1].groups')
    expect(problems[0].message).toMatch(/must have the same groups/)
  })

  it('names a different stock, inflow or household by the field, with both values', () => {
    const de = preset('de-reag-garp')
    const g = de.groups[0]
    const other: Scenario = {
      ...de,
      groups: [{ ...g, stock: { dist: 'point', value: 10 } as never, personsPerCase: { dist: 'point', value: 3 } as never }, ...de.groups.slice(1)],
    }
    const problems = populationDifferences(de, other, 'comparator')
    expect(problems.map((p) => p.path)).toEqual(['comparator.groups[0].stock', 'comparator.groups[0].personsPerCase'])
    expect(problems[0].message).toMatch(new RegExp(`stock of group ${g.id} .*got \\{"dist":"point","value":10\\}`))
    // compare anyway: only currency and horizon are still refused
    expect(comparabilityProblems(de, other)).toHaveLength(2)
    expect(comparabilityProblems(de, other, { compareAnyway: true })).toEqual([])
    expect(populationCheck(de, other).label).toMatch(/across different populations/)
  })

  it('does not care about key order', () => {
    const de = preset('de-reag-garp')
    const g = de.groups[0] as Record<string, unknown>
    const reordered = Object.fromEntries(Object.entries(g).reverse())
    const stock = g.stock as Record<string, unknown>
    const flipped = { ...reordered, stock: typeof stock === 'object' ? Object.fromEntries(Object.entries(stock).reverse()) : stock }
    expect(populationDifferences(de, { ...de, groups: [flipped as never, ...de.groups.slice(1)] })).toEqual([])
  })
})

describe('populationDifferences and sources', () => {
  it('ignores the source of a figure: the same numbers are the same people', () => {
    const de = preset('de-reag-garp')
    const g = de.groups[0]
    const resourced = { ...g, stock: { ...(g.stock as object), source: 'another citation' } }
    expect(populationDifferences(de, { ...de, groups: [resourced as never, ...de.groups.slice(1)] })).toEqual([])
  })
})
