/**
 * The comparator's side of recent paired comparisons, kept so the next comparison against it need not run it again.
 * Iteration i of a scenario depends only on (scenario, seed, i), so the comparator's values over an iteration range
 * are the same bits however often they are asked for: moving a lever of A on the page changes A alone, and its
 * removal-only comparator (which has no programme) is read back rather than re-run.
 */
import type { Seed } from './rng'
import type { Scenario } from './scenario'

interface Entry {
  key: string
  from: number
  to: number
  rows: Float64Array
}

/** A least-recently-used store of comparator rows, bounded by the number of values it holds. */
export class ComparatorMemo {
  private readonly entries: Entry[] = []
  private held = 0

  constructor(private readonly maxValues: number) {}

  /**
   * What identifies a comparator's iterations: its scenario as written (a different key order only misses) and the
   * seed; the engine is this process's, so its version is implied.
   */
  static keyOf(comparator: Scenario, seed: Seed): string {
    return `${typeof seed}:${String(seed)}:${JSON.stringify(comparator)}`
  }

  /** The rows of iterations [from, to) stored under `key`, `width` values an iteration, if kept. */
  get(key: string, from: number, to: number, width: number): Float64Array | undefined {
    const at = this.entries.findIndex((e) => e.key === key && e.from === from && e.to === to && e.rows.length === (to - from) * width)
    if (at < 0) return undefined
    const [entry] = this.entries.splice(at, 1)
    this.entries.push(entry)
    return entry.rows
  }

  set(key: string, from: number, to: number, rows: Float64Array): void {
    if (rows.length > this.maxValues) return
    this.entries.push({ key, from, to, rows })
    this.held += rows.length
    while (this.held > this.maxValues) this.held -= this.entries.shift()!.rows.length
  }

  /** Values held (for a test of the bound). */
  get size(): number {
    return this.held
  }
}
