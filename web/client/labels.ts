/** Words for what a run reports (docs/model.md): headline metrics, cost lines, monthly series, analysis options. */
import type { NumericLever } from '../../models/analysis/levers'
import type { Outcome } from '../../models/analysis/outcomes'

export interface HeadlineMetric {
  metric: string
  label: string
  money: boolean
  help: string
}

/** The headline numbers, in reading order. */
export const HEADLINE: HeadlineMetric[] = [
  { metric: 'returnsAssisted', label: 'Assisted returns', money: false, help: 'people who leave with the programme' },
  { metric: 'returnsForced', label: 'Forced returns', money: false, help: 'people removed' },
  { metric: 'returnsUnassisted', label: 'Unassisted returns', money: false, help: 'people who leave on their own' },
  {
    metric: 'sustainableReintegrations',
    label: 'Sustainable reintegrations',
    money: false,
    help: 'returnees sustainably reintegrated at the end of support',
  },
  { metric: 'remigrations', label: 'Re-migrations', money: false, help: 'returnees who leave their country again' },
  { metric: 'totalCost', label: 'Total cost', money: true, help: 'all public costs over the horizon' },
  { metric: 'costPerReturn', label: 'Cost per return', money: true, help: 'all public costs, stay included, over all returns: not a programme unit cost (see the unit costs below)' },
  {
    metric: 'costPerSustainableReintegration',
    label: 'Cost per sustainable reintegration',
    money: true,
    help: 'all public costs, stay included, over sustainable reintegrations: not a programme unit cost',
  },
]

/** The cost lines' names, the same words as the CLI's tables and the workbook. */
export { COST_LINE_NAMES as COST_LINE_LABELS } from '../../models/analysis/metric-labels'

export const RETURN_KIND_LABELS = {
  returnsAssisted: 'Assisted',
  returnsForced: 'Forced',
  returnsUnassisted: 'Unassisted',
} as const

/** The outcomes of the decision analyses (models/outcomes.ts), and what each needs besides the scenario. */
export const OUTCOME_LABELS: Record<Outcome, { label: string; comparator: boolean; wtp: boolean }> = {
  totalCost: { label: 'Total cost', comparator: false, wtp: false },
  costPerSustainableReintegration: { label: 'Cost per sustainable reintegration', comparator: false, wtp: false },
  incrementalCost: { label: 'Incremental cost against a comparator', comparator: true, wtp: false },
  netMonetaryBenefit: { label: 'Net monetary benefit against a comparator', comparator: true, wtp: true },
}

/** The levers a threshold analysis can move (models/levers.ts), and the unit their value is per. */
export const THRESHOLD_LEVER_LABELS: Record<NumericLever, { label: string; per: string; money: boolean }> = {
  cashPerAdult: { label: 'Cash per adult', per: 'per adult', money: true },
  inKindPerCase: { label: 'In-kind support per case', per: 'per case', money: true },
  scale: { label: 'Scale of the programme', per: '', money: false },
  counsellingCost: { label: 'Counselling cost per case', per: 'per case', money: true },
}
