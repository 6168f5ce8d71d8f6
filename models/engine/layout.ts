/** The names and places of what one iteration reports: metrics, monthly series and the budget by year. */

export const COST_LINES = [
  'stay',
  'counselling',
  'outreach',
  'travel',
  'cash',
  'inKind',
  'complexTopUp',
  'training',
  'psychosocial',
  'caseManagement',
  'community',
  'programmeFixed',
  'detention',
  'escortAndTravel',
  'failedAttempts',
  'removalAdmin',
] as const
export type CostLine = (typeof COST_LINES)[number]

/** The lines paid for by the assisted-return programme (the numerator of the cost per assisted return). */
export const PROGRAMME_COST_LINES: readonly CostLine[] = COST_LINES.slice(1, 12)

export const METRICS = [
  'returnsAssisted',
  'returnsForced',
  'returnsUnassisted',
  'returnsTotal',
  'sustainableReintegrations',
  'remigrations',
  'irregularStayPersonMonths',
  'eligibleAtHorizon',
  'absconded',
  'waitingListPeak',
  'totalCost',
  ...COST_LINES.map((line) => `cost.${line}` as const),
  'costPerReturn',
  'costPerAssistedReturn',
  'costPerSustainableReintegration',
  'localResidentsServed',
] as const
export type MetricName = (typeof METRICS)[number]

/** Metrics that count people (the rest are money). */
export const COUNT_METRICS: ReadonlySet<MetricName> = new Set([
  ...METRICS.slice(0, METRICS.indexOf('totalCost')),
  'localResidentsServed',
])

/** Index of each metric in an iteration's observables. */
export const M = Object.fromEntries(METRICS.map((name, i) => [name, i])) as Record<MetricName, number>
export const COST_METRIC_BASE = M['cost.stay']

export const MONTHLY_SERIES = ['eligible', 'returnsAssisted', 'returnsForced', 'returnsUnassisted', 'cost'] as const
export type MonthlySeries = (typeof MONTHLY_SERIES)[number]

/** Where each block of observables starts, for a given horizon. */
export interface ObservableLayout {
  horizonMonths: number
  years: number
  metricCount: number
  monthlyBase: number
  budgetBase: number
  observables: number
}

export const observableLayout = (horizonMonths: number): ObservableLayout => {
  const years = Math.ceil(horizonMonths / 12)
  const metricCount = METRICS.length
  const monthlyBase = metricCount
  const budgetBase = monthlyBase + MONTHLY_SERIES.length * horizonMonths
  return {
    horizonMonths,
    years,
    metricCount,
    monthlyBase,
    budgetBase,
    observables: budgetBase + years * COST_LINES.length,
  }
}
