/** The API as the page uses it: JSON in and out, its 4xx problems as an error, background runs polled. */
import type { ComparisonReport } from '../../models/analysis/compare'
import type { RunReport } from '../../models/engine/run'
import type { FieldProblem } from '../../models/engine/scenario'

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message)
  }
}

const call = async <T>(
  method: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; body: T }> => {
  const response = await fetch(path, {
    method,
    signal,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const parsed = (await response.json().catch(() => undefined)) as unknown
  if (!response.ok) {
    const p = (parsed ?? {}) as { message?: string; problems?: FieldProblem[] }
    throw new ApiProblem(response.status, p.message ?? `the server answered ${response.status}`, p.problems ?? [])
  }
  return { status: response.status, body: parsed as T }
}

export const postJson = <T>(path: string, body: unknown, signal?: AbortSignal) => call<T>('POST', path, body, signal)
export const getJson = <T>(path: string, signal?: AbortSignal) => call<T>('GET', path, undefined, signal)

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })

interface RunStatus {
  status: 'running' | 'complete' | 'failed'
  progress: number
  shardsDone: number
  shardsTotal: number
  result?: RunReport
  error?: string
}

/** A run's report: at once up to the API's immediate limit, else polled with its progress (0..1). */
export const runReport = async (
  body: { scenario: unknown; iterations: number; seed: string | number },
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<RunReport> => {
  const started = await postJson<RunReport | { runId: string; statusUrl: string }>('/api/runs', body, signal)
  if (started.status === 200) return started.body as RunReport
  const { statusUrl } = started.body as { statusUrl: string }
  for (;;) {
    await sleep(400, signal)
    const { body: status } = await getJson<RunStatus>(statusUrl, signal)
    onProgress(status.progress)
    if (status.status === 'complete' && status.result) return status.result
    if (status.status === 'failed') throw new ApiProblem(500, status.error ?? 'the run failed')
  }
}

/** A scenario against a comparator (or, alone, its own removal-only version). */
export const compareReport = (
  body: { scenarios: unknown[]; iterations: number; seed: string | number; compareAnyway?: boolean },
  signal?: AbortSignal,
): Promise<ComparisonReport> => postJson<ComparisonReport>('/api/compare', body, signal).then((r) => r.body)

/** The comparison and the scenario's own run report in one request: the server computes both in one pass. */
export const compareWithRunReport = (
  body: { scenarios: unknown[]; iterations: number; seed: string | number },
  signal?: AbortSignal,
): Promise<{ comparison: ComparisonReport; run: RunReport }> =>
  postJson<ComparisonReport & { report: RunReport }>('/api/compare', { ...body, includeReport: true }, signal).then(
    ({ body: { report, ...comparison } }) => ({ comparison, run: report }),
  )

/** Save a scenario (immutable, content-addressed): its id and page. */
export const saveScenario = (scenario: unknown) =>
  postJson<{ id: string; url: string; created: boolean }>('/api/scenarios', scenario).then((r) => r.body)

/** An error in a sentence: the API's message and its first field problem. */
export const describeError = (error: unknown): string => {
  if (!(error instanceof ApiProblem)) return error instanceof Error ? error.message : String(error)
  const first = error.problems[0]
  return first ? `${error.message} (${first.path}: ${first.message})` : error.message
}
