/** Numbers as the page shows them, and what a person may type as a number. */
import { describe, expect, it } from 'vitest'
import { formatCount, formatError, formatMoney, formatPercent, parseNumber } from './format'

describe('formatting', () => {
  it('rounds counts to about three significant figures, grouped', () => {
    expect(formatCount(23858.6)).toBe('23,859')
    expect(formatCount(12.34)).toBe('12.3')
    expect(formatCount(0.1234)).toBe('0.123')
    expect(formatCount(-1500)).toBe('\u22121,500')
    expect(formatCount(null)).toBe('–')
  })

  it('writes money compactly with its currency', () => {
    expect(formatMoney(6.91e9, 'EUR')).toBe('EUR 6.91 bn')
    expect(formatMoney(-181.4e6, 'EUR')).toBe('\u2212EUR 181 m')
    expect(formatMoney(76153.2, 'GBP')).toBe('GBP 76,153')
    expect(formatMoney(0, 'EUR')).toBe('EUR 0')
    expect(formatMoney(12.5, 'SEK')).toBe('SEK 12.5')
  })

  it('gives Monte Carlo errors two significant figures and probabilities as percentages', () => {
    expect(formatError(83.04, false, 'EUR')).toBe('83')
    expect(formatError(1234, false, 'EUR')).toBe('1,200')
    expect(formatError(0.0123, false, 'EUR')).toBe('0.012')
    expect(formatError(11_234_567, true, 'EUR')).toBe('EUR 11 m')
    expect(formatPercent(0.997)).toBe('99.7%')
    expect(formatPercent(0.5)).toBe('50%')
    expect(formatPercent(0.004)).toBe('0.4%')
    expect(formatPercent(1)).toBe('100%')
  })
})

describe('parseNumber', () => {
  it('reads plain numbers, with a point, a sign or an exponent', () => {
    for (const [text, value] of [['2400', 2400], [' 0.04 ', 0.04], ['-5', -5], ['1e6', 1e6], ['.5', 0.5], ['1 000', 1000], ['\u22122', -2]] as const)
      expect(parseNumber(text)).toEqual({ ok: true, value })
  })

  it('refuses text, empty fields and commas, saying why', () => {
    expect(parseNumber('12abc')).toEqual({ ok: false, message: '"12abc" is not a number' })
    expect(parseNumber('')).toEqual({ ok: false, message: 'enter a number' })
    expect(parseNumber('2,400')).toMatchObject({ ok: false, message: expect.stringContaining('thousands separators') })
    expect(parseNumber('Infinity').ok).toBe(false)
    expect(parseNumber('0x10').ok).toBe(false)
  })
})
