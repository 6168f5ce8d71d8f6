/**
 * Calibration of a scenario's uncertain inputs to observed figures: a normal likelihood per target on the prior PSA
 * draws, importance weights (SIR, or IMIS), the effective sample size, a resampled posterior, and a new scenario
 * whose marginals are fitted to it and whose dependence is its rank-correlation matrix, checked by re-running it.
 */
import { z } from 'zod'
import { CohortModel } from '../engine/cohort'
import { distSupport, type DistSpec } from '../engine/distributions'
import { normalCdf, normalQuantile } from '../engine/normal'
import { iterationKey, ParameterUniforms, pathKey, pathSalt, seedKey, Stream, type Seed } from '../engine/rng'
import { parseScenario, toFieldProblems, type Dist, type FieldProblem, type Scenario, type Target } from '../engine/scenario'
import { ENGINE_VERSION } from '../engine/version'
import {
  asScenarioTarget,
  calibrationTargetsSchema,
  prepareTargets,
  scenarioTargets,
  type CalibrationTarget,
  type PreparedTarget,
} from './calibration-targets'
import type { CorrelationSpec, PreparedCorrelation } from '../engine/correlation'
import { imis, weightStatistics, type ImisRound } from './imis'
import { correlationFor, InputDraws, uncertainInputs } from './inputs'
import { fitMarginal, sortedQuantile, type Family, type FieldKind, type FitBounds } from './marginal-fit'
import { AnalysisProblems } from './outcomes'
import { distAtPath, setDistAtPath } from './parameter-paths'
import { rankUniforms } from './smoother'

export const CALIBRATION_METHODS = ['sir', 'imis'] as const
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number]

export interface CalibrationRequest {
  seed: Seed
  /** Prior draws: the scenario's own iterations 0 .. N-1 (common random numbers); IMIS starts from them. */
  iterations: number
  /** The figures to calibrate to; by default the scenario's own checked targets. */
  targets?: CalibrationTarget[]
  method?: CalibrationMethod
  /** Posterior draws resampled (default min(iterations, 4,000)). */
  posteriorDraws?: number
  /** Iterations of the calibrated scenario in the predictive check (default min(iterations, 5,000)). */
  checkIterations?: number
  /** IMIS: new points per round (default iterations / 10) and rounds at most (default 10). */
  imisBatch?: number
  imisRounds?: number
  /** The prior's dependence, where the scenario comes with one (the correlation of an earlier calibration). */
  correlation?: CorrelationSpec
  onProgress?: (done: number, total: number) => void
}

/** A distribution of draws: mean, sd and the 90% interval with its median (null where no draw is defined). */
export interface DrawSummary {
  mean: number | null
  sd: number | null
  p05: number | null
  p50: number | null
  p95: number | null
}

export type TargetInterval = DrawSummary & {
  /** Whether the target's value lies within [p05, p95]. */
  inside: boolean | null
  /** Draws in which the metric is undefined (a ratio with a zero denominator), where any. */
  undefinedDraws?: number
}

export interface TargetFit {
  id: string
  metric: string
  per: PreparedTarget['per']
  value: number
  sd: number
  sdFrom: PreparedTarget['sdFrom']
  low?: number
  high?: number
  source?: string
  /** The metric (per year or month where asked) over the prior draws, the resampled posterior draws, and a fresh
   * run of the calibrated scenario with its correlation (and without it, as a plain run draws it). */
  prior: TargetInterval
  posterior: TargetInterval
  check: TargetInterval
  checkIndependent: TargetInterval
}

/**
 * What the targets told about an input: its marginal moved (`marginal`: refitted), it only became correlated
 * with another input (`dependence`: its Dist kept, joined to the correlation), or nothing beyond noise (`none`).
 */
export type Informed = 'marginal' | 'dependence' | 'none'

export interface InputFit {
  path: string
  informed: Informed
  /** Kolmogorov-Smirnov distance of the posterior from the prior draws, and the distance that counts as a move. */
  shift: { distance: number; threshold: number }
  prior: { dist: Dist; draws: DrawSummary }
  posterior: DrawSummary
  /** The Dist written to the calibrated scenario, where the marginal was refitted. */
  calibrated?: { dist: DistSpec; family: Family; fitDistance: number; candidates: { family: Family; distance: number }[] }
}

export interface CalibrationDiagnostics {
  method: CalibrationMethod
  priorDraws: number
  /** Model runs behind the weights (prior draws plus IMIS points). */
  weightedDraws: number
  posteriorDraws: number
  /** Kish's effective sample size of the importance weights, and as a share of the weighted draws. */
  ess: number
  essShare: number
  /** ESS below 100 or below 1% of the weighted draws: the posterior rests on too few draws to trust. */
  collapsed: boolean
  /** Draws with an undefined target metric: likelihood 0. */
  undefinedDraws: number
  imis?: { rounds: ImisRound[]; converged: boolean }
  correlationRepair?: string
  warnings: string[]
}

export interface CalibrationResult {
  engineVersion: string
  scenarioId: string
  seed: Seed
  targets: TargetFit[]
  /** Scenario targets left out (a different scope: excludedBecause). */
  excludedTargets: string[]
  inputs: InputFit[]
  diagnostics: CalibrationDiagnostics
  /** The posterior rank correlation of the informed inputs (null where fewer than two): the calibrated scenario's `correlation`. */
  correlation: CorrelationSpec | null
  predictiveCheck: { iterations: number; allInside: boolean; allInsideIndependent: boolean }
  /** The calibrated scenario (schemaVersion 2, valid). */
  scenario: Scenario
}

/** ESS below which the posterior is called collapsed, absolute and as a share of the weighted draws. */
export const ESS_FLOOR = 100
export const ESS_FLOOR_SHARE = 0.01
/** The KS critical constant at level 0.001: c(alpha) = sqrt(-ln(alpha / 2) / 2). */
const KS_CONSTANT = Math.sqrt(-Math.log(0.001 / 2) / 2)
/** A change of rank correlation beyond this many standard errors counts as dependence the targets induced. */
const DEPENDENCE_SES = 4
const MIN_ITERATIONS = 100
const LOG_2PI = Math.log(2 * Math.PI)

/** Mean, sd and quantiles of the defined values of a sample. */
export const summariseDraws = (values: ArrayLike<number>): DrawSummary & { undefinedDraws: number } => {
  const defined: number[] = []
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) defined.push(values[i])
  const sorted = Float64Array.from(defined).sort()
  const n = sorted.length
  const undefinedDraws = values.length - n
  if (n === 0) return { mean: null, sd: null, p05: null, p50: null, p95: null, undefinedDraws }
  let mean = 0
  for (const x of sorted) mean += x
  mean /= n
  let ss = 0
  for (const x of sorted) ss += (x - mean) ** 2
  return {
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : null,
    p05: sortedQuantile(sorted, 0.05),
    p50: sortedQuantile(sorted, 0.5),
    p95: sortedQuantile(sorted, 0.95),
    undefinedDraws,
  }
}

const targetInterval = (values: ArrayLike<number>, value: number): TargetInterval => {
  const { undefinedDraws, ...s } = summariseDraws(values)
  return {
    ...s,
    inside: s.p05 !== null && s.p95 !== null ? value >= s.p05 && value <= s.p95 : null,
    ...(undefinedDraws > 0 ? { undefinedDraws } : {}),
  }
}

/** Two-sample Kolmogorov-Smirnov distance of two sorted samples. */
export const ksDistance = (a: Float64Array, b: Float64Array): number => {
  let i = 0
  let j = 0
  let d = 0
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i], b[j])
    while (i < a.length && a[i] <= x) i++
    while (j < b.length && b[j] <= x) j++
    d = Math.max(d, Math.abs(i / a.length - j / b.length))
  }
  return d
}

const pearson = (x: Float64Array, y: Float64Array): number => {
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i]
    my += y[i]
  }
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my)
    sxx += (x[i] - mx) ** 2
    syy += (y[i] - my) ** 2
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0
}

/** Spearman's rho of every pair of columns (row-major d x d): Pearson of the midranks. */
const rankCorrelationMatrix = (columns: readonly Float64Array[]): Float64Array => {
  const d = columns.length
  const ranks = columns.map(rankUniforms)
  const m = new Float64Array(d * d)
  for (let a = 0; a < d; a++) {
    m[a * d + a] = 1
    for (let b = 0; b < a; b++) m[a * d + b] = m[b * d + a] = pearson(ranks[a], ranks[b])
  }
  return m
}

/** Systematic resampling: `size` indices of `weights` (normalised), one uniform from `stream`. */
export const resample = (weights: Float64Array, size: number, stream: Stream): Uint32Array => {
  const out = new Uint32Array(size)
  const u0 = stream.nextDouble()
  let i = 0
  let cumulative = weights[0]
  for (let m = 0; m < size; m++) {
    const u = (m + u0) / size
    while (u > cumulative && i < weights.length - 1) cumulative += weights[++i]
    out[m] = i
  }
  return out
}

/** Run iteration i of a model, its inputs through the copula where there is one, else the model's own draws. */
const iterateDrawn = (
  model: CohortModel,
  copula: InputDraws | undefined,
  vector: Float64Array[],
  runKey: number,
  i: number,
  out: Float64Array,
): void => {
  if (!copula) return model.iterate(runKey, i, out)
  copula.draw(runKey, i, vector)
  model.iterate(runKey, i, out, vector[0])
}

/** A scenario with one parameter replaced, parsed: whether the schema accepts the value there. */
const acceptsAt = (scenario: Scenario, path: string, dist: Dist): boolean => {
  const probe = structuredClone(scenario)
  setDistAtPath(probe, path, dist)
  return parseScenario(probe).ok
}

/** The field's kind (by what its schema accepts) and the prior's support within its domain. */
const fitBoundsOf = (scenario: Scenario, path: string, prior: Dist): FitBounds => {
  const kind: FieldKind = !acceptsAt(scenario, path, 1.5)
    ? 'probability'
    : acceptsAt(scenario, path, -1)
      ? 'signed'
      : 'nonNegative'
  const [lo, hi] = typeof prior === 'number' ? [prior, prior] : distSupport(prior)
  const domain = kind === 'probability' ? [0, 1] : kind === 'nonNegative' ? [0, Infinity] : [-Infinity, Infinity]
  return { kind, lower: Math.max(lo, domain[0]), upper: Math.min(hi, domain[1]) }
}

const withoutSource = (d: Dist): Dist => {
  if (typeof d === 'number') return d
  const { source: _source, ...rest } = d
  return rest as DistSpec
}

const formatFigure = (x: number): string => String(Number(x.toPrecision(4)))

/**
 * Calibrate a scenario to targets. Iteration i of the prior is the scenario's own iteration i (seed, common random
 * numbers); its log-likelihood is the sum over targets of log N(value; metric_i, sd). SIR weighs the prior draws by
 * the likelihood; IMIS adds Gaussian components on the inputs' normal scores until the resample would hold enough
 * distinct draws. Throws AnalysisProblems on options or targets that do not fit the scenario.
 */
export const calibrate = (scenario: Scenario, request: CalibrationRequest): CalibrationResult => {
  const problems: FieldProblem[] = []
  const method = request.method ?? 'sir'
  const N = request.iterations
  if (!Number.isSafeInteger(N) || N < MIN_ITERATIONS)
    problems.push({ path: 'iterations', message: `must be a whole number >= ${MIN_ITERATIONS}` })
  if (!(CALIBRATION_METHODS as readonly string[]).includes(method))
    problems.push({ path: 'method', message: `must be one of ${CALIBRATION_METHODS.join(', ')}` })
  if (method === 'imis' && request.correlation)
    problems.push({ path: 'correlation', message: 'IMIS samples independent normal scores: calibrate a correlated prior with SIR' })
  const own = request.targets ? undefined : scenarioTargets(scenario)
  if (own && !own.ok) problems.push(...own.problems)
  // the targets' own rules (an sd or an interval for each) hold however the request arrived
  const given = request.targets ? calibrationTargetsSchema.safeParse(request.targets, { reportInput: true }) : undefined
  if (given && !given.success) problems.push(...toFieldProblems(given.error, 'unknown field', ['targets']))
  const targetList = given ? (given.success ? given.data : []) : own?.ok ? own.targets : []
  const prepared = prepareTargets(scenario, targetList)
  if (!prepared.ok) problems.push(...prepared.problems)
  const model = new CohortModel(scenario)
  const inputs = uncertainInputs([model])
  if (inputs.length === 0) problems.push({ path: 'scenario', message: 'has no uncertain input (every Dist is a point): nothing to calibrate' })
  // the prior's dependence: the request's, else the scenario's own (an earlier calibration's)
  const prior = correlationFor([model], request.correlation ?? scenario.correlation)
  if (!prior.ok) problems.push(...prior.problems)
  if (problems.length || !prepared.ok || !prior.ok) throw new AnalysisProblems(problems)
  const targets = prepared.targets

  const d = inputs.length
  const T = targets.length
  const slots = Int32Array.from(inputs, (input) => input.slots[0])
  const posteriorSize = Math.max(1, Math.min(request.posteriorDraws ?? Math.min(N, 4000), 1e6))
  const batch = Math.max(10, request.imisBatch ?? Math.round(N / 10))
  const maxRounds = Math.max(0, request.imisRounds ?? 10)
  const capacity = method === 'imis' ? N + batch * maxRounds : N
  const checkIterations = Math.max(1, request.checkIterations ?? Math.min(N, 5000))
  // the check runs once with the posterior correlation and once without (counted twice even where it has none)
  const total = capacity + 2 * checkIterations
  let done = 0
  const progress = () => {
    done++
    if (request.onProgress && (done % 1024 === 0 || done === total)) request.onProgress(done, total)
  }

  const runKey = seedKey(request.seed)
  const out = new Float64Array(model.layout.observables)
  /** Input k of draw i at values[k * capacity + i]; target t's metric at metrics[t * capacity + i]. */
  const values = new Float64Array(d * capacity)
  const metrics = new Float64Array(T * capacity)
  const logLik = new Float64Array(capacity)
  let undefinedDraws = 0
  const logSd = targets.map((t) => Math.log(t.sd))
  const record = (i: number) => {
    let ll = 0
    for (let t = 0; t < T; t++) {
      const target = targets[t]
      const y = out[target.index] / target.divisor
      metrics[t * capacity + i] = y
      const z = (y - target.value) / target.sd
      ll += Number.isFinite(y) ? -0.5 * z * z - logSd[t] - 0.5 * LOG_2PI : -Infinity
    }
    if (ll === -Infinity) undefinedDraws++
    logLik[i] = ll
    progress()
  }

  // the prior: the scenario's own iterations (through the copula where the prior has a correlation)
  const draws = prior.correlation ? new InputDraws([model], prior.correlation) : undefined
  const drawn = [new Float64Array(model.table.size)]
  for (let i = 0; i < N; i++) {
    iterateDrawn(model, draws, drawn, runKey, i, out)
    const v = model.drawnValues
    for (let k = 0; k < d; k++) values[k * capacity + i] = v[slots[k]]
    record(i)
  }

  let weighted = N
  let logWeights: Float64Array = logLik.subarray(0, N)
  let imisDiagnostics: CalibrationDiagnostics['imis']
  if (method === 'imis') {
    // the prior draws' normal scores: the inverse normal of the very uniforms the parameter table inverted
    const scores = new Float64Array(N * d)
    const uniforms = new ParameterUniforms()
    const keys = Uint32Array.from(slots, (s) => model.table.keys[s])
    const salts = Uint32Array.from(keys, (key) => pathSalt(key))
    for (let i = 0; i < N; i++) {
      uniforms.setIteration(runKey, iterationKey(i))
      for (let k = 0; k < d; k++) scores[i * d + k] = normalQuantile(uniforms.uniform(keys[k], salts[k]))
    }
    const overrides = new Float64Array(model.table.size).fill(NaN)
    const result = imis(
      scores,
      logLik.subarray(0, N),
      d,
      (rows, offset, index) => {
        for (let k = 0; k < d; k++) {
          const u = Math.min(1 - 2 ** -53, Math.max(2 ** -53, normalCdf(rows[offset + k])))
          const x = model.table.valueAt(slots[k], u)
          overrides[slots[k]] = x
          values[k * capacity + index] = x
        }
        // a new point is a new iteration: its cohort streams are those of iteration `index`
        model.iterate(runKey, index, out, overrides)
        record(index)
        return logLik[index]
      },
      { batch, maxRounds, resampleSize: posteriorSize, runKey },
    )
    weighted = result.points
    logWeights = result.logWeights
    imisDiagnostics = { rounds: result.rounds, converged: result.converged }
  }

  const stats = weightStatistics(logWeights, weighted, posteriorSize)
  if (stats.ess === 0)
    throw new AnalysisProblems([
      { path: 'targets', message: 'no draw defines every target metric (each is a ratio with a zero denominator in every draw)' },
    ])
  const picked = resample(stats.weights, posteriorSize, new Stream().reset(runKey, iterationKey(0), pathKey('calibration.resample')))
  const column = (k: number, from: Float64Array, count: number) => from.subarray(k * capacity, k * capacity + count)
  const posteriorColumn = (k: number, from: Float64Array) => Float64Array.from(picked, (i) => from[k * capacity + i])

  // which inputs moved: KS distance against a threshold set by the effective sizes of both samples
  const inverseEffective = 1 / stats.ess + 1 / posteriorSize
  const ksThreshold = KS_CONSTANT * Math.sqrt(inverseEffective + 1 / N)
  const priorColumns = inputs.map((_, k) => column(k, values, N))
  const posteriorColumns = inputs.map((_, k) => posteriorColumn(k, values))
  const sortedPrior = priorColumns.map((c) => Float64Array.from(c).sort())
  const sortedPosterior = posteriorColumns.map((c) => Float64Array.from(c).sort())
  const shifts = inputs.map((_, k) => ksDistance(sortedPosterior[k], sortedPrior[k]))
  // an independent prior's rank correlations are 0 (its sample's differ by noise of 1 / sqrt(N), in the threshold)
  const priorRanks = prior.correlation ? rankCorrelationMatrix(priorColumns) : new Float64Array(d * d)
  const posteriorRanks = rankCorrelationMatrix(posteriorColumns)
  const dependenceThreshold = DEPENDENCE_SES * Math.sqrt(inverseEffective + 1 / N)
  const informed: Informed[] = inputs.map((_, k) => {
    if (shifts[k] > ksThreshold) return 'marginal'
    for (let j = 0; j < d; j++)
      if (j !== k && Math.abs(posteriorRanks[k * d + j] - priorRanks[k * d + j]) > dependenceThreshold) return 'dependence'
    return 'none'
  })

  const warnings: string[] = []
  const essShare = stats.ess / weighted
  const collapsed = stats.ess < ESS_FLOOR || essShare < ESS_FLOOR_SHARE
  if (collapsed)
    warnings.push(
      `the effective sample size collapsed: ${stats.ess.toFixed(1)} of ${weighted.toLocaleString('en-GB')} weighted draws ` +
        `(${(100 * essShare).toFixed(2)}%), below ${ESS_FLOOR} or ${100 * ESS_FLOOR_SHARE}%: the posterior rests on a few draws ` +
        `and its intervals cannot be trusted. ` +
        (method === 'sir' ? 'Try IMIS (--method imis), more prior draws (-n), or ' : 'Try more prior draws (-n), or ') +
        'wider priors for the inputs that drive the targets furthest from their prior intervals (below); check too that each target has the scope of its metric',
    )

  // the calibrated scenario: each moved marginal refitted, within its field's domain and the prior's support
  const calibrated = structuredClone(scenario)
  delete calibrated.migratedFrom
  calibrated.id = `${scenario.id.slice(0, 69)}-calibrated`
  calibrated.title = `${scenario.title.slice(0, 187)} (calibrated)`
  const targetText = targets
    .map((t) => `${t.id} (${t.metric}${t.per === 'horizon' ? '' : ` per ${t.per}`} ${formatFigure(t.value)} sd ${formatFigure(t.sd)})`)
    .join(', ')
  const methodText = method === 'sir' ? 'sampling-importance-resampling' : 'incremental mixture importance sampling'
  const inputFits: InputFit[] = inputs.map((input, k) => {
    const priorDist = distAtPath(scenario, input.path)
    if (priorDist === undefined) throw new Error(`no Dist at ${input.path}, an uncertain input of ${scenario.id}`)
    const fit: InputFit = {
      path: input.path,
      informed: informed[k],
      shift: { distance: shifts[k], threshold: ksThreshold },
      prior: { dist: priorDist, draws: summariseDraws(priorColumns[k]) },
      posterior: summariseDraws(posteriorColumns[k]),
    }
    if (informed[k] !== 'marginal') return fit
    const bounds = fitBoundsOf(scenario, input.path, priorDist)
    const marginal = fitMarginal(posteriorColumns[k], bounds, (dist) => acceptsAt(calibrated, input.path, dist))
    if (!marginal) {
      warnings.push(`${input.path}: its posterior could not be fitted by a valid Dist (it barely varies); the prior is kept`)
      return { ...fit, informed: 'dependence' as const }
    }
    const priorSource = typeof priorDist === 'number' ? undefined : priorDist.source
    const source =
      `calibrated: ${marginal.family} fitted to ${posteriorSize.toLocaleString('en-GB')} posterior draws ` +
      `(${methodText}, ${targets.length} target${targets.length === 1 ? '' : 's'}; mean quantile distance ` +
      `${marginal.distance.toFixed(3)} sd); prior ${JSON.stringify(withoutSource(priorDist))}` +
      (priorSource ? `: ${priorSource}` : '')
    setDistAtPath(calibrated, input.path, { ...marginal.dist, source: source.slice(0, 2000) })
    return {
      ...fit,
      calibrated: { dist: marginal.dist, family: marginal.family, fitDistance: marginal.distance, candidates: marginal.candidates },
    }
  })

  // the dependence: the posterior rank correlation of every informed input
  const joined = inputFits.map((f, k) => ({ f, k })).filter(({ f }) => f.informed !== 'none')
  let correlation: CorrelationSpec | null = null
  let preparedCorrelation: PreparedCorrelation | undefined
  let correlationRepair: string | undefined
  const calibratedModel = new CohortModel(calibrated)
  if (joined.length >= 2) {
    const spec: CorrelationSpec = {
      paths: joined.map(({ f }) => f.path),
      matrix: joined.map(({ k: a }) => joined.map(({ k: b }) => (a === b ? 1 : Number(posteriorRanks[a * d + b].toFixed(4))))),
    }
    const checked = correlationFor([calibratedModel], spec, true)
    if (!checked.ok) throw new Error(`the posterior correlation does not fit the calibrated scenario: ${JSON.stringify(checked.problems)}`)
    preparedCorrelation = checked.correlation!
    correlationRepair = preparedCorrelation.repair
    correlation = { paths: preparedCorrelation.paths, matrix: preparedCorrelation.rank.map((row) => row.map((x) => Number(x.toFixed(4)))) }
  }

  const marginalPaths = inputFits.filter((f) => f.calibrated).map((f) => f.path)
  const lines = [
    `calibrated by homecoming calibrate (engine ${ENGINE_VERSION}): ${methodText} over ${N.toLocaleString('en-GB')} prior draws of ` +
      `${scenario.id} (seed ${request.seed})${method === 'imis' ? ` and ${(weighted - N).toLocaleString('en-GB')} IMIS draws` : ''}, ` +
      `normal likelihood on ${targetText}; effective sample size ${stats.ess.toFixed(0)} ` +
      `(${(100 * essShare).toFixed(1)}%${collapsed ? ', collapsed: see the warnings of the calibration' : ''}); ` +
      `${posteriorSize.toLocaleString('en-GB')} posterior draws resampled`,
    marginalPaths.length
      ? `calibrated marginals (fitted to the posterior draws): ${marginalPaths.join(', ')}`
      : 'no input moved beyond resampling noise: the marginals are the prior ones',
    correlation
      ? `dependence: the posterior rank correlation of ${correlation.paths.join(', ')} is this scenario's ` +
        '`correlation`: runs and analyses draw these inputs through its Gaussian copula'
      : 'dependence: none beyond resampling noise',
  ].map((line) => line.slice(0, 2000))
  calibrated.sources = [...(scenario.sources ?? []).slice(0, 100 - lines.length), ...lines]
  if (correlation)
    calibrated.correlation = {
      ...correlation,
      source: `posterior rank (Spearman) correlation of the calibration of ${scenario.id} (${method}, seed ${request.seed})`,
    }
  else delete calibrated.correlation
  if (request.targets) {
    const given = targets.map(asScenarioTarget)
    const ids = new Set(given.map((t) => t.id))
    calibrated.targets = [...(scenario.targets ?? []).filter((t: Target) => !ids.has(t.id)), ...given].slice(0, 100)
  }
  const parsed = parseScenario(calibrated)
  if (!parsed.ok) throw new Error(`the calibrated scenario does not parse: ${JSON.stringify(parsed.problems)}`)

  // the posterior predictive check: the calibrated scenario run afresh as written (its correlation drawn through the
  // copula), and without its correlation (the inputs drawn independently)
  const { correlation: _dropped, ...withoutCorrelation } = parsed.scenario
  const checkModels = [new CohortModel(parsed.scenario), new CohortModel(withoutCorrelation)]
  const checkOut = new Float64Array(checkModels[0].layout.observables)
  const checkMetrics = (correlated: boolean): Float64Array[] => {
    const m = targets.map(() => new Float64Array(checkIterations))
    const checkModel = checkModels[correlated ? 0 : 1]
    for (let i = 0; i < checkIterations; i++) {
      checkModel.iterate(runKey, i, checkOut)
      targets.forEach((t, j) => (m[j][i] = checkOut[t.index] / t.divisor))
      progress()
    }
    return m
  }
  const withCorrelation = checkMetrics(true)
  const independent = preparedCorrelation ? checkMetrics(false) : withCorrelation
  if (!preparedCorrelation) for (let i = 0; i < checkIterations; i++) progress()

  const targetFits: TargetFit[] = targets.map((t, j) => {
    const fit: TargetFit = {
      id: t.id,
      metric: t.metric,
      per: t.per,
      value: t.value,
      sd: t.sd,
      sdFrom: t.sdFrom,
      ...(t.low !== undefined ? { low: t.low, high: t.high } : {}),
      ...(t.source !== undefined ? { source: t.source } : {}),
      prior: targetInterval(column(j, metrics, N), t.value),
      posterior: targetInterval(posteriorColumn(j, metrics), t.value),
      check: targetInterval(withCorrelation[j], t.value),
      checkIndependent: targetInterval(independent[j], t.value),
    }
    if (fit.prior.inside === false)
      warnings.push(
        `target ${t.id}: ${formatFigure(t.value)} lies outside the prior's 90% interval ` +
          `[${formatFigure(fit.prior.p05!)}, ${formatFigure(fit.prior.p95!)}]: the calibration has to reach into the prior's tail`,
      )
    if (fit.check.inside === false)
      warnings.push(
        `target ${t.id}: ${formatFigure(t.value)} lies outside the calibrated scenario's 90% interval ` +
          `[${formatFigure(fit.check.p05!)}, ${formatFigure(fit.check.p95!)}] (predictive check)`,
      )
    return fit
  })

  request.onProgress?.(total, total)
  return {
    engineVersion: ENGINE_VERSION,
    scenarioId: scenario.id,
    seed: request.seed,
    targets: targetFits,
    excludedTargets: own?.ok ? own.excluded : [],
    inputs: inputFits,
    diagnostics: {
      method,
      priorDraws: N,
      weightedDraws: weighted,
      posteriorDraws: posteriorSize,
      ess: stats.ess,
      essShare,
      collapsed,
      undefinedDraws,
      ...(imisDiagnostics ? { imis: imisDiagnostics } : {}),
      ...(correlationRepair ? { correlationRepair } : {}),
      warnings,
    },
    correlation,
    predictiveCheck: {
      iterations: checkIterations,
      allInside: targetFits.every((t) => t.check.inside === true),
      allInsideIndependent: targetFits.every((t) => t.checkIndependent.inside === true),
    },
    scenario: parsed.scenario,
  }
}

/** A correlation given as a file for a calibration's prior: `{ correlation: { paths, matrix }, source? }`. */
export const correlationFileSchema = z.strictObject({
  scenarioId: z.string().min(1).max(100),
  correlation: z.strictObject({
    paths: z.array(z.string().min(1).max(300)).min(2).max(200),
    matrix: z.array(z.array(z.number())).max(200),
  }),
  source: z.string().max(2000).optional(),
})
export type CorrelationFile = z.infer<typeof correlationFileSchema>

