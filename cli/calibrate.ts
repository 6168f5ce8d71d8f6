/** `homecoming calibrate`: a scenario's uncertain inputs updated to observed figures, written as a new scenario file. */
import { readFileSync, writeFileSync } from 'node:fs'
import { InvalidArgumentError, type Command } from 'commander'
import {
  calibrate,
  CALIBRATION_METHODS,
  correlationFileSchema,
  type CalibrationMethod,
} from '../models/analysis/calibration'
import { calibrationTargetsSchema, type CalibrationTarget } from '../models/analysis/calibration-targets'
import type { CorrelationSpec } from '../models/engine/correlation'
import { AnalysisProblems } from '../models/analysis/outcomes'
import { toFieldProblems, type FieldProblem } from '../models/engine/scenario'
import { formatCalibration } from './format-calibration'
import { loadScenario } from './load'

interface CalibrateOptions {
  targets?: string
  iterations: number
  seed: string | number
  method: CalibrationMethod
  correlation?: string
  checkIterations?: number
  out?: string
  json?: boolean
}

/** A whole number in [min, max], for commander. */
const countOption = (flag: string, min: number, max: number) => (text: string) => {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN
  if (Number.isSafeInteger(n) && n >= min && n <= max) return n
  throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max.toLocaleString('en-GB')}`)
}

/** A problem the user can act on: one line each on stderr, exit 1 (as every other command reports them). */
class Refusal extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
  }
}

const named = (label: string, problems: FieldProblem[]) => problems.map((p) => `${label}: ${p.path}: ${p.message}`)

/** Read a JSON file, or refuse naming it. */
const readJson = (file: string): unknown => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Refusal([`${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`])
  }
}

/** A targets file: a list of { metric, value, sd or low/high, perYear?, perMonth? }, or { targets: [...] }. */
const readTargets = (file: string): CalibrationTarget[] => {
  const raw = readJson(file)
  const list = Array.isArray(raw) ? raw : (raw as { targets?: unknown } | null)?.targets
  const parsed = calibrationTargetsSchema.safeParse(list, { reportInput: true })
  if (!parsed.success) throw new Refusal(named(file, toFieldProblems(parsed.error, 'unknown field', ['targets'])))
  return parsed.data
}

/** A correlation file for the prior ({ correlation: { paths, matrix } }, or a bare { paths, matrix }). */
const readCorrelation = (file: string): CorrelationSpec => {
  const raw = readJson(file) as Record<string, unknown> | null
  const parsed = correlationFileSchema.safeParse(raw && 'correlation' in raw ? raw : { scenarioId: '-', correlation: raw })
  if (!parsed.success) throw new Refusal(named(file, toFieldProblems(parsed.error)))
  return parsed.data.correlation
}

export const registerCalibrate = (program: Command): Command =>
  program
    .command('calibrate')
    .argument('<file>', 'scenario file or preset id')
    .description(
      "update a scenario's uncertain inputs to agree with its targets (or --targets), by importance sampling over its PSA draws; writes a new scenario file",
    )
    .option('--targets <file>', 'JSON list of { metric, value, sd | low + high (90% interval), perYear?, perMonth?, id?, source? } (default: the scenario\'s own targets)')
    .option('-n, --iterations <n>', 'prior draws', countOption('--iterations', 100, 1_000_000), 20_000)
    .option('-s, --seed <seed>', 'random seed (text or integer)', (v: string) => (/^-?\d{1,15}$/.test(v) ? Number(v) : v), 1)
    .option('--method <method>', 'sir: sampling-importance-resampling; imis: incremental mixture importance sampling', (v: string) => {
      if (!(CALIBRATION_METHODS as readonly string[]).includes(v)) throw new InvalidArgumentError(`--method must be one of ${CALIBRATION_METHODS.join(', ')}`)
      return v as CalibrationMethod
    }, 'sir')
    .option('--correlation <file>', "the prior's input correlation, { paths, matrix } (default: the scenario's own `correlation`)")
    .option('--check-iterations <n>', 'iterations of the calibrated scenario in the predictive check', countOption('--check-iterations', 1, 1_000_000))
    .option('-o, --out <file>', 'the calibrated scenario file (default <id>-calibrated.json), the posterior correlation in its `correlation`')
    .option('--json', 'print the whole result (the calibrated scenario, the diagnostics and the check) as one JSON object')
    .action((file: string, opts: CalibrateOptions) => {
      try {
        const loaded = loadScenario(file)
        if (!loaded.ok) throw new Refusal(named(loaded.label, loaded.problems))
        const out = opts.out ?? `${loaded.scenario.id}-calibrated.json`
        const result = calibrate(loaded.scenario, {
          seed: opts.seed,
          iterations: opts.iterations,
          method: opts.method,
          targets: opts.targets ? readTargets(opts.targets) : undefined,
          correlation: opts.correlation ? readCorrelation(opts.correlation) : undefined,
          checkIterations: opts.checkIterations,
        })
        writeFileSync(out, JSON.stringify(result.scenario, null, 2) + '\n')
        const written = { scenario: out }
        process.stdout.write(opts.json ? JSON.stringify({ ...result, written }) + '\n' : formatCalibration(result, written) + '\n')
        for (const warning of result.diagnostics.warnings) process.stderr.write(`homecoming: warning: ${warning}\n`)
      } catch (e) {
        const lines = e instanceof Refusal ? e.lines : e instanceof AnalysisProblems ? named(file, e.problems) : undefined
        if (!lines) throw e
        process.stderr.write(lines.map((l) => `homecoming: ${l}`).join('\n') + '\n')
        process.exitCode = 1
      }
    })
