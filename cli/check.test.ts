/** `homecoming check`, spawned on small expected-cohort toys: exit 0 when every checked target is inside, 1 when one is not. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cli } from './run-cli.test-util'

const dir = mkdtempSync(join(tmpdir(), 'homecoming-check-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/**
 * 1,000-2,000 people (uniform), a removal attempt on 10% a month that always succeeds, nothing else, for two years:
 * removals = stock x (1 - 0.9^24) = 0.920 x stock, so their 90% interval is 966 .. 1,794 (483 .. 897 a year) and
 * their median 1,380; a removal costs 900-1,100 (uniform).
 */
const toy = (targets: unknown[]) => ({
  schemaVersion: 2,
  id: 'check-toy',
  title: 'Check toy',
  currency: 'EUR',
  horizonMonths: 24,
  cohort: 'expected',
  groups: [
    {
      id: 'g',
      label: 'G',
      stock: { dist: 'uniform', min: 1000, max: 2000 },
      monthlyStayCostPerPerson: 0,
      baseMonthlyUptake: 0,
      unassistedReturnMonthly: 0,
      abscondMonthly: 0,
    },
  ],
  programme: null,
  removal: {
    attemptMonthly: 0.1,
    successProbability: 1,
    escortAndTravelPerPerson: { dist: 'uniform', min: 900, max: 1100 },
  },
  effects: { sustainableAvrr: 0.5, sustainableForced: 0.5, remigrationMonthly: { sustainable: 0, notSustainable: 0 } },
  targets,
})

const removals = { id: 'removals', metric: 'returnsForced', value: 1400, source: 'toy' }
const costPerRemoval = { id: 'unit-cost', metric: 'costPerForcedReturn', value: 1000, low: 900, high: 1100 }
const yearly = { id: 'removals-a-year', metric: 'returnsForced', perYear: true, value: 700 }
const otherScope = { id: 'national', metric: 'returnsForced', value: 50_000, excludedBecause: 'all removals in the country' }
const tooMany = { id: 'too-many', metric: 'returnsForced', value: 5000 }

const write = (name: string, scenario: unknown) => {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(scenario))
  return file
}
const passing = write('passing.json', toy([removals, costPerRemoval, yearly, otherScope]))
const failing = write('failing.json', toy([removals, tooMany, otherScope]))

/** The table row of a target: its cells split on runs of two or more spaces. */
const row = (stdout: string, id: string): string[] => {
  const line = stdout.split('\n').find((l) => l.trim().startsWith(`${id} `))
  if (!line) throw new Error(`no row for ${id} in:\n${stdout}`)
  return line.trim().split(/\s{2,}/)
}

describe('homecoming check', () => {
  it('exits 0 when every checked target lies inside, and prints each row', () => {
    const { status, stdout, stderr } = cli('check', passing, '-n', '256', '--workers', '1')
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^check-toy: 256 iterations, seed 1, expected cohort, EUR \(engine /)
    const [id, metric, published, p05, p50, p95, percentile, verdict] = row(stdout, 'removals')
    expect([id, metric, published, verdict]).toEqual(['removals', 'returnsForced', '1,400', 'inside'])
    // 256 draws and the sketch: within 5% of the exact quantiles
    const near = (cell: string, exact: number) => expect(Math.abs(Number(cell.replace(/,/g, '')) / exact - 1)).toBeLessThan(0.05)
    near(p05, 966)
    near(p50, 1380)
    near(p95, 1794)
    expect(Number(percentile)).toBeGreaterThan(40)
    expect(Number(percentile)).toBeLessThan(62)
    expect(row(stdout, 'unit-cost').at(-1)).toBe('inside')
    const perYear = row(stdout, 'removals-a-year')
    expect(perYear.slice(0, 3)).toEqual(['removals-a-year', 'returnsForced a year', '700'])
    near(perYear[3], 483)
    expect(perYear.at(-1)).toBe('inside')
    expect(row(stdout, 'national').at(-1)).toBe('not checked: all removals in the country')
    expect(stdout).toContain("3 of 3 checked targets inside the model's 90% interval; 1 not checked")
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('every checked target lies inside its 90% interval (1 scenario)')
  })

  it('exits 1 when a checked target falls outside, naming it; an excluded target never fails', () => {
    const { status, stdout } = cli('check', failing, passing, '-n', '256', '--workers', '1')
    expect(status).toBe(1)
    expect(row(stdout, 'too-many').at(-1)).toBe('OUTSIDE')
    expect(row(stdout, 'too-many')[6]).toBe('100.0')
    expect(stdout).toContain("1 of 2 checked targets inside the model's 90% interval; 1 not checked")
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('1 checked target outside the 90% interval: check-toy: too-many')
  })

  it('--json gives each target with the model interval, inside and percentile; the same bits on two workers', () => {
    const one = cli('check', failing, '-n', '256', '--workers', '1', '--json')
    const two = cli('check', failing, '-n', '256', '--workers', '2', '--json')
    expect(one.status).toBe(1)
    expect(two.stdout).toBe(one.stdout)
    const [entry] = JSON.parse(one.stdout)
    expect(entry).toMatchObject({ scenarioId: 'check-toy', seed: 1, iterations: 256, cohort: 'expected' })
    const byId = Object.fromEntries(entry.targets.map((t: { id: string }) => [t.id, t]))
    expect(byId.removals).toMatchObject({ checked: true, inside: true, source: 'toy' })
    expect(byId['too-many']).toMatchObject({ checked: true, inside: false, percentile: 100 })
    expect(byId.national).toMatchObject({ checked: false, inside: null, excludedBecause: 'all removals in the country' })
  })

  it('names a file that does not load, field by field, and exits 1 without running', () => {
    const broken = write('broken.json', { ...toy([{ ...removals, metric: 'happiness' }]) })
    const { status, stdout, stderr } = cli('check', broken)
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^homecoming: .*broken\.json: targets\[0\]\.metric: must be a metric/)
  })
})
