/** The openapi paths of the decision routes (comparators, exports, shares), kept beside those routes. */
import { z } from 'zod'
import { exportRequestSchema, shareRequestSchema, type ApiLimits } from './requests'

const problem = { $ref: '#/components/schemas/Problem' }
const errors = {
  '400': { description: 'invalid request: each field path and rule', content: { 'application/json': { schema: problem } } },
  '404': { description: 'not found', content: { 'application/json': { schema: problem } } },
}
const idParameter = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } })

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) } },
})

export const decisionPaths = (limits: ApiLimits) => ({
  '/api/export.xlsx': {
    post: {
      summary:
        'the Excel workbook of a scenario against its comparator (default: its removal-only version): sheets Summary (verdict, increments, unit costs with what they include), Budget by year (year x total/payer/line, the scenario and the incremental budget, mean p05 p95), Targets, Assumptions (path, distribution, parameters, source)',
      requestBody: body(exportRequestSchema(limits)),
      responses: {
        '200': { description: 'the .xlsx file', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {} } },
        ...errors,
      },
    },
  },
  '/api/shares': {
    post: {
      summary:
        'share a scenario: stores it with the snapshot of its comparison against its removal-only version ({ engineVersion, seed, iterations, scenarioId, title, preset: { id, title, titleKept } | null, changes: [{ path, from, to }], comparison }); the id is derived from both, a share is never overwritten',
      requestBody: body(shareRequestSchema(limits)),
      responses: { '201': { description: '{ id, url, created, snapshot }' }, '200': { description: 'shared before: { id, url, created: false, snapshot }' }, ...errors },
    },
  },
  '/api/shares/{id}': {
    get: {
      summary: 'a share exactly as made: { id, scenario, snapshot, savedAt } (immutable)',
      parameters: [idParameter('id')],
      responses: { '200': { description: 'the share' }, ...errors },
    },
  },
  '/api/shares/{id}/rerun': {
    post: {
      summary:
        'run a share again on the current engine (same seed and N): { id, snapshotEngineVersion, currentEngineVersion, same, differenceCount, differences: [{ path, snapshot, current }] (first 200), current }',
      parameters: [idParameter('id')],
      responses: { '200': { description: 'the differences' }, ...errors },
    },
  },
  '/api/presets/{id}/comparators': {
    get: {
      summary:
        "what a preset can be compared with: first its own removal-only version (id removal-only:<id>, default: true), then each other preset with comparable, compareAnywayPossible and the problems by field",
      parameters: [idParameter('id')],
      responses: { '200': { description: '[{ id, title, default, comparable, compareAnywayPossible, problems }]' }, ...errors },
    },
  },
})
