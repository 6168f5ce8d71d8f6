import readXlsxFile from 'read-excel-file/node'
import { describe, expect, it } from 'vitest'
import { removalOnlyVersion } from '../../models/analysis/compare'
import { COST_LINES } from '../../models/engine/layout'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { scenarioWorkbook } from './workbook'

const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

describe('the Excel workbook, read back', () => {
  it('has the four sheets; the numbers are the reports’ numbers', async () => {
    const uk = preset('uk-nao-2003')
    const { bytes, comparison, run } = await scenarioWorkbook(uk, removalOnlyVersion(uk), { seed: 4, iterations: 200, startYear: 2026 })
    const sheets = await readXlsxFile(bytes)
    expect(sheets.map((s) => s.sheet)).toEqual(['Summary', 'Budget by year', 'Targets', 'Assumptions'])
    const [summary, budget, targets, assumptions] = sheets.map((s) => s.data)

    const row = (rows: unknown[][], label: string) => rows.find((r) => r[0] === label)!
    expect(row(summary, 'Scenario')[1]).toBe(uk.title)
    expect(row(summary, 'Verdict')[1]).toBe(comparison.comparison.verdict.headline)
    expect(row(summary, 'Incremental cost').slice(1, 4)).toEqual([
      comparison.comparison.incrementalCost.mean,
      comparison.comparison.incrementalCost.p05,
      comparison.comparison.incrementalCost.p95,
    ])
    const perAdditional = comparison.comparison.unitCosts.find((u) => u.id === 'programmeCostPerAdditionalSustainableReintegration')!
    expect(row(summary, perAdditional.label)[1]).toBeCloseTo(perAdditional.value!, 6)
    expect(row(summary, perAdditional.label)[4]).toBe(perAdditional.includes)

    // budget: header, then per year a total, each payer and each of the 16 lines, scenario and incremental intervals
    expect(budget[0]).toEqual(['Year', 'Calendar year', 'Months', 'Kind', 'Name', 'Scenario: mean', 'p05', 'p95', 'Incremental: mean', 'p05', 'p95'])
    const payers = Object.keys(run.budgetByYear[0].payers).length
    expect(budget.length - 1).toBe(run.budgetByYear.length * (1 + payers + COST_LINES.length))
    const total2026 = budget.find((r) => r[1] === 2026 && r[3] === 'total')!
    expect(total2026.slice(5)).toEqual([
      run.budgetByYear[0].total.mean,
      run.budgetByYear[0].total.p05,
      run.budgetByYear[0].total.p95,
      comparison.comparison.incrementalBudgetByYear[0].total.mean,
      comparison.comparison.incrementalBudgetByYear[0].total.p05,
      comparison.comparison.incrementalBudgetByYear[0].total.p95,
    ])

    expect(targets.length - 1).toBe(run.targets!.length)
    expect(targets[1][0]).toBe(run.targets![0].id)
    expect(targets[1][3]).toBe(run.targets![0].value)

    const stock = assumptions.find((r) => typeof r[0] === 'string' && /^groups\[.+\]\.stock$/.test(r[0] as string))!
    expect(stock[1]).toEqual(expect.any(String))
    expect(String(stock[3]).length).toBeGreaterThan(0) // its source
    expect(assumptions.some((r) => r[0] === 'horizonMonths' && r[2] === uk.horizonMonths)).toBe(true)
  })
})
