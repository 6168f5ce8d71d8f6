/**
 * Incremental mixture importance sampling (Raftery and Bao 2010; the R package IMIS without its optimiser, as the
 * DARTH calibration tutorials run it) on the inputs' standard normal scores, where the prior is N(0, I).
 */
import { choleskySemidefinite } from '../engine/correlation'
import { normalQuantile } from '../engine/normal'
import { iterationKey, pathKey, Stream } from '../engine/rng'

export interface ImisOptions {
  /** New points per round (B); the prior draws are the first stage (B0, the R package's 10 B). */
  batch: number
  /** Rounds at most (number_k). */
  maxRounds: number
  /** The posterior sample size the stopping rule aims at (B.re). */
  resampleSize: number
  /** The run key: the proposals' normal draws come from streams keyed by it and the round. */
  runKey: number
}

export interface ImisRound {
  round: number
  points: number
  ess: number
  /** Expected number of distinct points among resampleSize draws: sum of 1 - (1 - w)^B.re. */
  uniquePoints: number
  maxWeight: number
}

export interface ImisResult {
  /** Score rows of every point, row-major (points x dimension), the prior draws first. */
  scores: Float64Array
  points: number
  logWeights: Float64Array
  rounds: ImisRound[]
  /** Whether the stopping rule was met (uniquePoints >= (1 - 1/e) resampleSize) before maxRounds. */
  converged: boolean
}

const LOG_2PI = Math.log(2 * Math.PI)

const logAddExp = (a: number, b: number): number => {
  if (a === -Infinity) return b
  if (b === -Infinity) return a
  const m = Math.max(a, b)
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m))
}

/** Normalised weights of log-weights, and their ESS, expected distinct points and largest weight. */
export const weightStatistics = (logWeights: Float64Array, count: number, resampleSize: number) => {
  let max = -Infinity
  for (let i = 0; i < count; i++) if (logWeights[i] > max) max = logWeights[i]
  const w = new Float64Array(count)
  let sum = 0
  for (let i = 0; i < count; i++) {
    w[i] = max === -Infinity ? 0 : Math.exp(logWeights[i] - max)
    sum += w[i]
  }
  let squares = 0
  let unique = 0
  let maxWeight = 0
  for (let i = 0; i < count; i++) {
    w[i] = sum > 0 ? w[i] / sum : 0
    squares += w[i] * w[i]
    // 1 - (1 - w)^B without cancellation for small w
    unique += -Math.expm1(resampleSize * Math.log1p(-Math.min(w[i], 1 - 1e-16)))
    if (w[i] > maxWeight) maxWeight = w[i]
  }
  return { weights: w, ess: squares > 0 ? 1 / squares : 0, uniquePoints: unique, maxWeight }
}

/** A Gaussian component: centre, lower Cholesky factor of its covariance, log-determinant. */
interface Component {
  centre: Float64Array
  factor: Float64Array
  logDet: number
}

const logGaussian = (c: Component, x: Float64Array, xOffset: number, d: number, scratch: Float64Array): number => {
  const l = c.factor
  let quad = 0
  for (let i = 0; i < d; i++) {
    let s = x[xOffset + i] - c.centre[i]
    for (let k = 0; k < i; k++) s -= l[i * d + k] * scratch[k]
    scratch[i] = s / l[i * d + i]
    quad += scratch[i] * scratch[i]
  }
  return -0.5 * (quad + c.logDet + d * LOG_2PI)
}

/**
 * Run IMIS from the prior draws' scores (points x d, row-major) and their log-likelihoods. Each round centres a
 * Gaussian on the point of largest weight, with the weighted covariance of its `batch` nearest points (weights
 * plus 1/points, as the R package), draws `batch` points from it and asks `logLikelihood(row, index)` of each.
 * Weights are prior x likelihood / mixture, the mixture being the prior (weighted by its share of the points)
 * and every component so far.
 */
export const imis = (
  priorScores: Float64Array,
  priorLogLikelihood: Float64Array,
  d: number,
  logLikelihood: (scores: Float64Array, offset: number, index: number) => number,
  options: ImisOptions,
): ImisResult => {
  const n0 = priorLogLikelihood.length
  const { batch, maxRounds, resampleSize } = options
  const capacity = n0 + batch * maxRounds
  const scores = new Float64Array(capacity * d)
  scores.set(priorScores.subarray(0, n0 * d))
  const logPrior = new Float64Array(capacity)
  const logLik = new Float64Array(capacity)
  /** log of the sum of the components' densities at each point. */
  const logComponents = new Float64Array(capacity).fill(-Infinity)
  const logWeights = new Float64Array(capacity)
  const priorLogDensity = (offset: number) => {
    let s = 0
    for (let k = 0; k < d; k++) s += scores[offset + k] * scores[offset + k]
    return -0.5 * (s + d * LOG_2PI)
  }
  for (let i = 0; i < n0; i++) {
    logPrior[i] = priorLogDensity(i * d)
    logLik[i] = priorLogLikelihood[i]
  }
  const components: Component[] = []
  const rounds: ImisRound[] = []
  const scratch = new Float64Array(d)
  const stream = new Stream()
  let points = n0
  let converged = false
  const priorShare = Math.log(n0 / batch)

  for (let round = 0; ; round++) {
    // the envelope: the prior with weight B0 / B and each component with weight 1, normalised
    const logNorm = Math.log(n0 / batch + components.length)
    for (let i = 0; i < points; i++) {
      const envelope = components.length ? logAddExp(priorShare + logPrior[i], logComponents[i]) - logNorm : logPrior[i]
      logWeights[i] = logPrior[i] + logLik[i] - envelope
    }
    const stats = weightStatistics(logWeights, points, resampleSize)
    rounds.push({ round, points, ess: stats.ess, uniquePoints: stats.uniquePoints, maxWeight: stats.maxWeight })
    if (stats.uniquePoints >= (1 - Math.exp(-1)) * resampleSize) {
      converged = true
      break
    }
    if (round === maxRounds || stats.maxWeight === 0) break

    // the new component: centred on the heaviest point, covariance from its nearest `batch` points
    const w = stats.weights
    let best = 0
    for (let i = 1; i < points; i++) if (w[i] > w[best]) best = i
    const centre = scores.slice(best * d, best * d + d)
    const distance = new Float64Array(points)
    for (let i = 0; i < points; i++) {
      let s = 0
      for (let k = 0; k < d; k++) s += (scores[i * d + k] - centre[k]) ** 2
      distance[i] = s
    }
    const nearest = Uint32Array.from({ length: points }, (_, i) => i)
      .sort((a, b) => distance[a] - distance[b])
      .subarray(0, Math.min(batch, points))
    let total = 0
    for (const i of nearest) total += w[i] + 1 / points
    const covariance = new Float64Array(d * d)
    let squares = 0
    for (const i of nearest) {
      const wi = (w[i] + 1 / points) / total
      squares += wi * wi
      for (let a = 0; a < d; a++) {
        const da = scores[i * d + a] - centre[a]
        for (let b = 0; b <= a; b++) covariance[a * d + b] += wi * da * (scores[i * d + b] - centre[b])
      }
    }
    for (let a = 0; a < d; a++)
      for (let b = 0; b <= a; b++) {
        // the unbiased weighted covariance; a small ridge keeps the factor positive definite
        const v = covariance[a * d + b] / (1 - squares) + (a === b ? 1e-9 : 0)
        covariance[a * d + b] = v
        covariance[b * d + a] = v
      }
    const chol = choleskySemidefinite(covariance, d)
    if (!('factor' in chol)) break
    const factor = chol.factor
    let logDet = 0
    for (let k = 0; k < d; k++) {
      if (!(factor[k * d + k] > 0)) factor[k * d + k] = 1e-6
      logDet += 2 * Math.log(factor[k * d + k])
    }
    const component = { centre, factor, logDet }

    // draw the batch, evaluate it, and bring every point's mixture up to date
    stream.reset(options.runKey, iterationKey(round), pathKey('calibration.imis'))
    const z = new Float64Array(d)
    for (let j = 0; j < batch; j++) {
      const at = (points + j) * d
      for (let k = 0; k < d; k++) z[k] = normalQuantile(stream.nextDouble())
      for (let a = 0; a < d; a++) {
        let s = centre[a]
        for (let k = 0; k <= a; k++) s += factor[a * d + k] * z[k]
        scores[at + a] = s
      }
      logPrior[points + j] = priorLogDensity(at)
      logLik[points + j] = logLikelihood(scores, at, points + j)
      for (const c of components) logComponents[points + j] = logAddExp(logComponents[points + j], logGaussian(c, scores, at, d, scratch))
    }
    components.push(component)
    points += batch
    for (let i = 0; i < points; i++) logComponents[i] = logAddExp(logComponents[i], logGaussian(component, scores, i * d, d, scratch))
  }
  return { scores: scores.subarray(0, points * d), points, logWeights: logWeights.subarray(0, points), rounds, converged }
}
