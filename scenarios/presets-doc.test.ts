/** docs/presets.md (npm run docs:presets) lists every preset and every target, from a run of the check's defaults. */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CHECK_ITERATIONS, CHECK_SEED } from '../cli/check'
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
})
