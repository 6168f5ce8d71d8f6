/** How presets cite docs/sources.md: citations in sources, the ids it defines, who cites what. */

/** `[A14]`, or `[F3]-[F6]` for F3 to F6. */
const citationPattern = /\[([A-Z]+)(\d+)\](?:-\[([A-Z]+)(\d+)\])?/g

/** A `source` string of a preset, or an entry of its top-level `sources` array, and its path. */
export interface SourceString {
  path: string
  text: string
}

/** The top-level `sources` entries, then every `source` string at any depth. */
export const sourceStrings = (preset: unknown): SourceString[] => {
  const found: SourceString[] = []
  const { sources } = (preset ?? {}) as { sources?: unknown }
  if (Array.isArray(sources))
    sources.forEach((text, i) => {
      if (typeof text === 'string') found.push({ path: `sources[${i}]`, text })
    })
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) return value.forEach((item, i) => visit(item, `${path}[${i}]`))
    if (value === null || typeof value !== 'object') return
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key
      if (key === 'source' && typeof item === 'string') found.push({ path: at, text: item })
      else visit(item, at)
    }
  }
  visit(preset, '')
  return found
}

/** The ids a text cites, in order, a range expanded to every id in it. */
export const citedIds = (text: string): string[] =>
  [...text.matchAll(citationPattern)].flatMap(([, prefix, from, endPrefix, to]) => {
    if (to === undefined) return [`${prefix}${from}`]
    // a range must stay within one prefix and run upwards; otherwise it cites its two ends
    const [first, last] = [Number(from), Number(to)]
    if (endPrefix !== prefix || last <= first) return [`${prefix}${from}`, `${endPrefix}${to}`]
    return Array.from({ length: last - first + 1 }, (_, i) => `${prefix}${first + i}`)
  })

/** Ids with one of these prefixes written without brackets: "R11" where "[R11]" was meant. */
export const bareIds = (text: string, prefixes: readonly string[]): string[] => {
  if (prefixes.length === 0) return []
  const bare = new RegExp(`\\b(?:${prefixes.join('|')})\\d+\\b`, 'g')
  return text.replace(citationPattern, ' ').match(bare) ?? []
}

/** An id as the bibliography defines it, under the heading of its entry. */
export interface DefinedId {
  id: string
  entry: string
}

interface Table {
  heading: string
  header: string[]
  rows: string[][]
}

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((cell) => cell.trim())

/** The markdown tables of a document, each under the nearest heading above it. */
const tables = (markdown: string): Table[] => {
  const found: Table[] = []
  let heading = ''
  let table: Table | undefined
  for (const line of markdown.split('\n')) {
    const title = /^#+\s+(.*)$/.exec(line)
    if (title) heading = title[1].trim()
    if (!line.trim().startsWith('|')) {
      table = undefined
      continue
    }
    if (table === undefined) found.push((table = { heading, header: cells(line), rows: [] }))
    else if (!/^\|[\s|:-]+\|$/.test(line.trim())) table.rows.push(cells(line))
  }
  return found
}

const tablesHeaded = (markdown: string, first: string, seconds: readonly string[]): Table[] =>
  tables(markdown).filter(({ header }) => header[0] === first && seconds.includes(header[1]))

/** The ids docs/sources.md defines: rows of its figure (`| Id | Quantity |`) and note tables. */
export const definedIds = (markdown: string): DefinedId[] =>
  tablesHeaded(markdown, 'Id', ['Quantity', 'Note']).flatMap(({ heading, rows }) =>
    rows.map(([id]) => ({ id, entry: heading })),
  )

/** The rows of the per-figure index (`| Id | Entry |`). */
export const indexRows = (markdown: string): DefinedId[] =>
  tablesHeaded(markdown, 'Id', ['Entry']).flatMap(({ rows }) =>
    rows.map(([id, entry]) => ({ id, entry })),
  )

/** Prefix, then number: A2 before A10. */
export const compareIds = (a: string, b: string): number => {
  const [, pa, na] = /^([A-Z]*)(\d*)$/.exec(a) ?? ['', a, '']
  const [, pb, nb] = /^([A-Z]*)(\d*)$/.exec(b) ?? ['', b, '']
  return pa === pb ? Number(na) - Number(nb) : pa < pb ? -1 : 1
}

/** The heading of the last section of docs/sources.md, which citationSection fills. */
export const citationHeading = '## Which presets cite which entries'

/** That section's body: for each preset the ids its sources cite, then the entries none cites. */
export const citationSection = (
  presets: readonly { id: string; preset: unknown }[],
  defined: readonly DefinedId[],
): string => {
  const cited = new Set<string>()
  const rows = presets.map(({ id, preset }) => {
    const ids = [...new Set(sourceStrings(preset).flatMap(({ text }) => citedIds(text)))]
    ids.forEach((cite) => cited.add(cite))
    return `| ${id} | ${ids.length} | ${ids.sort(compareIds).join(', ')} |`
  })
  const uncited = [...new Set(defined.map(({ id }) => id))].filter((id) => !cited.has(id))
  return [
    'Generated from the `source` strings and `sources` arrays of `scenarios/*.json` by',
    '`node --import tsx scripts/list-citations.ts` (`--write` puts it here).',
    '',
    '| Preset | Entries | Cited ids |',
    '|---|---|---|',
    ...rows,
    '',
    `Cited by no preset (${uncited.length}): ${uncited.sort(compareIds).join(', ')}.`,
  ].join('\n')
}
