import { describe, expect, it } from 'vitest'
import { calibrate, ESS_FLOOR, ksDistance, resample, summariseDraws } from './calibration'
import type { CalibrationTarget } from './calibration-targets'
import { correlationFor } from './inputs'
import { AnalysisProblems } from './outcomes'
import { distAtPath } from './parameter-paths'
import { CohortModel } from '../engine/cohort'
import { distMoments } from '../engine/distributions'
import { M } from '../engine/layout'
import { distQuantile } from '../engine/quantiles'
import { Stream } from '../engine/rng'
import { runInProcess, runShard } from '../engine/run'
import { parseScenario, type Scenario } from '../engine/scenario'

const parse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

/** Nobody leaves: person-months are exactly 12 x stock, and the stay cost is person-months x its unit cost. */
const closedCohort = (stock: unknown, stayCost: unknown = 500) =>
  parse({
    schemaVersion: 2,
    id: 'closed',
    title: 'Closed cohort',
    currency: 'EUR',
    horizonMonths: 12,
    cohort: 'expected',
    groups: [
      { id: 'g', label: 'G', stock, monthlyStayCostPerPerson: stayCost, baseMonthlyUptake: 0, unassistedReturnMonthly: 0, abscondMonthly: 0 },
    ],
    programme: null,
    removal: { attemptMonthly: 0, successProbability: 0.5 },
    effects: { sustainableAvrr: 0.6, sustainableForced: 0.3, remigrationMonthly: { sustainable: 0, notSustainable: 0 } },
  })

/** A programme and removals, five inputs that the five targets below identify together, and one they do not. */
const synthetic = (x: { stock: unknown; attempt: unknown; cost: unknown; uptake: unknown; stay: unknown }) =>
  parse({
    schemaVersion: 2,
    id: 'synthetic',
    title: 'Synthetic',
    currency: 'EUR',
    horizonMonths: 24,
    cohort: 'expected',
    groups: [
      {
        id: 'g',
        label: 'G',
        stock: x.stock,
        inflowPerMonth: 100,
        monthlyStayCostPerPerson: x.stay,
        baseMonthlyUptake: x.uptake,
        unassistedReturnMonthly: 0.005,
        abscondMonthly: 0.005,
      },
    ],
    programme: { cashPerAdult: 1000, travelPerPerson: 500 },
    removal: { attemptMonthly: x.attempt, successProbability: 0.6, detentionDaysPerAttempt: 20, detentionCostPerDay: x.cost },
    effects: {
      packageValue: 0,
      sustainableAvrr: { dist: 'beta', alpha: 6, beta: 4 },
      sustainableForced: 0.3,
      remigrationMonthly: { sustainable: 0.001, notSustainable: 0.01 },
    },
  })

const TRUTH = { stock: 5000, attempt: 0.02, cost: 150, uptake: 0.01, stay: 900 }
const TRUE_PATHS: Record<keyof typeof TRUTH, string> = {
  stock: 'groups[g].stock',
  attempt: 'removal.attemptMonthly',
  cost: 'removal.detentionCostPerDay',
  uptake: 'groups[g].baseMonthlyUptake',
  stay: 'groups[g].monthlyStayCostPerPerson',
}
const WIDE_PRIOR = {
  stock: { dist: 'uniform', min: 1000, max: 12000 },
  attempt: { dist: 'uniform', min: 0.002, max: 0.08 },
  cost: { dist: 'uniform', min: 40, max: 400 },
  uptake: { dist: 'uniform', min: 0.001, max: 0.05 },
  stay: { dist: 'lognormal', low: 300, high: 2500 },
}

/** The targets the true inputs produce (the expected cohort at points: deterministic), each with a relative sd. */
const targetsFromTruth = (metrics: readonly (keyof typeof M)[], relativeSd = 0.05): CalibrationTarget[] => {
  const report = runInProcess(synthetic(TRUTH), { seed: 1, iterations: 1 }).report
  return metrics.map((metric) => ({ metric, value: report.metrics[metric].mean!, sd: relativeSd * report.metrics[metric].mean! }))
}
const FIVE_TARGETS = targetsFromTruth(['irregularStayPersonMonths', 'returnsForced', 'cost.detention', 'returnsAssisted', 'cost.stay'])

const width = (s: { p05: number | null; p95: number | null }) => s.p95! - s.p05!

describe('calibrate: a normal prior and a normal figure of a linear metric (the posterior is known)', () => {
  // prior stock N(1000, 200), figure 12 x 1300 with sd 12 x 100: posterior N(1240, sqrt(8000))
  const prior = closedCohort({ dist: 'normal', mean: 1000, sd: 200, min: 0, max: 3000 }, { dist: 'lognormal', low: 300, high: 800 })
  const result = calibrate(prior, {
    seed: 3,
    iterations: 20_000,
    targets: [{ id: 'person-months', metric: 'irregularStayPersonMonths', value: 15_600, sd: 1200 }],
  })
  const stock = result.inputs.find((i) => i.path === 'groups[g].stock')!
  const { ess, posteriorDraws } = result.diagnostics
  // the resampled posterior: its mean is off by sd sqrt(1/ESS + 1/M), its sd by about sd sqrt((1/ESS + 1/M) / 2)
  const se = Math.sqrt(1 / ess + 1 / posteriorDraws)
  const [mean, sd] = [1240, Math.sqrt(8000)]

  it('weighs the prior draws by the likelihood: the posterior mean and sd within 4 standard errors of the exact ones', () => {
    expect(ess).toBeGreaterThan(ESS_FLOOR)
    expect(Math.abs(stock.posterior.mean! - mean)).toBeLessThan(4 * sd * se)
    expect(Math.abs(stock.posterior.sd! - sd)).toBeLessThan(4 * sd * se * Math.SQRT1_2)
  })

  it('refits only the informed marginal, to the same mean and sd, and keeps the other Dist as it was', () => {
    expect(stock.informed).toBe('marginal')
    const fitted = distMoments(stock.calibrated!.dist)
    expect(Math.abs(fitted.mean - mean)).toBeLessThan(4 * sd * se)
    expect(Math.abs(Math.sqrt(fitted.variance) - sd)).toBeLessThan(4 * sd * se * Math.SQRT1_2)
    const stay = result.inputs.find((i) => i.path === 'groups[g].monthlyStayCostPerPerson')!
    expect(stay.informed).toBe('none')
    expect(distAtPath(result.scenario, stay.path)).toEqual(distAtPath(prior, stay.path))
    expect(result.correlation).toBeNull()
  })

  it('writes a valid scenario that says what it was calibrated to, and whose targets pass the predictive check', () => {
    expect(parseScenario(result.scenario).ok).toBe(true)
    expect(result.scenario.id).toBe('closed-calibrated')
    const sources = result.scenario.sources!.join('\n')
    expect(sources).toContain('sampling-importance-resampling over 20,000 prior draws of closed (seed 3)')
    expect(sources).toContain('person-months (irregularStayPersonMonths 15600 sd 1200)')
    expect(sources).toContain(`effective sample size ${ess.toFixed(0)}`)
    expect(result.scenario.targets).toEqual([
      expect.objectContaining({ id: 'person-months', value: 15_600, low: 15_600 - 1.6448536269514722 * 1200 }),
    ])
    expect(result.targets[0].check.inside).toBe(true)
    expect(result.predictiveCheck.allInside).toBe(true)
  })
})

describe('calibrate recovers known inputs from a wide prior (issue 10)', () => {
  it('IMIS: five inputs identified by five figures, each true value inside its narrower posterior 90% interval', () => {
    const result = calibrate(synthetic(WIDE_PRIOR), { seed: 7, iterations: 20_000, targets: FIVE_TARGETS, method: 'imis' })
    expect(result.diagnostics.collapsed).toBe(false)
    for (const [name, path] of Object.entries(TRUE_PATHS)) {
      const input = result.inputs.find((i) => i.path === path)!
      const truth = TRUTH[name as keyof typeof TRUTH]
      expect(input.informed, path).toBe('marginal')
      expect(input.posterior.p05!, path).toBeLessThanOrEqual(truth)
      expect(input.posterior.p95!, path).toBeGreaterThanOrEqual(truth)
      expect(width(input.posterior), path).toBeLessThan(width(input.prior.draws))
      // the calibrated file's Dist too
      const dist = input.calibrated!.dist
      expect(distQuantile(dist, 0.05), path).toBeLessThanOrEqual(truth)
      expect(distQuantile(dist, 0.95), path).toBeGreaterThanOrEqual(truth)
    }
    expect(result.inputs.find((i) => i.path === 'effects.sustainableAvrr')!.informed).toBe('none')
    expect(result.predictiveCheck.allInside).toBe(true)
    expect(correlationFor([new CohortModel(result.scenario)], result.correlation!).ok).toBe(true)
  })

  it('SIR: two inputs from two figures known to 10%, from the scenario draws alone', () => {
    const scenario = synthetic({ ...TRUTH, stock: WIDE_PRIOR.stock, cost: WIDE_PRIOR.cost })
    const targets = targetsFromTruth(['irregularStayPersonMonths', 'cost.detention'], 0.1)
    const result = calibrate(scenario, { seed: 8, iterations: 20_000, targets })
    expect(result.diagnostics.collapsed).toBe(false)
    for (const name of ['stock', 'cost'] as const) {
      const input = result.inputs.find((i) => i.path === TRUE_PATHS[name])!
      expect(input.informed).toBe('marginal')
      expect(input.posterior.p05!).toBeLessThanOrEqual(TRUTH[name])
      expect(input.posterior.p95!).toBeGreaterThanOrEqual(TRUTH[name])
      expect(width(input.posterior)).toBeLessThan(width(input.prior.draws))
    }
  })

  it('SIR on the five: the weights collapse onto a few draws, and it says so', () => {
    const result = calibrate(synthetic(WIDE_PRIOR), { seed: 7, iterations: 5_000, targets: FIVE_TARGETS })
    expect(result.diagnostics.collapsed).toBe(true)
    expect(result.diagnostics.ess).toBeLessThan(ESS_FLOOR)
    expect(result.diagnostics.warnings[0]).toMatch(/effective sample size collapsed.*Try IMIS/)
    expect(result.scenario.sources!.join('\n')).toContain('collapsed')
  })
})

describe('calibrate: draws, correlation, refusals', () => {
  it("the prior draws are the scenario's own iterations (common random numbers)", () => {
    const scenario = synthetic({ ...WIDE_PRIOR, stock: 5000 })
    const n = 300
    const result = calibrate(scenario, { seed: 11, iterations: n, targets: [{ metric: 'returnsForced', value: 1300, sd: 100 }] })
    const shard = runShard(scenario, { seed: 11, from: 0, to: n, keepIterations: true })
    const forced = Float64Array.from({ length: n }, (_, i) => shard.iterations![i * shard.sketched + M.returnsForced])
    const { undefinedDraws: _, ...summary } = summariseDraws(forced)
    expect(result.targets[0].prior).toMatchObject(summary)
  })

  it('writes the posterior rank correlation as a companion the copula accepts, and can start from it', () => {
    const result = calibrate(synthetic({ ...TRUTH, attempt: WIDE_PRIOR.attempt, stock: WIDE_PRIOR.stock }), {
      seed: 5,
      iterations: 10_000,
      targets: targetsFromTruth(['returnsForced']),
    })
    // removals fix stock x attempt: the two become negatively correlated
    const spec = result.correlation!
    const [a, b] = [spec.paths.indexOf('groups[g].stock'), spec.paths.indexOf('removal.attemptMonthly')]
    expect(spec.matrix[a][b]).toBeLessThan(-0.5)
    // the dependence travels in the calibrated scenario, and is the next calibration's prior by default
    expect(result.scenario.correlation).toMatchObject(spec)
    const again = calibrate(result.scenario, { seed: 6, iterations: 2_000, checkIterations: 500 })
    expect(again.targets[0].prior.inside).toBe(true)
  })

  it('names each field that does not fit', () => {
    const scenario = synthetic(WIDE_PRIOR)
    const problems = (request: Parameters<typeof calibrate>[1]) => {
      try {
        calibrate(scenario, request)
      } catch (e) {
        if (e instanceof AnalysisProblems) return e.problems.map((p) => p.path)
        throw e
      }
      return []
    }
    expect(problems({ seed: 1, iterations: 1000 })).toEqual(['targets'])
    expect(problems({ seed: 1, iterations: 50, targets: [{ metric: 'returnsForced', value: 1 }] })).toEqual([
      'iterations',
      'targets[0].sd',
    ])
    expect(
      problems({ seed: 1, iterations: 1000, method: 'imis', correlation: { paths: ['a', 'b'], matrix: [[1, 0], [0, 1]] }, targets: FIVE_TARGETS }),
    ).toEqual(['correlation', 'correlation.paths[0]', 'correlation.paths[1]'])
    const withTargets = { ...scenario, targets: [{ id: 'forced', metric: 'returnsForced' as const, value: 1300 }] }
    expect(() => calibrate(withTargets, { seed: 1, iterations: 1000 })).toThrow(/scenario.targets\[0\].low/)
  })
})

describe('the pieces', () => {
  it('systematic resampling draws each index floor or ceil of M times its weight', () => {
    const weights = Float64Array.of(0.5, 0.25, 0.125, 0.0625, 0.0625)
    const counts = new Array(5).fill(0)
    for (const i of resample(weights, 1000, new Stream().reset(1, 2, 3))) counts[i]++
    counts.forEach((c, i) => {
      expect(c).toBeGreaterThanOrEqual(Math.floor(1000 * weights[i]))
      expect(c).toBeLessThanOrEqual(Math.ceil(1000 * weights[i]))
    })
  })

  it('the KS distance of two sorted samples', () => {
    expect(ksDistance(Float64Array.of(1, 2, 3, 4), Float64Array.of(1, 2, 3, 4))).toBe(0)
    expect(ksDistance(Float64Array.of(1, 2), Float64Array.of(3, 4))).toBe(1)
    expect(ksDistance(Float64Array.of(1, 2, 3, 4), Float64Array.of(3, 4, 5, 6))).toBe(0.5)
  })
})
