/** Plain-text tables of run and comparison reports for the terminal: labels and units, money with its currency. */
import type { BudgetYearLabel } from '../models/analysis/budget-years'
import type { ComparisonReport } from '../models/analysis/compare'
import { metricName, metricUnit } from '../models/analysis/metric-labels'
import { icerQuadrant } from '../models/analysis/verdict'
import { METRIC_UNITS, type MetricName } from '../models/engine/layout'
import type { MetricSummary, RunReport } from '../models/engine/run'

export const formatNumber = (x: number | null, digits = 0): string =>
  x === null ? 'n/a' : x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })

/** A 90% interval as the tables print it, "low .. high", each end written by `f`. */
export const intervalText = (m: { p05?: number | null; p95?: number | null }, f: (x: number | null) => string): string =>
  `${f(m.p05 ?? null)} .. ${f(m.p95 ?? null)}`

/** Money as a budget reads it: "EUR 179.3 m", "EUR 6.49 bn", "EUR 4,400"; the sign before the amount. */
export const formatMoney = (x: number | null, currency: string): string => {
  if (x === null || !Number.isFinite(x)) return 'n/a'
  const a = Math.abs(x)
  const sign = x < 0 ? '-' : ''
  const amount =
    a >= 1e9
      ? `${(a / 1e9).toLocaleString('en-GB', { maximumFractionDigits: 2, minimumFractionDigits: 2 })} bn`
      : a >= 1e6
        ? `${(a / 1e6).toLocaleString('en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} m`
        : Math.round(a).toLocaleString('en-GB')
  return `${currency} ${sign}${amount}`
}

/** A count of people or cases: whole, and with one decimal only below 10 where the expected cohort has fractions. */
export const formatCount = (x: number | null): string => {
  if (x === null) return 'n/a'
  const rounded = Math.round(x)
  return Math.abs(x) < 10 && Math.abs(x - rounded) >= 0.05 ? formatNumber(x, 1) : formatNumber(rounded)
}

export const formatPercent = (share: number | null): string => (share === null ? 'n/a' : `${(share * 100).toFixed(1)}%`)

/** A value of a metric in its unit (the unit column says which). */
export const formatMetric = (metric: string, x: number | null, currency: string): string => {
  switch (METRIC_UNITS[metric as MetricName]) {
    case 'money':
    case 'money per person':
      return formatMoney(x, currency)
    case 'share':
      return formatPercent(x)
    case 'months':
      // one decimal, but a whole number of months (0 above all) without ".0"
      return x === null ? 'n/a' : formatNumber(Math.round(x * 10) / 10, Number.isInteger(Math.round(x * 10) / 10) ? 0 : 1)
    default:
      return formatCount(x)
  }
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width))

/** Aligned columns: the first `leftColumns` to the left, the rest (numbers) to the right. */
export const alignTable = (rows: string[][], leftColumns = 1, indent = ''): string[] => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => indent + r.map((cell, c) => pad(cell, widths[c], c >= leftColumns)).join('  ').trimEnd())
}

const metricRows = (metrics: Record<string, MetricSummary>, currency: string): string[] => {
  const rows = [['metric', 'unit', 'mean', '90% interval', 'MC s.e.']]
  for (const [name, m] of Object.entries(metrics)) {
    if (name.startsWith('cost.') && (m.mean ?? 0) === 0 && (m.p95 ?? 0) === 0) continue
    const f = (x: number | null) => formatMetric(name, x, currency)
    rows.push([metricName(name), metricUnit(name, currency), f(m.mean), intervalText(m, f), f(m.mcse)])
  }
  return alignTable(rows, 2)
}

export const formatRun = (r: RunReport, labels: BudgetYearLabel[] = []): string =>
  [
    `${r.scenarioId}: ${r.iterations.toLocaleString('en-GB')} iterations, seed ${r.seed}, ${r.cohort} cohort, costs in ${r.currency} (engine ${r.engineVersion})`,
    '',
    ...metricRows(r.metrics, r.currency),
    '',
    'Budget by year (mean, 90% interval):',
    ...alignTable(
      r.budgetByYear.map((y, i) => [labels[i]?.label ?? `Year ${y.year}`, formatMoney(y.total.mean, r.currency), intervalText(y.total, (x) => formatMoney(x, r.currency))]),
      1,
      '  ',
    ),
  ].join('\n')

/**
 * The ICER as what it is: a cost per additional sustainable reintegration, a saving per one forgone, or, where the
 * means are cheaper and better or dearer and worse, a ratio that is no cost at all.
 */
const icerText = (c: ComparisonReport['comparison'], money: (x: number | null) => string): string => {
  if (c.icer === null) return 'not defined'
  switch (icerQuadrant(c.incrementalCost.mean ?? 0, c.incrementalSustainable.mean ?? 0)) {
    case 'costs-more-achieves-more':
      return `${money(c.icer)} per additional sustainable reintegration`
    case 'saves-achieves-less':
      return `${money(c.icer)} saved per sustainable reintegration forgone`
    default:
      return `ratio ${money(c.icer)}, not a cost per reintegration`
  }
}

export const formatComparison = (r: ComparisonReport): string => {
  const c = r.comparison
  const money = (x: number | null) => formatMoney(x, r.currency)
  const rows = [
    ['', 'mean', '90% interval', 'MC s.e.'],
    ['Incremental cost', money(c.incrementalCost.mean), intervalText(c.incrementalCost, money), money(c.incrementalCost.mcse)],
    // its parts, each paired within an iteration (reports made before engine 3.0.1 carry means only)
    ...c.totals
      .filter((t) => t.id !== 'incrementalCostWithStay')
      .map((t) => [`  ${t.label}`, money(t.mean), t.p05 == null ? '' : intervalText(t, money), '']),
    ...(
      [
        ['Additional returns (people)', c.incrementalReturns],
        ['Additional sustainable reintegrations (people)', c.incrementalSustainable],
        ['  of which sustainable at the horizon', c.incrementalSustainableAtHorizon],
      ] as const
    ).map(([label, m]) => [label, formatCount(m.mean), intervalText(m, formatCount), formatNumber(m.mcse, 1)]),
  ]
  const width = Math.max(...c.unitCosts.map((u) => u.label.length))
  const units = c.unitCosts.flatMap((u) => [
    `  ${u.label.padEnd(width)}  ${money(u.value).padStart(14)}${u.p05 == null ? '' : `  (90% interval ${intervalText(u, money)})`}`,
    `      ${u.value === null ? (u.note ?? '') : u.includes}`,
  ])
  const against = r.populations.same ? '' : ` — ACROSS DIFFERENT POPULATIONS (${r.populations.differences.map((d) => d.path).join(', ')})`
  return [
    `${r.scenarioTitle} against ${r.comparatorTitle}${against}`,
    `  ${r.scenarioId} against ${r.comparatorId}: ${r.iterations.toLocaleString('en-GB')} paired iterations, seed ${r.seed}, costs in ${r.currency} (engine ${r.engineVersion})`,
    '',
    `  ${c.verdict.headline}.`,
    '',
    ...alignTable(rows, 1, '  '),
    '',
    `  ICER: ${icerText(c, money)} (${c.icerInterpretation})`,
    `  Probability of being cheaper: ${formatPercent(c.probCheaper)}; of more sustainable reintegrations: ${formatPercent(c.probMoreEffective)}`,
    `  Net monetary benefit at ${money(c.wtp)} per sustainable reintegration: ${money(c.netMonetaryBenefit.mean)}; EVPI ${money(c.evpi)}`,
    `  CEAC (probability cost-effective at a willingness to pay per sustainable reintegration): ${c.ceac.map((p) => `${money(p.wtp)}: ${(p.probCostEffective * 100).toFixed(0)}%`).join(', ')}`,
    '',
    `  Unit costs against ${r.comparatorTitle}, each with what it includes:`,
    ...units,
  ].join('\n')
}
