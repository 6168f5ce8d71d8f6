import { sampleCorrelation } from 'simple-statistics'
import { describe, expect, it } from 'vitest'
import { choleskySemidefinite, normalFromRank, prepareCorrelation, rankFromNormal } from './correlation'
import { toy } from './fixtures.test-util'
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

  it('maps rank to normal-score correlation and back', () => {
    for (const rho of [-1, -0.8, 0, 0.3, 0.8, 1]) expect(rankFromNormal(normalFromRank(rho))).toBeCloseTo(rho, 12)
    expect(normalFromRank(0.8)).toBeCloseTo(0.8135, 4)
  })
})

describe('checking a correlation matrix', () => {
  const paths = ['a', 'b', 'c']
  const problemsOf = (matrix: number[][], p = paths) => {
    const r = prepareCorrelation({ paths: p, matrix })
    return r.ok ? [] : r.problems
  }

  it('names the entry: asymmetric, diagonal not 1, out of [-1, 1], not finite, wrong shape, unknown or repeated path', () => {
    expect(problemsOf([[1, 0.5, 0], [0.4, 1, 0], [0, 0, 1]])).toEqual([
      { path: 'correlation.matrix[0][1]', message: 'must equal matrix[1][0] (0.4): the matrix must be symmetric' },
    ])
    expect(problemsOf([[1, 0, 0], [0, 0.9, 0], [0, 0, 1]])[0].path).toBe('correlation.matrix[1][1]')
    expect(problemsOf([[1, 1.2, 0], [1.2, 1, 0], [0, 0, 1]])[0]).toEqual({
      path: 'correlation.matrix[0][1]',
      message: 'a correlation must lie in [-1, 1] (got 1.2)',
    })
    expect(problemsOf([[1, NaN, 0], [NaN, 1, 0], [0, 0, 1]])[0].path).toBe('correlation.matrix[0][1]')
    expect(problemsOf([[1, 0], [0, 1]])[0].path).toBe('correlation.matrix')
    const r = prepareCorrelation({ paths: ['a', 'a'], matrix: [[1, 0], [0, 1]] }, { knownPaths: ['b'] })
    const unknown = '"a" is not an uncertain input of the scenario (a parameter path with a distribution that is not a point)'
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'correlation.paths[0]', message: unknown },
      { path: 'correlation.paths[1]', message: 'duplicate input "a"' },
      { path: 'correlation.paths[1]', message: unknown },
    ])
  })

  /** a ~ b and b ~ c strongly positive, a ~ c strongly negative: no joint distribution has that. */
  const impossible = [
    [1, 0.9, -0.9],
    [0.9, 1, 0.9],
    [-0.9, 0.9, 1],
  ]

  it('refuses a matrix that is not positive semi-definite, naming the entry to fix', () => {
    const problems = problemsOf(impossible)
    expect(problems).toHaveLength(1)
    expect(problems[0].path).toBe('correlation.matrix')
    expect(problems[0].message).toMatch(/is not positive semi-definite .* the nearest valid matrix changes matrix\[\d\]\[\d\] \(\w ~ \w\) .* most/)
  })

  it('or repairs it on request (Higham): symmetric, unit diagonal, PSD, close, with a message', () => {
    const r = prepareCorrelation({ paths, matrix: impossible }, { repair: true })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const { rank, repair, cholesky } = r.correlation
    expect(repair).toMatch(/nearest correlation matrix \(Higham 2002\); largest change matrix/)
    for (let i = 0; i < 3; i++) {
      expect(rank[i][i]).toBe(1)
      for (let j = 0; j < 3; j++) {
        expect(rank[i][j]).toBeCloseTo(rank[j][i], 14)
        expect(Math.abs(rank[i][j])).toBeLessThanOrEqual(1)
        expect(Math.sign(rank[i][j])).toBe(Math.sign(impossible[i][j]))
      }
    }
    expect(cholesky).toHaveLength(9)
    const normal = Float64Array.from(r.correlation.normal.flat())
    expect('factor' in choleskySemidefinite(normal, 3)).toBe(true)
  })

  it('accepts a semi-definite matrix (a correlation of 1)', () => {
    const r = prepareCorrelation({ paths: ['a', 'b'], matrix: [[1, 1], [1, 1]] })
    expect(r.ok).toBe(true)
  })
})
