import { describe, expect, it } from 'vitest'
import { formatCount, formatMoney } from './format'
import { cli } from './run-cli.test-util'

describe('money and counts as a budget reads them', () => {
  it('compact money with its currency, the sign before the amount', () => {
    expect(formatMoney(179_312_000, 'EUR')).toBe('EUR 179.3 m')
    expect(formatMoney(-6_490_000_000, 'EUR')).toBe('EUR -6.49 bn')
    expect(formatMoney(4_400.4, 'SEK')).toBe('SEK 4,400')
    expect(formatMoney(null, 'EUR')).toBe('n/a')
  })

  it('counts whole, never "0.0"; a fraction only below 10', () => {
    expect([0, 0.01, 3.46, 12.6, 45_522.4].map(formatCount)).toEqual(['0', '0', '3.5', '13', '45,522'])
  })
})

describe('homecoming run and compare tables', () => {
  it('run: labels and units, not camelCase; money with the currency', () => {
    const r = cli('run', 'uk-nao-2003', '-n', '64')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Assisted returns +people +[\d,]+ /m)
    expect(r.stdout).toMatch(/^Total cost \(all lines, stay included\) +GBP +GBP [\d.]+ (m|bn) /m)
    expect(r.stdout).not.toMatch(/returnsAssisted|costPerReturn|(^| )0\.0( |$)/m)
    expect(r.stdout).toMatch(/^ {2}Year 1 +GBP /m)
  })

  it('compare: the verdict in words, both scenarios by title, unit costs with what they include', () => {
    const r = cli('compare', 'se-high-package', '-n', '256')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Sweden.* against Sweden.*\(removal only\)$/m)
    expect(r.stdout).toMatch(/^ {2}Incremental cost +SEK -?[\d.,]+ (m|bn)? /m)
    expect(r.stdout).toMatch(/Programme cost per additional sustainable reintegration +SEK [\d,]+\n +the programme lines .*no stay/)
    expect(r.stdout).not.toMatch(/\bA dominates\b|P\(se-high-package/)
  })

  it('compare: another population is refused naming the field, exit 1; --compare-anyway labels it', () => {
    const refused = cli('compare', 'de-reag-garp', 'removal-only', '-n', '16')
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^homecoming: scenarios\[1\]\.groups: must have the same groups/)
    expect(refused.stderr).toMatch(/--compare-anyway/)
    const anyway = cli('compare', 'de-reag-garp', 'removal-only', '-n', '16', '--compare-anyway')
    expect(anyway.status, anyway.stderr).toBe(0)
    expect(anyway.stdout).toMatch(/ACROSS DIFFERENT POPULATIONS \(comparator\.groups\)/)
    expect(anyway.stdout).toMatch(/Compared across different populations/)
  })

  it('compare --budget --start-year: the incremental budget by calendar year, payer and line, with intervals', () => {
    const r = cli('compare', 'de-reag-garp', '-n', '64', '--budget', '--start-year', '2026')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Incremental budget of .* against .*\(removal only\) by year \(EUR, discounted/m)
    expect(r.stdout).toMatch(/^ {2}2026 +total +EUR -?[\d.,]+ (m|bn)? +EUR .* \.\. EUR /m)
    expect(r.stdout).toMatch(/^ {8}line: Cash +EUR /m)
    expect(r.stdout).toMatch(/^ {8}payer: /m)
    const bad = cli('compare', 'de-reag-garp', '--start-year', '20')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/--start-year must be a whole number from 1900 to 2,200/)
  })

  it('threshold: --max alone is accepted, the minimum defaults to 0', () => {
    const r = cli('threshold', 'be-low-cash', '--lever', 'cashPerAdult', '--max', '3000', '-n', '20', '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).range).toEqual([0, 3000])
  })
})
