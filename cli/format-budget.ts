/** The budget by year as a table: each year (calendar years from --start-year), its total, payers and cost lines with 90% intervals. */
import type { BudgetYearLabel } from '../models/analysis/budget-years'
import { COST_LINE_NAMES, payerName } from '../models/analysis/metric-labels'
import type { CostLine } from '../models/engine/layout'
import type { BudgetYear, MetricSummary } from '../models/engine/run'
import { alignTable, formatMoney, intervalText } from './format'

const isZero = (m: MetricSummary) => (m.mean ?? 0) === 0 && (m.p05 ?? 0) === 0 && (m.p95 ?? 0) === 0

export const formatBudget = (title: string, budget: BudgetYear[], labels: BudgetYearLabel[], currency: string): string => {
  const money = (x: number | null) => formatMoney(x, currency)
  const row = (year: string, what: string, m: MetricSummary) => [year, what, money(m.mean), intervalText(m, money)]
  const rows = [['year', '', 'mean', '90% interval']]
  budget.forEach((y, i) => {
    rows.push(row(labels[i]?.label ?? `Year ${y.year}`, 'total', y.total))
    for (const [payer, m] of Object.entries(y.payers)) if (!isZero(m)) rows.push(row('', `payer: ${payerName(payer)}`, m))
    for (const [line, m] of Object.entries(y.lines)) if (!isZero(m)) rows.push(row('', `line: ${COST_LINE_NAMES[line as CostLine] ?? line}`, m))
  })
  return [`${title} (${currency}, discounted; payers and lines of each year add up to its total in the means):`, ...alignTable(rows, 2, '  ')].join('\n')
}
