/** A background run survives kill -9: a real server process on dynalite on disk, killed mid-run and started again. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { reportJob } from '../models/analysis/job-report'
import { parseScenario } from '../models/engine/scenario'
import { inProcessExecutor, runJob, type Job } from '../models/engine/shard-task'
import { getPresetRaw } from '../scenarios/index'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const dataDir = mkdtempSync(join(tmpdir(), 'homecoming-restart-'))
const LIMITS = { syncIterations: 1_000, shardIterations: 2_000, shardLeaseMs: 1_500 }
const children: ChildProcess[] = []

/** `npm start` as a user runs it, on this test's data folder; resolves with its URL. */
const startServer = () =>
  new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', THREADS: '2', HOMECOMING_DATA: dataDir, HOMECOMING_LIMITS: JSON.stringify(LIMITS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const match = /running at (http:\/\/localhost:\d+)/.exec(output)
      if (match) resolve({ url: match[1].replace('localhost', '127.0.0.1'), child })
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    child.on('exit', (code) => reject(new Error(`the server exited (${code}) before it listened:\n${output}`)))
  })

const kill9 = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })

const status = async (url: string, runId: string) => (await (await fetch(`${url}/api/runs/${runId}`)).json()) as Record<string, any>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

describe('kill -9 mid-run, restart', () => {
  it('the run completes with the bits of an uninterrupted run', { timeout: 120_000 }, async () => {
    const parsed = parseScenario(getPresetRaw('de-reag-garp'))
    if (!parsed.ok) throw new Error('preset')
    const job: Job = { kind: 'run', scenario: parsed.scenario, seed: 'restart', iterations: 30_000 }

    let server = await startServer()
    const started = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarioId: 'de-reag-garp', iterations: job.iterations, seed: job.seed }),
    })
    expect(started.status).toBe(202)
    const { runId } = (await started.json()) as { runId: string }
    // first kill: at once, before or around the first shard
    await kill9(server.child)

    server = await startServer()
    // second kill: mid-run, some shards stored and some not
    let seen = await status(server.url, runId)
    while (seen.shardsDone < 3) {
      await sleep(50)
      seen = await status(server.url, runId)
    }
    expect(seen.status).toBe('running')
    expect(seen.shardsDone).toBeLessThan(seen.shardsTotal)
    await kill9(server.child)

    server = await startServer()
    while (seen.status === 'running') {
      await sleep(200)
      seen = await status(server.url, runId)
    }
    expect(seen.error).toBeUndefined()
    expect(seen.status).toBe('complete')
    const uninterrupted = reportJob(job, await runJob(job, inProcessExecutor, 1))
    expect(JSON.stringify(seen.result)).toBe(JSON.stringify(uninterrupted))
    server.child.kill('SIGTERM')
  })
})
