/** Scenario diff with attribution: the outcome difference credited to each differing assumption, in a stated order. */
import { CohortModel } from '../engine/cohort'
import {
  AnalysisProblems,
  checkAnalysis,
  FiniteMean,
  needsComparator,
  outcomeValue,
  PairedRun,
  type Outcome,
  type OutcomeSpec,
  type Sampling,
  withDefaultComparator,
} from './outcomes'
import { parseScenario, type Scenario } from '../engine/scenario'

/** Fields that describe a scenario without changing what it computes. */
const METADATA = new Set(['schemaVersion', 'id', 'title', 'description', 'sources', 'label', 'source'])

/** A step in a path: an object key, or a group picked by its id. */
type Segment = string | { group: string }
type Json = unknown

export const ATTRIBUTION_ORDER =
  'the order of the scenario format (docs/model.md): horizon, discount rate and cohort mode, then the groups ' +
  "(in the comparator's order, then groups only the scenario has; each group's fields in format order), the " +
  'programme, removal and effects, each field by field in format order; for distributions this is the order of ' +
  'the parameter table. An optional block present on one side only (a programme against none, outreach, ' +
  'counselling...) is switched as one assumption.'

export interface AttributionStep {
  /** The assumption's path, as in the parameter table (`groups[<id>].stock`, `programme.counselling.setting`). */
  assumption: string
  /** Its value in B (the starting point) and in A; undefined where absent. */
  from: Json
  to: Json
  /** The outcome mean before and after switching it. */
  before: number | null
  after: number | null
  /** after - before. */
  contribution: number
}

export interface AttributionResult {
  scenarioId: string
  baselineId: string
  /** The comparator of an incremental outcome (by default A's removal-only version). */
  comparatorId?: string
  /** The currency of every amount (the outcomes are all money). */
  currency: string
  outcome: Outcome
  wtp?: number
  iterations: number
  seed: string | number
  orderRule: string
  order: string[]
  /** Outcome mean of B, and of A (reached by the last step). */
  baseline: number | null
  target: number | null
  total: number
  steps: AttributionStep[]
}

const isObject = (x: Json): x is Record<string, Json> => typeof x === 'object' && x !== null && !Array.isArray(x)
const isDist = (x: Json): boolean => isObject(x) && typeof x.dist === 'string'

const pathText = (path: Segment[]): string =>
  path.reduce<string>((acc, s) => (typeof s === 'string' ? (acc ? `${acc}.${s}` : s) : `${acc}[${s.group}]`), '')

/** JSON with metadata removed and keys sorted: equal text, equal assumption. */
const canonical = (x: Json): string =>
  JSON.stringify(x, (key, value) =>
    METADATA.has(key) && key !== ''
      ? undefined
      : isObject(value)
        ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]]))
        : value,
  )

/** The keys of both objects: B's order, A's extras inserted after their predecessor in A (both follow the format). */
const mergedKeys = (aKeys: string[], bKeys: string[]): string[] => {
  const out = [...bKeys]
  let last = -1
  for (const key of aKeys) {
    const at = out.indexOf(key)
    if (at >= 0) last = at
    else out.splice(++last, 0, key)
  }
  return out
}

/** The parameter table of a model by path: kind and numbers, to compare two Dists as the model sees them. */
const compiledByPath = (model: CohortModel): Map<string, string> => {
  const { paths, kinds, params } = model.table
  return new Map(paths.map((p, i) => [p, `${kinds[i]}:${Array.from(params.subarray(4 * i, 4 * i + 4)).join(',')}`]))
}

/** The assumptions in which a differs from b, in the stated order. */
const differences = (a: Scenario, b: Scenario): Segment[][] => {
  const compiledA = compiledByPath(new CohortModel(a))
  const compiledB = compiledByPath(new CohortModel(b))
  const out: Segment[][] = []
  const walk = (x: Json, y: Json, path: Segment[]): void => {
    if (isDist(x) && isDist(y)) {
      const p = pathText(path)
      const same =
        compiledA.has(p) && compiledB.has(p) ? compiledA.get(p) === compiledB.get(p) : canonical(x) === canonical(y)
      if (!same) out.push(path)
      return
    }
    if (path.length === 1 && path[0] === 'groups' && Array.isArray(x) && Array.isArray(y)) {
      const idsA = x.map((g) => (g as { id: string }).id)
      const idsB = y.map((g) => (g as { id: string }).id)
      for (const id of [...idsB, ...idsA.filter((g) => !idsB.includes(g))])
        walk(x[idsA.indexOf(id)], y[idsB.indexOf(id)], [...path, { group: id }])
      const common = idsB.filter((g) => idsA.includes(g))
      const finalOrder = [...common, ...idsA.filter((g) => !idsB.includes(g))]
      if (finalOrder.join('\n') !== idsA.join('\n')) out.push([...path, '(order)'])
      return
    }
    if (isObject(x) && isObject(y) && !isDist(x) && !isDist(y)) {
      for (const key of mergedKeys(Object.keys(x), Object.keys(y)))
        if (!METADATA.has(key)) walk(x[key], y[key], [...path, key])
      return
    }
    if (canonical(x) !== canonical(y)) out.push(path)
  }
  walk(a, b, [])
  return out
}

const valueAt = (root: Json, path: Segment[]): Json => {
  let x: Json = root
  for (const s of path) {
    if (x === undefined || x === null) return undefined
    x =
      typeof s === 'string'
        ? (x as Record<string, Json>)[s]
        : (x as { id: string }[]).find((g) => g.id === s.group)
  }
  return x
}

/** Set (undefined: remove) the assumption at `path` of `root` to `value`; `(order)` orders the groups as in `like`. */
const setAt = (root: Record<string, Json>, path: Segment[], value: Json, like: Scenario): void => {
  const last = path[path.length - 1]
  if (last === '(order)') {
    const groups = root.groups as { id: string }[]
    root.groups = like.groups.map((g) => groups.find((w) => w.id === g.id))
    return
  }
  const parent = valueAt(root, path.slice(0, -1)) as Json
  if (typeof last === 'string') {
    if (value === undefined) delete (parent as Record<string, Json>)[last]
    else (parent as Record<string, Json>)[last] = structuredClone(value)
    return
  }
  const groups = parent as { id: string }[]
  const at = groups.findIndex((g) => g.id === last.group)
  if (value === undefined) groups.splice(at, 1)
  else if (at >= 0) groups[at] = structuredClone(value) as { id: string }
  else groups.push(structuredClone(value) as { id: string })
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null)

/** One assumption in which a scenario differs from another: its path and both values (undefined where absent). */
export interface ChangedAssumption {
  path: string
  from: Json
  to: Json
}

/** The assumptions in which `a` differs from `b` (metadata such as titles and sources aside), in the attribution order. */
export const changedAssumptions = (a: Scenario, b: Scenario): ChangedAssumption[] =>
  differences(a, b).map((path) =>
    path[path.length - 1] === '(order)'
      ? { path: pathText(path), from: b.groups.map((g) => g.id), to: a.groups.map((g) => g.id) }
      : { path: pathText(path), from: valueAt(b, path), to: valueAt(a, path) },
  )

/**
 * Attribute the difference in the outcome mean between scenario `a` and baseline `b` to the assumptions in
 * which they differ (see ATTRIBUTION_ORDER). Every intermediate scenario runs the same seed and iterations,
 * so each step is a paired difference; for incremental outcomes each is compared with `spec.comparator`.
 * The attribution depends on the order (interactions are credited to the later assumption); the order is
 * returned with the result.
 */
export const attributeDifference = (
  a: Scenario,
  b: Scenario,
  given: OutcomeSpec,
  sampling: Sampling,
): AttributionResult => {
  const spec = withDefaultComparator(a, given)
  checkAnalysis(a, spec, sampling)
  // the comparator is A's: B may differ from it in who is there, since that may be the difference attributed
  checkAnalysis(b, { ...spec, compareAnyway: true }, sampling)
  const steps = differences(a, b)
  const comparator = needsComparator(spec.outcome) ? spec.comparator : undefined
  const n = sampling.iterations

  let comparatorCost: Float64Array | undefined
  let comparatorSustainable: Float64Array | undefined
  if (comparator) {
    const run = new PairedRun(comparator, undefined, sampling)
    comparatorCost = new Float64Array(n)
    comparatorSustainable = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      run.draw(i)
      run.runA(i)
      comparatorCost[i] = run.costA
      comparatorSustainable[i] = run.sustainableA
    }
  }
  const meanOf = (s: Scenario): number => {
    const run = new PairedRun(s, undefined, sampling)
    const mean = new FiniteMean()
    for (let i = 0; i < n; i++) {
      run.draw(i)
      run.runA(i)
      const costC = comparatorCost?.[i] ?? 0
      const sustainableC = comparatorSustainable?.[i] ?? 0
      mean.add(outcomeValue(spec.outcome, spec.wtp ?? 0, run.costA, run.sustainableA, costC, sustainableC))
    }
    return mean.mean
  }

  const working = structuredClone(b) as unknown as Record<string, Json>
  const baseline = meanOf(b)
  let before = baseline
  const result: AttributionStep[] = []
  for (const path of steps) {
    const reorder = path[path.length - 1] === '(order)'
    const from = reorder
      ? (working.groups as { id: string }[]).map((g) => g.id)
      : structuredClone(valueAt(working, path))
    const to = reorder ? a.groups.map((g) => g.id) : valueAt(a, path)
    setAt(working, path, to, a)
    const parsed = parseScenario(working)
    if (!parsed.ok)
      throw new AnalysisProblems(
        parsed.problems.map((p) => ({ path: p.path, message: `after switching ${pathText(path)}: ${p.message}` })),
      )
    const after = meanOf(parsed.scenario)
    result.push({
      assumption: pathText(path),
      from,
      to,
      before: finiteOrNull(before),
      after: finiteOrNull(after),
      contribution: after - before,
    })
    before = after
  }
  if (differences(a, working as unknown as Scenario).length > 0)
    throw new Error('attribution did not reach the scenario')
  return {
    scenarioId: a.id,
    baselineId: b.id,
    ...(comparator ? { comparatorId: comparator.id } : {}),
    currency: a.currency,
    outcome: spec.outcome,
    ...(spec.wtp !== undefined ? { wtp: spec.wtp } : {}),
    iterations: n,
    seed: sampling.seed,
    orderRule: ATTRIBUTION_ORDER,
    order: result.map((s) => s.assumption),
    baseline: finiteOrNull(baseline),
    target: finiteOrNull(before),
    total: before - baseline,
    steps: result,
  }
}
