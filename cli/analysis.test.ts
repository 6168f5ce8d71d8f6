/** `homecoming sensitivity` and `homecoming threshold`, spawned: JSON against hand-computed answers, one-line errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatMoney } from './format'
import { cli } from './run-cli.test-util'

const dir = mkdtempSync(join(tmpdir(), 'homecoming-analysis-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))


/** The break-even toy of models/threshold.test.ts, as files: cash per adult against a fixed 120,000 a year. */
const base = {
  schemaVersion: 1,
  currency: 'EUR',
  horizonMonths: 12,
  cohort: 'expected',
  groups: [
    {
      id: 'g',
      label: 'G',
      stock: 1000,
      personsPerCase: 2,
      adultsPerCase: 1.5,
      monthlyStayCostPerPerson: { dist: 'uniform', min: 500, max: 900 },
      baseMonthlyUptake: 0.05,
      unassistedReturnMonthly: 0,
      abscondMonthly: 0,
    },
  ],
  removal: { attemptMonthly: 0, successProbability: 0.5 },
  effects: {
    packageValue: 0,
    sustainableAvrr: 0.6,
    sustainableForced: 0.3,
    remigrationMonthly: { sustainable: 0, notSustainable: 0 },
    reentryShare: 0,
  },
}
const programmeFile = join(dir, 'programme.json')
const comparatorFile = join(dir, 'comparator.json')
writeFileSync(
  programmeFile,
  JSON.stringify({ ...base, id: 'cash', title: 'Cash', programme: { cashPerAdult: { dist: 'uniform', min: 0, max: 2000 }, fixedAnnualCost: 0 } }),
)
writeFileSync(comparatorFile, JSON.stringify({ ...base, id: 'fixed', title: 'Fixed', programme: { cashPerAdult: 0, fixedAnnualCost: 120_000 } }))
const assisted = 1000 * (1 - 0.95 ** 12)
const personMonths = (1000 * (1 - 0.95 ** 12)) / 0.05

describe('homecoming sensitivity', () => {
  it('prints the tornado, rank correlations and EVPPI as JSON; swings by hand', () => {
    const r = cli('sensitivity', programmeFile, '--outcome', 'incrementalCost', '--comparator', comparatorFile, '--iterations', '500', '--tornado-iterations', '20', '--json')
    expect(r.status).toBe(0)
    const report = JSON.parse(r.stdout)
    const bars = report.tornado.bars as { path: string; swing: number }[]
    expect(bars.map((b) => b.path)).toEqual(['programme.cashPerAdult', 'groups[g].monthlyStayCostPerPerson'])
    expect(bars[0].swing).toBeCloseTo(0.75 * assisted * 0.9 * 2000, 4)
    // the same uptake in both: stay costs cancel, whatever the stay cost
    expect(bars[1].swing).toBeCloseTo(0, 4)
    expect(report.rankCorrelations[0].path).toBe('programme.cashPerAdult')
    expect(report.evppi.comparatorId).toBe('fixed')
    expect(report.evppi.inputs).toHaveLength(2)
  })

  it('prints a table; refuses missing or invalid options in one line, exit 1', () => {
    const table = cli('sensitivity', programmeFile, '--outcome', 'totalCost', '--mode', 'median', '--iterations', '100')
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/cash: tornado of total cost \(EUR\), other inputs at their medians, 1 paired iteration per end, expected cohort/)
    // the swing, 360 x person-months, in compact money with its currency
    const swing = formatMoney(360 * personMonths, 'EUR')
    expect(swing).toMatch(/^EUR \d\.\d m$/)
    expect(table.stdout).toMatch(new RegExp(`groups\\[g\\]\\.monthlyStayCostPerPerson +520 .* 880 .* ${swing.replace('.', '\\.')}`))
    for (const [args, message] of [
      [['--outcome', 'netMonetaryBenefit', '--comparator', comparatorFile], 'homecoming: --wtp is required with --outcome netMonetaryBenefit\n'],
    ] as const) {
      const r = cli('sensitivity', programmeFile, ...args)
      expect(r.status).toBe(1)
      expect(r.stderr).toBe(message)
    }
    const bad = cli('sensitivity', programmeFile, '--outcome', 'cost')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/--outcome must be one of totalCost, costPerSustainableReintegration, incrementalCost, netMonetaryBenefit/)
  })
})

describe('homecoming threshold', () => {
  it('finds the break-even cash per adult, 120,000 / (0.75 x assisted returns)', () => {
    const r = cli('threshold', programmeFile, '--lever', 'cashPerAdult', '--comparator', comparatorFile, '--iterations', '3', '--json')
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.status).toBe('found')
    expect(result.value).toBeCloseTo(120_000 / (0.75 * assisted), 3)
    expect(result.grid).toHaveLength(11)
  })

  it('reports no root in the range as a result, and a target as costPerSustainableReintegration=N', () => {
    const none = cli('threshold', programmeFile, '--lever', 'cashPerAdult', '--comparator', comparatorFile, '--min', '1000', '--max', '2000', '--iterations', '2')
    expect(none.status).toBe(0)
    expect(none.stdout).toMatch(/no threshold: no threshold in 1,000 \.\. 2,000: mean incremental cost stays above 0/)
    const target = cli('threshold', programmeFile, '--lever', 'cashPerAdult', '--target', 'costPerSustainableReintegration=20000', '--iterations', '2', '--json')
    expect(target.status).toBe(0)
    expect(JSON.parse(target.stdout).criterion).toEqual({ kind: 'target', outcome: 'costPerSustainableReintegration', value: 20000 })
    const bad = cli('threshold', programmeFile, '--lever', 'cash', '--comparator', comparatorFile)
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/--lever must be one of cashPerAdult, inKindPerCase, scale, counsellingCost/)
  })
})
