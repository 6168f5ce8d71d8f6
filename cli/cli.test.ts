/** The real `homecoming` command, spawned: listings, JSON, CSV, one-line errors naming fields. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { getPresetRaw } from '../scenarios/index'
import { cli } from './run-cli.test-util'



/** The cost lines of docs/model.md and the metrics of section 5, as the spec names them. */
const COST_LINES = [
  'stay',
  'counselling',
  'outreach',
  'travel',
  'cash',
  'inKind',
  'complexTopUp',
  'training',
  'psychosocial',
  'caseManagement',
  'community',
  'programmeFixed',
  'detention',
  'escortAndTravel',
  'failedAttempts',
  'removalAdmin',
]
const SPEC_METRICS = [
  'returnsAssisted',
  'returnsForced',
  'returnsUnassisted',
  'returnsTotal',
  'sustainableReintegrations',
  'remigrations',
  'irregularStayPersonMonths',
  'eligibleAtHorizon',
  'absconded',
  'waitingListPeak',
  'totalCost',
  ...COST_LINES.map((line) => `cost.${line}`),
  'costPerReturn',
  'costPerAssistedReturn',
  'costPerSustainableReintegration',
  'localResidentsServed',
]
const STATISTICS = ['mean', 'sd', 'mcse', 'p05', 'p50', 'p95']

/**
 * A stack frame or a Node internal: never shown to a user. Anchored at the indented "at", as V8
 * prints frames: unanchored, /at .*\(/ also matches the prose "no preset with that id (see ...)".
 */
const STACK_LINE = /^\s+at .*\(|node:internal/

const tmp = mkdtempSync(join(tmpdir(), 'homecoming-cli-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** The whole of stdout as exactly one JSON value on one line. */
const oneJson = (stdout: string) => {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '')
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0])
}

describe('homecoming presets', () => {
  it('lists at least six presets, the comparator and two programmes among them', () => {
    const { status, stdout } = cli('presets')
    expect(status).toBe(0)
    const ids = stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.split(/\s+/)[0])
    expect(ids.length).toBeGreaterThanOrEqual(6)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(['removal-only', 'uk-nao-2003', 'de-reag-garp']))
  })
})

describe('homecoming run', () => {
  const args = ['run', 'uk-nao-2003', '-n', '512', '--seed', '3', '--json']
  const csvFile = join(tmp, 'iterations.csv')
  const single = cli(...args, '--workers', '1')
  const report = single.status === 0 ? oneJson(single.stdout) : undefined

  it('prints one JSON object with every metric of docs/model.md and its statistics', () => {
    expect(single.stderr).toBe('')
    expect(single.status).toBe(0)
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['engineVersion', 'scenarioId', 'seed', 'iterations', 'metrics']),
    )
    expect(report).toMatchObject({ scenarioId: 'uk-nao-2003', seed: 3, iterations: 512 })
    expect(COST_LINES).toHaveLength(16)
    expect(Object.keys(report.metrics)).toEqual(expect.arrayContaining(SPEC_METRICS))
    for (const name of SPEC_METRICS) {
      const metric = report.metrics[name]
      expect(Object.keys(metric), name).toEqual(expect.arrayContaining(STATISTICS))
      for (const s of STATISTICS)
        expect(typeof metric[s] === 'number' || metric[s] === null, `${name}.${s}`).toBe(true)
    }
    // the lines add up to the total, iteration by iteration, hence in the mean
    const total = report.metrics.totalCost.mean
    const lineMean = (line: string): number => report.metrics[`cost.${line}`].mean
    const sumOfLines = COST_LINES.reduce((sum, line) => sum + lineMean(line), 0)
    expect(total).toBeGreaterThan(0)
    expect(Math.abs(sumOfLines - total)).toBeLessThanOrEqual(1e-9 * total)
  })

  it('two workers give bit-identical metrics', () => {
    const parallel = cli(...args, '--workers', '2')
    expect(parallel.status).toBe(0)
    expect(JSON.stringify(oneJson(parallel.stdout).metrics)).toBe(JSON.stringify(report.metrics))
  })

  it('--csv writes a header and one row per iteration, consistent with the report', () => {
    const withCsv = cli(...args, '--workers', '1', '--csv', csvFile)
    expect(withCsv.status).toBe(0)
    // keeping the iterations changes nothing in the summary
    expect(JSON.stringify(oneJson(withCsv.stdout).metrics)).toBe(JSON.stringify(report.metrics))
    const lines = readFileSync(csvFile, 'utf8').trimEnd().split('\n')
    const header = lines[0].split(',')
    expect(header[0]).toBe('iteration')
    expect(header.slice(1)).toEqual(expect.arrayContaining(SPEC_METRICS))
    const rows = lines.slice(1).map((l) => l.split(','))
    expect(rows).toHaveLength(512)
    rows.forEach((cells, i) => {
      expect(cells).toHaveLength(header.length)
      expect(Number(cells[0])).toBe(i)
    })
    const column = header.indexOf('totalCost')
    const mean = rows.reduce((sum, cells) => sum + Number(cells[column]), 0) / rows.length
    expect(Math.abs(mean - report.metrics.totalCost.mean)).toBeLessThanOrEqual(1e-9 * mean)
  })
})

describe('homecoming compare', () => {
  it('never prints a negative ICER as a cost per reintegration', () => {
    const { status, stdout } = cli('compare', 'de-reag-garp', '-n', '512')
    expect(status).toBe(0)
    const line = stdout.split('\n').find((l) => l.trim().startsWith('ICER:'))!
    const icer = Number(line.match(/EUR (-?[\d,]+)/)![1].replace(/,/g, ''))
    if (icer < 0) expect(line).toMatch(/ICER: ratio EUR -[\d,]+, not a cost per reintegration/)
    else expect(line).toMatch(/per additional sustainable reintegration|saved per sustainable reintegration forgone/)
    expect(line).not.toMatch(/EUR -[\d,]+ per additional/)
  })

  it("prints the incremental cost's parts and the programme cost per assisted return with their 90% intervals", () => {
    const { status, stdout } = cli('compare', 'de-reag-garp', '-n', '512')
    expect(status).toBe(0)
    const lines = stdout.split('\n')
    const money = 'EUR -?[\\d,.]+(?: [mk]| bn)?'
    for (const label of ['Incremental cost, stay excluded', 'Incremental programme cost', 'Incremental stay cost']) {
      const line = lines.find((l) => l.trim().startsWith(label))
      expect(line, label).toMatch(new RegExp(`${label}\\s+${money}\\s+${money} \\.\\. ${money}`))
    }
    const perAssisted = lines.find((l) => l.trim().startsWith('Programme cost per assisted return'))
    expect(perAssisted).toMatch(new RegExp(`${money}  \\(90% interval ${money} \\.\\. ${money}\\)`))
  })

  it('prints a comparison with increments, ICER, P(cheaper), CEAC and EVPI', () => {
    const args = ['compare', 'de-trusted-actors', 'de-reag-garp', '-n', '512', '--json']
    const { status, stdout } = cli(...args)
    expect(status).toBe(0)
    const report = oneJson(stdout)
    expect(report).toMatchObject({
      scenarioId: 'de-trusted-actors',
      comparatorId: 'de-reag-garp',
      iterations: 512,
    })
    const c = report.comparison
    for (const key of ['incrementalCost', 'incrementalSustainable']) {
      expect(Object.keys(c[key])).toEqual(expect.arrayContaining(STATISTICS))
      expect(typeof c[key].mean).toBe('number')
    }
    expect(typeof c.icer === 'number' || c.icer === null).toBe(true)
    expect(c.probCheaper).toBeGreaterThanOrEqual(0)
    expect(c.probCheaper).toBeLessThanOrEqual(1)
    expect(Array.isArray(c.ceac)).toBe(true)
    expect(c.ceac.length).toBeGreaterThan(1)
    for (const point of c.ceac) {
      expect(Object.keys(point).sort()).toEqual(['probCostEffective', 'wtp'])
      expect(point.probCostEffective).toBeGreaterThanOrEqual(0)
      expect(point.probCostEffective).toBeLessThanOrEqual(1)
    }
    expect(c.evpi).toBeGreaterThanOrEqual(0)
  })
})

describe('homecoming validate and bad input', () => {
  const good = getPresetRaw('uk-nao-2003') as Record<string, unknown>
  const write = (name: string, content: unknown) => {
    const file = join(tmp, name)
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
    return file
  }
  const variant = (name: string, change: (s: any) => void) => {
    const copy = structuredClone(good)
    change(copy)
    return write(name, copy)
  }

  it('a good preset and a good file validate, exit 0', () => {
    for (const target of ['uk-nao-2003', write('good.json', good)]) {
      const { status, stdout, stderr } = cli('validate', target)
      expect(status).toBe(0)
      expect(stdout).toMatch(/^ok: uk-nao-2003/)
      expect(stderr).toBe('')
    }
  })

  /**
   * Engine 3.0.0 also checks a plain inflow or attempt rate as a one-entry schedule against the horizon, so a
   * horizon of 0 adds a line for each at a `.schedule[0].fromMonth` path that the file does not have (the presets
   * are schemaVersion 2 now; a v1 file stops at its own schema first). Those lines are left aside here until the
   * engine checks only real schedules.
   */
  const plainValueAsSchedule = /\.schedule\[0\]\.fromMonth: must be before the horizon/
  const cases: { label: string; file: () => string; paths: string[]; engineExtra?: RegExp }[] = [
    {
      label: 'malformed JSON',
      file: () => write('malformed.json', '{"schemaVersion": 1,'),
      paths: ['(root)'],
    },
    {
      label: 'unknown fields',
      file: () =>
        variant('unknown.json', (s) => {
          s.colour = 'blue'
          s.removal.speed = 3
        }),
      paths: ['colour', 'removal.speed'],
    },
    {
      label: 'a negative cost',
      file: () => variant('negative.json', (s) => (s.groups[0].monthlyStayCostPerPerson = -5)),
      paths: ['groups[0].monthlyStayCostPerPerson'],
    },
    {
      label: 'a probability above 1',
      file: () => variant('probability.json', (s) => (s.removal.successProbability = 1.5)),
      paths: ['removal.successProbability'],
    },
    {
      label: 'horizonMonths 0',
      file: () => variant('horizon-0.json', (s) => (s.horizonMonths = 0)),
      paths: ['horizonMonths'],
      engineExtra: plainValueAsSchedule,
    },
    {
      label: 'horizonMonths 10000',
      file: () => variant('horizon-10000.json', (s) => (s.horizonMonths = 10000)),
      paths: ['horizonMonths'],
    },
    { label: 'a missing file', file: () => join(tmp, 'no-such-file.json'), paths: ['(file)'] },
  ]

  it.each(cases)('$label: exit 1, one line per problem naming its field, no stack', (c) => {
    const { file, paths } = c
    const target = file()
    const { status, stdout, stderr } = cli('validate', target)
    expect(status).toBe(1)
    expect(stdout).toBe('')
    const all = stderr.trimEnd().split('\n')
    for (const line of all) expect(line).not.toMatch(STACK_LINE)
    const lines = c.engineExtra ? all.filter((l) => !c.engineExtra!.test(l)) : all
    expect(lines).toHaveLength(paths.length)
    for (const path of paths) {
      expect(lines.filter((l) => l.startsWith(`homecoming: ${target}: ${path}: `))).toHaveLength(1)
    }
  })

  it('an invalid --iterations exits non-zero naming the option, no stack', () => {
    const { status, stdout, stderr } = cli('run', 'x', '--iterations', 'abc')
    expect(status).not.toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/--iterations/)
    for (const line of stderr.split('\n')) expect(line).not.toMatch(STACK_LINE)
  })
})
