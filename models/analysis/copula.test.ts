/** The Gaussian copula of the analyses' correlated inputs: the rank correlation asked for, every marginal kept. */
import { sampleCorrelation } from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { toy } from './fixtures.test-util'
import { CohortModel } from '../engine/cohort'
import { seedKey } from '../engine/rng'
import { parseScenario } from '../engine/scenario'
import { InputDraws } from './inputs'
import { normalCdf } from '../engine/normal'
import { inputColumn, psaSample } from './psa-sample'
import { regularizedBeta } from '../engine/beta'
import { rankUniforms } from './smoother'

const spearman = (x: ArrayLike<number>, y: ArrayLike<number>): number =>
  sampleCorrelation(Array.from(rankUniforms(x)), Array.from(rankUniforms(y)))

/** Kolmogorov-Smirnov distance between a sample and a CDF. */
const ksDistance = (sample: ArrayLike<number>, cdf: (x: number) => number): number => {
  const sorted = Float64Array.from(sample).sort()
  const n = sorted.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i])
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f))
  }
  return d
}

/** Two uncertain unit costs on a one-month horizon (the cohort hardly matters here: the draws do). */
const scenario = toy(
  {
    horizonMonths: 1,
    removal: {
      attemptMonthly: 0.1,
      successProbability: 0.5,
      detentionDaysPerAttempt: { dist: 'pert', min: 0, mode: 2, max: 30 },
      detentionCostPerDay: { dist: 'uniform', min: 100, max: 300 },
    },
  },
  { monthlyStayCostPerPerson: { dist: 'lognormal', low: 650, high: 1100 } },
)
const STAY = 'groups[g].monthlyStayCostPerPerson'
const DETENTION = 'removal.detentionCostPerDay'
const DAYS = 'removal.detentionDaysPerAttempt'
const lognormalCdf = (x: number) => {
  const mu = (Math.log(650) + Math.log(1100)) / 2
  const sigma = (Math.log(1100) - Math.log(650)) / (2 * 1.6448536269514722)
  return normalCdf((Math.log(x) - mu) / sigma)
}

describe('rank correlation imposed by a Gaussian copula', () => {
  it('a requested rank correlation of 0.8 is found within 0.02 at 100,000 iterations, the marginals unchanged', () => {
    const n = 100_000
    const sampling = { seed: 'copula', iterations: n }
    const correlated = psaSample(scenario, { outcome: 'totalCost' }, { ...sampling, correlation: { paths: [STAY, DETENTION], matrix: [[1, 0.8], [0.8, 1]] } })
    const independent = psaSample(scenario, { outcome: 'totalCost' }, sampling)
    const column = (s: typeof correlated, p: string) => inputColumn(s, s.paths.indexOf(p))
    expect(Math.abs(spearman(column(correlated, STAY), column(correlated, DETENTION)) - 0.8)).toBeLessThan(0.02)
    expect(Math.abs(spearman(column(independent, STAY), column(independent, DETENTION)))).toBeLessThan(0.02)
    // marginals: KS distance to the exact CDF below the 1% critical value 1.63 / sqrt(n)
    const critical = 1.63 / Math.sqrt(n)
    expect(ksDistance(column(correlated, STAY), lognormalCdf)).toBeLessThan(critical)
    expect(ksDistance(column(correlated, DETENTION), (x) => (x - 100) / 200)).toBeLessThan(critical)
    // the first input of the spec keeps its very draws (its own uniform, by inversion); the others are remapped
    const sameDraws = (p: string) => column(correlated, p).every((x, i) => x === column(independent, p)[i])
    expect(sameDraws(STAY)).toBe(true)
    expect(sameDraws(DETENTION)).toBe(false)
    // an input outside the spec is untouched
    expect(sameDraws(DAYS)).toBe(true)
  })

  it.each([
    [DETENTION, DAYS],
    [DAYS, DETENTION],
  ])('a beta-family input (pert) goes through its quantile function and keeps its marginal (order %s, %s)', (first, second) => {
    const n = 20_000
    const correlated = psaSample(scenario, { outcome: 'totalCost' }, {
      seed: 'pert',
      iterations: n,
      correlation: { paths: [first, second], matrix: [[1, -0.5], [-0.5, 1]] },
    })
    const days = inputColumn(correlated, correlated.paths.indexOf(DAYS))
    const rho = spearman(inputColumn(correlated, correlated.paths.indexOf(DETENTION)), days)
    expect(Math.abs(rho + 0.5)).toBeLessThan(0.03)
    // PERT(0, 2, 30) is 30 x Beta(1 + 4 x 2/30, 1 + 4 x 28/30)
    const pertCdf = (x: number) => regularizedBeta(x / 30, 1 + 8 / 30, 1 + 112 / 30)
    expect(ksDistance(days, pertCdf)).toBeLessThan(1.63 / Math.sqrt(n))
  })

})


describe('a scenario file with correlated inputs', () => {
  it('the analyses draw its inputs exactly as a plain run does', () => {
    const correlated = parseScenario({
      ...scenario,
      correlation: { paths: [STAY, DETENTION], matrix: [[1, 0.6], [0.6, 1]] },
    })
    if (!correlated.ok) throw new Error(JSON.stringify(correlated.problems))
    const model = new CohortModel(correlated.scenario)
    const draws = new InputDraws([model])
    const out = new Float64Array(model.layout.observables)
    const drawn = [new Float64Array(model.table.size)]
    for (let i = 0; i < 200; i++) {
      model.iterate(seedKey('same'), i, out)
      draws.draw(seedKey('same'), i, drawn)
      expect(Array.from(drawn[0])).toEqual(Array.from(model.drawnValues))
    }
  })
})
