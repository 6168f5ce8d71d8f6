/** `homecoming check`: each scenario's published figures (its targets) beside the model's 90% interval; exit 1 if one falls outside. */
import type { Command } from 'commander'
import { reportRun, type RunReport, type TargetReport } from '../models/engine/run'
import type { Seed } from '../models/engine/rng'
import type { Scenario } from '../models/engine/scenario'
import { inProcessExecutor, runJob, type ShardExecutor } from '../models/engine/shard-task'
import { listPresets } from '../scenarios/index'
import { createThreadPool, defaultThreadCount } from '../functions/runners/thread-pool'
import { formatNumber } from './format'
import { loadScenario, type Loaded } from './load'
import { MAX_ITERATIONS, parseSeed, wholeNumber } from './options'

/** Enough iterations that a target's percentile moves by well under a point between seeds. */
export const CHECK_ITERATIONS = 20_000
export const CHECK_SEED = 1

/** The targets a check fails: checked, and not inside the model's 90% interval (or the model has no interval). */
export const failedTargets = (targets: readonly TargetReport[]): TargetReport[] =>
  targets.filter((t) => t.checked && t.inside !== true)

export const targetVerdict = (t: TargetReport): string => {
  if (!t.checked) return `not checked: ${t.excludedBecause}`
  if (t.inside === true) return 'inside'
  return t.inside === false ? 'OUTSIDE' : 'OUTSIDE (the model gives no interval)'
}

/** A published figure or model quantile: whole numbers from 100 up, three significant digits below. */
export const formatFigure = (x: number | null): string =>
  x === null ? 'n/a' : Math.abs(x) >= 100 ? formatNumber(x) : x.toLocaleString('en-GB', { maximumSignificantDigits: 3 })

export const metricLabel = (t: Pick<TargetReport, 'metric' | 'perYear'>): string =>
  t.perYear ? `${t.metric} a year` : t.metric

/** One scenario's run with its targets, on the given executor (the same bits for any number of shards). */
export const checkScenario = async (
  scenario: Scenario,
  options: { seed: Seed; iterations: number },
  executor: ShardExecutor = inProcessExecutor,
  shards = 1,
): Promise<RunReport> => {
  const job = { kind: 'run' as const, scenario, seed: options.seed, iterations: options.iterations }
  return reportRun(scenario, options.seed, await runJob(job, executor, shards))
}

/** A plain-text table of a report's targets, headed by what was run. */
export const formatCheck = (r: RunReport): string => {
  const head = `${r.scenarioId}: ${r.iterations.toLocaleString('en-GB')} iterations, seed ${r.seed}, ${r.cohort} cohort, ${r.currency} (engine ${r.engineVersion})`
  const targets = r.targets ?? []
  if (targets.length === 0) return `${head}\n  no targets`
  const rows = [['target', 'metric', 'published', 'p05', 'p50', 'p95', 'percentile', 'verdict']]
  for (const t of targets)
    rows.push([
      t.id,
      metricLabel(t),
      formatFigure(t.value),
      formatFigure(t.model.p05),
      formatFigure(t.model.p50),
      formatFigure(t.model.p95),
      t.percentile === null ? 'n/a' : t.percentile.toFixed(1),
      targetVerdict(t),
    ])
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)))
  const numeric = (c: number) => c >= 2 && c <= 6
  const lines = rows.map((row) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : numeric(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  '),
  )
  const checked = targets.filter((t) => t.checked).length
  const failed = failedTargets(targets).length
  const summary = `  ${checked - failed} of ${checked} checked targets inside the model's 90% interval; ${targets.length - checked} not checked`
  return [head, ...lines.map((line) => `  ${line}`), summary].join('\n')
}

interface CheckOptions {
  iterations: number
  seed: string | number
  workers: number
  json?: boolean
}

const loadAll = (files: readonly string[]): { loaded: Extract<Loaded, { ok: true }>[]; problems: string[] } => {
  const results = files.map(loadScenario)
  return {
    loaded: results.filter((r): r is Extract<Loaded, { ok: true }> => r.ok),
    problems: results.flatMap((r) => (r.ok ? [] : r.problems.map((p) => `${r.label}: ${p.path}: ${p.message}`))),
  }
}

/** Adds `check [files...]` to the program. */
export const registerCheck = (program: Command): Command =>
  program
    .command('check')
    .argument('[files...]', 'scenario files or preset ids (default: every preset)')
    .description(
      "each target's published value beside the model's p05 / p50 / p95 and its percentile; exit 1 when a checked target falls outside the 90% interval",
    )
    .option('-n, --iterations <n>', 'Monte Carlo iterations per scenario', wholeNumber('--iterations', 1, MAX_ITERATIONS), CHECK_ITERATIONS)
    .option('-s, --seed <seed>', 'random seed (text or integer)', parseSeed, CHECK_SEED)
    .option('-w, --workers <k>', 'worker threads', wholeNumber('--workers', 1, 64), defaultThreadCount())
    .option('--json', 'print one JSON array, one entry per scenario')
    .action(async (files: string[], opts: CheckOptions) => {
      const { loaded, problems } = loadAll(files.length > 0 ? files : listPresets().map((p) => p.id))
      if (problems.length > 0) {
        process.stderr.write(problems.map((line) => `homecoming: ${line}\n`).join(''))
        process.exitCode = 1
        return
      }
      const pool = opts.workers > 1 ? createThreadPool(opts.workers) : undefined
      const reports: RunReport[] = []
      try {
        for (const { scenario } of loaded) {
          const report = await checkScenario(scenario, opts, pool?.execute, opts.workers)
          reports.push(report)
          if (!opts.json) process.stdout.write(formatCheck(report) + '\n\n')
        }
      } finally {
        await pool?.close()
      }
      const failed = reports.flatMap((r) => failedTargets(r.targets ?? []).map((t) => `${r.scenarioId}: ${t.id}`))
      if (opts.json) {
        const entries = reports.map(({ scenarioId, engineVersion, seed, iterations, cohort, currency, targets }) => ({
          scenarioId,
          engineVersion,
          seed,
          iterations,
          cohort,
          currency,
          targets: targets ?? [],
        }))
        process.stdout.write(JSON.stringify(entries) + '\n')
      } else
        process.stdout.write(
          failed.length === 0
            ? `every checked target lies inside its 90% interval (${reports.length} scenario${reports.length === 1 ? '' : 's'})\n`
            : `${failed.length} checked target${failed.length === 1 ? '' : 's'} outside the 90% interval: ${failed.join(', ')}\n`,
        )
      if (failed.length > 0) process.exitCode = 1
    })
