/**
 * `node --import tsx scripts/engine-2-golden.ts`: engine 2.0.0's expected-cohort metrics for version 1 scenarios
 * whose meaning did not change in version 2 (every Dist a point, one group, removability 1, no capacity, no
 * re-entry), written to models/engine/fixtures/engine-2.0.0-expected.json. Engine 2.0.0 is taken from git
 * (commit ENGINE_2_COMMIT, the last commit on it), so the fixture can be made again on any clone with its history.
 */
import { execSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const ENGINE_2_COMMIT = '3a2c8f4'
const root = new URL('..', import.meta.url).pathname
const tmp = `${root}.golden-engine-2`
const out = `${root}models/engine/fixtures/engine-2.0.0-expected.json`

/** A Dist at its centre: the value of a point, the mode of a PERT or triangle, a uniform's middle, and so on. */
const central = (x: unknown): unknown => {
  if (Array.isArray(x)) return x.map(central)
  if (x === null || typeof x !== 'object') return x
  const d = x as Record<string, number> & { dist?: string }
  switch (d.dist) {
    case 'point':
      return d.value
    case 'uniform':
      return (d.min + d.max) / 2
    case 'triangular':
    case 'pert':
      return d.mode
    case 'normal':
      return d.mean
    case 'lognormal':
      return Math.sqrt(d.low * d.high)
    case 'beta':
      return d.alpha / (d.alpha + d.beta)
  }
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, central(v)]))
}

rmSync(tmp, { recursive: true, force: true })
mkdirSync(tmp)
try {
  execSync(`git archive ${ENGINE_2_COMMIT} models scenarios | tar -x -C ${tmp}`, { cwd: root })
  const engine = `${tmp}/models/engine`
  const { CohortModel } = await import(pathToFileURL(`${engine}/cohort.ts`).href)
  const { parseScenario } = await import(pathToFileURL(`${engine}/scenario.ts`).href)
  const { METRICS } = await import(pathToFileURL(`${engine}/layout.ts`).href)
  const { seedKey } = await import(pathToFileURL(`${engine}/rng.ts`).href)
  const { presetFiles } = await import(pathToFileURL(`${tmp}/scenarios/index.ts`).href)
  const cases: { name: string; scenario: unknown; metrics: Record<string, number> }[] = []
  for (const [id, preset] of Object.entries(presetFiles as Record<string, unknown>)) {
    for (const discountRate of [0, 0.035]) {
      const s = central(preset) as Record<string, any>
      // the numbers only: the preset's words (and its citations of that time) stay in git
      delete s.description
      delete s.sources
      s.cohort = 'expected'
      s.discountRate = discountRate
      s.groups = [{ ...s.groups[0], removability: 1 }]
      s.effects.reentryShare = 0
      if (s.programme) {
        delete s.programme.capacityPerMonth
        delete s.programme.rampUpMonths
      }
      const parsed = parseScenario(s)
      if (!parsed.ok) throw new Error(`${id}: ${JSON.stringify(parsed.problems)}`)
      const model = new CohortModel(parsed.scenario)
      const values = new Float64Array(model.layout.observables)
      model.iterate(seedKey(1), 0, values)
      // the waiting list changed meaning (v1 counted one month's overflow); every other metric must agree
      const metrics = Object.fromEntries(
        (METRICS as string[]).filter((m) => m !== 'waitingListPeak').map((m, _, __) => [m, values[METRICS.indexOf(m)]]),
      )
      cases.push({ name: `${id}, central values, discount ${discountRate}`, scenario: s, metrics })
    }
  }
  writeFileSync(out, JSON.stringify({ engineVersion: '2.0.0', commit: ENGINE_2_COMMIT, cases }, null, 1) + '\n')
  console.log(`${cases.length} cases written to ${out}`)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
