/** Plain-text tables of run and comparison reports for the terminal. */
import type { ComparisonReport } from '../models/analysis/compare'
import { COUNT_METRICS, type MetricName } from '../models/engine/layout'
import type { MetricSummary, RunReport } from '../models/engine/run'

export const formatNumber = (x: number | null, digits = 0): string =>
  x === null ? 'n/a' : x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const digitsFor = (name: string, m: MetricSummary): number =>
  COUNT_METRICS.has(name as MetricName) && m.mean !== null && Math.abs(m.mean) < 100 ? 1 : 0

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width))

const metricRows = (metrics: Record<string, MetricSummary>, names = Object.keys(metrics)): string[] => {
  const rows = [['metric', 'mean', '90% interval', 'MC s.e.']]
  for (const name of names) {
    const m = metrics[name]
    if (name.startsWith('cost.') && (m.mean ?? 0) === 0 && (m.p95 ?? 0) === 0) continue
    const d = digitsFor(name, m)
    rows.push([
      name,
      formatNumber(m.mean, d),
      `${formatNumber(m.p05, d)} .. ${formatNumber(m.p95, d)}`,
      formatNumber(m.mcse, d === 0 ? 1 : 2),
    ])
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => r.map((cell, c) => pad(cell, widths[c], c > 0)).join('  '))
}

export const formatRun = (r: RunReport): string =>
  [
    `${r.scenarioId}: ${r.iterations.toLocaleString('en-GB')} iterations, seed ${r.seed}, ${r.cohort} cohort, costs in ${r.currency} (engine ${r.engineVersion})`,
    '',
    ...metricRows(r.metrics),
    '',
    'Budget by year (mean):',
    ...r.budgetByYear.map((y) => `  year ${y.year}: ${formatNumber(y.total.mean ?? NaN)} ${r.currency}`),
  ].join('\n')

export const formatComparison = (r: ComparisonReport): string => {
  const c = r.comparison
  const row = (label: string, m: MetricSummary) =>
    `  ${label}: ${formatNumber(m.mean)} (90% ${formatNumber(m.p05)} .. ${formatNumber(m.p95)}, MC s.e. ${formatNumber(m.mcse, 1)})`
  return [
    `${r.scenarioId} against ${r.comparatorId}: ${r.iterations.toLocaleString('en-GB')} paired iterations, seed ${r.seed}, ${r.currency} (engine ${r.engineVersion})`,
    row('incremental cost', c.incrementalCost),
    row('incremental returns', c.incrementalReturns),
    row('incremental sustainable reintegrations', c.incrementalSustainable),
    `  ICER: ${c.icer === null ? 'n/a' : formatNumber(c.icer)} ${r.currency} per additional sustainable reintegration (${c.icerInterpretation})`,
    `  P(${r.scenarioId} cheaper): ${(c.probCheaper * 100).toFixed(1)}%`,
    `  net monetary benefit at WTP ${formatNumber(c.wtp)}: ${formatNumber(c.netMonetaryBenefit.mean)}`,
    `  EVPI at WTP ${formatNumber(c.wtp)}: ${formatNumber(c.evpi)}`,
    `  CEAC: ${c.ceac.map((p) => `${formatNumber(p.wtp)}: ${(p.probCostEffective * 100).toFixed(0)}%`).join(', ')}`,
  ].join('\n')
}
