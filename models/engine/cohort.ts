/**
 * One Monte Carlo iteration of docs/model.md: draw every parameter, then run the monthly cohort. One month loop
 * serves both cohort modes: every flow goes through `take` (a binomial draw, or its expectation) and every split of a
 * fixed number of places over pools through `share` (hypergeometric, or in proportion), so a new state or cost line
 * is written once.
 */
import { BinomialSlots, binomialSlotTo, DRAWN } from './binomial'
import { expandSchedule, registerParameters, scaleByMonth, type CohortStructure, type GroupSlots, type ProgrammeSlots, type ScheduleSlots } from './cohort-parameters'
import { Copula } from './copula'
import { prepareCorrelation, type PreparedCorrelation } from './correlation'
import { hypergeometric } from './hypergeometric'
import {
  budgetColumn,
  COST_LINES,
  M,
  observableLayout,
  PROGRAMME_COST_LINES,
  REMOVAL_COST_LINES,
  SERIES,
  type CostLine,
  type ObservableLayout,
} from './layout'
import { PARAMETER_BLOCK, ParameterTable } from './parameter-table'
import { iterationKey, mix32, Stream } from './rng'
import { payerNames, type Scenario } from './scenario'

const logit = (p: number): number => Math.log(p / (1 - p))
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
/** Keeps a certain monthly event (p = 1) a finite rate in the competing-risks split. */
const MAX_PROBABILITY = 1 - 1e-15
const rateOf = (p: number): number => -Math.log(1 - Math.min(p, MAX_PROBABILITY))

/** Per group: the people pools (docs/model.md), the returnee pools of re-migration, and next month's re-entrants. */
const ER = 0
const EN = 1
const PR = 2
const PN = 3
/** The waiting list by origin pool: QER .. QPN are the pools' own index + 4. */
const QER = 4
const QEN = 5
const QPR = 6
const QPN = 7
const AS = 8
const AN = 9
const FS = 10
const FN = 11
const PENDING_ASSISTED = 12
const PENDING_FORCED = 13
const POOL_FIELDS = 14

/**
 * Per group and pool: the competing risks in the order uptake, attempt, own departure, absconding, first as the
 * conditional probabilities of the sequential binomial split (stochastic mode), then as the events' probabilities
 * (expected mode: each flow is the pool times its own probability, no chain of dependent products).
 */
const RISKS_PER_POOL = 8
const RISK_FIELDS = 4 * RISKS_PER_POOL
const R_UPTAKE = 0
const R_ATTEMPT = 1
const R_UNASSISTED = 2
const R_ABSCOND = 3
/** From a conditional to the event's own probability. */
const R_ABSOLUTE = 4
/** Per pool, the four rates `setPoolRisks` reads (in the order of the risks). */
const RATE_FIELDS = 4

/** Per group: probabilities a binomial reads from a typed array (so the draw's p crosses no call boxed). */
const P_REMOVABILITY = 0
const P_SUCCESS = 1
const P_SUSTAINABLE_AVRR = 2
const P_SUSTAINABLE_FORCED = 3
const P_DROPOUT = 4
const P_REMIGRATE_AS = 5
const P_REMIGRATE_AN = 6
const P_REMIGRATE_FS = 7
const P_REMIGRATE_FN = 8
const P_REENTRY = 9
const PROB_FIELDS = 10

/** Per group: numbers fixed within an iteration. */
const G_STOCK = 0
const G_CASES_PER_PERSON = 1
const G_UPTAKE_RATE = 2
const G_UNASSISTED_RATE = 3
const G_ABSCOND_RATE = 4
const G_DEADWEIGHT_SHARE = 5
/** The attempt probability and activity the risks were last computed for (NaN: not yet this iteration). */
const G_RISK_ATTEMPT = 6
const G_RISK_ACTIVE = 7
const GROUP_FIELDS = 8

/** What the cost lines multiply, counted per group and year (discounted): see `LINE_PRICES`. */
const K_STAY = 0
const K_ASSISTED = 1
const K_ATTEMPTS = 2
const K_FAILED = 3
const K_REMOVED = 4
const K_COUNSELLED = 5
const COUNT_KINDS = 6

const LINE = Object.fromEntries(COST_LINES.map((l, i) => [l, i])) as Record<CostLine, number>
/** Each (line, count kind) pair a group's unit cost prices; the programme-level lines are booked by month. */
const LINE_PRICES: readonly [CostLine, number][] = [
  ['stay', K_STAY],
  ['counselling', K_COUNSELLED],
  ['counselling', K_ASSISTED],
  ['travel', K_ASSISTED],
  ['cash', K_ASSISTED],
  ['inKind', K_ASSISTED],
  ['complexTopUp', K_ASSISTED],
  ['training', K_ASSISTED],
  ['psychosocial', K_ASSISTED],
  ['detention', K_ATTEMPTS],
  ['failedAttempts', K_FAILED],
  ['escortAndTravel', K_REMOVED],
  ['removalAdmin', K_REMOVED],
]
const PRICE_LINE = Int32Array.from(LINE_PRICES, ([l]) => LINE[l])
const PRICE_KIND = Int32Array.from(LINE_PRICES, ([, k]) => k)
const PRICES = LINE_PRICES.length

/** Per year, the programme-level sums (discounted): active months, fixed-cost weight s^e, case-management case months. */
const Y_ACTIVE = 0
const Y_FIXED_WEIGHT = 1
const Y_CASE_MONTHS = 2
const YEAR_FIELDS = 3

/** Metric indexes as a literal of fixed shape (M is built from a list, and reads of it cost in the hot path). */
const OUT = {
  returnsAssisted: M.returnsAssisted,
  returnsForced: M.returnsForced,
  returnsUnassisted: M.returnsUnassisted,
  returnsTotal: M.returnsTotal,
  repeatAssistedReturns: M.repeatAssistedReturns,
  sustainableReintegrations: M.sustainableReintegrations,
  sustainableAtHorizon: M.sustainableAtHorizon,
  remigrations: M.remigrations,
  irregularStayPersonMonths: M.irregularStayPersonMonths,
  eligibleAtHorizon: M.eligibleAtHorizon,
  waitingAtHorizon: M.waitingAtHorizon,
  absconded: M.absconded,
  waitingListPeak: M.waitingListPeak,
  queuePersonMonths: M.queuePersonMonths,
  meanWaitMonths: M.meanWaitMonths,
  counselledCases: M.counselledCases,
  totalCost: M.totalCost,
  programmeCost: M.programmeCost,
  removalCost: M.removalCost,
  costBase: M['cost.stay'],
  costPerReturn: M.costPerReturn,
  costPerAssistedReturn: M.costPerAssistedReturn,
  costPerForcedReturn: M.costPerForcedReturn,
  costPerSustainableReintegration: M.costPerSustainableReintegration,
  shareAssisted: M.shareAssisted,
  localResidentsServed: M.localResidentsServed,
}
const PROGRAMME_LINE_INDEXES = Int32Array.from(PROGRAMME_COST_LINES, (l) => LINE[l])
const REMOVAL_LINE_INDEXES = Int32Array.from(REMOVAL_COST_LINES, (l) => LINE[l])

/** The iteration's totals, from the month loop to the metrics. */
const T_ASSISTED = 0
const T_FORCED = 1
const T_UNASSISTED = 2
const T_REPEAT = 3
const T_SUSTAINABLE = 4
const T_REMIGRATIONS = 5
const T_STAY_PERSON_MONTHS = 6
const T_ABSCONDED = 7
const T_WAITING_PEAK = 8
const T_QUEUE_PERSON_MONTHS = 9
const T_COUNSELLED = 10
const T_ACTIVE_MONTHS = 11
const TALLY_FIELDS = 12

/** Per group, the conservation ledger. */
const L_ENTERED = 0
const L_ASSISTED = 1
const L_FORCED = 2
const L_UNASSISTED = 3
const L_ABSCONDED = 4
const LEDGER_FIELDS = 5

/** The payer column of each cost line in the budget. */
const payerColumns = (s: Scenario): { payers: string[]; lineToPayer: Int32Array } => {
  const payers = payerNames(s)
  const lineToPayer = new Int32Array(COST_LINES.length).fill(payers.length - 1)
  Object.values(s.payers ?? {}).forEach((lines, p) => {
    for (const line of lines) lineToPayer[LINE[line]] = p
  })
  return { payers, lineToPayer }
}

/** A scenario made ready to iterate: parameter table, flags and scratch space, built once per run. */
export class CohortModel {
  readonly table = new ParameterTable()
  readonly layout: ObservableLayout
  readonly stochastic: boolean
  private readonly groups: GroupSlots[]
  private readonly p: ProgrammeSlots
  private readonly structure: CohortStructure
  private readonly capacitySlots: ScheduleSlots
  private readonly maxAttemptSlots: ScheduleSlots
  /** The budget's payer column of each cost line. */
  readonly payerOfLine: Int32Array
  /** Per month, fixed for the run: the scale, whether the programme is active, the discount factor. */
  private readonly scale: Float64Array
  private readonly active: Uint8Array
  private readonly discount: Float64Array

  // scratch, reused by every iteration
  private readonly streams: Stream[]
  private readonly values: Float64Array
  /** Parameters of a block of iterations drawn ahead (`drawAheadUntil`): rows of the table's size. */
  private readonly blockRows: Float64Array
  private blockRun = NaN
  private blockFirst = 0
  private blockCount = 0
  private drawAheadTo = 0
  /** Per group and month: inflow and attempt probability; per month: target capacity and attempt cap. */
  private readonly inflow: Float64Array
  private readonly attemptByMonth: Float64Array
  /** Per group: its cohort streams' key (int32). */
  private readonly cohortKeys: Int32Array
  private readonly capacityTarget: Float64Array
  private readonly attemptCap: Float64Array
  /** Per month: s_t^fixedCostScaleExponent (0 in inactive months). */
  private readonly scalePower: Float64Array
  private readonly pools: Float64Array
  /** The probabilities of the draws, with what a binomial draw derives from each (prepared once they are set). */
  private readonly riskSlots: BinomialSlots
  private readonly probSlots: BinomialSlots
  private readonly risks: Float64Array
  private readonly probs: Float64Array
  private readonly numbers: Float64Array
  /** Per group, this month: assisted departures from the waiting list, and those from the repeaters' lists. */
  private readonly fromQueue: Float64Array
  private readonly repeatFromQueue: Float64Array
  private readonly split = new Float64Array(4)
  private readonly poolRates = new Float64Array(4 * RATE_FIELDS)
  private readonly casesDeparted: Float64Array
  /** Per group: unit cost of each LINE_PRICES pair, and summed by count kind (for the monthly cost). */
  private readonly prices: Float64Array
  private readonly unit: Float64Array
  private readonly yearCounts: Float64Array
  private readonly yearProgramme: Float64Array
  private readonly tally = new Float64Array(TALLY_FIELDS)
  /** The scenario's correlated inputs, prepared; a plain run draws them through the copula. */
  readonly correlation?: PreparedCorrelation
  private readonly copula?: Copula
  private readonly copulaSlots: Int32Array
  /** Per group: everyone who entered, returned by kind, absconded (the conservation check of docs/model.md). */
  private readonly ledger: Float64Array

  constructor(readonly scenario: Scenario) {
    const s = scenario
    const registered = registerParameters(this.table, s)
    this.groups = registered.groups
    this.p = registered.p
    this.structure = registered.structure
    this.capacitySlots = registered.capacity
    this.maxAttemptSlots = registered.maxAttempts
    const { payers, lineToPayer } = payerColumns(s)
    this.payerOfLine = lineToPayer
    this.layout = observableLayout(s.horizonMonths, payers)
    this.stochastic = s.cohort === 'stochastic'
    const H = s.horizonMonths
    const G = s.groups.length
    this.scale = scaleByMonth(s)
    this.active = Uint8Array.from(this.scale, (x) => (this.structure.hasProgramme && x > 0 ? 1 : 0))
    const rate = s.discountRate ?? 0
    this.discount = Float64Array.from({ length: H }, (_, t) => Math.pow(1 + rate, -t / 12))

    this.streams = s.groups.map(() => new Stream())
    this.values = new Float64Array(this.table.size)
    this.blockRows = new Float64Array(PARAMETER_BLOCK * this.table.size)
    this.inflow = new Float64Array(G * H)
    this.attemptByMonth = new Float64Array(G * H)
    this.cohortKeys = Int32Array.from(this.groups, (g) => g.cohortKey)
    this.capacityTarget = new Float64Array(H)
    this.attemptCap = new Float64Array(H)
    this.scalePower = new Float64Array(H)
    this.pools = new Float64Array(G * POOL_FIELDS)
    this.riskSlots = new BinomialSlots(G * RISK_FIELDS)
    this.probSlots = new BinomialSlots(G * PROB_FIELDS)
    this.risks = this.riskSlots.p
    this.probs = this.probSlots.p
    this.numbers = new Float64Array(G * GROUP_FIELDS)
    this.fromQueue = new Float64Array(G)
    this.repeatFromQueue = new Float64Array(G)
    this.casesDeparted = new Float64Array(H)
    this.prices = new Float64Array(G * PRICES)
    this.unit = new Float64Array(G * COUNT_KINDS)
    this.yearCounts = new Float64Array(G * this.layout.years * COUNT_KINDS)
    this.yearProgramme = new Float64Array(this.layout.years * YEAR_FIELDS)
    this.ledger = new Float64Array(G * LEDGER_FIELDS)
    if (s.correlation) {
      // checked when the scenario was parsed; a failure here is a scenario built by hand without parsing
      const prepared = prepareCorrelation(s.correlation, { knownPaths: this.table.paths })
      if (!prepared.ok) throw new Error(`correlation: ${prepared.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`)
      this.correlation = prepared.correlation
      this.copula = new Copula(prepared.correlation)
    }
    this.copulaSlots = this.copula?.slotsIn(this.table) ?? new Int32Array(0)
  }

  /** Group gi after the last iteration: who entered, who is still in the country, who left and how. */
  groupLedger(gi: number) {
    const q = POOL_FIELDS * gi
    const l = LEDGER_FIELDS * gi
    const pools = this.pools
    return {
      entered: this.ledger[l + L_ENTERED],
      inCountry:
        pools[q + ER] + pools[q + EN] + pools[q + PR] + pools[q + PN] +
        pools[q + QER] + pools[q + QEN] + pools[q + QPR] + pools[q + QPN],
      assisted: this.ledger[l + L_ASSISTED],
      forced: this.ledger[l + L_FORCED],
      unassisted: this.ledger[l + L_UNASSISTED],
      absconded: this.ledger[l + L_ABSCONDED],
    }
  }

  /**
   * The parameter slots that only price counts: unit costs and the programme's own costs. Changing one changes no
   * count and no draw, so `reprice` gives what a re-run would. (Cash, in-kind and top-up amounts are not among
   * them: the package value moves uptake and sustainability; nor is the fixed-cost exponent, which weighs months.)
   */
  get pricingSlots(): Int32Array {
    const p = this.p
    const slots = [
      ...this.groups.flatMap((g) => [g.stayCost, g.avoidableStayShare]),
      p.counselledCost, p.departingCost, p.travel, p.trainingCost, p.psychosocialCost, p.detentionDays,
      p.detentionCost, p.failedCost, p.escort, p.admin, p.outreachCost, p.fixedCost, p.caseManagementCost,
    ]
    return Int32Array.from(new Set(slots))
  }

  /**
   * The budget and metrics of the last iteration again with the parameters `values`, which may differ from that
   * iteration's in pricing slots only: its counts priced anew, as `iterate` would with those values (bit for bit).
   * The monthly cost series in `out` is left as it was.
   */
  reprice(values: Float64Array, out: Float64Array): void {
    this.values.set(values)
    this.setUnitCosts()
    const L = this.layout
    out.fill(0, L.budgetBase, L.budgetBase + L.years * L.budgetColumns)
    out.fill(0, OUT.costBase, OUT.costBase + COST_LINES.length)
    this.bookBudget(out)
    this.writeMetrics(out)
  }

  /** The parameter values drawn by the last call of `iterate` (for sensitivity analyses). */
  get drawnValues(): Float64Array {
    return this.values
  }

  /**
   * Run iteration `iteration` of the run keyed `runKey`, writing every observable of the layout into `out`.
   * Allocation-free: all state lives in the model's typed arrays. `overrides` (one value per parameter slot,
   * NaN: drawn as usual) fixes parameters for sensitivity analyses; without it nothing changes.
   */
  iterate(runKey: number, iteration: number, out: Float64Array, overrides?: Float64Array): void {
    const iterKey = iterationKey(iteration)
    if (overrides === undefined) this.drawParameters(runKey, iteration, iterKey)
    else this.table.drawAll(runKey, iterKey, this.values, overrides)
    // overrides come from the analyses, which draw the correlated inputs themselves (InputDraws)
    if (this.copula && overrides === undefined) {
      this.copula.mix(runKey, iterKey)
      this.copula.applyTo(this.table, this.copulaSlots, this.values)
    }
    out.fill(0)
    this.prepareIteration()
    this.runMonths(runKey, iterKey, out)
    this.bookBudget(out)
    this.writeMetrics(out)
  }

  /**
   * Let `iterate` draw the parameters of iterations up to `to` (exclusive) a block at a time, ahead of their turn:
   * for a caller that goes through them in order (a run's shard). The values are those drawn one by one.
   */
  drawAheadUntil(to: number): void {
    this.drawAheadTo = to
  }

  /** The parameters of iteration `iteration` into this.values: from the block drawn ahead, or drawn alone. */
  private drawParameters(runKey: number, iteration: number, iterKey: number): void {
    const size = this.table.size
    const inBlock = runKey === this.blockRun && iteration >= this.blockFirst && iteration < this.blockFirst + this.blockCount
    if (!inBlock && iteration < this.drawAheadTo) {
      this.blockRun = runKey
      this.blockFirst = iteration
      this.blockCount = Math.min(PARAMETER_BLOCK, this.drawAheadTo - iteration)
      this.table.drawBlock(runKey, iteration, this.blockCount, this.blockRows)
    } else if (!inBlock) {
      this.table.drawAll(runKey, iterKey, this.values)
      return
    }
    // a loop rather than set(subarray): a subarray is an allocation per iteration
    const row = (iteration - this.blockFirst) * size
    const { values, blockRows } = this
    for (let j = 0; j < size; j++) values[j] = blockRows[row + j]
  }

  /**
   * Split `n` of the four counts a .. d (their sum) into this.split, each count's share of them: a multivariate
   * hypergeometric draw, or in proportion. Results go through the typed array, not returned: a double returned from
   * a call V8 does not inline is boxed.
   */
  private splitFour(a: number, b: number, c: number, d: number, n: number, stream: Stream): void {
    const split = this.split
    const total = a + b + c + d
    if (this.stochastic) {
      const x = hypergeometric(total, a, n, stream)
      const y = hypergeometric(total - a, b, n - x, stream)
      const z = hypergeometric(total - a - b, c, n - x - y, stream)
      split[0] = x
      split[1] = y
      split[2] = z
      split[3] = n - x - y - z
      return
    }
    const share = total > 0 ? n / total : 0
    split[0] = a * share
    split[1] = b * share
    split[2] = c * share
    // the last count takes the rest; one that is empty takes none (the rest is round-off then)
    split[3] = d > 0 ? atLeastZero(n - split[0] - split[1] - split[2]) : 0
  }

  /** What is fixed within an iteration: schedules by month, per-group probabilities and numbers, unit costs. */
  private prepareIteration(): void {
    const v = this.values
    const p = this.p
    const st = this.structure
    const H = this.layout.horizonMonths
    const round = this.stochastic
    const prog = st.hasProgramme
    const settingEffect = st.settingEffectSlot >= 0 ? v[st.settingEffectSlot] : 0
    const uptakeShift = settingEffect + (st.atFinalDecision ? v[p.atFinalDecision] : 0)
    const sustainabilityShift =
      (st.psychosocialEnabled ? v[p.liftPsychosocial] : 0) +
      (st.hasTraining ? v[p.liftTraining] * v[p.trainingShare] : 0) +
      (st.caseManagementContinuous ? v[p.liftCaseManagement] : 0) +
      (st.hasCommunity && v[p.communityBudget] > 0 ? v[p.liftCommunity] : 0)
    const reach = v[p.reach]
    const remigrateAS = v[p.remigrationSustainable]
    const remigrateAN = v[p.remigrationNotSustainable]
    const remigrateFS = Math.min(1, remigrateAS * v[p.forcedMultiplier])
    const remigrateFN = Math.min(1, remigrateAN * v[p.forcedMultiplier])
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]
      expandSchedule(g.inflow, v, this.inflow, gi * H, H, round)
      expandSchedule(g.attempt, v, this.attemptByMonth, gi * H, H, false)
      const lnPackage = Math.log(1 + (this.packageValue(g) * v[p.valueToReference]) / 1000)
      const uptake = prog ? reach * sigmoid(logit(v[g.baseUptake]) + v[p.packageValue] * lnPackage + uptakeShift) : 0
      const n = GROUP_FIELDS * gi
      const numbers = this.numbers
      numbers[n + G_STOCK] = round ? Math.round(v[g.stock]) : v[g.stock]
      numbers[n + G_CASES_PER_PERSON] = 1 / v[g.personsPerCase]
      numbers[n + G_UPTAKE_RATE] = rateOf(uptake)
      numbers[n + G_UNASSISTED_RATE] = rateOf(v[g.unassisted])
      numbers[n + G_ABSCOND_RATE] = rateOf(v[g.abscond])
      numbers[n + G_DEADWEIGHT_SHARE] = prog ? reach * v[p.deadweight] : 0
      numbers[n + G_RISK_ATTEMPT] = NaN
      numbers[n + G_RISK_ACTIVE] = NaN
      const o = PROB_FIELDS * gi
      const probs = this.probs
      probs[o + P_REMOVABILITY] = g.removable ? v[g.removability] : 0
      probs[o + P_SUCCESS] = v[g.ownSuccess >= 0 ? g.ownSuccess : p.success]
      probs[o + P_SUSTAINABLE_AVRR] = sigmoid(
        logit(v[p.sustainableAvrr]) + sustainabilityShift + v[p.liftPackageValue] * lnPackage,
      )
      probs[o + P_SUSTAINABLE_FORCED] = v[p.sustainableForced]
      probs[o + P_DROPOUT] = prog ? v[p.queueDropout] : 0
      probs[o + P_REMIGRATE_AS] = remigrateAS
      probs[o + P_REMIGRATE_AN] = remigrateAN
      probs[o + P_REMIGRATE_FS] = remigrateFS
      probs[o + P_REMIGRATE_FN] = remigrateFN
      probs[o + P_REENTRY] = v[p.reentry]
    }
    if (st.hasCapacity) expandSchedule(this.capacitySlots, v, this.capacityTarget, 0, H, round)
    else this.capacityTarget.fill(Infinity)
    if (st.hasAttemptCap) expandSchedule(this.maxAttemptSlots, v, this.attemptCap, 0, H, round)
    else this.attemptCap.fill(Infinity)
    const exponent = v[p.fixedExponent]
    let power = 0
    for (let t = 0; t < H; t++) {
      const on = this.active[t] === 1
      // K_t = capacity x s_t; 0 while the programme is suspended, even without a capacity limit
      this.capacityTarget[t] = on ? this.capacityTarget[t] * this.scale[t] : 0
      // one power per change of scale (a schedule has a few), not one a month
      if (t === 0 || this.scale[t] !== this.scale[t - 1]) power = Math.pow(this.scale[t], exponent)
      this.scalePower[t] = on ? power : 0
    }
    this.pools.fill(0)
    this.casesDeparted.fill(0)
    this.yearCounts.fill(0)
    this.yearProgramme.fill(0)
    this.ledger.fill(0)
    this.setUnitCosts()
    // the draws' per-probability numbers, once an iteration rather than once a draw
    if (round) this.probSlots.prepare(0, this.probSlots.size)
  }

  /** Cash per case (the family cap applied) and the package value per case V of docs/model.md, in the currency. */
  private cashPerCase(g: GroupSlots): number {
    const v = this.values
    const p = this.p
    const adults = v[g.adultsPerCase]
    const children = Math.max(0, v[g.personsPerCase] - adults)
    return Math.min(v[p.cashCap], v[p.cashPerAdult] * adults + v[p.cashPerChild] * children)
  }

  private packageValue(g: GroupSlots): number {
    const v = this.values
    return this.cashPerCase(g) + v[this.p.inKind] + v[g.complexShare] * v[this.p.complexTopUp]
  }

  /** Unit costs of this iteration per group: of each (line, count) pair, and summed by count for the monthly cost. */
  private setUnitCosts(): void {
    const v = this.values
    const p = this.p
    const st = this.structure
    const prog = st.hasProgramme
    const detentionPerAttempt = v[p.detentionDays] * v[p.detentionCost]
    const trainingPerCase = prog && st.hasTraining ? v[p.trainingShare] * v[p.trainingCost] : 0
    const psychosocialPerCase = prog && st.psychosocialEnabled ? v[p.psychosocialCost] : 0
    const prices = this.prices
    const unit = this.unit
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]
      const casesPerPerson = 1 / v[g.personsPerCase]
      const o = PRICES * gi
      let k = o
      // in the order of LINE_PRICES
      prices[k++] = v[g.stayCost] * v[g.avoidableStayShare]
      prices[k++] = prog ? v[p.counselledCost] : 0
      prices[k++] = prog ? v[p.departingCost] * casesPerPerson : 0
      prices[k++] = prog ? v[p.travel] : 0
      prices[k++] = prog ? this.cashPerCase(g) * casesPerPerson : 0
      prices[k++] = prog ? v[p.inKind] * casesPerPerson : 0
      prices[k++] = prog ? v[g.complexShare] * v[p.complexTopUp] * casesPerPerson : 0
      prices[k++] = trainingPerCase * casesPerPerson
      prices[k++] = psychosocialPerCase * casesPerPerson
      prices[k++] = detentionPerAttempt
      prices[k++] = v[p.failedCost]
      prices[k++] = v[p.escort]
      prices[k++] = v[p.admin] * casesPerPerson
      const u = COUNT_KINDS * gi
      unit.fill(0, u, u + COUNT_KINDS)
      for (let i = 0; i < PRICES; i++) unit[u + PRICE_KIND[i]] += prices[o + i]
    }
  }

  /** The four pools' competing risks of group gi for this month's attempt probability and programme activity. */
  private setRisks(gi: number, attempt: number, active: number): void {
    const n = GROUP_FIELDS * gi
    const numbers = this.numbers
    numbers[n + G_RISK_ATTEMPT] = attempt
    numbers[n + G_RISK_ACTIVE] = active
    const rU = active ? numbers[n + G_UPTAKE_RATE] : 0
    const rW = numbers[n + G_UNASSISTED_RATE]
    const rB = numbers[n + G_ABSCOND_RATE]
    const rA = this.groups[gi].removable ? rateOf(attempt) : 0
    // deadweight: where uptake applies, part of the own-departure rate is counted as assisted
    const moved = active ? numbers[n + G_DEADWEIGHT_SHARE] * rW : 0
    const repeat = this.structure.repeatAssistance
    // the rates reach setPoolRisks through a typed array: doubles passed to a call V8 does not inline are boxed
    const rates = this.poolRates
    const o = RISK_FIELDS * gi
    for (let pool = ER; pool <= PN; pool++) {
      const r = RATE_FIELDS * pool
      const uptake = pool === ER || pool === EN || repeat
      rates[r + R_UPTAKE] = uptake ? rU + moved : 0
      rates[r + R_ATTEMPT] = pool === ER || pool === PR ? rA : 0
      rates[r + R_UNASSISTED] = uptake ? rW - moved : rW
      rates[r + R_ABSCOND] = rB
      this.setPoolRisks(o + RISKS_PER_POOL * pool, r)
    }
  }

  /**
   * Competing risks with rates r_k (at `r` in poolRates): event k with probability (r_k / L)(1 - e^-L), as sequential
   * conditionals.
   */
  private setPoolRisks(o: number, r: number): void {
    const rates = this.poolRates
    const rU = rates[r + R_UPTAKE]
    const rA = rates[r + R_ATTEMPT]
    const rW = rates[r + R_UNASSISTED]
    const rB = rates[r + R_ABSCOND]
    const total = rU + rA + rW + rB
    const happen = total > 0 ? -Math.expm1(-total) / total : 0
    const pU = rU * happen
    const pA = rA * happen
    const pW = rW * happen
    const pB = rB * happen
    const risks = this.risks
    risks[o + R_UPTAKE] = pU
    risks[o + R_ATTEMPT] = conditional(pA, 1 - pU)
    risks[o + R_UNASSISTED] = conditional(pW, 1 - pU - pA)
    risks[o + R_ABSCOND] = conditional(pB, 1 - pU - pA - pW)
    risks[o + R_ABSOLUTE + R_UPTAKE] = pU
    risks[o + R_ABSOLUTE + R_ATTEMPT] = pA
    risks[o + R_ABSOLUTE + R_UNASSISTED] = pW
    risks[o + R_ABSOLUTE + R_ABSCOND] = pB
    if (this.stochastic) this.riskSlots.prepare(o, o + R_ABSOLUTE)
  }

  /**
   * The months of docs/model.md, steps 1-6, in both cohort modes. Every flow is written
   * `S ? (binomialSlotTo(rest of the pool, conditional), DRAWN[0]) : pool x its own probability`, inline: a helper call per flow is
   * past V8's inlining budget in a function this size, and boxes the double it returns. Running totals live in
   * locals (V8 reloads a typed array's element after any store to a typed array) and reach the tally at the end.
   */
  private runMonths(runKey: number, iterKey: number, out: Float64Array): void {
    const L = this.layout
    const H = L.horizonMonths
    const years = L.years
    const G = this.groups.length
    const st = this.structure
    const { pools, risks, probs, numbers, unit, yearCounts, yearProgramme, discount, streams, ledger } = this
    const { riskSlots, probSlots } = this
    const { fromQueue, repeatFromQueue, casesDeparted, split, tally, cohortKeys, inflow, attemptByMonth } = this
    const v = this.values
    const S = this.stochastic
    const runWord = runKey | 0
    const reach = v[this.p.reach]
    const repeat = st.repeatAssistance
    const counselling = st.hasCounselling
    const ramp = st.rampUpMonths
    const monthlyFixed = v[this.p.fixedCost] / 12
    const monthlyOutreachAndCommunity =
      (v[this.p.outreachCost] + (st.hasCommunity ? v[this.p.communityBudget] : 0)) / 12
    const caseMonthCost = st.hasProgramme ? v[this.p.caseManagementCost] : 0
    const support = st.supportMonths
    const seriesBase = L.monthlyBase
    const queued = st.hasCapacity
    let assistedTotal = 0
    let forcedTotal = 0
    let unassistedTotal = 0
    let repeatTotal = 0
    let sustainableTotal = 0
    let remigrationTotal = 0
    let stayPersonMonths = 0
    let abscondedTotal = 0
    let waitingPeak = 0
    let queuePersonMonths = 0
    let counselledTotal = 0
    let activeMonths = 0
    let capacityLevel = 0
    let activeCases = 0
    for (let t = 0; t < H; t++) {
      const d = discount[t]
      const year = (t / 12) | 0
      const active = this.active[t]
      if (S) {
        const monthKey = iterKey ^ mix32(t + 1) // int32 (see cohortKey): the same bits as the uint32
        for (let gi = 0; gi < G; gi++) streams[gi].reset(runWord, monthKey, cohortKeys[gi])
      }

      // capacity (docs/model.md): grows at most K / rampUpMonths a month, shrinks at once
      const target = this.capacityTarget[t]
      capacityLevel = ramp > 0 && target !== Infinity ? Math.min(target, capacityLevel + target / ramp) : target
      let capacityLeft = S ? Math.round(capacityLevel) : capacityLevel
      let attemptsLeft = this.attemptCap[t]

      // case management of the cases in support (departed in months t - support .. t - 1)
      if (t > 0) activeCases += casesDeparted[t - 1] - (t - 1 - support >= 0 ? casesDeparted[t - 1 - support] : 0)
      const y = YEAR_FIELDS * year
      yearProgramme[y + Y_CASE_MONTHS] += d * activeCases
      let monthCost = activeCases * caseMonthCost
      if (active) {
        const power = this.scalePower[t]
        yearProgramme[y + Y_ACTIVE] += d
        yearProgramme[y + Y_FIXED_WEIGHT] += d * power
        monthCost += monthlyOutreachAndCommunity + monthlyFixed * power
        activeMonths++
      }
      let eligibleMonth = 0

      // steps 1-3 for every group: entrants, stay, the waiting lists depart (capacity in file order)
      for (let gi = 0; gi < G; gi++) {
        const stream = streams[gi]
        const q = POOL_FIELDS * gi
        const o = PROB_FIELDS * gi
        const n = GROUP_FIELDS * gi
        const entrants = (t === 0 ? numbers[n + G_STOCK] : 0) + inflow[gi * H + t] + pools[q + PENDING_FORCED]
        const reentrants = pools[q + PENDING_ASSISTED]
        const removability = probs[o + P_REMOVABILITY]
        const removableEntrants = S ? (binomialSlotTo(entrants, probSlots, o + P_REMOVABILITY, stream), DRAWN[0]) : entrants * removability
        const removableReentrants = S ? (binomialSlotTo(reentrants, probSlots, o + P_REMOVABILITY, stream), DRAWN[0])
          : reentrants * removability
        const er = pools[q + ER] + removableEntrants
        const en = pools[q + EN] + entrants - removableEntrants
        const pr = pools[q + PR] + removableReentrants
        const pn = pools[q + PN] + reentrants - removableReentrants
        pools[q + ER] = er
        pools[q + EN] = en
        pools[q + PR] = pr
        pools[q + PN] = pn
        pools[q + PENDING_FORCED] = 0
        pools[q + PENDING_ASSISTED] = 0
        ledger[LEDGER_FIELDS * gi + L_ENTERED] += entrants + reentrants
        // counselled at entry: the package-eligible entrants the outreach reaches, as cases
        const counselled =
          active && counselling ? reach * (entrants + (repeat ? reentrants : 0)) * numbers[n + G_CASES_PER_PERSON] : 0
        counselledTotal += counselled

        // without a capacity there is never a waiting list: skip its bookkeeping
        const waiting = queued ? pools[q + QER] + pools[q + QEN] + pools[q + QPR] + pools[q + QPN] : 0
        const people = er + en + pr + pn + waiting
        eligibleMonth += people
        const c = COUNT_KINDS * (gi * years + year)
        const u = COUNT_KINDS * gi
        yearCounts[c + K_STAY] += d * people
        yearCounts[c + K_COUNSELLED] += d * counselled
        monthCost += people * unit[u + K_STAY] + counselled * unit[u + K_COUNSELLED]

        let departing = 0
        let repeatDeparting = 0
        if (waiting > 0 && capacityLeft > 0) {
          departing = waiting < capacityLeft ? waiting : capacityLeft
          capacityLeft -= departing
          this.splitFour(pools[q + QER], pools[q + QEN], pools[q + QPR], pools[q + QPN], departing, stream)
          // as below: never negative by round-off, written out
          const qER = pools[q + QER] - split[0]
          const qEN = pools[q + QEN] - split[1]
          const qPR = pools[q + QPR] - split[2]
          const qPN = pools[q + QPN] - split[3]
          pools[q + QER] = qER > 0 ? qER : 0
          pools[q + QEN] = qEN > 0 ? qEN : 0
          pools[q + QPR] = qPR > 0 ? qPR : 0
          pools[q + QPN] = qPN > 0 ? qPN : 0
          repeatDeparting = split[2] + split[3]
        }
        fromQueue[gi] = departing
        repeatFromQueue[gi] = repeatDeparting
      }
      stayPersonMonths += eligibleMonth + abscondedTotal

      // steps 4-6 for every group: competing risks, applicants and attempts, dropout, re-migration
      let assistedMonth = 0
      let forcedMonth = 0
      let unassistedMonth = 0
      let waitingMonth = 0
      let casesMonth = 0
      let removableMonth = 0
      let notRemovableMonth = 0
      let previouslyAssistedMonth = 0
      for (let gi = 0; gi < G; gi++) {
        const stream = streams[gi]
        const q = POOL_FIELDS * gi
        const o = PROB_FIELDS * gi
        const n = GROUP_FIELDS * gi
        const attempt = attemptByMonth[gi * H + t]
        if (numbers[n + G_RISK_ATTEMPT] !== attempt || numbers[n + G_RISK_ACTIVE] !== active) {
          this.setRisks(gi, attempt, active)
        }
        const rER = RISK_FIELDS * gi + RISKS_PER_POOL * ER
        const rEN = rER + RISKS_PER_POOL
        const rPR = rEN + RISKS_PER_POOL
        const rPN = rPR + RISKS_PER_POOL
        const A = R_ABSOLUTE

        // each pool's multinomial: uptake, attempt, own departure, absconding
        const er = pools[q + ER]
        const uER = S ? (binomialSlotTo(er, riskSlots, rER + R_UPTAKE, stream), DRAWN[0]) : er * risks[rER + A + R_UPTAKE]
        const aER = S ? (binomialSlotTo(er - uER, riskSlots, rER + R_ATTEMPT, stream), DRAWN[0]) : er * risks[rER + A + R_ATTEMPT]
        const wER = S ? (binomialSlotTo(er - uER - aER, riskSlots, rER + R_UNASSISTED, stream), DRAWN[0])
          : er * risks[rER + A + R_UNASSISTED]
        const bER = S ? (binomialSlotTo(er - uER - aER - wER, riskSlots, rER + R_ABSCOND, stream), DRAWN[0])
          : er * risks[rER + A + R_ABSCOND]
        const en = pools[q + EN]
        const uEN = S ? (binomialSlotTo(en, riskSlots, rEN + R_UPTAKE, stream), DRAWN[0]) : en * risks[rEN + A + R_UPTAKE]
        const wEN = S ? (binomialSlotTo(en - uEN, riskSlots, rEN + R_UNASSISTED, stream), DRAWN[0]) : en * risks[rEN + A + R_UNASSISTED]
        const bEN = S ? (binomialSlotTo(en - uEN - wEN, riskSlots, rEN + R_ABSCOND, stream), DRAWN[0]) : en * risks[rEN + A + R_ABSCOND]
        const pr = pools[q + PR]
        const uPR = repeat ? (S ? (binomialSlotTo(pr, riskSlots, rPR + R_UPTAKE, stream), DRAWN[0]) : pr * risks[rPR + A + R_UPTAKE]) : 0
        const aPR = S ? (binomialSlotTo(pr - uPR, riskSlots, rPR + R_ATTEMPT, stream), DRAWN[0]) : pr * risks[rPR + A + R_ATTEMPT]
        const wPR = S ? (binomialSlotTo(pr - uPR - aPR, riskSlots, rPR + R_UNASSISTED, stream), DRAWN[0])
          : pr * risks[rPR + A + R_UNASSISTED]
        const bPR = S ? (binomialSlotTo(pr - uPR - aPR - wPR, riskSlots, rPR + R_ABSCOND, stream), DRAWN[0])
          : pr * risks[rPR + A + R_ABSCOND]
        const pn = pools[q + PN]
        const uPN = repeat ? (S ? (binomialSlotTo(pn, riskSlots, rPN + R_UPTAKE, stream), DRAWN[0]) : pn * risks[rPN + A + R_UPTAKE]) : 0
        const wPN = S ? (binomialSlotTo(pn - uPN, riskSlots, rPN + R_UNASSISTED, stream), DRAWN[0]) : pn * risks[rPN + A + R_UNASSISTED]
        const bPN = S ? (binomialSlotTo(pn - uPN - wPN, riskSlots, rPN + R_ABSCOND, stream), DRAWN[0]) : pn * risks[rPN + A + R_ABSCOND]

        // applicants take the capacity left (file order); the rest join the waiting list of their pool
        const applicants = uER + uEN + uPR + uPN
        const served = applicants < capacityLeft ? applicants : capacityLeft
        capacityLeft -= served
        let servedRepeat = uPR + uPN
        // this month's arrivals on the waiting list, kept apart from those who waited before (step 5)
        let newQER = 0
        let newQEN = 0
        let newQPR = 0
        let newQPN = 0
        if (served < applicants) {
          this.splitFour(uER, uEN, uPR, uPN, applicants - served, stream)
          newQER = split[0]
          newQEN = split[1]
          newQPR = split[2]
          newQPN = split[3]
          servedRepeat -= newQPR + newQPN
        }

        // attempts happen up to the month's cap (file order), shared over ER and PR in proportion
        const wanted = aER + aPR
        const attempts = wanted < attemptsLeft ? wanted : attemptsLeft
        attemptsLeft -= attempts
        // a draw through a typed array, as every draw here (see DRAWN)
        if (attempts < wanted) split[0] = S ? hypergeometric(wanted, aER, attempts, stream) : (attempts * aER) / wanted
        const attemptsER = attempts >= wanted ? aER : split[0]
        const attemptsPR = attempts - attemptsER
        const success = probs[o + P_SUCCESS]
        const removedER = S ? (binomialSlotTo(attemptsER, probSlots, o + P_SUCCESS, stream), DRAWN[0]) : attemptsER * success
        const removedPR = S ? (binomialSlotTo(attemptsPR, probSlots, o + P_SUCCESS, stream), DRAWN[0]) : attemptsPR * success
        const removed = removedER + removedPR

        // in expected mode the flows can sum to a pool to within round-off: never let that make a pool negative
        // (written out: a helper here is past V8's inlining budget, and its double result would be boxed)
        let erEnd = er - uER - removedER - wER - bER
        let enEnd = en - uEN - wEN - bEN
        let prEnd = pr - uPR - removedPR - wPR - bPR
        let pnEnd = pn - uPN - wPN - bPN
        if (erEnd < 0) erEnd = 0
        if (enEnd < 0) enEnd = 0
        if (prEnd < 0) prEnd = 0
        if (pnEnd < 0) pnEnd = 0
        const assisted = fromQueue[gi] + served
        const unassisted = wER + wEN + wPR + wPN
        const absconding = bER + bEN + bPR + bPN
        abscondedTotal += absconding
        repeatTotal += repeatFromQueue[gi] + servedRepeat
        assistedMonth += assisted
        forcedMonth += removed
        unassistedMonth += unassisted
        const l = LEDGER_FIELDS * gi
        ledger[l + L_ASSISTED] += assisted
        ledger[l + L_FORCED] += removed
        ledger[l + L_UNASSISTED] += unassisted
        ledger[l + L_ABSCONDED] += absconding

        // step 5: of those who waited before this month, some give up and go back; then this month's arrivals join
        let backER = 0
        let backEN = 0
        let backPR = 0
        let backPN = 0
        if (queued) {
          let qER = pools[q + QER]
          let qEN = pools[q + QEN]
          let qPR = pools[q + QPR]
          let qPN = pools[q + QPN]
          if (qER + qEN + qPR + qPN > 0) {
            const dropout = probs[o + P_DROPOUT]
            backER = S ? (binomialSlotTo(qER, probSlots, o + P_DROPOUT, stream), DRAWN[0]) : qER * dropout
            backEN = S ? (binomialSlotTo(qEN, probSlots, o + P_DROPOUT, stream), DRAWN[0]) : qEN * dropout
            backPR = S ? (binomialSlotTo(qPR, probSlots, o + P_DROPOUT, stream), DRAWN[0]) : qPR * dropout
            backPN = S ? (binomialSlotTo(qPN, probSlots, o + P_DROPOUT, stream), DRAWN[0]) : qPN * dropout
          }
          qER += newQER - backER
          qEN += newQEN - backEN
          qPR += newQPR - backPR
          qPN += newQPN - backPN
          pools[q + QER] = qER
          pools[q + QEN] = qEN
          pools[q + QPR] = qPR
          pools[q + QPN] = qPN
          waitingMonth += qER + qEN + qPR + qPN
        }
        pools[q + ER] = erEnd + backER
        pools[q + EN] = enEnd + backEN
        pools[q + PR] = prEnd + backPR
        pools[q + PN] = pnEnd + backPN
        removableMonth += erEnd + backER
        notRemovableMonth += enEnd + backEN
        previouslyAssistedMonth += prEnd + backPR + pnEnd + backPN

        // step 6: returnees of earlier months re-migrate; reentryShare of them come back next month
        const as = pools[q + AS]
        const an = pools[q + AN]
        const fs = pools[q + FS]
        const fn = pools[q + FN]
        const leavingAS = S ? (binomialSlotTo(as, probSlots, o + P_REMIGRATE_AS, stream), DRAWN[0]) : as * probs[o + P_REMIGRATE_AS]
        const leavingAN = S ? (binomialSlotTo(an, probSlots, o + P_REMIGRATE_AN, stream), DRAWN[0]) : an * probs[o + P_REMIGRATE_AN]
        const leavingFS = S ? (binomialSlotTo(fs, probSlots, o + P_REMIGRATE_FS, stream), DRAWN[0]) : fs * probs[o + P_REMIGRATE_FS]
        const leavingFN = S ? (binomialSlotTo(fn, probSlots, o + P_REMIGRATE_FN, stream), DRAWN[0]) : fn * probs[o + P_REMIGRATE_FN]
        const leavingAssisted = leavingAS + leavingAN
        const leavingForced = leavingFS + leavingFN
        const reentry = probs[o + P_REENTRY]
        pools[q + PENDING_ASSISTED] = S ? (binomialSlotTo(leavingAssisted, probSlots, o + P_REENTRY, stream), DRAWN[0])
          : leavingAssisted * reentry
        pools[q + PENDING_FORCED] = S ? (binomialSlotTo(leavingForced, probSlots, o + P_REENTRY, stream), DRAWN[0]) : leavingForced * reentry
        remigrationTotal += leavingAssisted + leavingForced
        const sustainableAssisted = S ? (binomialSlotTo(assisted, probSlots, o + P_SUSTAINABLE_AVRR, stream), DRAWN[0])
          : assisted * probs[o + P_SUSTAINABLE_AVRR]
        const sustainableForced = S ? (binomialSlotTo(removed, probSlots, o + P_SUSTAINABLE_FORCED, stream), DRAWN[0])
          : removed * probs[o + P_SUSTAINABLE_FORCED]
        pools[q + AS] = as + sustainableAssisted - leavingAS
        pools[q + AN] = an + assisted - sustainableAssisted - leavingAN
        pools[q + FS] = fs + sustainableForced - leavingFS
        pools[q + FN] = fn + removed - sustainableForced - leavingFN
        sustainableTotal += sustainableAssisted + sustainableForced

        // costs are unit cost x count: discounted counts by year, priced by line after the loop
        casesMonth += assisted * numbers[n + G_CASES_PER_PERSON]
        const c = COUNT_KINDS * (gi * years + year)
        const failed = attempts - removed
        yearCounts[c + K_ASSISTED] += d * assisted
        yearCounts[c + K_ATTEMPTS] += d * attempts
        yearCounts[c + K_FAILED] += d * failed
        yearCounts[c + K_REMOVED] += d * removed
        const u = COUNT_KINDS * gi
        monthCost +=
          assisted * unit[u + K_ASSISTED] +
          attempts * unit[u + K_ATTEMPTS] +
          failed * unit[u + K_FAILED] +
          removed * unit[u + K_REMOVED]
      }
      casesDeparted[t] = casesMonth
      assistedTotal += assistedMonth
      forcedTotal += forcedMonth
      unassistedTotal += unassistedMonth
      queuePersonMonths += waitingMonth
      if (waitingMonth > waitingPeak) waitingPeak = waitingMonth

      // the month's series: people at its start, pools at its end, returns by kind, the discounted cost
      const m = seriesBase + t
      out[m + SERIES.eligible * H] = eligibleMonth
      out[m + SERIES.eligibleRemovable * H] = removableMonth
      out[m + SERIES.eligibleNotRemovable * H] = notRemovableMonth
      out[m + SERIES.previouslyAssisted * H] = previouslyAssistedMonth
      out[m + SERIES.waiting * H] = waitingMonth
      out[m + SERIES.returnsAssisted * H] = assistedMonth
      out[m + SERIES.returnsForced * H] = forcedMonth
      out[m + SERIES.returnsUnassisted * H] = unassistedMonth
      out[m + SERIES.cost * H] = d * monthCost
    }
    tally[T_ASSISTED] = assistedTotal
    tally[T_FORCED] = forcedTotal
    tally[T_UNASSISTED] = unassistedTotal
    tally[T_REPEAT] = repeatTotal
    tally[T_SUSTAINABLE] = sustainableTotal
    tally[T_REMIGRATIONS] = remigrationTotal
    tally[T_STAY_PERSON_MONTHS] = stayPersonMonths
    tally[T_ABSCONDED] = abscondedTotal
    tally[T_WAITING_PEAK] = waitingPeak
    tally[T_QUEUE_PERSON_MONTHS] = queuePersonMonths
    tally[T_COUNSELLED] = counselledTotal
    tally[T_ACTIVE_MONTHS] = activeMonths
  }

  /** Price the discounted counts by line, per year: the budget's lines, payers and totals, and the cost metrics. */
  private bookBudget(out: Float64Array): void {
    const L = this.layout
    const v = this.values
    const p = this.p
    const st = this.structure
    const { yearCounts, prices, yearProgramme, payerOfLine } = this
    const G = this.groups.length
    const prog = st.hasProgramme
    const outreach = prog ? v[p.outreachCost] / 12 : 0
    const community = prog && st.hasCommunity ? v[p.communityBudget] / 12 : 0
    const fixed = prog ? v[p.fixedCost] / 12 : 0
    const caseMonth = prog ? v[p.caseManagementCost] : 0
    const payers = L.payers.length
    for (let y = 0; y < L.years; y++) {
      const base = L.budgetBase + y * L.budgetColumns
      for (let gi = 0; gi < G; gi++) {
        const c = COUNT_KINDS * (gi * L.years + y)
        const o = PRICES * gi
        for (let i = 0; i < PRICES; i++) out[base + PRICE_LINE[i]] += yearCounts[c + PRICE_KIND[i]] * prices[o + i]
      }
      const yp = YEAR_FIELDS * y
      out[base + LINE.outreach] = yearProgramme[yp + Y_ACTIVE] * outreach
      out[base + LINE.community] = yearProgramme[yp + Y_ACTIVE] * community
      out[base + LINE.programmeFixed] = yearProgramme[yp + Y_FIXED_WEIGHT] * fixed
      out[base + LINE.caseManagement] = yearProgramme[yp + Y_CASE_MONTHS] * caseMonth
      let total = 0
      for (let l = 0; l < COST_LINES.length; l++) {
        const x = out[base + l]
        out[base + budgetColumn.payer(payerOfLine[l])] += x
        out[OUT.costBase + l] += x
        total += x
      }
      out[base + budgetColumn.total(payers)] = total
    }
  }

  /** The metrics of the iteration from its totals and cost lines. */
  private writeMetrics(out: Float64Array): void {
    const tally = this.tally
    const pools = this.pools
    let totalCost = 0
    for (let l = 0; l < COST_LINES.length; l++) totalCost += out[OUT.costBase + l]
    let programmeCost = 0
    for (let i = 0; i < PROGRAMME_LINE_INDEXES.length; i++) programmeCost += out[OUT.costBase + PROGRAMME_LINE_INDEXES[i]]
    let removalCost = 0
    for (let i = 0; i < REMOVAL_LINE_INDEXES.length; i++) removalCost += out[OUT.costBase + REMOVAL_LINE_INDEXES[i]]
    let eligibleAtHorizon = 0
    let waitingAtHorizon = 0
    let sustainableAtHorizon = 0
    for (let gi = 0; gi < this.groups.length; gi++) {
      const q = POOL_FIELDS * gi
      const waiting = pools[q + QER] + pools[q + QEN] + pools[q + QPR] + pools[q + QPN]
      waitingAtHorizon += waiting
      eligibleAtHorizon += pools[q + ER] + pools[q + EN] + pools[q + PR] + pools[q + PN] + waiting
      sustainableAtHorizon += pools[q + AS] + pools[q + FS]
    }
    const assisted = tally[T_ASSISTED]
    const forced = tally[T_FORCED]
    const returnsTotal = assisted + forced + tally[T_UNASSISTED]
    const sustainable = tally[T_SUSTAINABLE]
    out[OUT.returnsAssisted] = assisted
    out[OUT.returnsForced] = forced
    out[OUT.returnsUnassisted] = tally[T_UNASSISTED]
    out[OUT.returnsTotal] = returnsTotal
    out[OUT.repeatAssistedReturns] = tally[T_REPEAT]
    out[OUT.sustainableReintegrations] = sustainable
    out[OUT.sustainableAtHorizon] = sustainableAtHorizon
    out[OUT.remigrations] = tally[T_REMIGRATIONS]
    out[OUT.irregularStayPersonMonths] = tally[T_STAY_PERSON_MONTHS]
    out[OUT.eligibleAtHorizon] = eligibleAtHorizon
    out[OUT.waitingAtHorizon] = waitingAtHorizon
    out[OUT.absconded] = tally[T_ABSCONDED]
    out[OUT.waitingListPeak] = tally[T_WAITING_PEAK]
    out[OUT.queuePersonMonths] = tally[T_QUEUE_PERSON_MONTHS]
    out[OUT.meanWaitMonths] = tally[T_QUEUE_PERSON_MONTHS] / assisted
    out[OUT.counselledCases] = tally[T_COUNSELLED]
    out[OUT.totalCost] = totalCost
    out[OUT.programmeCost] = programmeCost
    out[OUT.removalCost] = removalCost
    out[OUT.costPerReturn] = totalCost / returnsTotal
    out[OUT.costPerAssistedReturn] = programmeCost / assisted
    out[OUT.costPerForcedReturn] = removalCost / forced
    out[OUT.costPerSustainableReintegration] = totalCost / sustainable
    out[OUT.shareAssisted] = assisted / returnsTotal
    const st = this.structure
    out[OUT.localResidentsServed] =
      st.hasProgramme && st.hasCommunity ? (this.values[this.p.localResidents] * tally[T_ACTIVE_MONTHS]) / 12 : 0
  }
}

const atLeastZero = (x: number): number => (x > 0 ? x : 0)

/** P(event | not one of the earlier events), guarded against a zero remainder. */
const conditional = (p: number, remaining: number): number => (remaining <= 0 ? 0 : Math.min(1, p / remaining))
