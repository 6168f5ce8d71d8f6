/** The openapi paths of the decision routes (comparators, exports, shares), kept beside those routes. */
import { z } from 'zod'
import { exportRequestSchema, type ApiLimits } from './requests'

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
  '/api/presets/{id}/comparators': {
    get: {
      summary:
        "what a preset can be compared with: first its own removal-only version (id removal-only:<id>, default: true), then each other preset with comparable, compareAnywayPossible and the problems by field",
      parameters: [idParameter('id')],
      responses: { '200': { description: '[{ id, title, default, comparable, compareAnywayPossible, problems }]' }, ...errors },
    },
  },
})
