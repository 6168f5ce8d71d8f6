/** `homecoming calibrate`, spawned: the tables, the files it writes, one-line refusals naming the field. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseScenarioText } from '../models/engine/scenario'
import { cli } from './run-cli.test-util'

const tmp = mkdtempSync(join(tmpdir(), 'homecoming-calibrate-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

const targetsFile = join(tmp, 'uk-targets.json')
writeFileSync(
  targetsFile,
  JSON.stringify([
    { id: 'forced-unit-cost', metric: 'costPerForcedReturn', value: 11000, low: 9000, high: 13000 },
    { id: 'avr-per-month', metric: 'returnsAssisted', perMonth: true, value: 233, sd: 25 },
    { id: 'support-spend', metric: 'cost.stay', perYear: true, value: 308e6, low: 250e6, high: 370e6 },
  ]),
)

describe('homecoming calibrate', () => {
  it('prints ESS, each target before and after and each informed input, and writes a valid scenario and its correlation', () => {
    const out = join(tmp, 'uk-calibrated.json')
    const { status, stdout, stderr } = cli('calibrate', 'uk-nao-2003', '--targets', targetsFile, '-n', '3000', '--check-iterations', '1000', '--seed', '4', '--out', out)
    expect(stderr).toBe('')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^uk-nao-2003: calibrated by sampling-importance-resampling over 3,000 prior draws, seed 4, 3 targets/)
    expect(stdout).toMatch(/effective sample size \d+\.\d of 3,000/)
    expect(stdout).toMatch(/avr-per-month\s+returnsAssisted per month\s+233\s+25\s/)
    // the monthly AVR figure informs the uptake (refitted, or in the correlation with what else explains it)
    expect(stdout).toMatch(/groups\[failed-asylum\]\.baseMonthlyUptake\s+(marginal|dependence)/)
    expect(stdout).toContain('Predictive check: every target inside')
    const parsed = parseScenarioText(readFileSync(out, 'utf8'))
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.scenario.id).toBe('uk-nao-2003-calibrated')
    // the figures it was calibrated to join the preset's own targets
    expect(parsed.scenario.targets?.map((t) => t.id).slice(-3)).toEqual(['forced-unit-cost', 'avr-per-month', 'support-spend'])
    // the posterior dependence travels in the scenario itself: runs and analyses draw through it
    const correlation = parsed.scenario.correlation!
    expect(correlation.matrix.length).toBe(correlation.paths.length)
    expect(correlation.paths.length).toBeGreaterThanOrEqual(2)
    expect(parsed.scenario.sources?.at(-1)).toContain("this scenario's `correlation`")
  })

  it('--json prints the whole result as one JSON object', () => {
    const out = join(tmp, 'json.json')
    const { status, stdout } = cli('calibrate', 'uk-nao-2003', '--targets', targetsFile, '-n', '500', '--check-iterations', '100', '--out', out, '--json')
    expect(status).toBe(0)
    const result = JSON.parse(stdout)
    expect(result.diagnostics).toMatchObject({ method: 'sir', priorDraws: 500 })
    expect(result.written.scenario).toBe(out)
    expect(result.targets).toHaveLength(3)
  })

  it('refuses bad targets, a scenario without targets and a bad method, one line each, exit 1, no file', () => {
    const bad = join(tmp, 'bad-targets.json')
    writeFileSync(bad, JSON.stringify({ targets: [{ metric: 'returnsForced', value: 1 }, { metric: 'happiness', value: 1, sd: 1 }] }))
    const out = join(tmp, 'never.json')
    const refused = cli('calibrate', 'uk-nao-2003', '--targets', bad, '--out', out)
    expect(refused.status).toBe(1)
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^homecoming: .*bad-targets\.json: targets\[0\]\.sd: is required unless low and high/),
      expect.stringMatching(/^homecoming: .*bad-targets\.json: targets\[1\]\.metric: must be a metric/),
    ])
    expect(existsSync(out)).toBe(false)
    const withoutTargets = join(tmp, 'no-targets.json')
    const uk = JSON.parse(readFileSync(new URL('../scenarios/uk-nao-2003.json', import.meta.url), 'utf8'))
    delete uk.targets
    writeFileSync(withoutTargets, JSON.stringify(uk))
    const none = cli('calibrate', withoutTargets, '-n', '200', '--out', out)
    expect(none.status).toBe(1)
    expect(none.stderr).toMatch(/^homecoming: .*no-targets\.json: targets: the scenario has no targets/)
    expect(cli('calibrate', 'uk-nao-2003', '--method', 'mcmc').stderr).toContain('--method must be one of sir, imis')
  })
})
