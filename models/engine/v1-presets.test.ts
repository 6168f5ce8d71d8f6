/** The presets as they were written in schemaVersion 1 still load, migrate and run in both cohort modes. */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { METRICS } from './layout'
import { runInProcess } from './run'
import { formatProblems, parseScenario } from './scenario'

const dir = new URL('./fixtures/v1-presets/', import.meta.url)
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, dir), 'utf8'))

// the ratios that are undefined where their denominator is 0 (no programme: no assisted returns)
const RATIOS = new Set(['costPerAssistedReturn', 'meanWaitMonths', 'costPerForcedReturn', 'costPerSustainableReintegration'])

describe('version 1 presets (fixtures kept from before the presets moved to schemaVersion 2)', () => {
  it('are all there', () => {
    expect(files.length).toBeGreaterThanOrEqual(7)
  })

  describe.each(files)('%s', (name) => {
    const raw = read(name)

    it('is a version 1 file that migrates and says so', () => {
      expect(raw.schemaVersion).toBe(1)
      const parsed = parseScenario(raw)
      if (!parsed.ok) expect.fail(`${name}:\n${formatProblems(parsed.problems)}`)
      expect(parsed.scenario.schemaVersion).toBe(2)
      expect(parsed.scenario.migratedFrom).toBe(1)
    })

    it.each(['stochastic', 'expected'] as const)('runs in the %s cohort', (cohort) => {
      const parsed = parseScenario({ ...raw, cohort })
      if (!parsed.ok) return expect.fail(formatProblems(parsed.problems))
      const { report } = runInProcess(parsed.scenario, { seed: 7, iterations: 64 })
      expect(report.migratedFrom).toBe(1)
      expect(report.cohort).toBe(cohort)
      for (const metric of METRICS) {
        const { mean } = report.metrics[metric]
        if (RATIOS.has(metric) && mean === null) continue
        expect(mean, metric).not.toBeNull()
        expect(mean!, metric).toBeGreaterThanOrEqual(0)
      }
      expect(report.metrics.returnsTotal.mean).toBeGreaterThan(0)
    })
  })
})
