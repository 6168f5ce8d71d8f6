/** The streamed CSV: the same bytes as the CSV of the whole run, and the same summary as an unstreamed run. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { iterationsCsv, reportRun } from '../models/engine/run'
import { parseScenario, type Scenario } from '../models/engine/scenario'
import { inProcessExecutor, runJob, type Job } from '../models/engine/shard-task'
import { EXACT_QUANTILES_UP_TO } from '../models/engine/summary'
import { getPresetRaw } from '../scenarios/index'
import { runJobToCsv } from './csv-stream'

const preset = (id: string, cohort: Scenario['cohort']): Scenario => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`preset ${id} does not parse`)
  return { ...parsed.scenario, cohort }
}

const dir = mkdtempSync(join(tmpdir(), 'csv-stream-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('runJobToCsv', () => {
  it('writes the bytes iterationsCsv gives for the whole run, over windows and shards (stochastic)', async () => {
    const job: Extract<Job, { kind: 'run' }> = { kind: 'run', scenario: preset('de-reag-garp', 'stochastic'), seed: 5, iterations: 333 }
    const whole = await runJob({ ...job, keepIterations: true }, inProcessExecutor, 2)
    const file = join(dir, 'stochastic.csv')
    // windows of 128 iterations over 3 shards each: window and shard edges fall inside the run
    const streamed = await runJobToCsv(job, inProcessExecutor, 3, file, undefined, 128)
    const text = readFileSync(file, 'utf8')
    expect(text).toBe(iterationsCsv(job.scenario, whole))
    expect(text.split('\n')).toHaveLength(333 + 2)
    expect(JSON.stringify(reportRun(job.scenario, 5, streamed))).toBe(JSON.stringify(reportRun(job.scenario, 5, whole)))
  })

  it('a sketched run (past the exact-quantile limit) drops the windows it wrote and reports as an unstreamed run', async () => {
    const iterations = EXACT_QUANTILES_UP_TO + 100
    const job: Extract<Job, { kind: 'run' }> = { kind: 'run', scenario: preset('uk-nao-2003', 'expected'), seed: 2, iterations }
    const file = join(dir, 'sketched.csv')
    const streamed = await runJobToCsv(job, inProcessExecutor, 2, file, undefined, 8192)
    expect(streamed.sketch).toBeDefined()
    expect(streamed.iterations).toBeUndefined()
    const plain = await runJob(job, inProcessExecutor, 2)
    expect(JSON.stringify(reportRun(job.scenario, 2, streamed))).toBe(JSON.stringify(reportRun(job.scenario, 2, plain)))
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    expect(lines).toHaveLength(iterations + 1)
    expect(lines[1].startsWith('0,')).toBe(true)
    expect(lines.at(-1)!.startsWith(`${iterations - 1},`)).toBe(true)
  })
})
