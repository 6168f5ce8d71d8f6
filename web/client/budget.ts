/**
 * Budget planning: the budget by calendar year from a start year the person sets, each cell a mean with its 90%
 * interval, by cost line and by payer, the scenario's own or incremental against its comparator; partial years
 * say how many months they hold; and the waiting list where capacity binds.
 */
import type { ComparisonReport } from '../../models/analysis/compare'
import { COST_LINES } from '../../models/engine/layout'
import type { BudgetYear, MetricSummary, RunReport } from '../../models/engine/run'
import { el, fill } from './dom'
import { formatCount, formatMoney } from './format'
import { COST_LINE_LABELS } from './labels'

/** Year y (1-based) of a horizon: "2027", or "2028 (6 months)" when the horizon ends inside it; "Year 2" without a start year. */
export const yearLabel = (y: number, horizonMonths: number, startYear?: number): string => {
  const months = Math.min(12, horizonMonths - (y - 1) * 12)
  const name = startYear === undefined ? `Year ${y}` : String(startYear + y - 1)
  return months < 12 ? `${name} (${months} month${months === 1 ? '' : 's'})` : name
}

/** The horizon of a run report, from its monthly series. */
export const horizonOf = (run: RunReport): number => run.monthly.eligible?.mean.length ?? run.budgetByYear.length * 12

const cell = (m: MetricSummary | undefined, currency: string): HTMLElement =>
  el(
    'td',
    {},
    el('span', { class: 'cell-value' }, formatMoney(m?.mean, currency)),
    el('span', { class: 'cell-interval' }, `${formatMoney(m?.p05, currency)} to ${formatMoney(m?.p95, currency)}`),
  )

/** A table of the budget: one row per line (or payer) and the total, one column per calendar year. */
const budgetTable = (
  caption: string,
  years: BudgetYear[],
  rows: { label: string; pick: (y: BudgetYear) => MetricSummary | undefined }[],
  labels: string[],
  currency: string,
  id: string,
  rowHead: string,
): HTMLElement =>
  el(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    el(
      'table',
      { class: 'budget-table', id },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, rowHead), ...labels.map((l) => el('th', { scope: 'col' }, l)))),
      el(
        'tbody',
        {},
        ...rows.map((r) =>
          el('tr', { class: r.label === 'Total' ? 'total-row' : undefined }, el('th', { scope: 'row' }, r.label), ...years.map((y) => cell(r.pick(y), currency))),
        ),
      ),
    ),
  )

const used = (years: BudgetYear[], line: string) => years.some((y) => Math.abs(y.lines[line]?.mean ?? 0) > 0)

export interface BudgetView {
  startYear: number
  incremental: boolean
}

/** The budget section's tables for a run and its comparison. */
export const renderBudget = (
  container: HTMLElement,
  run: RunReport,
  comparison: ComparisonReport,
  view: BudgetView,
  comparatorTitle: string,
): void => {
  const c = run.currency
  const years = view.incremental ? comparison.comparison.incrementalBudgetByYear : run.budgetByYear
  const horizon = horizonOf(run)
  const labels = years.map((y) => yearLabel(y.year, horizon, view.startYear))
  const what = view.incremental ? `Incremental against ${comparatorTitle}` : 'The scenario’s budget'
  const lines = COST_LINES.filter((line) => used(years, line))
  const payers = Object.keys(years[0]?.payers ?? {})
  fill(
    container,
    el(
      'p',
      { class: 'section-note' },
      `${what}, by calendar year from ${view.startYear} (${c}, discounted as the scenario says): the mean and its 90% ` +
        'interval. Lines and payers are summarised separately: their intervals do not add up to the total’s.',
    ),
    budgetTable(
      `${what} by cost line`,
      years,
      [...lines.map((line) => ({ label: COST_LINE_LABELS[line], pick: (y: BudgetYear) => y.lines[line] })), { label: 'Total', pick: (y) => y.total }],
      labels,
      c,
      'budget-by-line',
      'Cost line',
    ),
    budgetTable(
      `${what} by payer`,
      years,
      [...payers.map((p) => ({ label: p === 'other' ? 'Other (no payer named)' : p, pick: (y: BudgetYear) => y.payers[p] })), { label: 'Total', pick: (y) => y.total }],
      labels,
      c,
      'budget-by-payer',
      'Payer',
    ),
  )
}

/** Where capacity binds: the waiting list's peak, the mean wait and the time spent waiting; nothing otherwise. */
export const renderWaiting = (container: HTMLElement, run: RunReport): void => {
  const peak = run.metrics.waitingListPeak
  container.hidden = !((peak?.p95 ?? 0) > 0 || (peak?.mean ?? 0) > 0)
  if (container.hidden) return fill(container)
  const wait = run.metrics.meanWaitMonths
  const queue = run.metrics.queuePersonMonths
  const range = (m: MetricSummary | undefined) => `90% interval ${formatCount(m?.p05)} to ${formatCount(m?.p95)}`
  fill(
    container,
    el('h3', {}, 'Capacity binds: a waiting list'),
    el(
      'dl',
      { class: 'cards' },
      ...[
        ['waitingListPeak', 'Waiting list at its peak', `${formatCount(peak?.mean)} people`, range(peak)],
        ['meanWaitMonths', 'Mean wait', `${formatCount(wait?.mean)} months`, range(wait)],
        ['queuePersonMonths', 'Time spent waiting', `${formatCount(queue?.mean)} person-months`, range(queue)],
      ].map(([metric, label, main, line]) =>
        el('div', { class: 'card', 'data-metric': metric }, el('dt', { class: 'card-label' }, label), el('dd', { class: 'card-value' }, main), el('dd', { class: 'card-line' }, line)),
      ),
    ),
    el('p', { class: 'section-note' }, 'People who chose to return but wait for a place: the chart “Waiting list by month” below shows when.'),
  )
}
