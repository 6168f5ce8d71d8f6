/** The names, units and places of what one iteration reports: metrics, the budget by year, monthly series. */

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

/** The lines paid for by the assisted-return programme (docs/model.md: counselling .. programmeFixed). */
export const PROGRAMME_COST_LINES: readonly CostLine[] = COST_LINES.slice(1, 12)
/** The lines of forced removal (detention .. removalAdmin). */
export const REMOVAL_COST_LINES: readonly CostLine[] = COST_LINES.slice(12)

export const METRICS = [
  'returnsAssisted',
  'returnsForced',
  'returnsUnassisted',
  'returnsTotal',
  'repeatAssistedReturns',
  'sustainableReintegrations',
  'sustainableAtHorizon',
  'remigrations',
  'irregularStayPersonMonths',
  'eligibleAtHorizon',
  'waitingAtHorizon',
  'absconded',
  'waitingListPeak',
  'queuePersonMonths',
  'meanWaitMonths',
  'counselledCases',
  'totalCost',
  'programmeCost',
  'removalCost',
  ...COST_LINES.map((line) => `cost.${line}` as const),
  'costPerReturn',
  'costPerAssistedReturn',
  'costPerForcedReturn',
  'costPerSustainableReintegration',
  'shareAssisted',
  'localResidentsServed',
] as const
export type MetricName = (typeof METRICS)[number]

/** What a metric counts or measures: how the CLI and the page label and round it. */
export type MetricUnit = 'people' | 'cases' | 'person-months' | 'months' | 'money' | 'money per person' | 'share'

export const METRIC_UNITS: Record<MetricName, MetricUnit> = {
  ...(Object.fromEntries(METRICS.map((m) => [m, m.startsWith('cost') ? 'money' : 'people'])) as Record<
    MetricName,
    MetricUnit
  >),
  irregularStayPersonMonths: 'person-months',
  queuePersonMonths: 'person-months',
  meanWaitMonths: 'months',
  counselledCases: 'cases',
  totalCost: 'money',
  programmeCost: 'money',
  removalCost: 'money',
  costPerReturn: 'money per person',
  costPerAssistedReturn: 'money per person',
  costPerForcedReturn: 'money per person',
  costPerSustainableReintegration: 'money per person',
  shareAssisted: 'share',
}

/** Metrics that count people or cases (the rest are money, months, person-months or shares). */
export const COUNT_METRICS: ReadonlySet<MetricName> = new Set(
  METRICS.filter((m) => METRIC_UNITS[m] === 'people' || METRIC_UNITS[m] === 'cases'),
)

/** Index of each metric in an iteration's observables. */
export const M = Object.fromEntries(METRICS.map((name, i) => [name, i])) as Record<MetricName, number>
export const COST_METRIC_BASE = M['cost.stay']

/** Monthly series: people at the month's start (`eligible`, the stay cost's base), pools at its end, flows, cost. */
export const MONTHLY_SERIES = [
  'eligible',
  'eligibleRemovable',
  'eligibleNotRemovable',
  'previouslyAssisted',
  'waiting',
  'returnsAssisted',
  'returnsForced',
  'returnsUnassisted',
  'cost',
] as const
export type MonthlySeries = (typeof MONTHLY_SERIES)[number]
export const SERIES = Object.fromEntries(MONTHLY_SERIES.map((name, i) => [name, i])) as Record<MonthlySeries, number>

/**
 * Where each block of observables starts. An iteration writes the metrics, then per year the budget (each cost
 * line, each payer and "other", the total), then the monthly series. Metrics and budget get quantile sketches
 * (intervals); the monthly series get moments only.
 */
export interface ObservableLayout {
  horizonMonths: number
  years: number
  /** Payer columns of the budget: the scenario's payers in file order, then "other". */
  payers: readonly string[]
  metricCount: number
  budgetBase: number
  /** Columns per year: lines, payers, total. */
  budgetColumns: number
  monthlyBase: number
  /** Observables with sketches: the metrics and the budget. */
  sketched: number
  observables: number
}

export const budgetColumn = {
  line: (l: number) => l,
  payer: (p: number) => COST_LINES.length + p,
  total: (payers: number) => COST_LINES.length + payers,
}

export const observableLayout = (horizonMonths: number, payers: readonly string[] = ['other']): ObservableLayout => {
  const years = Math.ceil(horizonMonths / 12)
  const metricCount = METRICS.length
  const budgetBase = metricCount
  const budgetColumns = COST_LINES.length + payers.length + 1
  const monthlyBase = budgetBase + years * budgetColumns
  return {
    horizonMonths,
    years,
    payers,
    metricCount,
    budgetBase,
    budgetColumns,
    monthlyBase,
    sketched: monthlyBase,
    observables: monthlyBase + MONTHLY_SERIES.length * horizonMonths,
  }
}

/** The names of the sketched observables in order: the metrics, then `budget.year<y>.<column>`. */
export const sketchedNames = (L: ObservableLayout): string[] => {
  const columns = [...COST_LINES, ...L.payers.map((p) => `payer.${p}`), 'total']
  const names: string[] = [...METRICS]
  for (let y = 1; y <= L.years; y++) for (const c of columns) names.push(`budget.year${y}.${c}`)
  return names
}
