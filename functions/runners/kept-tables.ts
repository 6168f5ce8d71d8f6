/**
 * The beta inversion tables a worker thread built, kept beside its bundle so the next thread (of this process or the
 * next command) takes them instead of building them again: ~0.1 s of each thread's first shard on the Germany preset.
 * The file is named after the bundle, whose name is a hash of its code: other engine code, another file. A table
 * read back draws exactly as one built (its numbers are written as their bytes), so no result depends on the file.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fromBase64, toBase64 } from '../../models/engine/base64'
import { adoptBetaTables, keptBetaTables, type BetaTableData } from '../../models/engine/beta'
import { writeWhole } from './node-bundle.mjs'

interface StoredTable {
  a: number
  b: number
  table: null | { lines: string; guide: string; firstKnot: number; lastKnot: number; lower: number; upper: number }
}

/** The file a bundle's threads keep their tables in. */
export const keptTablesFileOf = (bundleFile: string): string => `${bundleFile}.tables.json`

/** Shapes this thread had when it read the file: a task that built none since leaves the file alone. */
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
        table: table && { ...table, lines: new Float64Array(fromBase64(table.lines)), guide: new Int32Array(fromBase64(table.guide)) },
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
  const stored: StoredTable[] = keptBetaTables().map(({ a, b, table }) => ({
    a,
    b,
    table: table && { ...table, lines: toBase64(table.lines), guide: toBase64(table.guide) },
  }))
  try {
    writeWhole(file, JSON.stringify(stored))
  } catch {
    // a read-only install: each thread builds its own, as before
  }
}
