/** The openapi paths of the decision routes (comparators, exports, shares), kept beside those routes. */

const problem = { $ref: '#/components/schemas/Problem' }
const errors = {
  '400': { description: 'invalid request: each field path and rule', content: { 'application/json': { schema: problem } } },
  '404': { description: 'not found', content: { 'application/json': { schema: problem } } },
}
const idParameter = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } })

export const DECISION_PATHS = {
  '/api/presets/{id}/comparators': {
    get: {
      summary:
        "what a preset can be compared with: first its own removal-only version (id removal-only:<id>, default: true), then each other preset with comparable, compareAnywayPossible and the problems by field",
      parameters: [idParameter('id')],
      responses: { '200': { description: '[{ id, title, default, comparable, compareAnywayPossible, problems }]' }, ...errors },
    },
  },
}
