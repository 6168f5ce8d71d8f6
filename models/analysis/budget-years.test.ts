import { describe, expect, it } from 'vitest'
import { budgetYearLabels } from './budget-years'
import { compareInProcess, removalOnlyVersion, withStartYear } from './compare'
import { toy } from './fixtures.test-util'

describe('budget years by calendar year', () => {
  it('names calendar years from the start year and says a partial last year', () => {
    expect(budgetYearLabels(18, 2027)).toEqual([
      { year: 1, calendarYear: 2027, months: 12, label: '2027' },
      { year: 2, calendarYear: 2028, months: 6, label: '2028 (6 months)' },
    ])
    expect(budgetYearLabels(24).map((y) => y.label)).toEqual(['Year 1', 'Year 2'])
  })

  it('a start year relabels the comparison; the numbers stay as they were', () => {
    const a = toy({ horizonMonths: 18, programme: { cashPerAdult: 1000 } })
    const r = compareInProcess(a, removalOnlyVersion(a), { seed: 1, iterations: 2 })
    expect(r.startYear).toBeNull()
    const dated = withStartYear(r, 2030)
    expect(dated.budgetYears.map((y) => y.label)).toEqual(['2030', '2031 (6 months)'])
    expect(dated.comparison).toBe(r.comparison)
    // the incremental budget's years add up to the incremental cost
    const sum = r.comparison.incrementalBudgetByYear.reduce((s, y) => s + y.total.mean!, 0)
    expect(sum).toBeCloseTo(r.comparison.incrementalCost.mean!, 6)
  })
})
