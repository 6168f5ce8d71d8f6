/** docs/presets.md (npm run docs:presets) lists every preset and every target, from a run of the check's defaults. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CHECK_ITERATIONS, CHECK_SEED, checkScenario, formatFigure } from '../cli/check'
import { parseScenario } from '../models/engine/scenario'
import { presetFiles } from './index'

const doc = readFileSync(new URL('../docs/presets.md', import.meta.url), 'utf8')
const regenerate = 'run: npm run docs:presets'

/** The text of the section under `## <id>`, up to the next section. */
const sectionOf = (id: string): string | undefined => {
  const start = doc.indexOf(`\n## ${id}\n`)
  if (start < 0) return undefined
  const next = doc.indexOf('\n## ', start + 1)
  return doc.slice(start, next < 0 ? undefined : next)
}

describe('docs/presets.md', () => {
  it("was made with the iterations and seed that homecoming check runs by default", () => {
    expect(doc, regenerate).toContain(`${CHECK_ITERATIONS.toLocaleString('en-GB')} iterations, seed ${CHECK_SEED}`)
  })

  it('has a section for every preset and no other', () => {
    const headings = [...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1]).sort()
    expect(headings, regenerate).toEqual(Object.keys(presetFiles).sort())
  })

  describe.each(Object.entries(presetFiles))('%s', (id, raw) => {
    const section = sectionOf(id) ?? ''
    const targets = ((raw as { targets?: { id: string; excludedBecause?: string }[] }).targets ?? [])

    it('has a row for every target, the excluded ones with their reason, and a verdict line', () => {
      for (const target of targets) {
        const row = section.split('\n').find((line) => line.startsWith(`| ${target.id} |`))
        expect(row, `${target.id}: ${regenerate}`).toBeDefined()
        if (target.excludedBecause) expect(row).toContain('not checked: ')
      }
      const rows = section.split('\n').filter((line) => /^\| [a-z0-9-]+ \| /.test(line))
      expect(rows.map((line) => line.split(' | ')[0].slice(2)), regenerate).toEqual(targets.map((t) => t.id))
      expect(section).toMatch((raw as { programme: unknown }).programme === null ? /comparator itself/ : /\*\*Verdict: /)
    })
  })

  it("holds the numbers the engine gives now (be-low-cash's targets re-run with the check's defaults)", async () => {
    const parsed = parseScenario(presetFiles['be-low-cash'])
    if (!parsed.ok) throw new Error('be-low-cash does not parse')
    const run = await checkScenario(parsed.scenario, { seed: CHECK_SEED, iterations: CHECK_ITERATIONS })
    const section = sectionOf('be-low-cash') ?? ''
    expect(run.targets?.length).toBeGreaterThan(0)
    for (const t of run.targets ?? []) {
      const row = section.split('\n').find((line) => line.startsWith(`| ${t.id} |`)) ?? ''
      expect(row, `${t.id}: ${regenerate}`).toContain(`| ${formatFigure(t.model.p05)} .. ${formatFigure(t.model.p95)} | ${formatFigure(t.model.p50)} |`)
    }
  }, 60_000)
})
