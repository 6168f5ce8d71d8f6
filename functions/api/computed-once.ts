/**
 * Pure computations (a report or an analysis is a function of its request alone) answered once: the latest answers
 * kept, and an answer still being computed shared by every identical request that comes meanwhile.
 */
import { InFlight } from './in-flight'

/** A small LRU of finished answers, by key. */
export class KeptAnswers<T> {
  private readonly entries = new Map<string, T>()
  constructor(private readonly capacity: number) {}
  get(key: string): T | undefined {
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }
  set(key: string, value: T): void {
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!)
  }
}

/** Kept answers in front of computations shared while in flight. */
export class ComputedOnce<T> {
  private readonly inFlight = new InFlight<T>()

  /** `kept`: the answers, which their owner may also read and fill by other keys (the run service does). */
  constructor(private readonly kept: KeptAnswers<T>) {}

  /** The answer for `key`: kept, being computed for another request, or computed now (and then kept). */
  run(key: string, compute: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const kept = this.kept.get(key)
    if (kept !== undefined) return Promise.resolve(kept)
    return this.inFlight.run(
      key,
      async (shared) => {
        const answer = await compute(shared)
        this.kept.set(key, answer)
        return answer
      },
      signal,
    )
  }
}
