/**
 * The beta inversion tables a worker thread built, kept beside its bundle so the next thread (of this process or the
 * next command) takes them instead of building them again: ~0.1 s of each thread's first shard on the Germany preset.
 * The file is named after the bundle, whose name is a hash of its code: other engine code, another file. A table
 * read back draws exactly as one built (its numbers are written as their bytes), so no result depends on the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { adoptBetaTables, keptBetaTables, type BetaTableData } from '../../models/engine/beta'
import { writeWhole } from './node-bundle.mjs'

interface StoredTable {
  a: number
  b: number
  table: null | { lines: string; guide: string; firstKnot: number; lastKnot: number; lower: number; upper: number }
}

const bytes = (a: Float64Array | Int32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

const float64s = (base64: string): Float64Array => {
  const b = Buffer.from(base64, 'base64')
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

const int32s = (base64: string): Int32Array => {
  const b = Buffer.from(base64, 'base64')
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
}

/** The file a bundle's threads keep their tables in. */
export const keptTablesFileOf = (bundleFile: string): string => `${bundleFile}.tables.json`

/** Shapes adopted or written so far by this thread: a task that built none leaves the file alone. */
let known = 0

/** Adopt the tables kept in `file`, if any; a damaged or foreign file is ignored (the tables are built instead). */
export const adoptKeptTables = (file: string): void => {
  if (!existsSync(file)) return
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredTable[]
    adoptBetaTables(
      stored.map(({ a, b, table }): BetaTableData => ({
        a,
        b,
        table: table && { ...table, lines: float64s(table.lines), guide: int32s(table.guide) },
      })),
    )
  } catch {
    // not ours to trust: build
  }
  known = keptBetaTables().length
}

/** Whether this thread has written its tables: once is enough (see keepTables). */
let written = false

/**
 * Write this thread's tables to `file`, with those another thread wrote there meanwhile (each adds what the other
 * lacks), the first time it has built any since it read the file. Once a thread: what a command or a server's
 * warm-up needs is built by its first task, and a server whose levers make a new shape a move would otherwise rewrite
 * a growing file after every one, on a thread the next request waits for.
 */
export const keepTables = (file: string): void => {
  if (written || keptBetaTables().length <= known) return
  written = true
  adoptKeptTables(file)
  const tables = keptBetaTables()
  known = tables.length
  const stored: StoredTable[] = tables.map(({ a, b, table }) => ({
    a,
    b,
    table: table && { ...table, lines: bytes(table.lines), guide: bytes(table.guide) },
  }))
  try {
    writeWhole(file, JSON.stringify(stored))
  } catch {
    // a read-only install: each thread builds its own, as before
  }
}
