/** The decision-analysis reports the CLI prints and the API returns: one assembly for both. */
import { removalOnlyVersion } from './compare'
import { evppi, type EvppiReport } from './evppi'
import { needsComparator, type Outcome } from './outcomes'
import { psaSample, rankCorrelations, type RankCorrelation } from './psa-sample'
import type { Seed } from '../engine/rng'
import type { Scenario } from '../engine/scenario'
import { tornado, type TornadoMethod, type TornadoMode, type TornadoResult } from './sensitivity'
import { threshold, type ThresholdCriterion, type ThresholdResult } from './threshold'
import type { NumericLever } from './levers'
import type { TornadoPart } from './tornado-split'

/** What `homecoming sensitivity` reports and POST /api/sensitivity returns. */
export interface SensitivityReport {
  scenarioId: string
  currency: string
  outcome: string
  comparatorId: string | null
  wtp: number | null
  seed: Seed
  tornado: TornadoResult
  psaIterations: number
  rankCorrelations: RankCorrelation[]
  evppi: (EvppiReport & { comparatorId: string }) | null
  evppiNote?: string
}

export interface SensitivityRequest {
  outcome: Outcome
  /** The comparator; by default (incremental outcomes, EVPPI) the scenario's own removal-only version. */
  comparator?: Scenario
  wtp?: number
  /** Accept a comparator of another population (refused otherwise). */
  compareAnyway?: boolean
  seed: Seed
  /** PSA iterations behind the rank correlations and EVPPI. */
  iterations: number
  /** Paired iterations behind each end of each tornado bar. */
  tornadoIterations: number
  mode: TornadoMode
  expectedCohort?: boolean
  /** 'rerun' (default) or 'metamodel': the bars read off a PSA of tornadoIterations (tornado-metamodel.ts). */
  tornadoMethod?: TornadoMethod
}

/** The tornado of a sensitivity report, as a runner computes it (split over threads, or in one). */
export const sensitivityTornadoPart = (scenario: Scenario, request: SensitivityRequest): TornadoPart => {
  // an incremental outcome without a comparator is taken against the removal-only version, as a comparison is
  const comparator = request.comparator ?? (needsComparator(request.outcome) ? removalOnlyVersion(scenario) : undefined)
  return {
    scenario,
    spec: { outcome: request.outcome, comparator, wtp: request.wtp, compareAnyway: request.compareAnyway },
    sampling: { seed: request.seed, iterations: request.tornadoIterations },
    options: { mode: request.mode, expectedCohort: request.expectedCohort, method: request.tornadoMethod },
  }
}

/**
 * Tornado, rank correlations and EVPPI of one scenario. Rejects with AnalysisProblems on options that do not fit.
 * EVPPI values a choice: the scenario or its comparator, by default the scenario without its programme.
 */
export const sensitivityReport = async (
  scenario: Scenario,
  request: SensitivityRequest,
  runners: { tornado?: (part: TornadoPart) => Promise<TornadoResult>; onProgress?: (done: number, total: number) => void } = {},
): Promise<SensitivityReport> => {
  const decisionComparator = request.comparator ?? (scenario.programme ? removalOnlyVersion(scenario) : undefined)
  const part = sensitivityTornadoPart(scenario, request)
  const { spec, sampling, options } = part
  const comparator = spec.comparator
  // on a thread pool the tornado is split by inputs (same bars); here it runs in this thread
  const tornadoResult = runners.tornado
    ? await runners.tornado(part)
    : tornado(scenario, spec, sampling, { ...options, onProgress: runners.onProgress })
  const sample = psaSample(
    scenario,
    { ...spec, comparator: decisionComparator, wtp: request.wtp ?? 0 },
    { seed: request.seed, iterations: request.iterations },
  )
  return {
    scenarioId: scenario.id,
    currency: scenario.currency,
    outcome: request.outcome,
    comparatorId: comparator?.id ?? null,
    wtp: request.wtp ?? null,
    seed: request.seed,
    tornado: tornadoResult,
    psaIterations: request.iterations,
    rankCorrelations: rankCorrelations(sample),
    evppi: decisionComparator ? { ...evppi(sample), comparatorId: decisionComparator.id } : null,
    ...(decisionComparator
      ? {}
      : { evppiNote: 'needs a choice: give a comparator (this scenario has no programme to remove)' }),
  }
}

export type ThresholdReport = ThresholdResult & { scenarioId: string; comparatorId: string | null; currency: string }

export interface ThresholdRequest {
  lever: NumericLever
  /** Accept a comparator of another population (refused otherwise). */
  compareAnyway?: boolean
  criterion?: ThresholdCriterion
  /** Either end may be left out (threshold.ts finds it). */
  range?: [number | undefined, number | undefined]
  seed: Seed
  iterations: number
}

/**
 * The break-even (or target) value of a lever, with its uncertainty on a grid. Break-even is against the comparator,
 * by default the scenario's own removal-only version; a target needs none. Throws AnalysisProblems.
 */
export const thresholdReport = (
  scenario: Scenario,
  given: Scenario | null | undefined,
  request: ThresholdRequest,
): ThresholdReport => {
  const comparator = given ?? (request.criterion?.kind === 'target' ? null : removalOnlyVersion(scenario))
  return {
    scenarioId: scenario.id,
    comparatorId: comparator?.id ?? null,
    currency: scenario.currency,
    ...threshold(
      scenario,
      comparator,
      { seed: request.seed, iterations: request.iterations },
      { lever: request.lever, criterion: request.criterion, range: request.range, compareAnyway: request.compareAnyway },
    ),
  }
}
