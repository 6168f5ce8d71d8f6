/** The ICER card in words where a ratio would mislead: the quadrant of the means, dominance only where established. */
import { describe, expect, it } from 'vitest'
import type { ComparisonReport } from '../../models/analysis/compare'
import { icerInWords, icerReading, icerValue } from './verdicts'

const report = (cost: number, effect: number, finding = 'not-established'): ComparisonReport =>
  ({
    comparison: {
      incrementalCost: { mean: cost },
      incrementalSustainable: { mean: effect },
      icer: effect === 0 ? null : cost / effect,
      verdict: { finding, headline: '' },
    },
  }) as unknown as ComparisonReport

const money = (x: number) => `EUR ${Math.round(x)}`

describe('the ICER card', () => {
  it('never shows a negative ratio as a cost: cheaper and better on the means says so, the ratio beside it', () => {
    const r = report(-80e6, 14_000)
    expect(icerValue(r, money)).toBe('Cheaper and better (means)')
    expect(icerInWords(r)).toBe(true)
    expect(icerReading(r, 'the scenario', 'its comparator')).toBe(
      'on the means the scenario costs less and achieves more than its comparator: the ratio is a saving, not a cost per reintegration',
    )
    // dominance is a word only where the verdict establishes it
    expect(icerValue(report(-80e6, 14_000, 'dominates'), money)).toBe('Dominant')
    expect(icerValue(report(80e6, -14_000), money)).toBe('Dearer and worse (means)')
    expect(icerValue(report(80e6, -14_000, 'dominated'), money)).toBe('Dominated')
  })

  it('shows the ratio where it is one: a cost per reintegration gained, or a saving per reintegration forgone', () => {
    expect(icerValue(report(10e6, 1000), money)).toBe('EUR 10000')
    expect(icerInWords(report(10e6, 1000))).toBe(false)
    const forgone = report(-10e6, -1000)
    expect(icerValue(forgone, money)).toBe('EUR 10000')
    expect(icerReading(forgone, 'the scenario', 'its comparator')).toMatch(/saving per sustainable reintegration forgone$/)
    expect(icerValue(report(5e6, 0), money)).toBe('not defined')
    expect(icerReading(report(5e6, 0), 'the scenario', 'its comparator')).toMatch(/no ICER$/)
  })
})
