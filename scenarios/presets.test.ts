/** Every preset parses, is named by its id and gives every figure as a sourced distribution. */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatProblems, parseScenario } from '../models/engine/scenario'
import { getPresetRaw, listPresets, presetFiles } from './index'

const dir = new URL('./', import.meta.url)
const files = readdirSync(dir).filter((name) => name.endsWith('.json'))
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'))

// Plain numbers that are settings, not figures: every other number must sit inside a distribution.
const settingKeys = new Set([
  'schemaVersion',
  'horizonMonths',
  'discountRate',
  'supportMonths',
  'scale',
  'rampUpMonths',
])

/**
 * Paths of distributions without a source and of figures written as plain numbers. Targets are not inputs: their
 * values are published figures as printed, each with its own source (checked below).
 */
const figureProblems = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => figureProblems(item, `${path}[${i}]`))
  if (value === null || typeof value !== 'object') return []
  const record = value as Record<string, unknown>
  if ('dist' in record) {
    const { source } = record
    const sourced = typeof source === 'string' && source.trim() !== ''
    return sourced ? [] : [`${path}: distribution without a source`]
  }
  return Object.entries(record).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key
    if (at === 'targets') return []
    if (typeof item === 'number' && !settingKeys.has(key))
      return [`${at}: plain number ${item}, give a distribution with its source`]
    return figureProblems(item, at)
  })
}

describe('preset scenarios', () => {
  it('are all in the index, as written', () => {
    expect(files.length).toBeGreaterThanOrEqual(6)
    const ids = files.map((name) => name.replace(/\.json$/, ''))
    expect(Object.keys(presetFiles).sort()).toEqual([...ids].sort())
    for (const name of files) expect(presetFiles[name.replace(/\.json$/, '')]).toEqual(read(name))
  })

  describe.each(files)('%s', (name) => {
    const raw = read(name)

    it('parses', () => {
      const result = parseScenario(raw)
      if (!result.ok) expect.fail(`${name}:\n${formatProblems(result.problems)}`)
    })

    it('has the id of its file name', () => {
      expect((raw as { id: unknown }).id).toBe(name.replace(/\.json$/, ''))
    })

    it('gives every figure as a distribution with a source', () => {
      expect(figureProblems(raw)).toEqual([])
    })

    it('is a stochastic scenario with sources and a description, read as schema 2 (a version 1 file migrated)', () => {
      const result = parseScenario(raw)
      if (!result.ok) return
      const { scenario } = result
      expect(scenario.schemaVersion).toBe(2)
      expect(scenario.migratedFrom).toBe((raw as { schemaVersion: number }).schemaVersion === 1 ? 1 : undefined)
      expect(scenario.cohort).toBe('stochastic')
      expect(scenario.sources?.length).toBeGreaterThan(0)
      expect(scenario.description?.length).toBeGreaterThan(200)
    })
  })

  describe.each(files)('%s states what it should reproduce', (name) => {
    const raw = read(name) as { schemaVersion: number; targets?: Record<string, unknown>[] }

    it('is written in schemaVersion 2', () => {
      expect(raw.schemaVersion).toBe(2)
    })

    it('has targets, each with a source, and a reason beside each one left out of the check', () => {
      expect(raw.targets?.length).toBeGreaterThan(0)
      for (const target of raw.targets ?? []) {
        expect(typeof target.source === 'string' && target.source.length > 0, `${target.id}: source`).toBe(true)
        if ('excludedBecause' in target)
          expect((target.excludedBecause as string).length, `${target.id}: excludedBecause`).toBeGreaterThan(20)
      }
    })
  })

  it('lists each preset once, the removal-only comparator flagged', () => {
    const listed = listPresets()
    expect(listed.map((p) => p.id).sort()).toEqual(Object.keys(presetFiles).sort())
    expect(listed.filter((p) => p.comparator).map((p) => p.id)).toEqual(['removal-only'])
    for (const p of listed) expect(p.currency).toMatch(/^[A-Z]{3}$/)
  })

  it('finds a preset by id and nothing else', () => {
    expect(getPresetRaw('uk-nao-2003')).toBe(presetFiles['uk-nao-2003'])
    expect(getPresetRaw('no-such-preset')).toBeUndefined()
    expect(getPresetRaw('toString')).toBeUndefined()
  })
})
