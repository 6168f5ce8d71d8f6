/** The `homecoming` command line: run, compare, validate and list presets; errors are one line each, exit 1. */
import { writeFileSync } from 'node:fs'
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import cliProgress from 'cli-progress'
import { sensitivityReport, thresholdReport } from '../models/analysis/analysis-report'
import { attributeDifference } from '../models/analysis/attribution'
import { comparabilityProblems, removalOnlyVersion, withStartYear, type ComparisonReport } from '../models/analysis/compare'
import { budgetYearLabels, MAX_START_YEAR, MIN_START_YEAR } from '../models/analysis/budget-years'
import type { RunReport } from '../models/engine/run'
import { formatBudget } from './format-budget'
import { scenarioWorkbook } from '../functions/exports/workbook'
import { formatProblems, type FieldProblem } from '../models/engine/scenario'
import { reportJob } from '../models/analysis/job-report'
import { threadsFor } from './threads'
import { inProcessExecutor, runJob, type Job } from '../models/engine/shard-task'
import { ENGINE_VERSION } from '../models/engine/version'
import { listPresets } from '../scenarios/index'
import { createThreadPool, defaultThreadCount } from '../functions/runners/thread-pool'
import { registerCalibrate } from './calibrate'
import { registerCheck } from './check'
import { runJobToCsv } from './csv-stream'
import { formatComparison, formatRun } from './format'
import { formatAttribution, formatSensitivity, formatThreshold } from './format-analysis'
import { loadScenario, type Loaded } from './load'
import { NUMERIC_LEVERS, type NumericLever } from '../models/analysis/levers'
import { AnalysisProblems, OUTCOMES, type Outcome } from '../models/analysis/outcomes'
import type { TornadoMethod, TornadoMode } from '../models/analysis/sensitivity'
import type { ThresholdCriterion } from '../models/analysis/threshold'

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
  startYear?: number
  seed: string | number
  /** Absent: chosen by the size of the job (threads.ts). */
  workers?: number
  json?: boolean
  csv?: string
  wtp?: number
}

/** Run a job on `workers` threads (in this thread when 1), with the progress bar; a run's iterations streamed to `csv`. */
const execute = async (job: Job, requested: number | undefined, csv?: string) => {
  const workers = requested ?? threadsFor(job, defaultThreadCount())
  const progress = progressBar()
  const pool = workers > 1 ? createThreadPool(workers) : undefined
  try {
    const executor = pool ? pool.execute : inProcessExecutor
    const merged =
      csv && job.kind === 'run'
        ? await runJobToCsv(job, executor, workers, csv, progress.update)
        : await runJob(job, executor, workers, progress.update)
    return merged
  } finally {
    progress.stop()
    await pool?.close()
  }
}

const COMPARE_ANYWAY = '--compare-anyway'
const COMPARE_ANYWAY_HELP =
  'compare scenarios of different populations (groups, stock, inflow, households); the report then says so'

/** The problems that refuse a comparison, and how to ask for one across populations where that is the reason. */
const refusal = (problems: FieldProblem[]): string =>
  formatProblems(problems) +
  (problems.some((p) => /\.groups/.test(p.path))
    ? `\n(the scenarios describe different populations; ${COMPARE_ANYWAY} compares them all the same, labelled so)`
    : '')

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
    .option(
      '-w, --workers <k>',
      `worker threads (default: by the size of the job, one in this thread for a small one, at most ${defaultThreadCount()})`,
      wholeNumber('--workers', 1, 64),
    )
    .option('--json', 'print one JSON object to stdout')
    .option(
      '--start-year <year>',
      "the calendar year of the budget's first year (a label: the numbers do not change)",
      wholeNumber('--start-year', MIN_START_YEAR, MAX_START_YEAR),
    )

withRunOptions(program.command('run').argument('<file>', 'scenario file or preset id').description('run a scenario'))
  .option('--csv <file>', 'also write every iteration of every metric to this CSV file')
  .action(async (file: string, opts: RunOptions) => {
    const { scenario } = loadOrFail(file)
    const job: Job = { kind: 'run', scenario, seed: opts.seed, iterations: opts.iterations }
    const report = reportJob(job, await execute(job, opts.workers, opts.csv))
    const labels = budgetYearLabels(scenario.horizonMonths, opts.startYear)
    process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatRun(report as RunReport, labels) + '\n')
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
  .option(COMPARE_ANYWAY, COMPARE_ANYWAY_HELP)
  .option('--budget', 'also print the incremental budget by year, payer and cost line, with 90% intervals')
  .action(async (files: string[], opts: RunOptions & { compareAnyway?: boolean; budget?: boolean }) => {
    const loaded = files.map(loadOrFail)
    const comparator = loaded.length === 1 ? removalOnlyVersion(loaded[0].scenario) : loaded.at(-1)!.scenario
    const reports = []
    for (const { scenario } of loaded.length === 1 ? loaded : loaded.slice(0, -1)) {
      const problems = comparabilityProblems(scenario, comparator, { compareAnyway: opts.compareAnyway })
      if (problems.length) throw new UsageError(refusal(problems))
      const job: Job = { kind: 'compare', scenario, comparator, seed: opts.seed, iterations: opts.iterations, wtp: opts.wtp }
      reports.push(withStartYear(reportJob(job, await execute(job, opts.workers)) as ComparisonReport, opts.startYear))
    }
    if (opts.json) process.stdout.write(JSON.stringify(reports.length === 1 ? reports[0] : reports) + '\n')
    else {
      const budget = (r: ComparisonReport) =>
        opts.budget
          ? '\n\n' + formatBudget(`Incremental budget of ${r.scenarioTitle} against ${r.comparatorTitle} by year`, r.comparison.incrementalBudgetByYear, r.budgetYears, r.currency)
          : ''
      process.stdout.write(reports.map((r) => formatComparison(r) + budget(r)).join('\n\n') + '\n')
    }
  })

program
  .command('validate')
  .argument('<file>', 'scenario file or preset id')
  .description('check a scenario file; exit 1 with each problem and its field path')
  .action((file: string) => {
    const { scenario } = loadOrFail(file)
    process.stdout.write(`ok: ${scenario.id} (${scenario.title})\n`)
  })

registerCheck(program)

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

/** A value from a fixed list, named in the error. */
const oneOf =
  <T extends string>(name: string, values: readonly T[]) =>
  (value: string): T => {
    if (!(values as readonly string[]).includes(value))
      throw new InvalidArgumentError(`${name} must be one of ${values.join(', ')}`)
    return value as T
  }

/** The analyses report invalid options as AnalysisProblems: one line each, like every other usage error. */
const asUsageErrors = async <T>(analysis: () => T | Promise<T>): Promise<T> => {
  try {
    return await analysis()
  } catch (e) {
    if (e instanceof AnalysisProblems) throw new UsageError(e.message)
    throw e
  }
}

/** A comparator that can be compared with the scenario (same currency, horizon and population), or a usage error. */
const comparatorOrFail = (scenario: Loaded & { ok: true }, file: string, compareAnyway?: boolean) => {
  const { scenario: comparator } = loadOrFail(file)
  const problems = comparabilityProblems(scenario.scenario, comparator, { compareAnyway })
  if (problems.length) throw new UsageError(refusal(problems).replaceAll('scenarios[1]', 'comparator'))
  return comparator
}

interface SensitivityOptions {
  outcome: Outcome
  comparator?: string
  compareAnyway?: boolean
  wtp?: number
  iterations: number
  tornadoIterations: number
  mode: TornadoMode
  expectedCohort?: boolean
  tornadoMethod: TornadoMethod
  seed: string | number
  workers: number
  json?: boolean
}

program
  .command('sensitivity')
  .argument('<file>', 'scenario file or preset id')
  .description('tornado of every uncertain input, with rank correlations and EVPPI from the PSA')
  .requiredOption('--outcome <outcome>', OUTCOMES.join(' | '), oneOf('--outcome', OUTCOMES))
  .option(
    '--comparator <file>',
    'comparator scenario or preset id (incremental outcomes, EVPPI); default: the scenario without its programme (removal-only:<file>)',
  )
  .option(COMPARE_ANYWAY, COMPARE_ANYWAY_HELP)
  .option(
    '--wtp <amount>',
    'willingness to pay per sustainable reintegration (netMonetaryBenefit; EVPPI, where it defaults to 0)',
    number('--wtp'),
  )
  .option(
    '-n, --iterations <n>',
    'PSA iterations for rank correlations and EVPPI',
    wholeNumber('--iterations', 10, MAX_ITERATIONS),
    10_000,
  )
  .option(
    '--tornado-iterations <n>',
    'paired iterations behind each end of each bar (1 in median mode with an expected cohort)',
    wholeNumber('--tornado-iterations', 1, MAX_ITERATIONS),
    1_000,
  )
  .option(
    '--mode <mode>',
    'psa-mean: other inputs drawn as in the PSA; median: at their medians',
    oneOf('--mode', ['psa-mean', 'median'] as const),
    'psa-mean',
  )
  .option('--expected-cohort', 'tornado on the expected cohort: cohort noise averaged exactly, much faster')
  .option(
    '--tornado-method <method>',
    'rerun: the cohort run again for each input and end; metamodel: read off one PSA of --tornado-iterations (psa-mean mode)',
    oneOf('--tornado-method', ['rerun', 'metamodel'] as const),
    'rerun',
  )
  .option('-w, --workers <k>', 'worker threads for the tornado', wholeNumber('--workers', 1, 64), defaultThreadCount())
  .option('-s, --seed <seed>', 'random seed (text or integer)', parseSeed, 1)
  .option('--json', 'print one JSON object to stdout')
  .action(async (file: string, opts: SensitivityOptions) => {
    const loaded = loadOrFail(file)
    const { scenario } = loaded
    const comparator = opts.comparator ? comparatorOrFail(loaded, opts.comparator, opts.compareAnyway) : undefined
    if (opts.outcome === 'netMonetaryBenefit' && opts.wtp === undefined)
      throw new UsageError('--wtp is required with --outcome netMonetaryBenefit')
    const progress = progressBar()
    const pool = opts.workers > 1 ? createThreadPool(opts.workers) : undefined
    const report = await asUsageErrors(() =>
      sensitivityReport(
        scenario,
        {
          outcome: opts.outcome,
          comparator,
          compareAnyway: opts.compareAnyway,
          wtp: opts.wtp,
          seed: opts.seed,
          iterations: opts.iterations,
          tornadoIterations: opts.tornadoIterations,
          mode: opts.mode,
          expectedCohort: opts.expectedCohort,
          tornadoMethod: opts.tornadoMethod,
        },
        { tornado: pool?.tornado, onProgress: progress.update },
      ),
    ).finally(() => pool?.close())
    progress.stop()
    process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatSensitivity(report) + '\n')
  })

/** `costPerSustainableReintegration=N`: the only target a threshold can reach for now. */
const parseTarget = (value: string): ThresholdCriterion => {
  const match = /^costPerSustainableReintegration=(.+)$/.exec(value.trim())
  const amount = match ? Number(match[1]) : NaN
  if (!match || !Number.isFinite(amount) || amount <= 0)
    throw new InvalidArgumentError('--target must be costPerSustainableReintegration=<amount>, the amount > 0')
  return { kind: 'target', outcome: 'costPerSustainableReintegration', value: amount }
}

interface ThresholdCliOptions {
  lever: NumericLever
  comparator?: string
  compareAnyway?: boolean
  target?: ThresholdCriterion
  min?: number
  max?: number
  iterations: number
  seed: string | number
  json?: boolean
}

program
  .command('threshold')
  .argument('<file>', 'scenario file or preset id')
  .description('the lever value at which the programme breaks even against the comparator (or reaches a target)')
  .requiredOption('--lever <lever>', NUMERIC_LEVERS.join(' | '), oneOf('--lever', NUMERIC_LEVERS))
  .option('--comparator <file>', 'comparator scenario or preset id (default: the scenario without its programme)')
  .option(COMPARE_ANYWAY, COMPARE_ANYWAY_HELP)
  .option('--target <target>', 'costPerSustainableReintegration=<amount> instead of cost-neutral', parseTarget)
  .option('--min <value>', 'lowest lever value searched (default 0; 0.1 for scale)', number('--min'))
  .option('--max <value>', 'highest lever value searched (default: doubled from 10,000 or 4 x p95 until a threshold is bracketed)', number('--max'))
  .option(
    '-n, --iterations <n>',
    'paired iterations per evaluation',
    wholeNumber('--iterations', 1, MAX_ITERATIONS),
    2_000,
  )
  .option('-s, --seed <seed>', 'random seed (text or integer)', parseSeed, 1)
  .option('--json', 'print one JSON object to stdout')
  .action(async (file: string, opts: ThresholdCliOptions) => {
    const loaded = loadOrFail(file)
    const { scenario } = loaded
    // break-even is against a comparator: by default the same cohort without the programme (thresholdReport)
    const comparator = opts.comparator ? comparatorOrFail(loaded, opts.comparator, opts.compareAnyway) : undefined
    // either end alone is fine: the other is the lever's default (threshold.ts), the upper one searched outward
    const range: [number | undefined, number | undefined] = [opts.min, opts.max]
    const report = await asUsageErrors(() =>
      thresholdReport(scenario, comparator, {
        lever: opts.lever,
        compareAnyway: opts.compareAnyway,
        criterion: opts.target,
        range,
        seed: opts.seed,
        iterations: opts.iterations,
      }),
    )
    process.stdout.write(opts.json ? JSON.stringify(report) + '\n' : formatThreshold(report) + '\n')
  })

program
  .command('diff')
  .argument('<a>', 'scenario file or preset id')
  .argument('<b>', 'the baseline: scenario file or preset id')
  .description('the change in an outcome from B to A, credited to each differing assumption in a stated order')
  .option('--outcome <outcome>', OUTCOMES.join(' | '), oneOf('--outcome', OUTCOMES), 'totalCost')
  .option('--comparator <file>', 'comparator scenario or preset id (incremental outcomes; default: A without its programme)')
  .option(COMPARE_ANYWAY, COMPARE_ANYWAY_HELP)
  .option('--wtp <amount>', 'willingness to pay per sustainable reintegration (netMonetaryBenefit)', number('--wtp'))
  .option('-n, --iterations <n>', 'paired iterations per step', wholeNumber('--iterations', 1, MAX_ITERATIONS), 2_000)
  .option('-s, --seed <seed>', 'random seed (text or integer)', parseSeed, 1)
  .option('--json', 'print one JSON object to stdout')
  .action(async (a: string, b: string, opts: Omit<SensitivityOptions, 'tornadoIterations' | 'mode' | 'workers' | 'tornadoMethod'>) => {
    const loadedA = loadOrFail(a)
    // the baseline may describe other people: that can be the difference the diff attributes
    const baseline = comparatorOrFail(loadedA, b, true)
    const comparator = opts.comparator ? comparatorOrFail(loadedA, opts.comparator, opts.compareAnyway) : undefined
    if (opts.outcome === 'netMonetaryBenefit' && opts.wtp === undefined)
      throw new UsageError('--wtp is required with --outcome netMonetaryBenefit')
    const spec = { outcome: opts.outcome, comparator, wtp: opts.wtp, compareAnyway: opts.compareAnyway }
    const result = await asUsageErrors(() =>
      attributeDifference(loadedA.scenario, baseline, spec, { seed: opts.seed, iterations: opts.iterations }),
    )
    process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatAttribution(result) + '\n')
  })

withRunOptions(
  program
    .command('export')
    .argument('<file>', 'scenario file or preset id')
    .description('write the Excel workbook: summary, budget by year x line x payer with 90% intervals, targets, assumptions with sources'),
)
  .requiredOption('--xlsx <out>', 'the .xlsx file to write')
  .option('--comparator <file>', 'comparator scenario or preset id (default: the scenario without its programme)')
  .option(COMPARE_ANYWAY, COMPARE_ANYWAY_HELP)
  .option('--wtp <amount>', 'willingness to pay per sustainable reintegration for NMB and EVPI', number('--wtp'), 0)
  .action(async (file: string, opts: RunOptions & { xlsx: string; comparator?: string; compareAnyway?: boolean }) => {
    const loaded = loadOrFail(file)
    const comparator = opts.comparator ? comparatorOrFail(loaded, opts.comparator, opts.compareAnyway) : removalOnlyVersion(loaded.scenario)
    const job: Job = { kind: 'compare', scenario: loaded.scenario, comparator, seed: opts.seed, iterations: opts.iterations, includeRun: true }
    const workers = opts.workers ?? threadsFor(job, defaultThreadCount())
    const pool = workers > 1 ? createThreadPool(workers) : undefined
    const { bytes, comparison } = await scenarioWorkbook(
      loaded.scenario,
      comparator,
      { seed: opts.seed, iterations: opts.iterations, wtp: opts.wtp, startYear: opts.startYear },
      pool ? pool.execute : undefined,
      workers,
    ).finally(() => pool?.close())
    writeFileSync(opts.xlsx, bytes)
    process.stdout.write(
      opts.json
        ? JSON.stringify({ file: opts.xlsx, bytes: bytes.length, scenarioId: comparison.scenarioId, comparatorId: comparison.comparatorId }) + '\n'
        : `wrote ${opts.xlsx} (${bytes.length.toLocaleString('en-GB')} bytes): ${comparison.scenarioTitle} against ${comparison.comparatorTitle}\n`,
    )
  })

registerCalibrate(program)

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
