/** The `homecoming` command line: run, compare, validate and list presets; errors are one line each, exit 1. */
import { writeFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import cliProgress from 'cli-progress'
import { comparabilityProblems, removalOnlyVersion } from '../models/compare'
import { formatProblems } from '../models/scenario'
import { iterationsCsv } from '../models/run'
import { inProcessExecutor, reportJob, runJob, type Job } from '../models/shard-task'
import { ENGINE_VERSION } from '../models/version'
import { listPresets } from '../scenarios/index'
import { createThreadPool, defaultThreadCount } from '../functions/runners/thread-pool'
import { formatComparison, formatRun } from './format'
import { loadScenario, type Loaded } from './load'

/** An error the user can act on: printed as one line, never with a stack. */
class UsageError extends Error {}

const MAX_ITERATIONS = 10_000_000

const wholeNumber = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max.toLocaleString('en-GB')}`)
  return n
}

const number = (name: string) => (value: string) => {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number`)
  return n
}

/** A seed is any text; one that looks like an integer is kept as a number (the same stream either way). */
const parseSeed = (value: string): string | number => (/^-?\d{1,15}$/.test(value) ? Number(value) : value)

const loadOrFail = (file: string): Extract<Loaded, { ok: true }> => {
  const loaded = loadScenario(file)
  if (!loaded.ok) throw new UsageError(loaded.problems.map((p) => `${loaded.label}: ${p.path}: ${p.message}`).join('\n'))
  return loaded
}

/** A progress bar on stderr, shown only once a run has taken a second and only on a terminal. */
const progressBar = () => {
  const started = Date.now()
  let bar: cliProgress.SingleBar | undefined
  const enabled = process.stderr.isTTY || process.env.HOMECOMING_PROGRESS === '1'
  return {
    update: (done: number, total: number) => {
      if (!enabled) return
      if (!bar && Date.now() - started > 1000 && done < total) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'running [{bar}] {percentage}% | {value}/{total} iterations | ETA {eta}s', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
        bar.start(total, done)
      }
      bar?.update(done)
    },
    stop: () => bar?.stop(),
  }
}

interface RunOptions {
  iterations: number
  seed: string | number
  workers: number
  json?: boolean
  csv?: string
  wtp?: number
}

/** Run a job on `workers` threads (in this thread when 1), with the progress bar. */
const execute = async (job: Job, workers: number) => {
  const progress = progressBar()
  const pool = workers > 1 ? createThreadPool(workers) : undefined
  try {
    const merged = await runJob(job, pool ? pool.execute : inProcessExecutor, workers, progress.update)
    return merged
  } finally {
    progress.stop()
    await pool?.close()
  }
}

const program = new Command()
  .name('homecoming')
  .description('Return and reintegration policy simulator: Monte Carlo runs and comparisons of scenario files')
  .version(ENGINE_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) })

const withRunOptions = (cmd: Command) =>
  cmd
    .option('-n, --iterations <n>', 'Monte Carlo iterations', wholeNumber('--iterations', 1, MAX_ITERATIONS), 10_000)
    .option('-s, --seed <seed>', 'random seed (text or integer)', parseSeed, 1)
    .option('-w, --workers <k>', 'worker threads', wholeNumber('--workers', 1, 64), defaultThreadCount())
    .option('--json', 'print one JSON object to stdout')

withRunOptions(program.command('run').argument('<file>', 'scenario file or preset id').description('run a scenario'))
  .option('--csv <file>', 'also write every iteration of every metric to this CSV file')
  .action(async (file: string, opts: RunOptions) => {
    const { scenario } = loadOrFail(file)
    const job: Job = { kind: 'run', scenario, seed: opts.seed, iterations: opts.iterations, keepIterations: Boolean(opts.csv) }
    const merged = await execute(job, opts.workers)
    const report = reportJob(job, merged)
    if (opts.csv) writeFileSync(opts.csv, iterationsCsv(merged))
    process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatRun(report as never) + '\n')
  })

withRunOptions(
  program
    .command('compare')
    .argument(
      '<files...>',
      'scenario files or preset ids; each is compared against the last (the comparator); with one, against itself without its programme',
    )
    .description('compare scenarios against a comparator with common random numbers'),
)
  .option('--wtp <amount>', 'willingness to pay per sustainable reintegration for NMB and EVPI', number('--wtp'), 0)
  .action(async (files: string[], opts: RunOptions) => {
    const loaded = files.map(loadOrFail)
    const comparator = loaded.length === 1 ? removalOnlyVersion(loaded[0].scenario) : loaded.at(-1)!.scenario
    const reports = []
    for (const { scenario } of loaded.length === 1 ? loaded : loaded.slice(0, -1)) {
      const problems = comparabilityProblems(scenario, comparator)
      if (problems.length) throw new UsageError(formatProblems(problems))
      const job: Job = { kind: 'compare', scenario, comparator, seed: opts.seed, iterations: opts.iterations, wtp: opts.wtp }
      reports.push(reportJob(job, await execute(job, opts.workers)))
    }
    if (opts.json) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports) + '\n')
    else process.stdout.write(reports.map((r) => formatComparison(r as never)).join('\n\n') + '\n')
  })

program
  .command('validate')
  .argument('<file>', 'scenario file or preset id')
  .description('check a scenario file; exit 1 with each problem and its field path')
  .action((file: string) => {
    const { scenario } = loadOrFail(file)
    process.stdout.write(`ok: ${scenario.id} (${scenario.title})\n`)
  })

program
  .command('presets')
  .description('list the preset scenarios')
  .option('--json', 'print JSON')
  .action((opts: { json?: boolean }) => {
    const presets = listPresets()
    if (opts.json) return void process.stdout.write(JSON.stringify(presets) + '\n')
    const width = Math.max(...presets.map((p) => p.id.length))
    for (const p of presets) process.stdout.write(`${p.id.padEnd(width)}  ${p.currency}  ${p.title}${p.comparator ? '  [comparator]' : ''}\n`)
  })

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode
  } else {
    const message = e instanceof UsageError ? e.message : `error: ${(e as Error).message}`
    process.stderr.write(message.split('\n').map((l) => `homecoming: ${l}`).join('\n') + '\n')
    process.exitCode = 1
  }
}
