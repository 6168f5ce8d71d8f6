/**
 * How many worker threads a job is worth: a thread costs its start and a cold first stretch (~0.3 s together), so
 * a small job runs faster in this thread alone. The estimate is rough on purpose (within a factor of two is enough
 * to choose between one thread and all): per iteration, each group-month of each scenario at its cohort mode's
 * cost, and the summaries of its observables. The bits are the same for any thread count.
 */
import { layoutOf } from '../models/engine/run'
import type { Scenario } from '../models/engine/scenario'
import type { Job } from '../models/engine/shard-task'

/** Seconds per group-month of one iteration, measured on the presets (npm run bench), rounded up. */
const SECONDS_PER_GROUP_MONTH = { stochastic: 2.5e-6, expected: 0.25e-6 } as const
/** Seconds per observable of one iteration (moments, sketch or kept values). */
const SECONDS_PER_OBSERVABLE = 0.03e-6
/** The work that pays for one more thread. */
const SECONDS_PER_THREAD = 0.5

const secondsPerIteration = (s: Scenario): number =>
  s.groups.length * s.horizonMonths * SECONDS_PER_GROUP_MONTH[s.cohort] + layoutOf(s).observables * SECONDS_PER_OBSERVABLE

/** This thread's estimated seconds for the whole job. */
export const estimatedSeconds = (job: Job): number =>
  job.iterations * (secondsPerIteration(job.scenario) + (job.kind === 'compare' ? secondsPerIteration(job.comparator) : 0))

/** Threads for a job: one per SECONDS_PER_THREAD of estimated work, at least one, at most `cores`. */
export const threadsFor = (job: Job, cores: number): number =>
  Math.max(1, Math.min(cores, Math.floor(estimatedSeconds(job) / SECONDS_PER_THREAD)))
