import { describe, expect, it } from 'vitest'
import { imis, weightStatistics } from './imis'
import { normalQuantile } from '../engine/normal'
import { Stream } from '../engine/rng'

/** Prior N(0, 1) in each of two scores; likelihood N(2 | z, 0.2) in each: the posterior is N(50/26, 1/26) per score. */
const d = 2
const logLikelihoodAt = (scores: Float64Array, offset: number) => {
  let s = 0
  for (let k = 0; k < d; k++) s += -0.5 * ((scores[offset + k] - 2) / 0.2) ** 2
  return s
}

const priorDraws = (n: number) => {
  const stream = new Stream().reset(1, 2, 3)
  const scores = Float64Array.from({ length: n * d }, () => normalQuantile(stream.nextDouble()))
  const logLik = Float64Array.from({ length: n }, (_, i) => logLikelihoodAt(scores, i * d))
  return { scores, logLik }
}

describe('imis', () => {
  it('finds a posterior far in the tail of the prior that SIR sees through a handful of draws', () => {
    const { scores, logLik } = priorDraws(2000)
    const sir = weightStatistics(logLik, 2000, 1000)
    const result = imis(scores, logLik, d, logLikelihoodAt, { batch: 200, maxRounds: 15, resampleSize: 1000, runKey: 9 })
    const stats = weightStatistics(result.logWeights, result.points, 1000)
    expect(stats.ess).toBeGreaterThan(10 * sir.ess)
    expect(result.rounds.map((r) => r.points)[1]).toBe(2200)
    // weighted mean and sd of each score against the exact posterior, within 4 standard errors of the ESS
    const [mean, sd] = [50 / 26, Math.sqrt(1 / 26)]
    for (let k = 0; k < d; k++) {
      let m = 0
      let v = 0
      for (let i = 0; i < result.points; i++) m += stats.weights[i] * result.scores[i * d + k]
      for (let i = 0; i < result.points; i++) v += stats.weights[i] * (result.scores[i * d + k] - m) ** 2
      expect(Math.abs(m - mean)).toBeLessThan((4 * sd) / Math.sqrt(stats.ess))
      expect(Math.abs(Math.sqrt(v) - sd)).toBeLessThan((4 * sd) / Math.sqrt(2 * stats.ess))
    }
  })

  it("stops as soon as the resample would hold enough distinct points (the prior's own draws, under a flat likelihood)", () => {
    const { scores } = priorDraws(500)
    const result = imis(scores, new Float64Array(500), d, () => 0, { batch: 50, maxRounds: 5, resampleSize: 100, runKey: 9 })
    expect(result.converged).toBe(true)
    expect(result.points).toBe(500)
    expect(result.rounds[0].ess).toBeCloseTo(500, 6)
  })
})
