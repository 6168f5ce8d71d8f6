import { describe, expect, it } from 'vitest'
import { assistedReturns, personMonths, toy } from './fixtures.test-util'
import { AnalysisProblems } from './outcomes'
import { betaQuantile } from '../engine/beta'
import { tornado } from './sensitivity'
import { twoWay } from './two-way'
import { CohortModel } from '../engine/cohort'
import { parseScenario, type Scenario } from '../engine/scenario'
import { getPresetRaw } from '../../scenarios/index'

const preset = (id: string, cohort: Scenario['cohort']): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`preset ${id} does not parse`)
  return { ...parsed.scenario, cohort }
}

const close = (actual: number | null, expected: number, relative = 1e-9) => {
  expect(actual).not.toBeNull()
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)))
}

/**
 * Removal only: attempts 10% a month, half succeed, so the eligible shrink by 0.95 a month. Total cost =
 * stay x person-months + detention days x cost per day x attempts, linear in both uncertain unit costs.
 */
const linear = toy({
  removal: {
    attemptMonthly: 0.1,
    successProbability: 0.5,
    detentionDaysPerAttempt: 10,
    detentionCostPerDay: { dist: 'uniform', min: 100, max: 300 },
  },
  effects: {
    packageValue: 0,
    sustainableAvrr: 0.6,
    sustainableForced: { dist: 'beta', alpha: 2, beta: 3 },
    remigrationMonthly: { sustainable: 0, notSustainable: 0 },
    reentryShare: 0,
  },
}, { monthlyStayCostPerPerson: { dist: 'uniform', min: 500, max: 900 } })

const PM = personMonths(0.95)
const ATTEMPTS = 0.1 * PM
const REMOVED = 0.5 * ATTEMPTS
/** swing = slope x (q95 - q05); for a uniform(min, max), q95 - q05 = 0.9 (max - min). */
const STAY_SWING = PM * 0.9 * 400
const DETENTION_SWING = 10 * ATTEMPTS * 0.9 * 200

describe('tornado on a linear toy: swing = slope x (q95 - q05), computed by hand', () => {
  it('median mode, expected cohort: one iteration, exact swings, sorted, an input the cost ignores swings 0', () => {
    const r = tornado(linear, { outcome: 'totalCost' }, { seed: 1, iterations: 500 }, { mode: 'median' })
    expect(r.iterations).toBe(1)
    expect(r.bars.map((b) => b.path)).toEqual([
      'groups[g].monthlyStayCostPerPerson',
      'removal.detentionCostPerDay',
      'effects.sustainableForced',
    ])
    close(r.bars[0].swing, STAY_SWING)
    close(r.bars[1].swing, DETENTION_SWING)
    expect(r.bars[2].swing).toBe(0)
    close(r.base, 700 * PM + 10 * 200 * ATTEMPTS)
    close(r.bars[0].low.input, 520)
    close(r.bars[0].high.input, 880)
    close(r.bars[0].low.outcome, 520 * PM + 10 * 200 * ATTEMPTS)
    expect(r.bars[0].mcse).toBe(0)
  })

  it('psa-mean mode: the others drawn with common random numbers; the swing is still exactly slope x (q95 - q05)', () => {
    const r = tornado(linear, { outcome: 'totalCost' }, { seed: 'psa', iterations: 400 }, { mode: 'psa-mean' })
    expect(r.iterations).toBe(400)
    close(r.bars[0].swing, STAY_SWING)
    close(r.bars[1].swing, DETENTION_SWING)
    // paired: every iteration's difference is the same number, so its standard error vanishes
    expect(r.bars[0].mcse!).toBeLessThan(1e-6 * STAY_SWING)
    // the low end keeps detention drawn: its mean is the sample mean of a uniform(100, 300), near 200
    const lowDetention = (r.bars[0].low.outcome! - 520 * PM) / (10 * ATTEMPTS)
    expect(Math.abs(lowDetention - 200)).toBeLessThan(10)
  })

  it('a ratio outcome: cost per sustainable reintegration against the forced-return sustainability (beta quantiles)', () => {
    const r = tornado(linear, { outcome: 'costPerSustainableReintegration' }, { seed: 1, iterations: 1 }, { mode: 'median' })
    const bar = r.bars.find((b) => b.path === 'effects.sustainableForced')!
    const cost = 700 * PM + 10 * 200 * ATTEMPTS
    close(bar.low.input, betaQuantile(0.05, 2, 3), 1e-12)
    close(bar.low.outcome, cost / (REMOVED * betaQuantile(0.05, 2, 3)))
    close(bar.high.outcome, cost / (REMOVED * betaQuantile(0.95, 2, 3)))
  })

  it('incremental cost against a comparator: inputs of both scenarios fixed together, cash swings by hand', () => {
    const programme = toy({ programme: { cashPerAdult: { dist: 'uniform', min: 1000, max: 3000 } } }, { monthlyStayCostPerPerson: { dist: 'uniform', min: 500, max: 900 } })
    const removalOnly = toy({}, { monthlyStayCostPerPerson: { dist: 'uniform', min: 500, max: 900 } })
    const r = tornado(programme, { outcome: 'incrementalCost', comparator: removalOnly }, { seed: 2, iterations: 50 }, { mode: 'psa-mean' })
    const cash = r.bars.find((b) => b.path === 'programme.cashPerAdult')!
    // cash is paid per adult: 1.5 adults per case of 2 persons, for each assisted returnee
    close(cash.swing, 0.75 * assistedReturns(0.05) * 0.9 * 2000)
    // stay cost: the programme saves the person-months of those who leave, in both scenarios paired
    const stay = r.bars.find((b) => b.path === 'groups[g].monthlyStayCostPerPerson')!
    close(stay.swing, (12 * 1000 - personMonths(0.95)) * 0.9 * 400)
  })

  it('refuses what it cannot compute, naming the field', () => {
    expect(() => tornado(linear, { outcome: 'incrementalCost' }, { seed: 1, iterations: 10 })).toThrow(AnalysisProblems)
    expect(() => tornado(linear, { outcome: 'netMonetaryBenefit', comparator: linear }, { seed: 1, iterations: 10 })).toThrow(/wtp: is required/)
    expect(() => tornado(linear, { outcome: 'totalCost' }, { seed: 1, iterations: 10 }, { inputs: ['programme.nothing'] })).toThrow(/not an uncertain input/)
  })
})

describe('two-way sensitivity', () => {
  it('cash x counselling setting: linear in cash in every column, the setting effect where it belongs', () => {
    const scenario = toy({
      programme: { cashPerAdult: 1000, counselling: { setting: 'enforcement' } },
      effects: {
        packageValue: 0,
        counsellingSetting: { neutral: 0.5, 'trusted-actors': 1 },
        sustainableAvrr: 0.6,
        sustainableForced: 0.3,
        remigrationMonthly: { sustainable: 0, notSustainable: 0 },
        reentryShare: 0,
      },
    })
    const r = twoWay(
      scenario,
      { outcome: 'totalCost' },
      { seed: 1, iterations: 3 },
      { lever: 'cashPerAdult', values: [0, 1000, 2000] },
      { lever: 'counsellingSetting', values: ['enforcement', 'neutral', 'trusted-actors'] },
    )
    const sigmoid = (x: number) => 1 / (1 + Math.exp(-x))
    const logit = (p: number) => Math.log(p / (1 - p))
    ;[0, 0.5, 1].forEach((shift, c) => {
      const b = sigmoid(logit(0.05) + shift)
      for (let row = 0; row < 3; row++)
        close(r.mean[row][c], 500 * personMonths(1 - b) + 0.75 * row * 1000 * assistedReturns(b))
    })
  })
})

describe('tornado: pricing inputs re-priced from the base run', () => {
  const garp = (cohort: Scenario['cohort']) => preset('de-reag-garp', cohort)
  const trusted = (cohort: Scenario['cohort']) => preset('de-trusted-actors', cohort)

  /** Every bar of the re-priced tornado equals the re-run one to 1e-9 (and the pricing inputs are there). */
  const sameBars = (a: ReturnType<typeof tornado>, b: ReturnType<typeof tornado>) => {
    expect(a.bars.map((bar) => bar.path)).toEqual(b.bars.map((bar) => bar.path))
    a.bars.forEach((bar, k) => {
      const other = b.bars[k]
      for (const end of ['low', 'high'] as const) {
        if (other[end].outcome === null) expect(bar[end].outcome).toBeNull()
        else close(bar[end].outcome, other[end].outcome!)
      }
      close(bar.swing, other.swing)
      if (other.mcse !== null && other.mcse > 0) close(bar.mcse, other.mcse, 1e-6)
    })
    close(a.base, b.base!)
  }

  it('the pricing slots are unit costs and programme costs, not the package amounts that move uptake', () => {
    const model = new CohortModel(garp('expected'))
    const paths = [...model.pricingSlots].map((slot) => model.table.paths[slot])
    expect(paths).toContain('programme.travelPerPerson')
    expect(paths).toContain('removal.escortAndTravelPerPerson')
    expect(paths.some((p) => p.endsWith('monthlyStayCostPerPerson'))).toBe(true)
    expect(paths.some((p) => p.includes('cash'))).toBe(false)
    // the preset has uncertain pricing inputs, so the comparisons below re-price some bars
    const uncertain = [...model.pricingSlots].filter((slot) => model.table.kinds[slot] !== 0)
    expect(uncertain.length).toBeGreaterThan(3)
  })

  for (const cohort of ['stochastic', 'expected'] as const) {
    it(`equals re-running every input (total cost, ${cohort} cohort, psa-mean and median)`, () => {
      const sampling = { seed: 'reprice', iterations: 40 }
      for (const mode of ['psa-mean', 'median'] as const) {
        const fast = tornado(garp(cohort), { outcome: 'totalCost' }, sampling, { mode })
        const slow = tornado(garp(cohort), { outcome: 'totalCost' }, sampling, { mode, repriceCosts: false })
        sameBars(fast, slow)
      }
    })
  }

  it('equals re-running every input for an incremental outcome with a comparator (stochastic)', () => {
    const spec = { outcome: 'netMonetaryBenefit' as const, comparator: trusted('stochastic'), wtp: 20_000 }
    const sampling = { seed: 'reprice', iterations: 24 }
    sameBars(tornado(garp('stochastic'), spec, sampling), tornado(garp('stochastic'), spec, sampling, { repriceCosts: false }))
  })

  it('orders bars of equal swing by path', () => {
    const result = tornado(garp('expected'), { outcome: 'totalCost' }, { seed: 1, iterations: 4 }, { mode: 'median', expectedCohort: true })
    for (let k = 1; k < result.bars.length; k++) {
      const [a, b] = [result.bars[k - 1], result.bars[k]]
      expect(a.swing > b.swing || (a.swing === b.swing && a.path.localeCompare(b.path) < 0)).toBe(true)
    }
  })
})
