/**
 * A share that keeps its word: the scenario and the numbers it gave when shared (seed, N, engine version, the preset
 * it came from and each assumption changed from it), and, on a later engine, what differs when it runs again.
 */
import { changedAssumptions, type ChangedAssumption } from './attribution'
import type { ComparisonReport } from './compare'
import type { Scenario } from '../engine/scenario'

export interface ShareSnapshot {
  engineVersion: string
  seed: string | number
  iterations: number
  scenarioId: string
  title: string
  /** The preset the scenario was made from, or null when it names none. */
  preset: { id: string; title: string; titleKept: boolean } | null
  /** Each assumption changed from that preset (metadata aside), in the scenario format's order. */
  changes: ChangedAssumption[]
  /** The comparison against the scenario's own removal-only version, as it was computed. */
  comparison: ComparisonReport
}

export const shareSnapshot = (
  scenario: Scenario,
  comparison: ComparisonReport,
  preset: { id: string; scenario: Scenario } | null,
): ShareSnapshot => ({
  engineVersion: comparison.engineVersion,
  seed: comparison.seed,
  iterations: comparison.iterations,
  scenarioId: scenario.id,
  title: scenario.title,
  preset: preset ? { id: preset.id, title: preset.scenario.title, titleKept: preset.scenario.title === scenario.title } : null,
  changes: preset ? changedAssumptions(scenario, preset.scenario) : [],
  comparison,
})

export interface ReportDifference {
  /** Where in the report: `comparison.incrementalCost.mean`, `metrics.returnsAssisted.p95`. */
  path: string
  snapshot: unknown
  current: unknown
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** Every leaf where two reports differ (first `limit`, in document order), and how many there are in all. */
export const reportDifferences = (snapshot: unknown, current: unknown, limit = 200): { count: number; differences: ReportDifference[] } => {
  const differences: ReportDifference[] = []
  let count = 0
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`))
    if (isRecord(a) && isRecord(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], path ? `${path}.${key}` : key)
      return
    }
    if (JSON.stringify(a) === JSON.stringify(b)) return
    count++
    if (differences.length < limit) differences.push({ path, snapshot: a, current: b })
  }
  walk(snapshot, current, '')
  return { count, differences }
}
