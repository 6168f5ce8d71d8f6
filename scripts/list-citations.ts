/** Prints the table of which preset cites which docs/sources.md entry; --write puts it there. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { citationHeading, citationSection, definedIds } from '../scenarios/citations'

const root = new URL('../', import.meta.url)
const docPath = new URL('docs/sources.md', root)
const scenarioDir = new URL('scenarios/', root)

const presets = readdirSync(scenarioDir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({
    id: name.replace(/\.json$/, ''),
    preset: JSON.parse(readFileSync(new URL(name, scenarioDir), 'utf8')) as unknown,
  }))

const doc = readFileSync(docPath, 'utf8')
const section = citationSection(presets, definedIds(doc))

if (process.argv.includes('--write')) {
  const at = doc.indexOf(citationHeading)
  const before = at < 0 ? `${doc.trimEnd()}\n\n` : doc.slice(0, at)
  writeFileSync(docPath, `${before}${citationHeading}\n\n${section}\n`)
} else {
  console.log(section)
}
