/** openapi.json, generated from the same zod schemas that validate the requests. */
import { z } from 'zod'
import { scenarioSchema } from '../../models/engine/scenario'
import { ENGINE_VERSION } from '../../models/engine/version'
import { calibrateRequestSchema } from './calibrate-request'
import { decisionPaths } from './decision-openapi'
import {
  compareRequestSchema,
  diffRequestSchema,
  runRequestSchema,
  twoWayRequestSchema,
  sensitivityRequestSchema,
  thresholdRequestSchema,
} from './requests'
import { LIMIT_DESCRIPTIONS, type ApiLimits } from './limits'

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>

const problem = { $ref: '#/components/schemas/Problem' }
const problemAnswer = (description: string) => ({ description, content: { 'application/json': { schema: problem } } })
const retryAfter = { 'Retry-After': { description: 'seconds to wait before asking again', schema: { type: 'integer' } } }
const errors = {
  '400': problemAnswer('invalid request: each field path and rule'),
  '404': problemAnswer('not found'),
  '413': problemAnswer('body too large'),
  '415': problemAnswer('a POST body not sent as Content-Type: application/json'),
}
/** The answers of a route that computes: refused when the server is full, stopped over its time budget. */
const computeErrors = {
  ...errors,
  '429': { ...problemAnswer('refused: too many computing requests (or background runs) in progress, in all or from this client; see info.x-limits'), headers: retryAfter },
  '503': problemAnswer('stopped: over its time budget (named in the message), or the client went away; never a half result'),
}
const json = (schema: object) => ({ content: { 'application/json': { schema } } })

/** One document per limits object: it is built once, then served as it is. */
const documents = new WeakMap<ApiLimits, object>()

export const buildOpenApi = (limits: ApiLimits): object => {
  const cached = documents.get(limits)
  if (cached) return cached
  const document = {
    openapi: '3.0.3',
    info: {
      title: 'Homecoming API',
      version: ENGINE_VERSION,
      description: 'Return and reintegration policy simulator',
      /** Every limit of this server, with what it bounds (functions/api/limits.ts). */
      'x-limits': Object.fromEntries(
        (Object.keys(LIMIT_DESCRIPTIONS) as (keyof ApiLimits)[]).map((name) => [name, { value: limits[name], description: LIMIT_DESCRIPTIONS[name] }]),
      ),
    },
    paths: {
      ...decisionPaths(limits),
      '/healthz': { get: { summary: 'liveness', responses: { '200': { description: 'ok' } } } },
      '/api/presets': { get: { summary: 'list the preset scenarios', responses: { '200': { description: 'presets' } } } },
      '/api/presets/{id}': {
        get: {
          summary: 'one preset scenario',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the scenario', ...json({ $ref: '#/components/schemas/Scenario' }) }, ...errors },
        },
      },
      '/api/scenarios': {
        post: {
          summary: 'save a scenario (immutable; the id is derived from its content)',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/Scenario' }) },
          responses: { '201': { description: 'saved: { id, url }' }, '200': { description: 'saved before: { id, url }' }, ...errors },
        },
      },
      '/api/scenarios/{id}': {
        get: {
          summary: 'a saved scenario, exactly as saved',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the scenario' }, ...errors },
        },
      },
      '/api/runs': {
        post: {
          summary: `run a scenario: up to ${limits.syncIterations} iterations the report at once, larger runs in the background`,
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/RunRequest' }) },
          responses: { '200': { description: 'the report (as `homecoming run --json`)' }, '202': { description: '{ runId, statusUrl }' }, ...computeErrors },
        },
      },
      '/api/runs/{runId}': {
        get: {
          summary: 'status, progress and, when complete, the report',
          parameters: [{ name: 'runId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'status' }, ...errors },
        },
      },
      '/api/runs/{runId}/iterations.csv': {
        get: {
          summary: 'every iteration of every metric, for runs started with keepIterations',
          parameters: [{ name: 'runId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'CSV', content: { 'text/csv': {} } }, ...errors },
        },
      },
      '/api/sensitivity': {
        post: {
          summary: 'tornado, rank correlations and EVPPI of a scenario for a chosen outcome',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/SensitivityRequest' }) },
          responses: { '200': { description: 'the report (as `homecoming sensitivity --json`)' }, ...computeErrors },
        },
      },
      '/api/calibrate': {
        post: {
          summary:
            "calibrate a scenario's uncertain inputs to its targets (or the given ones) by importance sampling over its PSA draws: the calibrated scenario, its posterior rank correlation, the diagnostics (ESS) and the predictive check",
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/CalibrateRequest' }) },
          responses: { '200': { description: 'the calibration (as `homecoming calibrate --json`)' }, ...computeErrors },
        },
      },
      '/api/threshold': {
        post: {
          summary: 'the lever value at which the programme breaks even (or reaches a target), with its uncertainty',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/ThresholdRequest' }) },
          responses: { '200': { description: 'the report (as `homecoming threshold --json`)' }, ...computeErrors },
        },
      },
      '/api/diff': {
        post: {
          summary: 'the change in an outcome from baseline B to A, credited to each differing assumption in a stated order',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/DiffRequest' }) },
          responses: { '200': { description: 'the attribution' }, ...computeErrors },
        },
      },
      '/api/two-way': {
        post: {
          summary: 'the mean outcome over a grid of two levers',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/TwoWayRequest' }) },
          responses: { '200': { description: 'the grid' }, ...computeErrors },
        },
      },
      '/api/compare': {
        post: {
          summary:
            'compare scenario A against comparator B with common random numbers; with includeReport: true also the run report of A (`report`)',
          requestBody: { required: true, ...json({ $ref: '#/components/schemas/CompareRequest' }) },
          responses: { '200': { description: 'the comparison (as `homecoming compare --json`)' }, ...computeErrors },
        },
      },
    },
    components: {
      schemas: {
        Scenario: jsonSchema(scenarioSchema),
        RunRequest: jsonSchema(runRequestSchema(limits)),
        CompareRequest: jsonSchema(compareRequestSchema(limits)),
        SensitivityRequest: jsonSchema(sensitivityRequestSchema(limits)),
        ThresholdRequest: jsonSchema(thresholdRequestSchema(limits)),
        CalibrateRequest: jsonSchema(calibrateRequestSchema(limits)),
        DiffRequest: jsonSchema(diffRequestSchema(limits)),
        TwoWayRequest: jsonSchema(twoWayRequestSchema(limits)),
        Problem: {
          type: 'object',
          properties: {
            error: { type: 'string' },
            message: { type: 'string' },
            problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  }
  documents.set(limits, document)
  return document
}
