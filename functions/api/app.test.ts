/** The API over HTTP: the real local server (worker threads, in-memory dynalite), its answers and its 4xx. */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { removalOnlyVersion, type ComparisonReport } from '../../models/analysis/compare'
import { runInProcess } from '../../models/engine/run'
import type { Seed } from '../../models/engine/rng'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { reportJob } from '../../models/analysis/job-report'
import { inProcessExecutor, runJob, type Job } from '../../models/engine/shard-task'
import { getPresetRaw } from '../../scenarios/index'
import { startLocalServer, type LocalServer } from '../../app/local-server'
import { DEFAULT_LIMITS } from './requests'
import { backgroundShards } from './run-service'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const MAX_BODY_BYTES = 64 * 1024
const SYNC_ITERATIONS = 2000
const SHARD_ITERATIONS = 1000

let server: LocalServer

beforeAll(async () => {
  server = await startLocalServer({
    threads: 2,
    limits: {
      ...DEFAULT_LIMITS,
      syncIterations: SYNC_ITERATIONS,
      shardIterations: SHARD_ITERATIONS,
      maxBodyBytes: MAX_BODY_BYTES,
      // the concurrency tests start more background runs at once than a client may by default
      maxBackgroundRunsPerClient: 4,
    },
  })
})

afterAll(async () => {
  await server?.close()
})

interface Answer {
  status: number
  text: string
  body: any
  headers: Headers
}

const call = async (method: string, path: string, body?: unknown, raw?: string): Promise<Answer> => {
  const hasBody = body !== undefined || raw !== undefined
  const response = await fetch(server.url + path, {
    method,
    headers: hasBody ? { 'content-type': 'application/json' } : {},
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: response.status, text, body: parsed, headers: response.headers }
}

const get = (path: string) => call('GET', path)
const post = (path: string, body: unknown) => call('POST', path, body)

/** POST /api/runs: a small run of the UK preset unless `fields` say otherwise. */
const postRun = (fields: Record<string, unknown>) =>
  post('/api/runs', { scenarioId: 'uk-nao-2003', iterations: 10, seed: 1, ...fields })

/** A preset as a parsed scenario, the form the engine runs. */
const preset = (id: string): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`preset ${id} does not parse`)
  return parsed.scenario
}

/** The report of a single-process run of a preset, as JSON text. */
const reportText = (id: string, seed: Seed, iterations: number) =>
  JSON.stringify(runInProcess(preset(id), { seed, iterations }).report)

/** A deep copy of a preset's JSON, to edit into a bad (or a new) scenario. */
const presetJson = (id: string): any => structuredClone(getPresetRaw(id))

/** The same object with its keys in reverse order at every level (arrays keep their order). */
const reverseKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  )
}

const expectNoStack = (text: string) => {
  expect(text).not.toMatch(/(^|\\n|\n)\s*at \S+ \(/)
  expect(text).not.toMatch(/\s{2,}at /)
  expect(text).not.toMatch(/\.ts:\d+/)
  expect(text).not.toMatch(/node_modules|file:\/\//)
}

/** A 4xx in the API's problem form: JSON naming each field and rule, nothing of the internals. */
const expectProblem = (answer: Answer, status: number, path: string, rule?: RegExp) => {
  expect(answer.status, answer.text).toBe(status)
  expect(answer.headers.get('content-type')).toMatch(/application\/json/)
  expect(answer.body).toMatchObject({ error: expect.any(String), message: expect.any(String) })
  expect(Array.isArray(answer.body.problems)).toBe(true)
  const problem = answer.body.problems.find((p: { path: string }) => p.path === path)
  expect(problem, `no problem at ${path} in ${answer.text}`).toBeDefined()
  expect(problem.message).toEqual(expect.any(String))
  expect(problem.message.length).toBeGreaterThan(0)
  if (rule) expect(problem.message).toMatch(rule)
  expectNoStack(answer.text)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls a background run until it is no longer running, for at most `timeoutMs`. */
const waitForRun = async (runId: string, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const answer = await get(`/api/runs/${runId}`)
    expect(answer.status).toBe(200)
    if (answer.body.status !== 'running') return answer.body
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} still running after ${timeoutMs} ms: ${answer.text}`)
    }
    await sleep(50)
  }
}

describe('reading', () => {
  it('GET /healthz', async () => {
    const answer = await get('/healthz')
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ ok: true, engineVersion: expect.any(String) })
  })

  it('GET /api/presets lists at least six presets', async () => {
    const answer = await get('/api/presets')
    expect(answer.status).toBe(200)
    expect(answer.body.length).toBeGreaterThanOrEqual(6)
    for (const p of answer.body) {
      expect(p).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String) }))
    }
    expect(answer.body.map((p: { id: string }) => p.id)).toContain('de-reag-garp')
  })

  it('GET /api/presets/:id is the preset file as written', async () => {
    const answer = await get('/api/presets/uk-nao-2003')
    expect(answer.status).toBe(200)
    expect(answer.text).toBe(JSON.stringify(getPresetRaw('uk-nao-2003')))
  })

  it('an unknown preset is a 404 with JSON problems', async () => {
    const answer = await get('/api/presets/no-such-preset')
    expect(answer.status).toBe(404)
    expect(answer.body).toEqual({
      error: 'not_found',
      message: expect.stringContaining('no-such-preset'),
      problems: [],
    })
    // an inherited property name is not a preset either
    expect((await get('/api/presets/toString')).status).toBe(404)
    expect((await get('/api/presets/__proto__')).status).toBe(404)
  })

  it('GET /openapi.json looks like OpenAPI 3 and documents the runs', async () => {
    const answer = await get('/openapi.json')
    expect(answer.status).toBe(200)
    expect(answer.body.openapi).toMatch(/^3\./)
    expect(answer.body.info.title).toEqual(expect.any(String))
    expect(Object.keys(answer.body.paths)).toEqual(
      expect.arrayContaining(['/api/runs', '/api/runs/{runId}', '/api/scenarios', '/api/compare']),
    )
    expect(answer.body.paths['/api/runs'].post).toBeDefined()
  })
})

/** The first scenario saved; every bad request below must leave it as it is. */
const savedFirst = (() => {
  const s = presetJson('uk-nao-2003')
  s.id = 'uk-saved-by-test'
  s.title = 'UK, saved by the API test'
  return s
})()
let savedId: string

describe('scenarios', () => {
  it('POST /api/scenarios saves: 201 { id, url }', async () => {
    const answer = await post('/api/scenarios', savedFirst)
    expect(answer.status).toBe(201)
    expect(answer.body).toEqual({ id: expect.any(String), url: `/s/${answer.body.id}`, created: true })
    savedId = answer.body.id
  })

  it('the same scenario with its keys reordered has the same id and is not created again', async () => {
    const reordered = reverseKeys(savedFirst)
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(savedFirst))
    const answer = await post('/api/scenarios', reordered)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ id: savedId, url: `/s/${savedId}`, created: false })
  })

  it('GET /api/scenarios/:id returns it exactly as first saved, key order and all', async () => {
    const answer = await get(`/api/scenarios/${savedId}`)
    expect(answer.status).toBe(200)
    expect(answer.text).toBe(JSON.stringify(savedFirst))
    expect(JSON.stringify(answer.body)).toBe(JSON.stringify(savedFirst))
  })

  it('an unknown scenario id is a 404', async () => {
    const answer = await get('/api/scenarios/nosuchscenario')
    expect(answer.status).toBe(404)
    expect(answer.body.error).toBe('not_found')
    expectNoStack(answer.text)
  })

  it('a saved scenario runs by its id', async () => {
    const answer = await post('/api/runs', { scenarioId: savedId, iterations: 200, seed: 9 })
    expect(answer.status).toBe(200)
    const parsed = parseScenario(savedFirst)
    if (!parsed.ok) throw new Error('the saved scenario does not parse')
    const expected = runInProcess(parsed.scenario, { seed: 9, iterations: 200 }).report
    expect(answer.text).toBe(JSON.stringify(expected))
  })
})

describe('runs', () => {
  it('a small run answers at once with the JSON the CLI prints, to the bit', async () => {
    const answer = await postRun({ iterations: 1000, seed: 5 })
    expect(answer.status).toBe(200)

    const args = ['run', 'uk-nao-2003', '-n', '1000', '--seed', '5', '--json', '--workers', '1']
    const cli = spawnSync(process.execPath, ['cli/bin.mjs', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, HOMECOMING_PROGRESS: '0' },
    })
    expect(cli.status, cli.stderr).toBe(0)
    const printed = JSON.parse(cli.stdout)
    expect(JSON.stringify(answer.body.metrics)).toBe(JSON.stringify(printed.metrics))
    // the whole object, not only the metrics
    expect(JSON.stringify(answer.body)).toBe(JSON.stringify(printed))

    const { report } = runInProcess(preset('uk-nao-2003'), { seed: 5, iterations: 1000 })
    expect(JSON.stringify(answer.body.metrics)).toBe(JSON.stringify(report.metrics))
    expect(answer.body).toMatchObject({ scenarioId: 'uk-nao-2003', seed: 5, iterations: 1000 })
  })

  it('a string seed gives the same answer on every call, as one process computes it', async () => {
    const a = await post('/api/runs', { scenarioId: 'be-low-cash', iterations: 300, seed: 'seven' })
    const b = await post('/api/runs', { scenarioId: 'be-low-cash', iterations: 300, seed: 'seven' })
    expect(a.status).toBe(200)
    expect(a.text).toBe(b.text)
    expect(a.text).toBe(reportText('be-low-cash', 'seven', 300))
  })

  it('an inline scenario runs like its preset', async () => {
    const answer = await post('/api/runs', { scenario: presetJson('de-reag-garp'), iterations: 400, seed: 2 })
    expect(answer.status).toBe(200)
    expect(answer.text).toBe(reportText('de-reag-garp', 2, 400))
  })

  it('a larger run answers 202, completes in the background and matches one process to the bit', async () => {
    const iterations = 5000
    const started = await postRun({ iterations, seed: 11 })
    expect(started.status).toBe(202)
    const { runId } = started.body
    expect(started.body).toEqual({ runId: expect.any(String), status: 'running', statusUrl: `/api/runs/${runId}` })

    const done = await waitForRun(runId)
    expect(done.status, JSON.stringify(done.error)).toBe('complete')
    expect(done.shardsTotal).toBe(backgroundShards(preset('uk-nao-2003'), iterations, { shardIterations: SHARD_ITERATIONS }).length)
    expect(done.shardsDone).toBe(done.shardsTotal)
    expect(done.progress).toBe(1)

    const { report } = runInProcess(preset('uk-nao-2003'), { seed: 11, iterations })
    expect(JSON.stringify(done.result.metrics)).toBe(JSON.stringify(report.metrics))
    expect(JSON.stringify(done.result)).toBe(JSON.stringify(report))

    // reading it again changes nothing
    const again = await get(`/api/runs/${runId}`)
    expect(again.text).toBe(JSON.stringify(done))
  })

  it('an unknown run id is a 404', async () => {
    const answer = await get('/api/runs/00000000-0000-0000-0000-000000000000')
    expect(answer.status).toBe(404)
    expect(answer.body.error).toBe('not_found')
  })

  it('keepIterations: the report with a CSV link; the CSV has a header and a row per iteration', async () => {
    const iterations = 250
    const answer = await postRun({ scenarioId: 'de-reag-garp', iterations, seed: 4, keepIterations: true })
    expect(answer.status).toBe(200)
    const { runId, iterationsCsv, ...report } = answer.body
    expect(runId).toEqual(expect.any(String))
    expect(iterationsCsv).toBe(`/api/runs/${runId}/iterations.csv`)
    expect(JSON.stringify(report)).toBe(reportText('de-reag-garp', 4, iterations))

    const csv = await fetch(server.url + iterationsCsv)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename=".*\.csv"/)
    const lines = (await csv.text()).trimEnd().split('\n')
    expect(lines[0]).toMatch(/^iteration,returnsAssisted,/)
    expect(lines).toHaveLength(iterations + 1)
    const columns = lines[0].split(',').length
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',')
      expect(cells).toHaveLength(columns)
      expect(cells[0]).toBe(String(i))
    })

    const status = await get(`/api/runs/${runId}`)
    expect(status.body).toMatchObject({ status: 'complete', iterationsCsv })
  })

  it('a run without keepIterations has no CSV', async () => {
    const started = await postRun({ iterations: SYNC_ITERATIONS + 1, seed: 12 })
    expect(started.status).toBe(202)
    await waitForRun(started.body.runId)
    const csv = await get(`/api/runs/${started.body.runId}/iterations.csv`)
    expect(csv.status).toBe(404)
    expect(csv.body.error).toBe('not_found')
  })
})

describe('compare', () => {
  const inProcessComparison = async (a: Scenario, b: Scenario, seed: number, iterations: number) => {
    const job: Job = { kind: 'compare', scenario: a, comparator: b, seed, iterations }
    return reportJob(job, await runJob(job, inProcessExecutor, 1))
  }

  it('two presets of different populations: refused naming the difference; compareAnyway runs it, labelled so', async () => {
    const refused = await post('/api/compare', { scenarios: ['de-reag-garp', 'removal-only'], iterations: 400, seed: 3 })
    expectProblem(refused, 400, 'scenarios[1].groups', /must have the same groups .*rejected-enforceable/)
    expect(refused.body.message).toMatch(/different populations: send compareAnyway: true/)
    const request = { scenarios: ['de-reag-garp', 'removal-only'], iterations: 400, seed: 3, compareAnyway: true }
    const answer = await post('/api/compare', request)
    expect(answer.status, answer.text).toBe(200)
    expect(answer.body).toMatchObject({
      scenarioId: 'de-reag-garp',
      comparatorId: 'removal-only',
      iterations: 400,
      seed: 3,
      populations: { same: false },
    })
    expect(answer.body.comparison.verdict.headline).toMatch(/^Compared across different populations/)
    expect(answer.body.comparison.icerInterpretation).toEqual(expect.any(String))
    const expected = await inProcessComparison(preset('de-reag-garp'), preset('removal-only'), 3, 400)
    expect((expected as ComparisonReport).populations.same).toBe(false)
    expect(answer.text).toBe(JSON.stringify(expected))
  })

  it('one preset: against its own removal-only version', async () => {
    const answer = await post('/api/compare', { scenarios: ['uk-nao-2003'], iterations: 300, seed: 8 })
    expect(answer.status, answer.text).toBe(200)
    const a = preset('uk-nao-2003')
    const b = removalOnlyVersion(a)
    expect(answer.body.comparatorId).toBe(b.id)
    expect(answer.text).toBe(JSON.stringify(await inProcessComparison(a, b, 8, 300)))
    expect(answer.body.populations).toEqual({ same: true, differences: [] })
    // the verdict names the scenario by title and its comparator as its removal-only version, never "A"
    expect(answer.body.comparison.verdict.scenarioTitle).toBe(a.title)
    expect(answer.body.comparatorTitle).toBe(b.title)
    expect(answer.body.comparison.verdict.headline).toContain('its removal-only version')
    expect(answer.body.comparison.verdict.headline).not.toMatch(/\bA\b/)
  })

  it('startYear names the budget years; the numbers do not change', async () => {
    const dated = await post('/api/compare', { scenarios: ['uk-nao-2003'], iterations: 50, seed: 8, startYear: 2026 })
    expect(dated.status, dated.text).toBe(200)
    expect(dated.body.startYear).toBe(2026)
    expect(dated.body.budgetYears[0]).toMatchObject({ year: 1, calendarYear: 2026, months: 12, label: '2026' })
    const plain = await post('/api/compare', { scenarios: ['uk-nao-2003'], iterations: 50, seed: 8 })
    expect(dated.body.comparison).toEqual(plain.body.comparison)
    expectProblem(await post('/api/compare', { scenarios: ['uk-nao-2003'], iterations: 5, seed: 1, startYear: 26.5 }), 400, 'startYear', /whole year/)
  })

  it('removal-only:<id> is the same comparator as the default, as a reference', async () => {
    const byRef = await post('/api/compare', { scenarios: ['uk-nao-2003', 'removal-only:uk-nao-2003'], iterations: 50, seed: 8 })
    const byDefault = await post('/api/compare', { scenarios: ['uk-nao-2003'], iterations: 50, seed: 8 })
    expect(byRef.status, byRef.text).toBe(200)
    expect(byRef.text).toBe(byDefault.text)
    expectProblem(await post('/api/compare', { scenarios: ['uk-nao-2003', 'removal-only:nope'], iterations: 5, seed: 1 }), 404, 'scenarios[1]', /nope/)
  })

  it('lists the comparators of a preset: its removal-only version first and default, the others with their problems', async () => {
    const answer = await get('/api/presets/de-reag-garp/comparators')
    expect(answer.status).toBe(200)
    expect(answer.body[0]).toEqual({
      id: 'removal-only:de-reag-garp',
      title: `${preset('de-reag-garp').title} (removal only)`,
      default: true,
      comparable: true,
      compareAnywayPossible: false,
      problems: [],
    })
    const generic = answer.body.find((o: { id: string }) => o.id === 'removal-only')
    expect(generic).toMatchObject({ default: false, comparable: false, compareAnywayPossible: true })
    expect(generic.problems[0].path).toBe('comparator.groups')
    const uk = answer.body.find((o: { id: string }) => o.id === 'uk-nao-2003')
    expect(uk).toMatchObject({ comparable: false, compareAnywayPossible: false })
    expect(answer.body.some((o: { id: string }) => o.id === 'de-reag-garp')).toBe(false)
    expect((await get('/api/presets/nope/comparators')).status).toBe(404)
  })

  it('includeReport: the same comparison, with the run report of A that POST /api/runs answers', async () => {
    const request = { scenarios: ['uk-nao-2003'], iterations: 400, seed: 'both' }
    const both = await post('/api/compare', { ...request, includeReport: true })
    expect(both.status, both.text).toBe(200)
    const { report, ...comparison } = both.body
    expect(JSON.stringify(comparison)).toBe((await post('/api/compare', request)).text)
    expect(JSON.stringify(report)).toBe((await postRun({ iterations: 400, seed: 'both' })).text)
  })

  it('incomparable scenarios (currencies differ) are a 400 naming the field', async () => {
    const request = { scenarios: ['uk-nao-2003', 'removal-only'], iterations: 100, seed: 1 }
    expectProblem(await post('/api/compare', request), 400, 'scenarios[1].currency', /GBP/)
  })
})

describe('bad input: 4xx naming the field and the rule, never a 500 or a stack trace', () => {
  it('malformed JSON is a 400', async () => {
    for (const path of ['/api/runs', '/api/scenarios', '/api/compare']) {
      const answer = await call('POST', path, undefined, '{"scenarioId": "uk-nao-2003", "iterations": ')
      expectProblem(answer, 400, '(body)', /valid JSON/)
    }
    expectProblem(await call('POST', '/api/runs', undefined, ''), 400, '(body)', /valid JSON/)
  })

  it('a body over the size limit is a 413', async () => {
    const big = presetJson('uk-nao-2003')
    big.description = 'x'.repeat(MAX_BODY_BYTES + 10)
    for (const answer of [
      await post('/api/scenarios', big),
      await post('/api/runs', { scenario: big, iterations: 10, seed: 1 }),
    ]) {
      expectProblem(answer, 413, '(body)', new RegExp(String(MAX_BODY_BYTES)))
      expect(answer.body.error).toBe('body_too_large')
    }
  })

  it('an unknown preset or scenario id is a 404 naming the field', async () => {
    expectProblem(await postRun({ scenarioId: 'no-such-preset' }), 404, 'scenarioId', /no-such-preset/)
    const compare = { scenarios: ['de-reag-garp', 'nope'], iterations: 10, seed: 1 }
    expectProblem(await post('/api/compare', compare), 404, 'scenarios[1]', /nope/)
  })

  const broken = (edit: (s: any) => void) => {
    const s = presetJson('uk-nao-2003')
    edit(s)
    return s
  }
  const between = /between 1 and 120/
  const schemaCases: { name: string; edit: (s: any) => void; path: string; rule: RegExp }[] = [
    {
      name: 'a negative cost',
      edit: (s) => (s.groups[0].monthlyStayCostPerPerson = -5),
      path: 'groups[0].monthlyStayCostPerPerson',
      rule: /must lie in \[0, 1e12\]/,
    },
    {
      name: 'a probability above 1',
      edit: (s) => (s.groups[0].baseMonthlyUptake = 1.5),
      path: 'groups[0].baseMonthlyUptake',
      rule: /\[0, 1\]/,
    },
    { name: 'horizonMonths 0', edit: (s) => (s.horizonMonths = 0), path: 'horizonMonths', rule: between },
    { name: 'horizonMonths 10000', edit: (s) => (s.horizonMonths = 10000), path: 'horizonMonths', rule: between },
    { name: 'an unknown field', edit: (s) => (s.colour = 'blue'), path: 'colour', rule: /unknown field/ },
    { name: 'a missing field', edit: (s) => delete s.removal, path: 'removal', rule: /required/ },
    {
      name: 'a wrong-typed field',
      edit: (s) => (s.horizonMonths = '36'),
      path: 'horizonMonths',
      rule: /^must be a number$/,
    },
    {
      name: 'a fractional month count',
      edit: (s) => (s.programme.supportMonths = 2.5),
      path: 'programme.supportMonths',
      rule: /^must be a whole number of months$/,
    },
  ]

  for (const c of schemaCases) {
    it(`a scenario failing the schema (${c.name}) is a 400 at its path`, async () => {
      const scenario = broken(c.edit)
      expectProblem(await post('/api/scenarios', scenario), 400, c.path, c.rule)
      expectProblem(await postRun({ scenarioId: undefined, scenario }), 400, `scenario.${c.path}`, c.rule)
      const compare = { scenarios: ['uk-nao-2003', scenario], iterations: 10, seed: 1 }
      expectProblem(await post('/api/compare', compare), 400, `scenarios[1].${c.path}`, c.rule)
    })
  }

  it('every problem of a scenario is named, not only the first', async () => {
    const scenario = broken((s) => {
      s.groups[0].monthlyStayCostPerPerson = -5
      s.groups[0].baseMonthlyUptake = 1.5
      s.horizonMonths = 0
      s.colour = 'blue'
    })
    const answer = await post('/api/runs', { scenario, iterations: 10, seed: 1 })
    expect(answer.status).toBe(400)
    expect(answer.body.problems.map((p: { path: string }) => p.path)).toEqual(
      expect.arrayContaining([
        'scenario.groups[0].monthlyStayCostPerPerson',
        'scenario.groups[0].baseMonthlyUptake',
        'scenario.horizonMonths',
        'scenario.colour',
      ]),
    )
  })

  it('iterations above the limit, below 1, fractional or not a number are a 400', async () => {
    const max = DEFAULT_LIMITS.maxIterations
    expectProblem(await postRun({ iterations: max + 1 }), 400, 'iterations', /at most 2,000,000/)
    expectProblem(await postRun({ iterations: 0 }), 400, 'iterations', /at least 1/)
    expectProblem(await postRun({ iterations: 10.5 }), 400, 'iterations', /^must be a whole number$/)
    expectProblem(await postRun({ iterations: '1000' }), 400, 'iterations', /^must be a number$/)
    expectProblem(await postRun({ iterations: undefined }), 400, 'iterations', /required/)
    const compare = { scenarios: ['uk-nao-2003'], iterations: DEFAULT_LIMITS.maxCompareIterations + 1, seed: 1 }
    expectProblem(await post('/api/compare', compare), 400, 'iterations', /at most/)
  })

  it('a seed of the wrong type (array, object, float, boolean, null, empty) is a 400', async () => {
    for (const seed of [[1], { n: 1 }, 1.5, true, null, '']) {
      expectProblem(await postRun({ seed }), 400, 'seed', /string|whole number/)
    }
    const compare = { scenarios: ['uk-nao-2003'], iterations: 10, seed: [1] }
    expectProblem(await post('/api/compare', compare), 400, 'seed')
  })

  it('both scenario and scenarioId, or neither, is a 400', async () => {
    const both = await postRun({ scenario: presetJson('uk-nao-2003') })
    expectProblem(both, 400, 'scenario', /exactly one of scenario or scenarioId/)
    expectProblem(await postRun({ scenarioId: undefined }), 400, 'scenario', /exactly one/)
  })

  it('unknown request fields and keepIterations over its limit are a 400', async () => {
    expectProblem(await postRun({ shards: 4 }), 400, 'shards', /./)
    const tooMany = DEFAULT_LIMITS.keepIterationsMax + 1
    expectProblem(await postRun({ iterations: tooMany, keepIterations: true }), 400, 'keepIterations', /up to/)
    // a background run does not keep its iterations, so the immediate-run size bounds keepIterations too
    expectProblem(
      await postRun({ iterations: SYNC_ITERATIONS + 1, keepIterations: true }),
      400,
      'keepIterations',
      /up to 2,000 iterations/,
    )
  })

  it('a body that is JSON but not an object is a 400', async () => {
    for (const body of [[], 'uk-nao-2003', 42, null]) {
      const answer = await post('/api/runs', body)
      expect(answer.status, answer.text).toBe(400)
      expect(answer.body.problems.length).toBeGreaterThan(0)
      expectNoStack(answer.text)
    }
    const scenario = await post('/api/scenarios', [])
    expect(scenario.status).toBe(400)
    expectNoStack(scenario.text)
  })

  it('an unknown route or method is a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['DELETE', '/api/runs'],
      ['PUT', '/api/scenarios/abc'],
    ]) {
      const answer = await call(method, path)
      expect(answer.status).toBe(404)
      expect(answer.body).toEqual({ error: 'not_found', message: `${method} ${path} was not found`, problems: [] })
    }
  })

  it('a POST body not sent as application/json is a 415 naming the header, and nothing is saved', async () => {
    const scenario = JSON.stringify(preset('uk-nao-2003'))
    for (const headers of [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }] as Record<string, string>[]) {
      const response = await fetch(`${server.url}/api/scenarios`, { method: 'POST', headers, body: scenario })
      const text = await response.text()
      expect(response.status).toBe(415)
      expectNoStack(text)
      const body = JSON.parse(text)
      expect(body.error).toBe('unsupported_media_type')
      expect(body.problems[0]).toMatchObject({ path: '(headers).content-type', message: expect.stringMatching(/^must be application\/json/) })
    }
    const run = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ scenarioId: 'uk-nao-2003', iterations: 10, seed: 1 }),
    })
    expect(run.status).toBe(415)
    // with a charset the JSON type is still JSON
    const charset = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ scenarioId: 'uk-nao-2003', iterations: 10, seed: 1 }),
    })
    expect(charset.status).toBe(200)
  })

  it('headers agree: framing refused by CSP alone, HSTS only behind HTTPS, no CORS', async () => {
    const plain = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://elsewhere.example' } })
    expect(plain.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(plain.headers.get('x-frame-options')).toBeNull()
    expect(plain.headers.get('strict-transport-security')).toBeNull()
    expect(plain.headers.get('access-control-allow-origin')).toBeNull()
    const proxied = await fetch(`${server.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } })
    expect(proxied.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    expect(proxied.headers.get('x-frame-options')).toBeNull()
  })

  it('after all of these, the saved scenario is unchanged', async () => {
    const answer = await get(`/api/scenarios/${savedId}`)
    expect(answer.status).toBe(200)
    expect(answer.text).toBe(JSON.stringify(savedFirst))
  })
})

describe('concurrency', () => {
  it('50 concurrent saves, 10 scenarios 5 times each: 10 ids, one created each, none overwritten', async () => {
    const distinct = Array.from({ length: 10 }, (_, i) => {
      const s = presetJson('de-reag-garp')
      s.id = `concurrent-${i}`
      s.title = `Concurrent save ${i}`
      return s
    })
    const requests = Array.from({ length: 50 }, (_, k) => distinct[k % 10])
    const answers = await Promise.all(requests.map((s) => post('/api/scenarios', s)))
    for (const a of answers) expect([200, 201], a.text).toContain(a.status)

    const ids = new Set(answers.map((a) => a.body.id))
    expect(ids.size).toBe(10)
    for (let i = 0; i < 10; i++) {
      const mine = answers.filter((_, k) => k % 10 === i)
      expect(new Set(mine.map((a) => a.body.id)).size).toBe(1)
      expect(mine.filter((a) => a.body.created === true)).toHaveLength(1)
      expect(mine.filter((a) => a.status === 201)).toHaveLength(1)
    }

    const reads = await Promise.all(distinct.map((_, i) => get(`/api/scenarios/${answers[i].body.id}`)))
    reads.forEach((read, i) => {
      expect(read.status).toBe(200)
      expect(read.text).toBe(JSON.stringify(distinct[i]))
    })
  })

  it('concurrent saves of one scenario in different key orders keep the first text only', async () => {
    const base = presetJson('be-low-cash')
    base.id = 'order-race'
    const variants = Array.from({ length: 20 }, (_, k) => (k % 2 === 0 ? base : reverseKeys(base)))
    const answers = await Promise.all(variants.map((s) => post('/api/scenarios', s)))
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1)
    expect(answers.filter((a) => a.body.created)).toHaveLength(1)
    const winner = variants[answers.findIndex((a) => a.body.created)]
    const read = await get(`/api/scenarios/${answers[0].body.id}`)
    expect(read.text).toBe(JSON.stringify(winner))
  })

  it('concurrent background runs each complete with their own result', async () => {
    const seeds = [21, 22, 23]
    const started = await Promise.all(
      seeds.map((seed) => post('/api/runs', { scenarioId: 'be-low-cash', iterations: 3000, seed })),
    )
    for (const s of started) expect(s.status).toBe(202)
    const done = await Promise.all(started.map((s) => waitForRun(s.body.runId)))
    done.forEach((d, i) => {
      expect(d.status).toBe('complete')
      expect(d.shardsDone).toBe(backgroundShards(preset('be-low-cash'), 3000, { shardIterations: SHARD_ITERATIONS }).length)
      expect(JSON.stringify(d.result)).toBe(reportText('be-low-cash', seeds[i], 3000))
    })
  })
})
