/** Words and units for what a report holds, for tables a reader reads (CLI, workbook): no camelCase. */
import { METRIC_UNITS, type CostLine, type MetricName, type MetricUnit } from '../engine/layout'

export const COST_LINE_NAMES: Record<CostLine, string> = {
  stay: 'Stay (reception, housing, health)',
  counselling: 'Counselling',
  outreach: 'Outreach',
  travel: 'Travel (assisted)',
  cash: 'Cash',
  inKind: 'In-kind support',
  complexTopUp: 'Complex-case top-up',
  training: 'Pre-return training',
  psychosocial: 'Psychosocial support',
  caseManagement: 'Case management',
  community: 'Community programme',
  programmeFixed: 'Programme administration',
  detention: 'Detention',
  escortAndTravel: 'Escort and travel (removal)',
  failedAttempts: 'Failed removal attempts',
  removalAdmin: 'Removal casework',
}

const NAMES: Record<Exclude<MetricName, `cost.${string}`>, string> = {
  returnsAssisted: 'Assisted returns',
  returnsForced: 'Forced returns',
  returnsUnassisted: 'Unassisted returns',
  returnsTotal: 'All returns',
  repeatAssistedReturns: 'Repeat assisted returns',
  sustainableReintegrations: 'Sustainable reintegrations',
  sustainableAtHorizon: 'Sustainable at the horizon',
  remigrations: 'Re-migrations',
  irregularStayPersonMonths: 'Irregular stay',
  eligibleAtHorizon: 'Still in the country at the horizon',
  waitingAtHorizon: 'Waiting at the horizon',
  absconded: 'Absconded',
  waitingListPeak: 'Waiting list at its peak',
  queuePersonMonths: 'Time on the waiting list',
  meanWaitMonths: 'Mean wait per assisted return',
  counselledCases: 'Counselled cases',
  totalCost: 'Total cost (all lines, stay included)',
  programmeCost: 'Programme cost',
  removalCost: 'Removal cost',
  costPerReturn: 'Cost per return (all costs, stay included)',
  costPerAssistedReturn: 'Programme cost per assisted return',
  costPerForcedReturn: 'Removal cost per forced return',
  costPerSustainableReintegration: 'Cost per sustainable reintegration (all costs, stay included)',
  shareAssisted: 'Share of returns assisted',
  localResidentsServed: 'Local residents served',
}

/** A metric's name for a reader: "Assisted returns", "Cost: Detention". */
export const metricName = (metric: string): string => {
  if (metric.startsWith('cost.')) return `Cost: ${COST_LINE_NAMES[metric.slice(5) as CostLine] ?? metric.slice(5)}`
  return NAMES[metric as keyof typeof NAMES] ?? metric
}

/** A metric's unit, the currency filled in: "people", "EUR", "EUR per person", "share". */
export const metricUnit = (metric: string, currency: string): string => {
  const unit: MetricUnit | undefined = METRIC_UNITS[metric as MetricName]
  if (unit === 'money') return currency
  if (unit === 'money per person') return `${currency} per person`
  return unit ?? ''
}

/** A payer's name for a reader: the scenario's own names as written, "other" spelled out. */
export const payerName = (payer: string): string => (payer === 'other' ? 'Other (lines no payer names)' : payer)

/** The decision analyses' outcomes for a reader (all are money in the scenario's currency). */
export const OUTCOME_NAMES: Record<string, string> = {
  totalCost: 'total cost',
  costPerSustainableReintegration: 'cost per sustainable reintegration',
  incrementalCost: 'incremental cost',
  netMonetaryBenefit: 'net monetary benefit',
}
export const outcomeName = (outcome: string): string => OUTCOME_NAMES[outcome] ?? outcome
