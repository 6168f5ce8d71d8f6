/**
 * Identical computations in flight, shared: a request for a job that is already computing waits for the same answer
 * instead of computing it again (a link passed round an office and opened at once, the same preset opened in several
 * tabs). A report is a pure function of its job, so sharing changes no number. The computation is cancelled only when
 * every request waiting for it has gone away.
 */

interface Entry<T> {
  promise: Promise<T>
  controller: AbortController
  waiting: number
}

export class InFlight<T> {
  private readonly entries = new Map<string, Entry<T>>()

  /** Computations running now (tests). */
  get size(): number {
    return this.entries.size
  }

  /**
   * The answer of `compute` for `key`: a computation already running for it, or a new one, which gets a signal that
   * aborts once every caller's own `signal` has. A caller that aborts rejects at once with its signal's reason.
   */
  run(key: string, compute: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    let entry = this.entries.get(key)
    if (!entry) {
      const controller = new AbortController()
      // a compute that throws at once rejects like one that fails later
      const promise = new Promise<T>((resolve) => resolve(compute(controller.signal)))
      const started: Entry<T> = { promise, controller, waiting: 0 }
      // settled: the next request computes afresh (or finds the report cache); the handler also means a failure
      // after every waiter has gone is nobody's unhandled rejection
      const forget = () => {
        if (this.entries.get(key) === started) this.entries.delete(key)
      }
      promise.then(forget, forget)
      this.entries.set(key, started)
      entry = started
    }
    const shared = entry
    shared.waiting++
    return new Promise<T>((resolve, reject) => {
      let left = false
      const leave = () => {
        if (left) return false
        left = true
        shared.waiting--
        return true
      }
      const onAbort = () => {
        if (!leave()) return
        if (shared.waiting === 0) {
          // nobody waits for it any more: stop it, and let the next request for the key start afresh
          if (this.entries.get(key) === shared) this.entries.delete(key)
          shared.controller.abort(signal!.reason)
        }
        reject(signal!.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      shared.promise.then(
        (value) => {
          signal?.removeEventListener('abort', onAbort)
          if (leave()) resolve(value)
        },
        (error) => {
          signal?.removeEventListener('abort', onAbort)
          if (leave()) reject(error)
        },
      )
    })
  }
}
