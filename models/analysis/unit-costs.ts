/**
 * Unit costs a budget office reads (docs/model.md section 8): programme cost per assisted return, per additional
 * return and per additional sustainable reintegration against the comparator, and the net cost with and without
 * stay; each says what it includes.
 */
import type { MetricSummary } from '../engine/run'

export interface UnitCost {
  id: string
  label: string
  /** Money per person in the report's currency; null where the denominator is 0 or the comparator achieves as much. */
  value: number | null
  /** The 90% interval where the ratio is computed within each iteration (programme cost per assisted return). */
  p05?: number | null
  p95?: number | null
  /** What the numerator and the denominator hold, and how the ratio is taken. */
  includes: string
  /** Why there is no value, where there is none. */
  note?: string
}

export interface CostTotal {
  id: string
  label: string
  /** Mean over the paired iterations, money in the report's currency (negative: a saving). */
  mean: number | null
  p05?: number | null
  p95?: number | null
  includes: string
}

const PROGRAMME_LINES =
  'the programme lines (counselling, outreach, travel, cash, in-kind, complex-case top-up, training, psychosocial ' +
  'support, case management, community, programme administration)'
const REMOVAL_LINES = 'the removal lines (detention, escort and travel, failed attempts, removal casework)'
const STAY = 'the avoidable stay cost (reception, housing, health) of everyone still in the country'

interface Inputs {
  scenarioTitle: string
  comparatorTitle: string
  metrics: Record<string, MetricSummary>
  comparatorMetrics: Record<string, MetricSummary>
  incrementalCost: MetricSummary
  incrementalReturns: MetricSummary
  incrementalSustainable: MetricSummary
  /** The incremental cost's parts, each A minus B within an iteration (paired-shard.ts). */
  incrementalCostWithoutStay: MetricSummary
  incrementalProgrammeCost: MetricSummary
  incrementalStayCost: MetricSummary
}

const mean = (m: MetricSummary | undefined): number => m?.mean ?? NaN

/** A ratio of means; none where the scenario achieves no more than the comparator (the ratio would not be a cost). */
const perAdditional = (numerator: number, denominator: number, what: string): Pick<UnitCost, 'value' | 'note'> =>
  Number.isFinite(numerator) && Number.isFinite(denominator) && denominator > 0
    ? { value: numerator / denominator }
    : { value: null, note: `no ${what}: the scenario achieves no more than the comparator on the means` }

export const incrementalTotals = (r: Inputs): CostTotal[] => {
  const against = 'the scenario minus its comparator within each iteration, discounted, over the horizon'
  const total = (id: string, label: string, m: MetricSummary, includes: string): CostTotal => ({
    id,
    label,
    mean: m.mean,
    p05: m.p05,
    p95: m.p95,
    includes,
  })
  return [
    total('incrementalCostWithStay', 'Incremental cost, stay included', r.incrementalCost,
      `every cost line: ${PROGRAMME_LINES}, ${REMOVAL_LINES} and ${STAY}; ${against}`),
    total('incrementalCostWithoutStay', 'Incremental cost, stay excluded', r.incrementalCostWithoutStay,
      `${PROGRAMME_LINES} and ${REMOVAL_LINES}, no stay cost; ${against}`),
    total('incrementalProgrammeCost', 'Incremental programme cost', r.incrementalProgrammeCost, `${PROGRAMME_LINES}; ${against}`),
    total('incrementalStayCost', 'Incremental stay cost', r.incrementalStayCost, `${STAY}; ${against} (negative: stay avoided)`),
  ]
}

export const unitCosts = (r: Inputs): UnitCost[] => {
  const returns = mean(r.incrementalReturns)
  const sustainable = mean(r.incrementalSustainable)
  const programme = mean(r.incrementalProgrammeCost)
  const net = mean(r.incrementalCost)
  const withoutStay = mean(r.incrementalCostWithoutStay)
  const perAssisted = r.metrics.costPerAssistedReturn
  const vs = 'against the comparator'
  const ratioOfMeans = 'the ratio of the mean differences over the paired iterations'
  const additionalReturns = 'the returns (assisted, forced and unassisted) the scenario achieves beyond its comparator'
  const additionalSustainable = 'the sustainable reintegrations the scenario achieves beyond its comparator'
  return [
    {
      id: 'programmeCostPerAssistedReturn',
      label: 'Programme cost per assisted return',
      value: perAssisted?.mean ?? null,
      p05: perAssisted?.p05 ?? null,
      p95: perAssisted?.p95 ?? null,
      includes: `${PROGRAMME_LINES} of the scenario over its assisted returns; no stay and no removal cost; the ratio within each iteration, its mean and 90% interval`,
    },
    {
      id: 'programmeCostPerAdditionalReturn',
      label: 'Programme cost per additional return',
      ...perAdditional(programme, returns, 'additional returns'),
      includes: `${PROGRAMME_LINES} (${vs}) over ${additionalReturns}; no stay and no removal cost; ${ratioOfMeans}`,
    },
    {
      id: 'programmeCostPerAdditionalSustainableReintegration',
      label: 'Programme cost per additional sustainable reintegration',
      ...perAdditional(programme, sustainable, 'additional sustainable reintegrations'),
      includes: `${PROGRAMME_LINES} (${vs}) over ${additionalSustainable}; no stay and no removal cost; ${ratioOfMeans}`,
    },
    {
      id: 'netCostPerAdditionalReturn',
      label: 'Net cost per additional return, stay included',
      ...perAdditional(net, returns, 'additional returns'),
      includes: `the change in every cost line, stay included (${vs}; negative: a saving) over ${additionalReturns}; ${ratioOfMeans}`,
    },
    {
      id: 'netCostPerAdditionalSustainableReintegration',
      label: 'Net cost per additional sustainable reintegration, stay included (the ICER)',
      ...perAdditional(net, sustainable, 'additional sustainable reintegrations'),
      includes: `the change in every cost line, stay included (${vs}; negative: a saving) over ${additionalSustainable}; ${ratioOfMeans}`,
    },
    {
      id: 'netCostWithoutStayPerAdditionalReturn',
      label: 'Net cost per additional return, stay excluded',
      ...perAdditional(withoutStay, returns, 'additional returns'),
      includes: `the change in the programme and removal lines, no stay cost (${vs}) over ${additionalReturns}; ${ratioOfMeans}`,
    },
    {
      id: 'netCostWithoutStayPerAdditionalSustainableReintegration',
      label: 'Net cost per additional sustainable reintegration, stay excluded',
      ...perAdditional(withoutStay, sustainable, 'additional sustainable reintegrations'),
      includes: `the change in the programme and removal lines, no stay cost (${vs}) over ${additionalSustainable}; ${ratioOfMeans}`,
    },
  ]
}
