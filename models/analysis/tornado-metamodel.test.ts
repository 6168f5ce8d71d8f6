/** The tornado read off the PSA: the re-run tornado's bars within their stated errors, and its refusals. */
import { describe, expect, it } from 'vitest'
import { parseScenario, type Scenario } from '../engine/scenario'
import { getPresetRaw } from '../../scenarios/index'
import { AnalysisProblems } from './outcomes'
import { tornado } from './sensitivity'

const germany = (): Scenario => {
  const parsed = parseScenario(getPresetRaw('de-reag-garp'))
  if (!parsed.ok) throw new Error('de-reag-garp')
  return { ...parsed.scenario, cohort: 'expected' }
}

describe('the metamodel tornado', () => {
  it('gives the re-run tornado’s largest bars within four of their combined standard errors', () => {
    const scenario = germany()
    const spec = { outcome: 'totalCost' as const }
    const metamodel = tornado(scenario, spec, { seed: 11, iterations: 4000 }, { method: 'metamodel' })
    expect(metamodel).toMatchObject({ method: 'metamodel', mode: 'psa-mean', iterations: 4000 })
    const largest = metamodel.bars.slice(0, 6).map((b) => b.path)
    const rerun = tornado(scenario, spec, { seed: 12, iterations: 1500 }, { inputs: largest })
    for (const path of largest) {
      const m = metamodel.bars.find((b) => b.path === path)!
      const r = rerun.bars.find((b) => b.path === path)!
      // the stated error is the local regressions': it must cover the difference from an independent re-run
      expect(m.mcse).toBeGreaterThan(0)
      expect(Math.abs(m.swing - r.swing)).toBeLessThan(4 * Math.hypot(m.mcse!, r.mcse!))
      // the ends sit at the input's percentiles, as the re-run's do (its sample's quantiles against the distribution's)
      expect(m.low.input).toBeLessThan(m.high.input)
    }
    // the order of the bars by swing, as a tornado's
    expect(metamodel.bars.map((b) => b.swing)).toEqual([...metamodel.bars.map((b) => b.swing)].sort((a, b) => b - a))
  })

  it('is refused in median mode, for a subset of inputs, and on too few iterations, naming the field', () => {
    const scenario = germany()
    const spec = { outcome: 'totalCost' as const }
    const problem = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(AnalysisProblems)
        return (e as AnalysisProblems).problems[0].path
      }
      throw new Error('not refused')
    }
    expect(problem(() => tornado(scenario, spec, { seed: 1, iterations: 1000 }, { method: 'metamodel', mode: 'median' }))).toBe('mode')
    expect(problem(() => tornado(scenario, spec, { seed: 1, iterations: 1000 }, { method: 'metamodel', inputs: ['removal.attemptMonthly'] }))).toBe('inputs')
    expect(problem(() => tornado(scenario, spec, { seed: 1, iterations: 100 }, { method: 'metamodel' }))).toBe('tornadoIterations')
  })
})
