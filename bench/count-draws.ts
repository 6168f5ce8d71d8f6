/**
 * Counts the random numbers one iteration consumes, in a worker thread of its own: the parameters' hashed
 * uniforms and the cohort streams' xorshift outputs. Counting wraps both generators on their prototypes, and a
 * patched prototype would slow every later timing in the same isolate.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { CohortModel } from '../models/engine/cohort'
import { ParameterUniforms, seedKey, Stream } from '../models/engine/rng'
import type { Scenario } from '../models/engine/scenario'

const scenario = workerData as Scenario
const nextInt32 = Stream.prototype.nextInt32
const uniform = ParameterUniforms.prototype.uniform
let streamDraws = 0
let parameterUniforms = 0
Stream.prototype.nextInt32 = function (this: Stream) {
  streamDraws++
  return nextInt32.call(this)
}
ParameterUniforms.prototype.uniform = function (this: ParameterUniforms, key: number, salt: number) {
  parameterUniforms++
  return uniform.call(this, key, salt)
}
const model = new CohortModel(scenario)
const out = new Float64Array(model.layout.observables)
const iterations = 2000
for (let i = 0; i < iterations; i++) model.iterate(seedKey('bench'), i, out)
parentPort!.postMessage({ parameterUniforms: parameterUniforms / iterations, streamDraws: streamDraws / iterations })
