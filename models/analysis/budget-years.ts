/**
 * The budget's years as a budget office names them: calendar years from a start year the user sets (the model's
 * year 1 is the horizon's first twelve months), and a shorter last year said so.
 */
import type { BudgetYear } from '../engine/run'

export interface BudgetYearLabel {
  /** The model's year, 1-based (BudgetYear.year). */
  year: number
  /** startYear + year - 1, or null without a start year. */
  calendarYear: number | null
  /** Months of the horizon in this year: 12, or fewer in a last, partial year. */
  months: number
  /** "2027", "2028 (6 months)", or "Year 1" without a start year. */
  label: string
}

export const MIN_START_YEAR = 1900
export const MAX_START_YEAR = 2200

export const budgetYearLabels = (horizonMonths: number, startYear?: number | null): BudgetYearLabel[] =>
  Array.from({ length: Math.ceil(horizonMonths / 12) }, (_, y) => {
    const months = Math.min(12, horizonMonths - 12 * y)
    const calendarYear = startYear === undefined || startYear === null ? null : startYear + y
    const name = calendarYear === null ? `Year ${y + 1}` : String(calendarYear)
    return { year: y + 1, calendarYear, months, label: months < 12 ? `${name} (${months} months)` : name }
  })

/** Each budget year with its label. */
export const labelBudget = <Y extends BudgetYear>(budget: Y[], labels: BudgetYearLabel[]): (Y & BudgetYearLabel)[] =>
  budget.map((y, i) => ({ ...y, ...labels[i] }))
