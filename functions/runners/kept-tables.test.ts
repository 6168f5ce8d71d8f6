/** Inversion tables kept in a file by one thread and adopted by the next draw exactly as the tables built. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const SHAPES = [
  [2, 5],
  [1.3, 1.3],
  [4.2, 1.7],
]

const dirs: string[] = []
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-tables-'))
  dirs.push(dir)
  return join(dir, 'bundle.mjs.tables.json')
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** The engine's beta module and the keeper, fresh: a new thread's, with no table built yet. */
const freshThread = async () => {
  vi.resetModules()
  return { beta: await import('../../models/engine/beta'), kept: await import('./kept-tables') }
}

describe('kept inversion tables', () => {
  it('a thread that adopts the file draws bit for bit as the thread that built the tables', async () => {
    const file = tempFile()
    const first = await freshThread()
    const built = SHAPES.map(([a, b]) => first.beta.betaInversion(a, b)!)
    first.kept.keepTables(file)
    const us = Array.from({ length: 2_000 }, (_, i) => (i + 0.5) / 2_000).concat([1e-7, 1 - 1e-7, 0.123456789])

    const next = await freshThread()
    next.kept.adoptKeptTables(file)
    SHAPES.forEach(([a, b], s) => {
      const adopted = next.beta.betaInversion(a, b)!
      expect(adopted.toData()).toEqual(built[s].toData())
      expect(us.map((u) => adopted.at(u))).toEqual(us.map((u) => built[s].at(u)))
    })
  })

  it('takes the tables from the file rather than building them, and writes only when it built something new', async () => {
    const file = tempFile()
    const first = await freshThread()
    first.beta.betaInversion(2, 5)
    first.kept.keepTables(file)
    // a table marked in the file: a thread that adopts it returns the marked one
    const stored = JSON.parse(readFileSync(file, 'utf8'))
    stored[0].table.upper = 0.5
    writeFileSync(file, JSON.stringify(stored))
    const next = await freshThread()
    next.kept.adoptKeptTables(file)
    expect(next.beta.betaInversion(2, 5)!.toData().upper).toBe(0.5)
    // nothing new built: the file stays as it is
    next.kept.keepTables(file)
    expect(JSON.parse(readFileSync(file, 'utf8'))[0].table.upper).toBe(0.5)
    // a new shape: written with what the file had
    next.beta.betaInversion(3, 3)
    next.kept.keepTables(file)
    const shapes = () => JSON.parse(readFileSync(file, 'utf8')).map((t: { a: number; b: number }) => [t.a, t.b]).sort()
    expect(shapes()).toEqual([
      [2, 5],
      [3, 3],
    ])
    // once a thread: a later shape is not written
    next.beta.betaInversion(4, 4)
    next.kept.keepTables(file)
    expect(shapes()).toEqual([
      [2, 5],
      [3, 3],
    ])
  })

  it('a damaged file is ignored: the tables are built', async () => {
    const file = tempFile()
    writeFileSync(file, '{not json')
    const thread = await freshThread()
    thread.kept.adoptKeptTables(file)
    expect(thread.beta.betaInversion(2, 5)!.intervals).toBeGreaterThan(0)
  })
})
