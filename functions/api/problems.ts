/** The API's error bodies: every 4xx names each field and the rule it breaks, never a stack trace. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { FieldProblem } from '../../models/engine/scenario'

export interface ProblemBody {
  error: string
  message: string
  problems: FieldProblem[]
}

/** Thrown inside handlers; the app's error handler turns it into its JSON response. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly problems: FieldProblem[] = [],
    /** Sent with the answer (a 429's Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export const invalid = (problems: FieldProblem[], message = 'the request is not valid') =>
  new ApiError(400, 'invalid_request', message, problems)

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`)

/** Prefix each problem's path with where the value sits in the request body. */
export const under = (prefix: string, problems: FieldProblem[]): FieldProblem[] =>
  problems.map((p) => ({ ...p, path: p.path === '(root)' ? prefix : `${prefix}.${p.path}` }))

export const problemResponse = (c: Context, error: ApiError) =>
  c.json<ProblemBody>({ error: error.code, message: error.message, problems: error.problems }, error.status, error.headers)
