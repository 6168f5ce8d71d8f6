import { describe, expect, it } from 'vitest'
import { percentText, verdict, VERDICT_PROBABILITY, type VerdictInputs } from './verdict'

const inputs = (probCheaper: number, probMoreEffective: number, extra: Partial<VerdictInputs> = {}): VerdictInputs => ({
  scenarioTitle: 'Sweden: high package',
  comparatorTitle: 'Sweden: high package (removal only)',
  probCheaper,
  probMoreEffective,
  meanIncrementalCost: -1000,
  meanIncrementalSustainable: 50,
  ...extra,
})

const WORDS = /dominat|saves money|costs less than|costs at least as much/

describe('verdict', () => {
  it('at P(cheaper) = 51% says how likely, no words, and names both scenarios by title', () => {
    const v = verdict(inputs(0.51, 1))
    expect(v.finding).toBe('not-established')
    expect(v.cost).toEqual({
      probability: 0.51,
      established: false,
      text: 'cheaper than Sweden: high package (removal only) in 51% of iterations: not established',
    })
    expect(v.headline).toMatch(/^Whether Sweden: high package saves money against .* is not established: cheaper than .* in 51% of iterations;/)
    expect(v.headline.replace(/saves money against .* is not established/, '')).not.toMatch(WORDS)
    expect(v.headline).not.toMatch(/\bA\b|\bB\b/)
    expect(v.effect.established).toBe(true)
  })

  it('uses a word exactly from 95%: saves money at 0.95, not at 0.949', () => {
    expect(verdict(inputs(VERDICT_PROBABILITY, 0.5)).finding).toBe('saves-money')
    expect(verdict(inputs(0.949, 0.5)).finding).toBe('not-established')
    expect(verdict(inputs(0.95, 0.5)).headline).toMatch(/^Sweden: high package saves money against .*: costs less than .* in 95% of iterations; more sustainable .* in 50% of iterations: not established$/)
  })

  it('dominates only where the joint probability is provably >= 95% (P(cheaper) + P(more effective) - 1)', () => {
    expect(verdict(inputs(0.96, 0.96)).finding).toBe('saves-money') // joint may be as low as 92%
    const v = verdict(inputs(0.97, 0.99))
    expect(v.finding).toBe('dominates')
    expect(v.headline).toBe(
      'Sweden: high package dominates Sweden: high package (removal only): cheaper in 97% and more sustainable reintegrations in 99% of iterations',
    )
    expect(verdict(inputs(0.01, 0.02)).finding).toBe('dominated')
    expect(verdict(inputs(0.03, 0.5)).finding).toBe('costs-more')
    expect(verdict(inputs(0.03, 0.5)).cost.text).toMatch(/costs at least as much as .* in 97% of iterations/)
  })

  it('labels a comparison across different populations in the headline', () => {
    const v = verdict(inputs(0.99, 0.99, { acrossPopulations: 'across different populations: x' }))
    expect(v.headline).toMatch(/^Compared across different populations: x\. Sweden: high package dominates/)
    expect(v.acrossPopulations).toBe('across different populations: x')
  })

  it('prints percentages that never round to a false 100% or 0%', () => {
    expect([1, 0.9996, 0.995, 0.51, 0.0004, 0].map(percentText)).toEqual(['100%', '> 99.9%', '99.5%', '51%', '< 0.1%', '0%'])
  })
})
