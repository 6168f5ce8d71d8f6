/** Presets cite ids docs/sources.md defines once each; nothing in the repo points outside it. */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  bareIds,
  citationHeading,
  citationSection,
  citedIds,
  definedIds,
  indexRows,
  sourceStrings,
} from './citations'

const root = new URL('../', import.meta.url)
const dir = new URL('./', import.meta.url)
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
const doc = readFileSync(new URL('docs/sources.md', root), 'utf8')
const defined = definedIds(doc)
const ids = new Set(defined.map(({ id }) => id))
const prefixes = [...new Set(defined.map(({ id }) => id.replace(/\d+$/, '')))]

// Spelled in two halves so that this file does not itself mention what it forbids.
const retiredNotes = 'FIGURES' + '.md'
const outsideFolder = '..' + '/shared'
const scanned = /\.(md|json|ts|tsx|mjs)$/

/** The repository's files as git sees them: tracked, or new and not ignored (what a commit would hold). */
const repoFiles = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((path) => scanned.test(path) && existsSync(new URL(path, root)))

describe('docs/sources.md', () => {
  it('defines each id once', () => {
    expect(defined.length).toBeGreaterThan(100)
    const seen = new Set<string>()
    const twice = defined.filter(({ id }) => seen.has(id) || !seen.add(id)).map(({ id }) => id)
    expect(twice).toEqual([])
    for (const { id } of defined) expect(id).toMatch(/^[A-Z]+\d+$/)
  })

  it('indexes every id once, under the entry that defines it', () => {
    const index = indexRows(doc)
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)
    expect([...index].sort(byId)).toEqual([...defined].sort(byId))
  })

  it('ends with the current table of which preset cites which entry', () => {
    const presets = files.map((name) => ({ id: name.replace(/\.json$/, ''), preset: read(name) }))
    const at = doc.indexOf(citationHeading)
    expect(at).toBeGreaterThan(0)
    const written = doc.slice(at + citationHeading.length).trim()
    expect(written, 'run: node --import tsx scripts/list-citations.ts --write').toBe(
      citationSection(presets, defined),
    )
  })
})

describe.each(files)('%s cites its sources', (name) => {
  const strings = sourceStrings(read(name))

  it('has source strings, the sources array among them', () => {
    expect(strings.length).toBeGreaterThan(0)
    expect(strings.some(({ path }) => path.startsWith('sources['))).toBe(true)
  })

  it('cites only ids that docs/sources.md defines', () => {
    const unknown = strings.flatMap(({ path, text }) =>
      citedIds(text)
        .filter((id) => !ids.has(id))
        .map((id) => `${path}: [${id}]`),
    )
    expect(unknown).toEqual([])
  })

  it('cites at least one entry in each source, or says it is an assumption', () => {
    const uncited = strings
      .filter(({ text }) => citedIds(text).length === 0 && !text.startsWith('assumption'))
      .map(({ path, text }) => `${path}: ${text}`)
    expect(uncited).toEqual([])
  })

  it('writes every id as a citation in brackets', () => {
    const bare = strings.flatMap(({ path, text }) =>
      bareIds(text, prefixes).map((id) => `${path}: ${id}`),
    )
    expect(bare).toEqual([])
  })
})

describe('the repository stands alone', () => {
  const texts = repoFiles().map((path) => ({
    path,
    text: readFileSync(new URL(path, root), 'utf8'),
  }))

  it('scans the docs, the presets and the code', () => {
    const paths = texts.map(({ path }) => path)
    for (const path of ['docs/sources.md', 'scenarios/index.ts', 'scenarios/uk-nao-2003.json'])
      expect(paths).toContain(path)
  })

  it(`mentions ${retiredNotes} nowhere`, () => {
    expect(texts.filter(({ text }) => text.includes(retiredNotes)).map(({ path }) => path)).toEqual(
      [],
    )
  })

  // README.md still links the model notes outside the repository until the model-docs change
  // replaces that link; every other file must not point there.
  it(`points to ${outsideFolder} nowhere but README.md`, () => {
    const pointing = texts.filter(
      ({ path, text }) => path !== 'README.md' && text.includes(outsideFolder),
    )
    expect(pointing.map(({ path }) => path)).toEqual([])
  })
})
