/** The documentation against the code: its example parses, it names every metric, cost line and field, and it stands alone. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { COST_LINES, METRICS } from '../models/engine/layout'
import { parseScenario, scenarioSchema } from '../models/engine/scenario'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')
const model = read('docs/model.md')
const format = read('docs/scenario-format.md')

/** The first ```json block of a markdown text, or undefined. */
const firstJsonBlock = (markdown: string): string | undefined => markdown.match(/```json\n([\s\S]*?)\n```/)?.[1]

/** The names of a text that are written as code (between backticks). */
const codeSpans = (markdown: string): Set<string> =>
  new Set([...markdown.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]))

/** Every field of an object schema as a path: nested objects dotted, list elements as `[]`. */
const schemaFieldPaths = (schema: z.ZodType, prefix = ''): string[] => {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable)
    return schemaFieldPaths(schema.unwrap() as z.ZodType, prefix)
  if (schema instanceof z.ZodArray) return schemaFieldPaths(schema.element as z.ZodType, `${prefix}[]`)
  if (!(schema instanceof z.ZodObject)) return []
  return Object.entries(schema.shape).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key
    return [path, ...schemaFieldPaths(value as z.ZodType, path)]
  })
}

/** Names that only exist outside a clone, split so that this file does not contain them itself. */
const OUTSIDE_THE_REPOSITORY = ['MODEL' + '.md', '..' + '/shared', '/wo' + 'rk/', 'v2-' + 'decisions', 'FIGURES' + '.md']

/** Every file below a folder of the repository. */
const filesBelow = (folder: string): string[] =>
  readdirSync(join(root, folder)).flatMap((name) => {
    const path = join(folder, name)
    return statSync(join(root, path)).isDirectory() ? filesBelow(path) : [path]
  })

describe('docs/scenario-format.md', () => {
  it('opens with an example that parses as a scenario', () => {
    const example = firstJsonBlock(format)
    expect(example, 'a ```json block').toBeDefined()
    const parsed = parseScenario(JSON.parse(example!))
    expect(parsed.ok ? [] : parsed.problems).toEqual([])
  })

  it('describes every field of the schema by its path', () => {
    const paths = schemaFieldPaths(scenarioSchema)
    // the walk itself reaches the nested objects
    expect(paths).toContain('groups[].removal.successProbability')
    expect(paths).toContain('effects.counsellingSetting.trusted-actors')
    expect(paths).toContain('targets[].excludedBecause')
    const written = codeSpans(format)
    expect(paths.filter((path) => !written.has(path))).toEqual([])
  })

  it('lists every cost line a payer may name', () => {
    const written = codeSpans(format)
    expect(COST_LINES.filter((line) => !written.has(line))).toEqual([])
  })
})

describe('docs/model.md', () => {
  const written = codeSpans(model)

  it('defines every metric of the run report', () => {
    expect(METRICS.filter((metric) => !written.has(metric))).toEqual([])
  })

  it('describes every cost line', () => {
    expect(COST_LINES.filter((line) => !written.has(line))).toEqual([])
  })
})

describe('the documentation stands alone', () => {
  const documents = [...filesBelow('docs'), 'README.md']

  it('reads every file of docs/ and the README', () => {
    expect(documents).toEqual(expect.arrayContaining(['docs/model.md', 'docs/scenario-format.md', 'docs/docs.test.ts', 'README.md']))
  })

  it.each(documents)('%s names nothing outside the repository', (path) => {
    const text = read(path)
    expect(OUTSIDE_THE_REPOSITORY.filter((name) => text.includes(name)), path).toEqual([])
  })

  it('no source file, message or comment names anything outside the repository either', () => {
    const sources = ['app', 'bench', 'cli', 'functions', 'infra', 'models', 'scenarios', 'scripts', 'web']
      .flatMap(filesBelow)
      .filter((path) => path !== join('docs', 'docs.test.ts'))
    expect(sources.length).toBeGreaterThan(100)
    const naming = sources.filter((path) => OUTSIDE_THE_REPOSITORY.some((name) => read(path).includes(name)))
    expect(naming).toEqual([])
  })
})
