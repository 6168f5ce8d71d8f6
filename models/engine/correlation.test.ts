import { describe, expect, it } from 'vitest'
import { choleskySemidefinite, normalFromRank, prepareCorrelation, rankFromNormal } from './correlation'

describe('rank and normal-score correlation', () => {
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
