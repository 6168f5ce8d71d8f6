/** Two-way sensitivity: the mean outcome on a grid of two levers (money, scale or counselling setting), paired. */
import { CohortModel } from '../engine/cohort'
import {
  COUNSELLING_SETTINGS,
  isStructural,
  leverProblems,
  leverSlot,
  withStructuralLever,
  type Lever,
  type NumericLever,
} from './levers'
import {
  AnalysisProblems,
  checkAnalysis,
  withDefaultComparator,
  FiniteMean,
  needsComparator,
  PairedRun,
  type Outcome,
  type OutcomeSpec,
  type Sampling,
} from './outcomes'
import type { CounsellingSetting, FieldProblem, Scenario } from '../engine/scenario'

export type TwoWayAxis =
  | { lever: NumericLever; values: number[] }
  | { lever: 'counsellingSetting'; values: CounsellingSetting[] }

export interface TwoWayResult {
  outcome: Outcome
  wtp?: number
  iterations: number
  seed: string | number
  rows: TwoWayAxis
  columns: TwoWayAxis
  /** mean[r][c]: the mean outcome with the row lever at rows.values[r] and the column lever at columns.values[c]. */
  mean: (number | null)[][]
}

const axisProblems = (scenario: Scenario, axis: TwoWayAxis, field: string): FieldProblem[] => {
  const problems = leverProblems(scenario, axis.lever as Lever, `${field}.lever`)
  if (!Array.isArray(axis.values) || axis.values.length === 0 || axis.values.length > 101)
    problems.push({ path: `${field}.values`, message: 'must list 1 to 101 lever values' })
  else if (axis.lever === 'counsellingSetting') {
    axis.values.forEach((v, i) => {
      if (!COUNSELLING_SETTINGS.includes(v as CounsellingSetting))
        problems.push({
          path: `${field}.values[${i}]`,
          message: `must be one of ${COUNSELLING_SETTINGS.join(', ')}`,
        })
    })
  } else {
    const [min, max] = axis.lever === 'scale' ? [0.1, 10] : [0, Infinity]
    axis.values.forEach((v, i) => {
      if (typeof v !== 'number' || !(v >= min && v <= max))
        problems.push({
          path: `${field}.values[${i}]`,
          message: `must be a number in ${min} .. ${max === Infinity ? 'inf' : max}`,
        })
    })
  }
  return problems
}

/**
 * Every cell runs the same iterations: each iteration draws once and every cell replays those draws with its
 * two lever values (a money lever fixes its parameter, scale and setting make a scenario variant with the
 * same parameter table), so differences between cells are paired.
 */
export const twoWay = (
  scenario: Scenario,
  given: OutcomeSpec,
  sampling: Sampling,
  rows: TwoWayAxis,
  columns: TwoWayAxis,
): TwoWayResult => {
  const spec = withDefaultComparator(scenario, given)
  const problems = [...axisProblems(scenario, rows, 'rows'), ...axisProblems(scenario, columns, 'columns')]
  if (rows.lever === columns.lever) problems.push({ path: 'columns.lever', message: 'must differ from the row lever' })
  if (problems.length) throw new AnalysisProblems(problems)
  checkAnalysis(scenario, spec, sampling)

  const run = new PairedRun(scenario, needsComparator(spec.outcome) ? spec.comparator : undefined, sampling)
  const variants = new Map<string, CohortModel>()
  const cells = rows.values.flatMap((rv, r) =>
    columns.values.map((cv, c) => {
      let variant = scenario
      const fixed: [number, number][] = []
      for (const [axis, value] of [
        [rows, rv],
        [columns, cv],
      ] as const) {
        if (isStructural(axis.lever)) variant = withStructuralLever(variant, axis.lever, value)
        else fixed.push([leverSlot(run.a, axis.lever as Exclude<NumericLever, 'scale'>), value as number])
      }
      const key = JSON.stringify(variant.programme)
      let model = variants.get(key)
      if (!model) {
        model = new CohortModel(variant)
        variants.set(key, model)
      }
      const slots = Int32Array.from(fixed, ([slot]) => slot)
      const fixedValues = Float64Array.from(fixed, ([, value]) => value)
      return { r, c, model, slots, fixedValues, mean: new FiniteMean() }
    }),
  )
  const values = run.values[0]
  const saved = new Float64Array(values.length)
  for (let i = 0; i < sampling.iterations; i++) {
    run.draw(i)
    run.runB(i)
    saved.set(values)
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k]
      for (let j = 0; j < cell.slots.length; j++) values[cell.slots[j]] = cell.fixedValues[j]
      run.runA(i, cell.model)
      cell.mean.add(run.outcome(spec))
      values.set(saved)
    }
  }
  const mean = rows.values.map((_, r) =>
    columns.values.map((_, c) => {
      const m = cells[r * columns.values.length + c].mean.mean
      return Number.isFinite(m) ? m : null
    }),
  )
  return {
    outcome: spec.outcome,
    ...(spec.wtp !== undefined ? { wtp: spec.wtp } : {}),
    iterations: sampling.iterations,
    seed: sampling.seed,
    rows,
    columns,
    mean,
  }
}
