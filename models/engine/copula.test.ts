/** A scenario's own correlated inputs: a plain run draws them through the copula, as the analyses do. */
import { describe, expect, it } from 'vitest'
import { CohortModel } from './cohort'
import { mechanismScenarios } from './mechanism-scenarios.test-util'
import { seedKey } from './rng'
import { parseScenario, type Scenario } from './scenario'

type Json = Record<string, any>

/** The competing-risks mechanism with two uncertain inputs. */
const withInputs = (correlation?: Json): Json => {
  const s = structuredClone(mechanismScenarios.find((m) => m.name === 'competing risks in one month')!.scenario) as Json
  s.groups[0].monthlyStayCostPerPerson = { dist: 'lognormal', low: 650, high: 1100 }
  s.removal.detentionCostPerDay = { dist: 'uniform', min: 100, max: 300 }
  return correlation ? { ...s, correlation } : s
}
const STAY = 'groups[g].monthlyStayCostPerPerson'
const DETENTION = 'removal.detentionCostPerDay'

const parse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

/** Ranks scaled to (0, 1), for Spearman's rho. */
const ranks = (xs: number[]) => {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0])
  const r = new Array<number>(xs.length)
  order.forEach(([, i], k) => (r[i] = (k + 0.5) / xs.length))
  return r
}
const spearman = (x: number[], y: number[]) => {
  const rx = ranks(x)
  const ry = ranks(y)
  const mean = 0.5
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean)
    sxx += (rx[i] - mean) ** 2
    syy += (ry[i] - mean) ** 2
  }
  return sxy / Math.sqrt(sxx * syy)
}

describe('a scenario with correlated inputs', () => {
  it('a plain run draws them with the rank correlation asked for, and the first path keeps its own draws', () => {
    const correlated = new CohortModel(parse(withInputs({ paths: [STAY, DETENTION], matrix: [[1, -0.7], [-0.7, 1]] })))
    const independent = new CohortModel(parse(withInputs()))
    const n = 20_000
    const out = new Float64Array(correlated.layout.observables)
    const stay: number[] = []
    const detention: number[] = []
    const stayAlone: number[] = []
    const slot = (m: CohortModel, p: string) => m.table.paths.indexOf(p)
    for (let i = 0; i < n; i++) {
      correlated.iterate(seedKey(5), i, out)
      stay.push(correlated.drawnValues[slot(correlated, STAY)])
      detention.push(correlated.drawnValues[slot(correlated, DETENTION)])
      independent.iterate(seedKey(5), i, out)
      stayAlone.push(independent.drawnValues[slot(independent, STAY)])
    }
    // Spearman's rho of n pairs has a standard error of about 1 / sqrt(n): 4 of them
    expect(Math.abs(spearman(stay, detention) + 0.7)).toBeLessThan(4 / Math.sqrt(n))
    expect(stay).toEqual(stayAlone)
    // the uniform marginal is kept: its mean within 4 standard errors of 200
    const mean = detention.reduce((a, b) => a + b, 0) / n
    expect(Math.abs(mean - 200)).toBeLessThan(4 * (200 / Math.sqrt(12)) / Math.sqrt(n))
  })

  it('refuses an unknown path or a matrix that is not a correlation, naming the field', () => {
    const problems = (correlation: Json) => {
      const parsed = parseScenario(withInputs(correlation))
      return parsed.ok ? [] : parsed.problems
    }
    expect(problems({ paths: [STAY, 'removal.flightCost'], matrix: [[1, 0], [0, 1]] })).toEqual([
      expect.objectContaining({ path: 'correlation.paths[1]' }),
    ])
    expect(problems({ paths: [STAY, DETENTION], matrix: [[1, 1.5], [1.5, 1]] })[0].path).toMatch(/^correlation\.matrix/)
  })
})
