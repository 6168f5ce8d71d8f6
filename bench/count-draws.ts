/**
 * Counts the PRNG outputs one iteration consumes, in a worker thread of its own: counting wraps the stream's
 * generator on its prototype, and a patched prototype would slow every later timing in the same isolate.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { CohortModel } from '../models/cohort'
import { seedKey, Stream } from '../models/rng'
import type { Scenario } from '../models/scenario'

const scenario = workerData as Scenario
const original = Stream.prototype.nextInt32
let count = 0
Stream.prototype.nextInt32 = function (this: Stream) {
  count++
  return original.call(this)
}
const model = new CohortModel(scenario)
const out = new Float64Array(model.layout.observables)
const iterations = 2000
for (let i = 0; i < iterations; i++) model.iterate(seedKey('bench'), i, out)
parentPort!.postMessage(count / iterations)
