/** The Hono app of the API: presets, saved scenarios, runs, comparisons, openapi.json; thin over the engine. */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import { sensitivityTornadoPart } from '../../models/analysis/analysis-report'
import { comparabilityProblems, removalOnlyOf, removalOnlyVersion, withStartYear, type ComparisonReport } from '../../models/analysis/compare'
import { AnalysisProblems, type Outcome } from '../../models/analysis/outcomes'
import type { TornadoResult } from '../../models/analysis/sensitivity'
import type { TornadoPart } from '../../models/analysis/tornado-split'
import { parseScenario, toFieldProblems, type FieldProblem, type Scenario } from '../../models/engine/scenario'
import { ENGINE_VERSION } from '../../models/engine/version'
import { getPresetRaw, listPresets } from '../../scenarios/index'
import { inlineCompute, PoolClosedError, WorkerLostError, type Compute, type ComputeOptions } from '../runners/work'
import { canonicalJson } from '../store/canonical'
import { isShareStore, type Store } from '../store/store'
import { createAdmission } from './admission'
import { ComputedOnce, KeptAnswers } from './computed-once'
import { calibrateRequestSchema } from './calibrate-request'
import { registerComparatorRoutes } from './comparator-routes'
import { registerExportRoutes } from './export-routes'
import { registerShareRoutes } from './share-routes'
import type { CompareFor } from './export-routes'
import type { RunReport } from '../../models/engine/run'
import { buildOpenApi } from './openapi'
import { ApiError, invalid, notFound, problemResponse, under } from './problems'
import {
  compareRequestSchema,
  DEFAULT_LIMITS,
  diffRequestSchema,
  twoWayRequestSchema,
  runRequestSchema,
  sensitivityRequestSchema,
  thresholdRequestSchema,
  type ApiLimits,
} from './requests'
import type { RunService } from './run-service'

export interface ApiDeps {
  store: Store
  runs: RunService
  limits?: ApiLimits
  /** Computes the analyses off the event loop (the thread pool locally); without it, in this process (Lambda). */
  compute?: Compute
  /** Runs a tornado over worker threads (locally); without it, through `compute`. */
  tornado?: (part: TornadoPart, options?: ComputeOptions) => Promise<TornadoResult>
  /** The client's address, for the per-client bounds; without it every request counts as one client. */
  clientOf?: (c: Context) => string
}

/** One policy for every response: only this origin's scripts, styles inline for chart attributes. */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/**
 * The headers of every response, one policy: framing is refused by CSP frame-ancestors alone (an X-Frame-Options
 * SAMEORIGIN beside it contradicted it), and HSTS only where the request came over HTTPS (Lambda's Function URL,
 * or a proxy that says x-forwarded-proto: https): over plain HTTP on localhost it would be a lie browsers cache.
 */
export const responseHeaders = (): MiddlewareHandler => {
  const plain = secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: false, strictTransportSecurity: false })
  const overHttps = secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, xFrameOptions: false })
  return (c, next) => (cameOverHttps(c) ? overHttps(c, next) : plain(c, next))
}

const cameOverHttps = (c: Context): boolean =>
  c.req.header('x-forwarded-proto')?.split(',')[0].trim() === 'https' || new URL(c.req.url).protocol === 'https:'

/**
 * POST bodies only as application/json: a form or text/plain POST needs no CORS preflight, so any web page could
 * otherwise make a user's local server save scenarios or start expensive work.
 */
const jsonBodiesOnly: MiddlewareHandler = async (c, next) => {
  if (c.req.method !== 'POST') return next()
  const type = c.req.header('content-type')?.split(';')[0].trim().toLowerCase()
  if (type === 'application/json') return next()
  throw new ApiError(415, 'unsupported_media_type', 'a POST body must be sent as Content-Type: application/json', [
    { path: '(headers).content-type', message: `must be application/json${type ? `, not ${type}` : ''}` },
  ])
}

/** Parse the body as JSON; malformed JSON is a 400 naming the body, not a crash. */
const readJson = async (c: Context): Promise<unknown> => {
  const text = await c.req.text()
  try {
    return JSON.parse(text)
  } catch (e) {
    throw invalid([{ path: '(body)', message: `must be valid JSON: ${(e as Error).message}` }], 'malformed JSON')
  }
}

const validate = <T>(schema: z.ZodType<T>, body: unknown): T => {
  // reportInput lets toFieldProblems tell a missing field from a wrong-typed one
  const result = schema.safeParse(body, { reportInput: true })
  if (!result.success) throw invalid(toFieldProblems(result.error))
  return result.data
}

/** Why a comparison is refused; across populations, how to ask for it all the same. */
const refusal = (problems: FieldProblem[]): string =>
  problems.some((p) => /\.groups/.test(p.path))
    ? 'the scenarios describe different populations: send compareAnyway: true to compare them all the same (labelled so)'
    : 'the scenarios cannot be compared'

export const createApi = (deps: ApiDeps) => {
  const { store, runs } = deps
  const limits = deps.limits ?? DEFAULT_LIMITS
  const compute = deps.compute ?? inlineCompute
  const tornado = deps.tornado ?? ((part, options) => compute({ kind: 'tornado', part }, options))
  const clientOf = deps.clientOf ?? (() => 'unknown')
  const admission = createAdmission(limits)
  const app = new Hono()

  /**
   * A computing request: admitted (or a 429), given its time budget, and stopped when the budget runs out or the
   * client goes away, answered then with a 503 naming the budget: never a half result.
   */
  const computing = async <T>(c: Context, budgetMs: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const release = admission.enter('request', clientOf(c))
    const budget = AbortSignal.timeout(budgetMs)
    const signal = AbortSignal.any([c.req.raw.signal, budget])
    try {
      return await run(signal)
    } catch (e) {
      if (e instanceof AnalysisProblems) throw invalid(e.problems, 'the analysis options do not fit the scenario')
      if (budget.aborted)
        throw new ApiError(
          503,
          'over_budget',
          `the computation took longer than its time budget of ${budgetMs / 1000} s and was stopped; ask for fewer iterations or a smaller grid`,
        )
      if (c.req.raw.signal.aborted) throw new ApiError(503, 'cancelled', 'the client went away; the computation was stopped')
      if (e instanceof PoolClosedError)
        throw new ApiError(503, 'stopping', 'the server is stopping; ask again in a moment', [], { 'Retry-After': String(limits.retryAfterSeconds) })
      if (e instanceof WorkerLostError)
        throw new ApiError(503, 'worker_lost', 'the worker thread computing this stopped (killed or out of memory); ask again', [], {
          'Retry-After': String(limits.retryAfterSeconds),
        })
      throw e
    } finally {
      release()
    }
  }
  /** Analyses asked again (the Run button pressed twice, a link opened by two people): 32 answers kept. */
  const analyses = new ComputedOnce<unknown>(new KeptAnswers(32))

  /**
   * An analysis as a computing request: a pure function of `work` (its kind, scenarios and seeded options), so an
   * identical request is answered from the one kept or shares the one still running.
   */
  const analysing = <T>(c: Context, work: object, run: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    computing(c, limits.analysisBudgetMs, (signal) => analyses.run(canonicalJson(work), run, signal) as Promise<T>)

  /** A scenario from a request: inline (validated), a preset id, a saved scenario's id, or `removal-only:<id>`. */
  const resolveScenario = async (ref: unknown, path: string): Promise<{ scenario: Scenario; id?: string }> => {
    const of = typeof ref === 'string' ? removalOnlyOf(ref) : undefined
    if (of !== undefined) {
      const resolved = await resolveScenario(of, path)
      return { scenario: removalOnlyVersion(resolved.scenario), id: ref as string }
    }
    let raw: unknown = ref
    let id: string | undefined
    if (typeof ref === 'string') {
      raw = getPresetRaw(ref) ?? (await store.getScenario(ref))?.scenario
      if (raw === undefined) throw new ApiError(404, 'not_found', `no preset or saved scenario "${ref}"`, [{ path, message: `no preset or saved scenario with id "${ref}"` }])
      id = ref
    }
    const parsed = parseScenario(raw)
    if (!parsed.ok) throw invalid(under(path, parsed.problems), 'the scenario is not valid')
    return { scenario: parsed.scenario, id }
  }

  app.use('*', responseHeaders())
  app.use('/api/*', jsonBodiesOnly)
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) =>
        problemResponse(
          c,
          new ApiError(413, 'body_too_large', `the request body is over ${limits.maxBodyBytes} bytes`, [
            { path: '(body)', message: `must be at most ${limits.maxBodyBytes} bytes` },
          ]),
        ),
    }),
  )

  app.get('/healthz', (c) => c.json({ ok: true, engineVersion: ENGINE_VERSION }))
  app.get('/openapi.json', (c) => c.json(buildOpenApi(limits)))

  app.get('/api/presets', (c) => c.json(listPresets()))
  app.get('/api/presets/:id', (c) => {
    const preset = getPresetRaw(c.req.param('id'))
    if (preset === undefined) throw notFound(`preset "${c.req.param('id')}"`)
    return c.json(preset as object)
  })

  app.post('/api/scenarios', async (c) => {
    const body = await readJson(c)
    const parsed = parseScenario(body)
    if (!parsed.ok) throw invalid(parsed.problems, 'the scenario is not valid')
    const { id, created } = await store.saveScenario(body)
    return c.json({ id, url: `/s/${id}`, created }, created ? 201 : 200)
  })
  app.get('/api/scenarios/:id', async (c) => {
    const saved = await store.getScenario(c.req.param('id'))
    if (!saved) throw notFound(`scenario "${c.req.param('id')}"`)
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return c.json(saved.scenario as object)
  })

  app.post('/api/runs', async (c) => {
    const request = validate(runRequestSchema(limits), await readJson(c))
    const { scenario, id } = await resolveScenario(request.scenario ?? request.scenarioId, request.scenario ? 'scenario' : 'scenarioId')
    const client = clientOf(c)
    const started = await computing(c, limits.runBudgetMs, (signal) =>
      runs.startRun(scenario, { ...request, scenarioId: id }, { signal, admitBackground: () => admission.enter('background', client) }),
    )
    return c.json(started.body, started.status)
  })
  app.get('/api/runs/:runId', async (c) => {
    const status = await runs.runStatus(c.req.param('runId'))
    if (!status) throw notFound(`run "${c.req.param('runId')}"`)
    return c.json(status)
  })
  app.get('/api/runs/:runId/iterations.csv', async (c) => {
    const chunks = await runs.iterationsCsv(c.req.param('runId'))
    if (!chunks) throw notFound(`iterations of run "${c.req.param('runId')}" (only runs started with keepIterations keep them)`)
    c.header('Content-Type', 'text/csv; charset=utf-8')
    c.header('Content-Disposition', `attachment; filename="run-${c.req.param('runId')}-iterations.csv"`)
    return c.body(chunks.join(''))
  })

  app.post('/api/compare', async (c) => {
    const request = validate(compareRequestSchema(limits), await readJson(c))
    const [a, b] = await Promise.all(request.scenarios.map((ref, i) => resolveScenario(ref, `scenarios[${i}]`)))
    const comparator = b?.scenario ?? removalOnlyVersion(a.scenario)
    const problems: FieldProblem[] = comparabilityProblems(a.scenario, comparator, request)
    if (problems.length) throw invalid(problems, refusal(problems))
    const compared = await computing(c, limits.runBudgetMs, (signal) => runs.compare(a.scenario, comparator, request, { signal }))
    return c.json(withStartYear(compared as ComparisonReport, request.startYear))
  })

  /** The comparator of an analysis: resolved, and comparable with the scenario (undefined: the analysis's default). */
  const resolveComparator = async (scenario: Scenario, ref: unknown, options: { compareAnyway?: boolean } = {}) => {
    if (ref === undefined) return undefined
    const { scenario: comparator } = await resolveScenario(ref, 'comparator')
    const problems = comparabilityProblems(scenario, comparator, options).map((p) => ({ ...p, path: p.path.replace('scenarios[1]', 'comparator') }))
    if (problems.length) throw invalid(problems, refusal(problems))
    return comparator
  }

  app.post('/api/sensitivity', async (c) => {
    const request = validate(sensitivityRequestSchema(limits), await readJson(c))
    const { scenario } = await resolveScenario(request.scenario, 'scenario')
    const comparator = await resolveComparator(scenario, request.comparator, request)
    outcomeNeeds(request.outcome, request.wtp)
    const full = { ...request, comparator }
    return c.json(
      await analysing(c, { kind: 'sensitivity', scenario, request: full }, async (signal) => {
        // the tornado split over the threads, then the PSA half (rank correlations, EVPPI) in one of them
        const bars = await tornado(sensitivityTornadoPart(scenario, full), { signal })
        return compute({ kind: 'sensitivity', scenario, request: full, tornado: bars }, { signal })
      }),
    )
  })

  app.post('/api/calibrate', async (c) => {
    const request = validate(calibrateRequestSchema(limits), await readJson(c))
    const inline = request.scenario !== undefined
    const { scenario } = await resolveScenario(inline ? request.scenario : request.scenarioId, inline ? 'scenario' : 'scenarioId')
    const work = { kind: 'calibrate', scenario, request } as const
    return c.json(await analysing(c, work, (signal) => compute(work, { signal })))
  })

  app.post('/api/threshold', async (c) => {
    const request = validate(thresholdRequestSchema(limits), await readJson(c))
    const { scenario } = await resolveScenario(request.scenario, 'scenario')
    // break-even is against a comparator: by default the same cohort without the programme (thresholdReport)
    const comparator = await resolveComparator(scenario, request.comparator, request)
    const criterion = request.target ? { kind: 'target' as const, ...request.target } : undefined
    const range: [number | undefined, number | undefined] = [request.min, request.max]
    const thresholdRequest = { ...request, criterion, range }
    const work = { kind: 'threshold', scenario, comparator: comparator ?? null, request: thresholdRequest } as const
    return c.json(await analysing(c, work, (signal) => compute(work, { signal })))
  })

  /** The outcome's own needs: a WTP for net monetary benefit (the comparator defaults to the removal-only version). */
  const outcomeNeeds = (outcome: Outcome, wtp: number | undefined) => {
    if (outcome === 'netMonetaryBenefit' && wtp === undefined)
      throw invalid([{ path: 'wtp', message: 'is required with outcome netMonetaryBenefit' }])
  }

  app.post('/api/diff', async (c) => {
    const request = validate(diffRequestSchema(limits), await readJson(c))
    const [a, b] = await Promise.all(request.scenarios.map((ref, i) => resolveScenario(ref, `scenarios[${i}]`)))
    // the baseline may describe other people: that can be the difference attributed
    const problems = comparabilityProblems(a.scenario, b.scenario, { compareAnyway: true })
    if (problems.length) throw invalid(problems, 'the scenarios cannot be compared')
    const comparator = await resolveComparator(a.scenario, request.comparator, request)
    outcomeNeeds(request.outcome, request.wtp)
    const spec = { outcome: request.outcome, comparator, wtp: request.wtp, compareAnyway: request.compareAnyway }
    const sampling = { seed: request.seed, iterations: request.iterations }
    const work = { kind: 'diff', a: a.scenario, b: b.scenario, spec, sampling } as const
    return c.json(await analysing(c, work, (signal) => compute(work, { signal })))
  })

  app.post('/api/two-way', async (c) => {
    const request = validate(twoWayRequestSchema(limits), await readJson(c))
    const { scenario } = await resolveScenario(request.scenario, 'scenario')
    const comparator = await resolveComparator(scenario, request.comparator, request)
    outcomeNeeds(request.outcome, request.wtp)
    const spec = { outcome: request.outcome, comparator, wtp: request.wtp, compareAnyway: request.compareAnyway }
    const sampling = { seed: request.seed, iterations: request.iterations }
    const { rows, columns } = request
    const work = { kind: 'twoWay', scenario, spec, sampling, rows, columns } as const
    return c.json(await analysing(c, work, (signal) => compute(work, { signal })))
  })

  registerComparatorRoutes(app)
  const readRequest = async <T>(c: Context, schema: z.ZodType<T>) => validate(schema, await readJson(c))
  // the decision routes compute on the pool like /api/compare: the run budget, admission, the client's signal
  const compareFor: CompareFor = (c) => async (a, b, r) =>
    (await computing(c, limits.runBudgetMs, (signal) => runs.compare(a, b, r, { signal }))) as ComparisonReport & { report?: RunReport }
  registerExportRoutes(app, { resolveScenario, limits, readRequest, compare: compareFor })
  registerShareRoutes(app, {
    shares: isShareStore(store) ? store : undefined,
    saveScenario: (scenario) => store.saveScenario(scenario),
    limits,
    readRequest,
    compare: compareFor,
  })

  app.notFound((c) => problemResponse(c, notFound(`${c.req.method} ${c.req.path}`)))
  app.onError((error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error)
    // unexpected: log it for the operator, answer without internals
    console.error(error)
    return c.json({ error: 'internal', message: 'something went wrong on our side; nothing you saved was changed', problems: [] }, 500)
  })
  return app
}
