/**
 * Admission: a bound on the computing requests and background runs in flight, in all and per client address;
 * over a bound the request is refused at once (429 with Retry-After) instead of queueing without end.
 */
import type { ApiLimits } from './limits'
import { ApiError } from './problems'

export type AdmissionKind = 'request' | 'background'

/** A held place; releasing it twice is harmless. */
export type Release = () => void

export interface Admission {
  /** A place for `client`, or a 429 ApiError naming the bound that is full. */
  enter(kind: AdmissionKind, client: string): Release
  /** What is held now (soak and tests). */
  held(kind: AdmissionKind): number
}

export const createAdmission = (limits: ApiLimits): Admission => {
  const bounds = {
    request: {
      total: limits.maxActiveRequests,
      perClient: limits.maxActiveRequestsPerClient,
      retryAfter: limits.retryAfterSeconds,
      what: 'computing requests',
    },
    background: {
      total: limits.maxBackgroundRuns,
      perClient: limits.maxBackgroundRunsPerClient,
      retryAfter: limits.backgroundRetryAfterSeconds,
      what: 'background runs',
    },
  }
  const counts = { request: new Map<string, number>(), background: new Map<string, number>() }
  const totals = { request: 0, background: 0 }

  return {
    enter(kind, client) {
      const bound = bounds[kind]
      const mine = counts[kind].get(client) ?? 0
      const full =
        totals[kind] >= bound.total
          ? `the server has ${bound.total} ${bound.what} in progress, its limit`
          : mine >= bound.perClient
            ? `you have ${bound.perClient} ${bound.what} in progress, the limit per client`
            : undefined
      if (full) throw new ApiError(429, 'too_many_requests', `${full}; try again in ${bound.retryAfter} s`, [], { 'Retry-After': String(bound.retryAfter) })
      counts[kind].set(client, mine + 1)
      totals[kind]++
      let released = false
      return () => {
        if (released) return
        released = true
        totals[kind]--
        const left = (counts[kind].get(client) ?? 1) - 1
        if (left > 0) counts[kind].set(client, left)
        else counts[kind].delete(client)
      }
    },
    held: (kind) => totals[kind],
  }
}
