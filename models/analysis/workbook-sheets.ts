/**
 * What the Excel workbook of a comparison holds, as plain rows (the writer lives in functions/exports): a summary,
 * the budget by year x line x payer with 90% intervals, the targets, and every assumption with its source.
 */
import { COST_LINE_NAMES, metricName, metricUnit, payerName } from './metric-labels'
import type { ComparisonReport } from './compare'
import type { CostLine } from '../engine/layout'
import type { BudgetYear, MetricSummary, RunReport } from '../engine/run'
import type { Scenario } from '../engine/scenario'

export type SheetCell = string | number | boolean | null

export interface WorkbookSheet {
  name: string
  /** Column widths in characters. */
  columns: number[]
  rows: SheetCell[][]
}

const SUMMARY_METRICS = [
  'returnsAssisted',
  'returnsForced',
  'returnsUnassisted',
  'sustainableReintegrations',
  'totalCost',
  'programmeCost',
  'removalCost',
  'cost.stay',
  'costPerAssistedReturn',
  'costPerSustainableReintegration',
] as const

const stats = (m: MetricSummary | undefined): SheetCell[] => [m?.mean ?? null, m?.p05 ?? null, m?.p95 ?? null]

const summarySheet = (c: ComparisonReport): WorkbookSheet => {
  const k = c.comparison
  const rows: SheetCell[][] = [
    ['Scenario', c.scenarioTitle],
    ['Scenario id', c.scenarioId],
    ['Comparator', c.comparatorTitle],
    ['Comparator id', c.comparatorId],
    ['Populations', c.populations.same ? 'the same people' : (c.populations.label ?? 'different')],
    ['Currency', c.currency],
    ['Iterations (paired)', c.iterations],
    ['Seed', String(c.seed)],
    ['Engine version', c.engineVersion],
    ['Quantiles', `${c.quantiles.method} (relative error ${c.quantiles.relativeError})`],
    ['Verdict', k.verdict.headline],
    ['Probability cheaper', k.probCheaper],
    ['Probability of more sustainable reintegrations', k.probMoreEffective],
    [],
    ['Against the comparator', 'mean', 'p05', 'p95'],
    ['Incremental cost', ...stats(k.incrementalCost)],
    ['Additional returns (people)', ...stats(k.incrementalReturns)],
    ['Additional sustainable reintegrations (people)', ...stats(k.incrementalSustainable)],
    ['ICER: mean incremental cost over mean additional sustainable reintegrations (a negative ratio is no cost: see its reading)', k.icer],
    ['ICER reading (from the means)', k.icerInterpretation],
    [],
    ['Unit cost', `${c.currency} per person`, 'p05', 'p95', 'includes'],
    ...k.unitCosts.map((u): SheetCell[] => [u.label, u.value, u.p05 ?? null, u.p95 ?? null, u.value === null ? (u.note ?? '') : u.includes]),
    [],
    ['Total', 'mean', 'p05', 'p95', 'includes'],
    ...k.totals.map((t): SheetCell[] => [t.label, t.mean, t.p05 ?? null, t.p95 ?? null, t.includes]),
    [],
    ['Metric', 'unit', `${c.scenarioTitle}: mean`, 'p05', 'p95', `${c.comparatorTitle}: mean`, 'p05', 'p95'],
    ...SUMMARY_METRICS.map((m): SheetCell[] => [metricName(m), metricUnit(m, c.currency), ...stats(c.metrics[m]), ...stats(c.comparatorMetrics[m])]),
  ]
  return { name: 'Summary', columns: [48, 40, 16, 16, 16, 40, 16, 16], rows }
}

/** One row per year x (total, payer, line): the scenario's budget and the incremental one beside it. */
const budgetSheet = (c: ComparisonReport, run: RunReport): WorkbookSheet => {
  const rows: SheetCell[][] = [
    ['Year', 'Calendar year', 'Months', 'Kind', 'Name', 'Scenario: mean', 'p05', 'p95', 'Incremental: mean', 'p05', 'p95'],
  ]
  const incremental = c.comparison.incrementalBudgetByYear
  run.budgetByYear.forEach((y: BudgetYear, i) => {
    const label = c.budgetYears[i]
    const inc = incremental[i]
    const head = [label?.label ?? `Year ${y.year}`, label?.calendarYear ?? null, label?.months ?? null]
    rows.push([...head, 'total', 'Total', ...stats(y.total), ...stats(inc?.total)])
    for (const payer of Object.keys(y.payers)) rows.push([...head, 'payer', payerName(payer), ...stats(y.payers[payer]), ...stats(inc?.payers[payer])])
    for (const line of Object.keys(y.lines))
      rows.push([...head, 'line', COST_LINE_NAMES[line as CostLine] ?? line, ...stats(y.lines[line]), ...stats(inc?.lines[line])])
  })
  return { name: 'Budget by year', columns: [18, 14, 8, 8, 36, 16, 16, 16, 18, 16, 16], rows }
}

const targetsSheet = (run: RunReport): WorkbookSheet => ({
  name: 'Targets',
  columns: [24, 36, 9, 14, 14, 14, 14, 14, 14, 8, 11, 60],
  rows: [
    ['Target', 'Metric', 'Per year', 'Published', 'low', 'high', 'Model p05', 'Model p50', 'Model p95', 'Inside', 'Percentile', 'Source, or why not checked'],
    ...(run.targets ?? []).map((t): SheetCell[] => [
      t.id,
      metricName(t.metric),
      t.perYear,
      t.value,
      t.low ?? null,
      t.high ?? null,
      t.model.p05,
      t.model.p50,
      t.model.p95,
      t.inside,
      t.percentile,
      t.excludedBecause ? `not checked: ${t.excludedBecause}` : (t.source ?? ''),
    ]),
  ],
})

const isDist = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { dist?: unknown }).dist === 'string'

/** Every assumption of the scenario, path by path: a distribution with its parameters and source, or a plain value. */
export const assumptionRows = (scenario: Scenario): SheetCell[][] => {
  const rows: SheetCell[][] = []
  const walk = (x: unknown, path: string): void => {
    if (x === undefined) return
    if (isDist(x)) {
      const { dist, source, ...parameters } = x
      const text = Object.entries(parameters).map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ')
      rows.push([path, String(dist), text, typeof source === 'string' ? source : ''])
      return
    }
    if (Array.isArray(x)) {
      if (path === 'groups') x.forEach((g, i) => walk(g, `groups[${(g as { id?: string }).id ?? i}]`))
      else if (x.every((v) => typeof v !== 'object' || v === null)) rows.push([path, 'value', x.join('; '), ''])
      else x.forEach((v, i) => walk(v, `${path}[${i}]`))
      return
    }
    if (typeof x === 'object' && x !== null) {
      for (const [key, value] of Object.entries(x)) walk(value, path ? `${path}.${key}` : key)
      return
    }
    rows.push([path, 'value', x === null ? 'none' : (x as string | number | boolean), ''])
  }
  walk(scenario, '')
  return rows
}

const assumptionsSheet = (scenario: Scenario): WorkbookSheet => ({
  name: 'Assumptions',
  columns: [56, 12, 48, 80],
  rows: [['Path', 'Kind', 'Value or parameters', 'Source'], ...assumptionRows(scenario)],
})

/** The four sheets of a scenario's workbook: its comparison against the comparator, and its own run (budget, targets). */
export const workbookSheets = (scenario: Scenario, comparison: ComparisonReport, run: RunReport): WorkbookSheet[] => [
  summarySheet(comparison),
  budgetSheet(comparison, run),
  targetsSheet(run),
  assumptionsSheet(scenario),
]
