/** Paired comparison (docs/model.md): increments by hand, CRN pairing, reproducibility. */
import { describe, expect, it } from 'vitest'
import { CohortModel } from '../engine/cohort'
import {
  comparabilityProblems,
  compareInProcess,
  interpretIcer,
  removalOnlyVersion,
  runCompareShard,
  type ComparisonReport,
} from './compare'
import { seedKey } from '../engine/rng'
import { runInProcess, runShard } from '../engine/run'
import { parseScenario, type Scenario } from '../engine/scenario'
import { reportJob } from './job-report'
import { decodeShardSummary, encodeShardSummary, inProcessExecutor, runJob, type Job } from '../engine/shard-task'
import { mergeShardSummaries, type ShardSummary } from '../engine/summary'
import { getPresetRaw } from '../../scenarios/index'

const parse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

const preset = (id: string): Scenario => parse(getPresetRaw(id))

const group = {
  id: 'g',
  label: 'G',
  stock: 1000,
  inflowPerMonth: 50,
  personsPerCase: 1.5,
  adultsPerCase: 1.2,
  removability: 0.5,
  monthlyStayCostPerPerson: 900,
  baseMonthlyUptake: 0.02,
  unassistedReturnMonthly: 0.01,
  abscondMonthly: 0.01,
}

/** A small scenario, every Dist a point, expected cohort: every iteration is the same. */
const pointScenario = (overrides: Record<string, unknown> = {}): Scenario =>
  parse({
    schemaVersion: 1,
    id: 'paired',
    title: 'Paired',
    currency: 'EUR',
    horizonMonths: 24,
    cohort: 'expected',
    groups: [group],
    programme: {
      cashPerAdult: 1500,
      travelPerPerson: 400,
      counselling: { setting: 'neutral', costPerCase: 300 },
      outreach: { reach: 0.9, annualCost: 60_000 },
      fixedAnnualCost: 120_000,
    },
    removal: {
      attemptMonthly: 0.05,
      successProbability: 0.7,
      detentionDaysPerAttempt: 5,
      detentionCostPerDay: 150,
      escortAndTravelPerPerson: 2500,
      failedAttemptCost: 500,
      adminCostPerCase: 800,
    },
    effects: {
      packageValue: 0.2,
      counsellingSetting: { neutral: 0.3 },
      sustainableAvrr: 0.6,
      sustainableForced: 0.3,
      remigrationMonthly: { sustainable: 0.005, notSustainable: 0.02, forcedMultiplier: 1.5 },
      reentryShare: 0.3,
    },
    ...overrides,
  })

const relClose = (actual: number | null, expected: number, tolerance = 1e-9) => {
  expect(actual).not.toBeNull()
  const scale = Math.max(1, Math.abs(expected))
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(tolerance * scale)
}

describe('all-point scenarios in the expected cohort: the comparison by hand', () => {
  const ITERATIONS = 130 // three blocks, the last partial
  const SEED = 'by-hand'
  const WTPS = [0, 1000, 25_000, 1e6]

  // a dear stay makes the programme pay for itself; a cheap stay makes it cost more
  const cases = [
    { label: 'programme cheaper', stayCost: 3000 },
    { label: 'programme dearer', stayCost: 100 },
  ]

  const setUp = (stayCost: number) => {
    const a = pointScenario({ groups: [{ ...group, monthlyStayCostPerPerson: stayCost }] })
    const b = parse({ ...a, id: 'paired-comparator', programme: null })
    const runA = runInProcess(a, { seed: SEED, iterations: ITERATIONS }).report.metrics
    const runB = runInProcess(b, { seed: SEED, iterations: ITERATIONS }).report.metrics
    const incCost = runA.totalCost.mean! - runB.totalCost.mean!
    const incSust = runA.sustainableReintegrations.mean! - runB.sustainableReintegrations.mean!
    return { a, b, incCost, incSust }
  }

  it('the two cases straddle zero incremental cost, with more sustainable reintegrations', () => {
    const [cheaper, dearer] = cases.map((c) => setUp(c.stayCost))
    expect(cheaper.incCost).toBeLessThan(0)
    expect(dearer.incCost).toBeGreaterThan(0)
    expect(cheaper.incSust).toBeGreaterThan(0)
    expect(dearer.incSust).toBeGreaterThan(0)
  })

  it.each(cases)('$label: increments, ICER, P(cheaper), CEAC, NMB and EVPI', ({ stayCost }) => {
    const { a, b, incCost, incSust } = setUp(stayCost)
    for (const wtp of WTPS) {
      const r = compareInProcess(a, b, { seed: SEED, iterations: ITERATIONS, wtp })
      const c = r.comparison
      relClose(c.incrementalCost.mean, incCost)
      relClose(c.incrementalSustainable.mean, incSust)
      // no uncertainty: every iteration is the same, so no spread
      expect(c.incrementalCost.sd).toBe(0)
      relClose(c.icer, incCost / incSust)
      expect(c.probCheaper).toBe(incCost < 0 ? 1 : 0)
      expect(c.ceac.find((p) => p.wtp === 0)!.probCostEffective).toBe(c.probCheaper)
      for (const p of c.ceac)
        expect(p.probCostEffective).toBe(p.wtp * incSust - incCost > 0 ? 1 : 0)
      expect(c.wtp).toBe(wtp)
      relClose(c.netMonetaryBenefit.mean, wtp * incSust - incCost)
      // with no uncertainty, perfect information is worth nothing
      expect(c.evpi).toBe(0)
      for (const p of c.evpiCurve) expect(p.evpi).toBe(0)
    }
  })

  it('the comparison carries both runs: metrics are A, comparatorMetrics are B', () => {
    const { a, b } = setUp(900)
    const r = compareInProcess(a, b, { seed: SEED, iterations: ITERATIONS })
    const runA = runInProcess(a, { seed: SEED, iterations: ITERATIONS }).report.metrics
    const runB = runInProcess(b, { seed: SEED, iterations: ITERATIONS }).report.metrics
    expect(r.metrics).toEqual(runA)
    expect(r.comparatorMetrics).toEqual(runB)
    expect(r.comparatorMetrics['cost.cash'].mean).toBe(0)
    expect(r.metrics['cost.cash'].mean).toBeGreaterThan(0)
  })
})

describe('with uncertainty: de-trusted-actors against de-reag-garp', () => {
  const ITERATIONS = 2048
  const SEED = 20240
  const a = preset('de-trusted-actors')
  const b = preset('de-reag-garp')
  const report = compareInProcess(a, b, { seed: SEED, iterations: ITERATIONS, wtp: 20_000 })
  const c = report.comparison

  it('EVPI is non-negative and CEAC values are probabilities', () => {
    expect(c.evpi).toBeGreaterThanOrEqual(0)
    for (const p of c.evpiCurve) expect(p.evpi).toBeGreaterThanOrEqual(0)
    // the pair is uncertain both ways, so perfect information is worth something
    expect(c.evpi).toBeGreaterThan(0)
    expect(c.ceac.length).toBeGreaterThan(5)
    for (const p of c.ceac) {
      expect(p.probCostEffective).toBeGreaterThanOrEqual(0)
      expect(p.probCostEffective).toBeLessThanOrEqual(1)
    }
    expect(c.ceac.map((p) => p.wtp)).toContain(20_000)
    expect(c.ceac.find((p) => p.wtp === 0)!.probCostEffective).toBe(c.probCheaper)
  })

  it('the mean increment is the difference of the means', () => {
    const costA = report.metrics.totalCost.mean!
    const diff = costA - report.comparatorMetrics.totalCost.mean!
    // rounding in sums of ~1e10 over 2048 iterations: relative to the totals, not the difference
    expect(Math.abs(c.incrementalCost.mean! - diff)).toBeLessThanOrEqual(1e-9 * costA)
  })

  /**
   * The presets differ only in the counselling setting and its cost, so with common random numbers
   * every other draw (group sizes, stay costs, removal, effects, and the cohort's own binomials) is
   * shared and cancels in the difference. Measured at this seed the paired sd is ~0.06 of
   * sqrt(sdA^2 + sdB^2), the sd the difference would have if A and B were drawn independently; 0.5
   * leaves a wide margin.
   */
  it('common random numbers pair the runs: the increment sd is well below the unpaired sd', () => {
    const sdA = report.metrics.totalCost.sd!
    const sdB = report.comparatorMetrics.totalCost.sd!
    expect(sdA).toBeGreaterThan(0)
    expect(c.incrementalCost.sd!).toBeLessThan(0.5 * Math.hypot(sdA, sdB))
  })

  it('a scenario against itself: incremental cost exactly 0 in every iteration', () => {
    const self = compareInProcess(a, a, { seed: SEED, iterations: 512 }).comparison
    for (const m of [self.incrementalCost, self.incrementalReturns, self.incrementalSustainable]) {
      expect(m).toMatchObject({ mean: 0, sd: 0, p05: 0, p50: 0, p95: 0 })
    }
    expect(self.probCheaper).toBe(0)
    expect(self.evpi).toBe(0)
    expect(self.icer).toBeNull()
  })
})

describe('interpretIcer, comparabilityProblems, removalOnlyVersion', () => {
  it('reads the four quadrants of the cost-effectiveness plane from the means, naming both scenarios, no verdict words', () => {
    const read = (c: number, e: number) => interpretIcer(c, e, 'Germany', 'Germany (removal only)')
    const readings = [
      [read(-5, 2), /costs less and achieves more than Germany \(removal only\)/],
      [read(5, -2), /costs more and achieves less/],
      [read(5, 2), /costs more and achieves more/],
      [read(-5, -2), /costs less and achieves less/],
      [read(5, 0), /as many sustainable reintegrations .* costs more/],
      [read(-5, 0), /as many sustainable reintegrations .* costs no more/],
    ] as const
    for (const [text, pattern] of readings) {
      expect(text).toMatch(pattern)
      expect(text).toMatch(/^on the means Germany /)
      expect(text).not.toMatch(/dominat|saves money|\bA\b|\bB\b/)
    }
    expect(new Set(readings.map(([text]) => text)).size).toBe(readings.length)
    // on an axis the quadrant is the weak one: equal cost with more effect reads as costing less
    expect(read(0, 2)).toMatch(/costs less and achieves more/)
    expect(read(0, -2)).toMatch(/costs more and achieves less/)
  })

  it('refuses different currencies and horizons, naming the field', () => {
    const a = pointScenario()
    expect(comparabilityProblems(a, parse({ ...a, id: 'other' }))).toEqual([])
    const currency = comparabilityProblems(a, parse({ ...a, currency: 'GBP', valueToReference: 1.8 }))
    expect(currency.map((p) => p.path)).toEqual(['scenarios[1].currency'])
    expect(currency[0].message).toMatch(/EUR/)
    expect(currency[0].message).toMatch(/GBP/)
    const horizon = comparabilityProblems(a, parse({ ...a, horizonMonths: 36 }))
    expect(horizon.map((p) => p.path)).toEqual(['scenarios[1].horizonMonths'])
    const both = comparabilityProblems(a, parse({ ...a, currency: 'SEK', valueToReference: 0.09, horizonMonths: 12 }))
    expect(both.map((p) => p.path).sort()).toEqual([
      'scenarios[1].currency',
      'scenarios[1].horizonMonths',
    ])
  })

  it('removalOnlyVersion keeps groups and the rest, drops the programme, keeps a valid id', () => {
    const a = preset('de-reag-garp')
    const b = removalOnlyVersion(a)
    expect(b.programme).toBeNull()
    expect(b.groups).toEqual(a.groups)
    expect(b.removal).toEqual(a.removal)
    expect(b.effects).toEqual(a.effects)
    expect([b.currency, b.horizonMonths, b.cohort]).toEqual([a.currency, a.horizonMonths, a.cohort])
    expect(b.id).not.toBe(a.id)
    expect(parseScenario(b).ok).toBe(true)
    const longest = parse({ ...a, id: 'x'.repeat(80) })
    expect(parseScenario({ ...removalOnlyVersion(longest), title: 'T' }).ok).toBe(true)
    expect(comparabilityProblems(a, b)).toEqual([])
    // the removal-only comparator books no programme cost
    const r = compareInProcess(a, b, { seed: 1, iterations: 64 })
    expect(r.comparatorMetrics['cost.programmeFixed']).toMatchObject({ mean: 0, p95: 0 })
  })
})

describe('reproducibility (docs/model.md)', () => {
  const ITERATIONS = 1000 // 16 blocks, the last partial: shards of unequal size
  const SEED = 'reproduce'
  const a = preset('de-trusted-actors')
  const b = preset('de-reag-garp')
  const runJobOf: Job = { kind: 'run', scenario: b, seed: SEED, iterations: ITERATIONS }
  const compareJobOf: Job = {
    kind: 'compare',
    scenario: a,
    comparator: b,
    seed: SEED,
    iterations: ITERATIONS,
  }

  const reportJson = async (job: Job, shards: number) =>
    JSON.stringify(reportJob(job, await runJob(job, inProcessExecutor, shards)))

  it('the same scenario, seed and iterations give identical JSON reports', () => {
    const first = runInProcess(b, { seed: SEED, iterations: 256 }).report
    const second = runInProcess(b, { seed: SEED, iterations: 256 }).report
    expect(JSON.stringify(second)).toBe(JSON.stringify(first))
    const c1: ComparisonReport = compareInProcess(a, b, { seed: SEED, iterations: 256 })
    const c2: ComparisonReport = compareInProcess(a, b, { seed: SEED, iterations: 256 })
    expect(JSON.stringify(c2)).toBe(JSON.stringify(c1))
  })

  it.each([
    ['run', runJobOf],
    ['compare', compareJobOf],
  ] as const)('%s: 1, 3 and 7 shards give identical JSON', async (_, job) => {
    const one = await reportJson(job, 1)
    expect(await reportJson(job, 3)).toBe(one)
    expect(await reportJson(job, 7)).toBe(one)
  })

  it('runJob with one shard is runInProcess', async () => {
    const { report } = runInProcess(b, { seed: SEED, iterations: ITERATIONS })
    expect(await reportJson(runJobOf, 1)).toBe(JSON.stringify(report))
  })

  it('a different seed gives a different report', async () => {
    const one = JSON.parse(await reportJson(runJobOf, 1))
    const other = JSON.parse(await reportJson({ ...runJobOf, seed: 'another' }, 1))
    expect(other.seed).toBe('another')
    expect(other.metrics.totalCost.mean).not.toBe(one.metrics.totalCost.mean)
    // (not a p50: quantiles come from 1%-wide sketch buckets, and two seeds' medians may share one)
    expect(other.metrics.returnsAssisted.mean).not.toBe(one.metrics.returnsAssisted.mean)
    const otherCompare = JSON.parse(await reportJson({ ...compareJobOf, seed: 7 }, 1))
    const oneCompare = JSON.parse(await reportJson(compareJobOf, 1))
    expect(otherCompare.comparison.incrementalCost.mean).not.toBe(
      oneCompare.comparison.incrementalCost.mean,
    )
  })

  const expectSameBits = (actual: Float64Array | undefined, expected: Float64Array | undefined) => {
    expect(actual).toBeInstanceOf(Float64Array)
    expect(actual!.length).toBe(expected!.length)
    for (let i = 0; i < expected!.length; i++) {
      if (!Object.is(actual![i], expected![i]))
        expect.fail(`element ${i}: ${actual![i]} is not ${expected![i]}`)
    }
  }

  const expectRoundTrip = (shard: ShardSummary) => {
    const back = decodeShardSummary(encodeShardSummary(shard))
    expect([back.from, back.to, back.observables, back.sketched]).toEqual([
      shard.from,
      shard.to,
      shard.observables,
      shard.sketched,
    ])
    const nodes = (s: ShardSummary) => s.forest.map((n) => [n.level, n.index])
    expect(nodes(back)).toEqual(nodes(shard))
    back.forest.forEach((node, i) => expectSameBits(node.data, shard.forest[i].data))
    expect(JSON.stringify(back.sketch?.encode())).toBe(JSON.stringify(shard.sketch?.encode()))
    if (shard.iterations) expectSameBits(back.iterations, shard.iterations)
    else expect(back.iterations).toBeUndefined()
    return back
  }

  it('encodeShardSummary / decodeShardSummary round-trip bit-exactly, kept iterations too', () => {
    const shards = [
      // as a run of 1000 iterations summarises them: exact quantiles
      runShard(b, { seed: SEED, from: 0, to: 320, keepIterations: true, exactQuantiles: true }),
      runShard(b, { seed: SEED, from: 320, to: 1000, keepIterations: true, exactQuantiles: true }),
    ]
    // kept iterations hold the undefined ratios too (NaN where a denominator is 0)
    const decoded = shards.map(expectRoundTrip)
    const merged = mergeShardSummaries(decoded)
    expectSameBits(merged.iterations, mergeShardSummaries(shards).iterations)
    const whole = runInProcess(b, { seed: SEED, iterations: 1000, keepIterations: true })
    expectSameBits(merged.iterations, whole.merged.iterations)
    expect(JSON.stringify(reportJob(runJobOf, merged))).toBe(JSON.stringify(whole.report))
    // a comparison shard keeps no iterations, and stays without them
    expectRoundTrip(runCompareShard(a, b, { seed: SEED, from: 64, to: 200 }))
  })
  // An empty kept-iterations array once came back as undefined ('' is falsy) and lost the whole merge's.
  it('an empty shard keeps its (empty) kept iterations through the round trip', () => {
    const empty = runShard(b, { seed: SEED, from: 64, to: 64, keepIterations: true })
    expect(empty.iterations).toHaveLength(0)
    expectRoundTrip(empty)
  })
})

describe('common random numbers: a shared parameter draws the same value in an iteration', () => {
  const success = { dist: 'uniform', min: 0.4, max: 0.95 }
  const a = pointScenario({
    cohort: 'stochastic',
    removal: { attemptMonthly: 0.05, successProbability: success },
  })
  // different elsewhere: an extra group first (every slot moves), no programme, other attempt rate
  const b = pointScenario({
    id: 'paired-other',
    cohort: 'stochastic',
    groups: [{ ...group, id: 'first', stock: 5000 }, group],
    programme: null,
    removal: {
      attemptMonthly: { dist: 'uniform', min: 0.4, max: 0.95 },
      successProbability: success,
    },
  })

  it('removal.successProbability: the same in A and B in each iteration, at other slots', () => {
    const modelA = new CohortModel(a)
    const modelB = new CohortModel(b)
    const slotA = modelA.table.paths.indexOf('removal.successProbability')
    const slotB = modelB.table.paths.indexOf('removal.successProbability')
    expect(slotA).toBeGreaterThanOrEqual(0)
    expect(slotB).toBeGreaterThanOrEqual(0)
    expect(slotB).not.toBe(slotA)
    const stockA = modelA.table.paths.indexOf('groups[g].stock')
    const stockB = modelB.table.paths.indexOf('groups[g].stock')
    expect(stockB).not.toBe(stockA)
    const attemptA = modelA.table.paths.indexOf('removal.attemptMonthly')
    const attemptB = modelB.table.paths.indexOf('removal.attemptMonthly')
    const runKey = seedKey('crn')
    const outA = new Float64Array(modelA.layout.observables)
    const outB = new Float64Array(modelB.layout.observables)
    const drawn: number[] = []
    let attemptsDiffer = 0
    for (let i = 0; i < 200; i++) {
      modelA.iterate(runKey, i, outA)
      modelB.iterate(runKey, i, outB)
      const value = modelA.drawnValues[slotA]
      expect(modelB.drawnValues[slotB]).toBe(value)
      expect(value).toBeGreaterThanOrEqual(0.4)
      expect(value).toBeLessThanOrEqual(0.95)
      expect(modelB.drawnValues[stockB]).toBe(modelA.drawnValues[stockA])
      if (modelA.drawnValues[attemptA] !== modelB.drawnValues[attemptB]) attemptsDiffer++
      drawn.push(value)
    }
    // the shared value varies between iterations, and the parameter that differs is not shared
    expect(new Set(drawn).size).toBe(drawn.length)
    expect(attemptsDiffer).toBe(200)
    // another run key draws other values
    modelA.iterate(seedKey('another'), 0, outA)
    expect(modelA.drawnValues[slotA]).not.toBe(drawn[0])
  })
})
