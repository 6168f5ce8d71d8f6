/** One Monte Carlo iteration of MODEL.md section 4: draw every parameter, then run the monthly cohort. */
import { binomialAt } from './binomial'
import { COST_LINES, COST_METRIC_BASE, M, observableLayout, PROGRAMME_COST_LINES, type ObservableLayout } from './layout'
import { ParameterTable } from './parameter-table'
import { iterationKey, mix32, pathKey, Stream } from './rng'
import type { Scenario } from './scenario'

/** Slots of one group's parameters in the table. */
interface GroupSlots {
  stock: number
  inflow: number
  adultsPerCase: number
  personsPerCase: number
  removability: number
  complexShare: number
  stayCost: number
  baseUptake: number
  unassisted: number
  abscond: number
  removable: boolean
  cohortKey: number
}

const logit = (p: number): number => Math.log(p / (1 - p))
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
/** Keeps a certain monthly event (p = 1) a finite rate in the competing-risks split. */
const MAX_PROBABILITY = 1 - 1e-15
const rateOf = (p: number): number => -Math.log(1 - Math.min(p, MAX_PROBABILITY))

/** Metric indexes as a literal of fixed shape (M is built from a list, and reads of it cost in the hot path). */
const OUT = {
  returnsAssisted: M.returnsAssisted,
  returnsForced: M.returnsForced,
  returnsUnassisted: M.returnsUnassisted,
  returnsTotal: M.returnsTotal,
  sustainableReintegrations: M.sustainableReintegrations,
  remigrations: M.remigrations,
  irregularStayPersonMonths: M.irregularStayPersonMonths,
  eligibleAtHorizon: M.eligibleAtHorizon,
  absconded: M.absconded,
  waitingListPeak: M.waitingListPeak,
  totalCost: M.totalCost,
  costPerReturn: M.costPerReturn,
  costPerAssistedReturn: M.costPerAssistedReturn,
  costPerSustainableReintegration: M.costPerSustainableReintegration,
  localResidentsServed: M.localResidentsServed,
  costBase: COST_METRIC_BASE,
}

const N_LINES = COST_LINES.length
const LINE = Object.fromEntries(COST_LINES.map((l, i) => [l, i])) as Record<(typeof COST_LINES)[number], number>
const PROGRAMME_LINE_INDEXES = PROGRAMME_COST_LINES.map((l) => LINE[l])
/** Lines paid per assisted person. */
const ASSISTED_LINES = ['travel', 'cash', 'inKind', 'complexTopUp', 'counselling', 'training', 'psychosocial'].map(
  (l) => LINE[l as (typeof COST_LINES)[number]],
)
/** Which discounted count each line multiplies: 0 eligible, 1 assisted, 2 attempts, 3 failed, 4 removed; -1 programme-level. */
const LINE_COUNT = Int8Array.from(COST_LINES, (l) =>
  l === 'stay' ? 0 : ASSISTED_LINES.includes(LINE[l]) ? 1 : l === 'detention' ? 2 : l === 'failedAttempts' ? 3 : l === 'escortAndTravel' || l === 'removalAdmin' ? 4 : -1,
)
const UNIT_FIELDS = 8
const U_STAY = 0
const U_ASSISTED = 1
const U_ATTEMPT = 2
const U_FAILED = 3
const U_REMOVED = 4
const U_CASES_PER_PERSON = 5
const U_INFLOW = 6
const U_STOCK = 7

/** Per group, the monthly probabilities fixed within an iteration (conditional ones for the sequential split). */
const PROB_FIELDS = 7
const P_UPTAKE = 0
const P_ATTEMPT = 1
const P_UNASSISTED = 2
const P_ABSCOND = 3
const P_SUCCESS = 4
const P_SUSTAINABLE_AVRR = 5
const P_SUSTAINABLE_FORCED = 6

/** The iteration's fixed numbers, and the month's running ones, in one typed array (no boxed fields). */
const S_REENTRY = 0
const S_CAPACITY = 1
const S_ATTEMPT_CAP = 2
const S_PROGRAMME_FIXED = 3
const S_OUTREACH = 4
const S_COMMUNITY = 5
const S_CASE_MANAGEMENT = 6
const S_ACTIVE_CASES = 7
const S_CAPACITY_LEFT = 8
const S_MONTH_COST = 9
const SETUP_FIELDS = 10

/** The iteration's totals, from the month loop to the metrics (returns by kind are summed from the series). */
const T_SUSTAINABLE = 0
const T_REMIGRATIONS = 1
const T_ABSCONDED = 2
const T_STAY_PERSON_MONTHS = 3
const T_WAITING_LIST_PEAK = 4
const TALLY_FIELDS = 5

type ProgrammeSlots = Record<
  | 'cash' | 'inKind' | 'complexTopUp' | 'travel' | 'counsellingCost' | 'reach' | 'outreachCost'
  | 'trainingShare' | 'trainingCost' | 'psychosocialCost' | 'caseManagementCost' | 'communityBudget'
  | 'localResidents' | 'capacity' | 'fixedCost' | 'fixedExponent' | 'attempt' | 'maxAttempts' | 'success'
  | 'detentionDays' | 'detentionCost' | 'escort' | 'failedCost' | 'admin' | 'packageValue' | 'neutral'
  | 'trusted' | 'atFinalDecision' | 'sustainableAvrr' | 'sustainableForced' | 'liftPsychosocial'
  | 'liftTraining' | 'liftCaseManagement' | 'liftCommunity' | 'liftPackageValue' | 'remigrationSustainable'
  | 'remigrationNotSustainable' | 'forcedMultiplier' | 'reentry',
  number
>

/** A scenario made ready to iterate: parameter table, flags and scratch space, built once per run. */
export class CohortModel {
  readonly table = new ParameterTable()
  readonly layout: ObservableLayout
  readonly stochastic: boolean
  private readonly groups: GroupSlots[]
  private readonly hasProgramme: boolean
  private readonly p: ProgrammeSlots
  private readonly settingEffectSlot: number
  private readonly atFinalDecision: boolean
  private readonly psychosocialEnabled: boolean
  private readonly caseManagementContinuous: boolean
  private readonly hasCommunity: boolean
  private readonly hasTraining: boolean
  private readonly hasCapacity: boolean
  private readonly hasAttemptCap: boolean
  private readonly supportMonths: number
  private readonly scale: number
  private readonly rampUpMonths: number
  private readonly discount: Float64Array

  // scratch, reused by every iteration
  private readonly stream = new Stream()
  private readonly values: Float64Array
  private readonly eligible: Float64Array
  private readonly pools: Float64Array
  private readonly reentering: Float64Array
  private readonly probs: Float64Array
  private readonly casesDeparted: Float64Array
  /** Per group: unit costs by line, and summed by the count they multiply (see setUnitCosts). */
  private readonly lineUnit: Float64Array
  private readonly unit: Float64Array
  /** Per group and year: discounted eligible person-months, assisted, attempts, failed, removed. */
  private readonly yearCounts: Float64Array
  /** Per year: discounted fixed monthly programme cost, and case management. */
  private readonly yearProgramme: Float64Array
  /** Monthly re-migration of the four returnee pools: AVRR sustainable / not, forced sustainable / not. */
  private readonly remigration = new Float64Array(4)
  private readonly setup = new Float64Array(SETUP_FIELDS)
  private readonly tally = new Float64Array(TALLY_FIELDS)

  constructor(readonly scenario: Scenario) {
    const t = this.table
    const s = scenario
    const pr = s.programme
    this.layout = observableLayout(s.horizonMonths)
    this.stochastic = s.cohort === 'stochastic'
    this.hasProgramme = pr !== null
    this.groups = s.groups.map((g) => {
      const at = `groups[${g.id}]`
      return {
        stock: t.add(`${at}.stock`, g.stock, 0),
        inflow: t.add(`${at}.inflowPerMonth`, g.inflowPerMonth, 0),
        adultsPerCase: t.add(`${at}.adultsPerCase`, g.adultsPerCase, 1),
        personsPerCase: t.add(`${at}.personsPerCase`, g.personsPerCase, 1),
        removability: t.add(`${at}.removability`, g.removability, 1),
        complexShare: t.add(`${at}.complexShare`, g.complexShare, 0),
        stayCost: t.add(`${at}.monthlyStayCostPerPerson`, g.monthlyStayCostPerPerson, 0),
        baseUptake: t.add(`${at}.baseMonthlyUptake`, g.baseMonthlyUptake, 0),
        unassisted: t.add(`${at}.unassistedReturnMonthly`, g.unassistedReturnMonthly, 0),
        abscond: t.add(`${at}.abscondMonthly`, g.abscondMonthly, 0),
        removable: g.removable ?? true,
        // as int32: the stream keys are only ever mixed bitwise, and a small int crosses a call unboxed
        cohortKey: pathKey(`cohort.${at}`) | 0,
      }
    })
    const e = s.effects
    const r = s.removal
    const lift = e.sustainabilityLift
    // one object literal, so the slots object keeps a fixed shape (fast property reads in the hot loop)
    this.p = {
      cash: t.add('programme.cashPerAdult', pr?.cashPerAdult, 0),
      inKind: t.add('programme.inKindPerCase', pr?.inKindPerCase, 0),
      complexTopUp: t.add('programme.complexCaseTopUp', pr?.complexCaseTopUp, 0),
      travel: t.add('programme.travelPerPerson', pr?.travelPerPerson, 0),
      counsellingCost: t.add('programme.counselling.costPerCase', pr?.counselling?.costPerCase, 0),
      reach: t.add('programme.outreach.reach', pr?.outreach?.reach, 1),
      outreachCost: t.add('programme.outreach.annualCost', pr?.outreach?.annualCost, 0),
      trainingShare: t.add('programme.preReturnTraining.share', pr?.preReturnTraining?.share, 0),
      trainingCost: t.add('programme.preReturnTraining.costPerCase', pr?.preReturnTraining?.costPerCase, 0),
      psychosocialCost: t.add('programme.psychosocialSupport.costPerCase', pr?.psychosocialSupport?.costPerCase, 0),
      caseManagementCost: t.add('programme.caseManagement.costPerCaseMonth', pr?.caseManagement?.costPerCaseMonth, 0),
      communityBudget: t.add('programme.communityProgramme.annualBudget', pr?.communityProgramme?.annualBudget, 0),
      localResidents: t.add(
        'programme.communityProgramme.localResidentsServedPerYear',
        pr?.communityProgramme?.localResidentsServedPerYear,
        0,
      ),
      capacity: t.add('programme.capacityPerMonth', pr?.capacityPerMonth, 0),
      fixedCost: t.add('programme.fixedAnnualCost', pr?.fixedAnnualCost, 0),
      fixedExponent: t.add('programme.fixedCostScaleExponent', pr?.fixedCostScaleExponent, 1),
      attempt: t.add('removal.attemptMonthly', r.attemptMonthly, 0),
      maxAttempts: t.add('removal.maxAttemptsPerMonth', r.maxAttemptsPerMonth, 0),
      success: t.add('removal.successProbability', r.successProbability, 0),
      detentionDays: t.add('removal.detentionDaysPerAttempt', r.detentionDaysPerAttempt, 0),
      detentionCost: t.add('removal.detentionCostPerDay', r.detentionCostPerDay, 0),
      escort: t.add('removal.escortAndTravelPerPerson', r.escortAndTravelPerPerson, 0),
      failedCost: t.add('removal.failedAttemptCost', r.failedAttemptCost, 0),
      admin: t.add('removal.adminCostPerCase', r.adminCostPerCase, 0),
      packageValue: t.add('effects.packageValue', e.packageValue, 0),
      neutral: t.add('effects.counsellingSetting.neutral', e.counsellingSetting?.neutral, 0),
      trusted: t.add('effects.counsellingSetting.trusted-actors', e.counsellingSetting?.['trusted-actors'], 0),
      atFinalDecision: t.add('effects.atFinalDecision', e.atFinalDecision, 0),
      sustainableAvrr: t.add('effects.sustainableAvrr', e.sustainableAvrr, 0),
      sustainableForced: t.add('effects.sustainableForced', e.sustainableForced, 0),
      liftPsychosocial: t.add('effects.sustainabilityLift.psychosocial', lift?.psychosocial, 0),
      liftTraining: t.add('effects.sustainabilityLift.training', lift?.training, 0),
      liftCaseManagement: t.add('effects.sustainabilityLift.caseManagement', lift?.caseManagement, 0),
      liftCommunity: t.add('effects.sustainabilityLift.community', lift?.community, 0),
      liftPackageValue: t.add('effects.sustainabilityLift.packageValue', lift?.packageValue, 0),
      remigrationSustainable: t.add('effects.remigrationMonthly.sustainable', e.remigrationMonthly.sustainable, 0),
      remigrationNotSustainable: t.add(
        'effects.remigrationMonthly.notSustainable',
        e.remigrationMonthly.notSustainable,
        0,
      ),
      forcedMultiplier: t.add('effects.remigrationMonthly.forcedMultiplier', e.remigrationMonthly.forcedMultiplier, 1),
      reentry: t.add('effects.reentryShare', e.reentryShare, 0),
    }
    const p = this.p
    t.seal()

    const setting = pr?.counselling?.setting ?? 'enforcement'
    this.settingEffectSlot = setting === 'neutral' ? p.neutral : setting === 'trusted-actors' ? p.trusted : -1
    this.atFinalDecision = pr?.counselling?.atFinalDecision ?? false
    this.psychosocialEnabled = pr?.psychosocialSupport?.enabled ?? false
    this.caseManagementContinuous = pr?.caseManagement?.continuous ?? false
    this.hasCommunity = pr?.communityProgramme !== undefined
    this.hasTraining = pr?.preReturnTraining !== undefined
    this.hasCapacity = pr?.capacityPerMonth !== undefined
    this.hasAttemptCap = r.maxAttemptsPerMonth !== undefined
    this.supportMonths = pr?.supportMonths ?? 12
    this.scale = pr?.scale ?? 1
    this.rampUpMonths = pr?.rampUpMonths ?? 0
    const rate = s.discountRate ?? 0
    this.discount = Float64Array.from({ length: s.horizonMonths }, (_, m) => Math.pow(1 + rate, -m / 12))

    const g = s.groups.length
    this.values = new Float64Array(t.size)
    this.eligible = new Float64Array(g)
    this.pools = new Float64Array(4 * g)
    this.reentering = new Float64Array(g)
    this.probs = new Float64Array(PROB_FIELDS * g)
    this.casesDeparted = new Float64Array(s.horizonMonths)
    this.lineUnit = new Float64Array(N_LINES * g)
    this.unit = new Float64Array(UNIT_FIELDS * g)
    this.yearCounts = new Float64Array(5 * g * this.layout.years)
    this.yearProgramme = new Float64Array(2 * this.layout.years)
  }

  private peopleCount(x: number): number {
    return this.stochastic ? Math.round(x) : x
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
    this.table.drawAll(runKey, iterKey, this.values, overrides)
    out.fill(0)
    this.prepareIteration()
    // two loops, not one with a mode switch inside: each keeps its own type feedback in V8, so a process that
    // runs both modes (the API, the bench) runs each as fast as one that runs only it
    if (this.stochastic) this.stochasticMonths(runKey, iterKey, out)
    else this.expectedMonths(out)
    this.bookLines(out)
    this.writeMetrics(out)
  }

  /** What is fixed within an iteration: per-group monthly probabilities, unit costs, caps and fixed costs. */
  private prepareIteration(): void {
    const v = this.values
    const p = this.p
    const groups = this.groups
    const G = groups.length
    const probs = this.probs
    const prog = this.hasProgramme
    const settingEffect = this.settingEffectSlot >= 0 ? v[this.settingEffectSlot] : 0
    const uptakeShift = settingEffect + (this.atFinalDecision ? v[p.atFinalDecision] : 0)
    const sustainabilityShift =
      (this.psychosocialEnabled ? v[p.liftPsychosocial] : 0) +
      v[p.liftTraining] * v[p.trainingShare] * (this.hasTraining ? 1 : 0) +
      (this.caseManagementContinuous ? v[p.liftCaseManagement] : 0) +
      (this.hasCommunity && v[p.communityBudget] > 0 ? v[p.liftCommunity] : 0)
    for (let gi = 0; gi < G; gi++) {
      const g = groups[gi]
      const packageValue =
        v[p.cash] * v[g.adultsPerCase] + v[p.inKind] + v[g.complexShare] * v[p.complexTopUp]
      const lnPackage = Math.log(1 + packageValue / 1000)
      const uptake = prog
        ? v[p.reach] * sigmoid(logit(v[g.baseUptake]) + v[p.packageValue] * lnPackage + uptakeShift)
        : 0
      const attempt = g.removable ? v[p.attempt] : 0
      const rU = rateOf(uptake)
      const rA = rateOf(attempt)
      const rR = rateOf(v[g.unassisted])
      const rB = rateOf(v[g.abscond])
      const total = rU + rA + rR + rB
      const happen = total > 0 ? -Math.expm1(-total) / total : 0
      const pU = rU * happen
      const pA = rA * happen
      const pR = rR * happen
      const pB = rB * happen
      const o = PROB_FIELDS * gi
      // conditional probabilities for the sequential binomial split of the multinomial
      probs[o + P_UPTAKE] = pU
      probs[o + P_ATTEMPT] = conditional(pA, 1 - pU)
      probs[o + P_UNASSISTED] = conditional(pR, 1 - pU - pA)
      probs[o + P_ABSCOND] = conditional(pB, 1 - pU - pA - pR)
      probs[o + P_SUCCESS] = Math.min(1, v[p.success] * (g.removable ? v[g.removability] : 0))
      probs[o + P_SUSTAINABLE_AVRR] = sigmoid(
        logit(v[p.sustainableAvrr]) + sustainabilityShift + v[p.liftPackageValue] * lnPackage,
      )
      probs[o + P_SUSTAINABLE_FORCED] = v[p.sustainableForced]
      this.eligible[gi] = 0
      this.reentering[gi] = 0
    }
    this.pools.fill(0)
    this.casesDeparted.fill(0)
    this.yearCounts.fill(0)
    this.yearProgramme.fill(0)

    const remigration = this.remigration
    remigration[0] = v[p.remigrationSustainable]
    remigration[1] = v[p.remigrationNotSustainable]
    remigration[2] = Math.min(1, v[p.remigrationSustainable] * v[p.forcedMultiplier])
    remigration[3] = Math.min(1, v[p.remigrationNotSustainable] * v[p.forcedMultiplier])
    const setup = this.setup
    setup[S_REENTRY] = v[p.reentry]
    setup[S_CAPACITY] = this.hasCapacity ? this.peopleCount(v[p.capacity]) * this.scale : Infinity
    setup[S_ATTEMPT_CAP] = this.hasAttemptCap ? this.peopleCount(v[p.maxAttempts]) : Infinity
    setup[S_PROGRAMME_FIXED] = prog ? (v[p.fixedCost] * Math.pow(this.scale, v[p.fixedExponent])) / 12 : 0
    setup[S_OUTREACH] = prog ? v[p.outreachCost] / 12 : 0
    setup[S_COMMUNITY] = prog && this.hasCommunity ? v[p.communityBudget] / 12 : 0
    // booked whether or not case management is continuous (MODEL.md section 4); `continuous` only lifts sustainability
    setup[S_CASE_MANAGEMENT] = prog ? v[p.caseManagementCost] : 0
    this.setUnitCosts()
  }

  /**
   * Open month t: the fixed costs of the month (case management of the cases still in support, outreach, community
   * and programme fixed costs; undiscounted) into setup[S_MONTH_COST], and the AVRR capacity the month starts with.
   */
  private startMonth(t: number): void {
    const setup = this.setup
    const casesDeparted = this.casesDeparted
    const support = this.supportMonths
    if (t > 0) {
      setup[S_ACTIVE_CASES] += casesDeparted[t - 1] - (t - 1 - support >= 0 ? casesDeparted[t - 1 - support] : 0)
    } else {
      setup[S_ACTIVE_CASES] = 0
    }
    const d = this.discount[t]
    const year = (t / 12) | 0
    const fixed = setup[S_PROGRAMME_FIXED] + setup[S_OUTREACH] + setup[S_COMMUNITY]
    const caseManagement = setup[S_ACTIVE_CASES] * setup[S_CASE_MANAGEMENT]
    this.yearProgramme[2 * year] += d * fixed
    this.yearProgramme[2 * year + 1] += d * caseManagement
    setup[S_CAPACITY_LEFT] = this.hasCapacity ? this.rampedCapacity(setup[S_CAPACITY], t) : Infinity
    setup[S_MONTH_COST] = fixed + caseManagement
  }

  /*
   * The two month loops below are the same recurrence (MODEL.md section 4), written twice on purpose: the expected
   * loop takes each flow's expectation, the stochastic one draws it. One loop with a mode switch inside runs the
   * expected cohort ~35% slower in a process that has also run the stochastic one (V8 keeps one set of type
   * feedback per function), and booking the flows through a shared helper costs ~1 us an iteration (doubles cross
   * the call boxed, or through typed arrays). A change to one loop is a change to both: the tests check that the
   * stochastic mean converges to the expected value, and every invariant in both modes.
   */

  /** The months of an expected-mode iteration: every flow its expectation. */
  private expectedMonths(out: Float64Array): void {
    const L = this.layout
    const H = L.horizonMonths
    const G = this.groups.length
    const { probs, unit, eligible, pools, reentering, remigration, setup, tally, casesDeparted, discount, yearCounts } =
      this
    const reentry = setup[S_REENTRY]
    // in locals: V8 reloads a typed array's element after any store to a typed array (they may share a buffer)
    const leaveSustainableAvrr = remigration[0]
    const leaveAvrr = remigration[1]
    const leaveSustainableForced = remigration[2]
    const leaveForced = remigration[3]
    let sustainableTotal = 0
    let remigrationTotal = 0
    let abscondedTotal = 0
    let stayPersonMonths = 0
    let waitingListPeak = 0
    for (let t = 0; t < H; t++) {
      this.startMonth(t)
      let capacityLeft = setup[S_CAPACITY_LEFT]
      let attemptsLeft = setup[S_ATTEMPT_CAP]
      let monthCost = setup[S_MONTH_COST]
      const d = discount[t]
      const year = (t / 12) | 0
      let eligibleMonth = 0
      let assistedMonth = 0
      let forcedMonth = 0
      let unassistedMonth = 0
      let overflow = 0
      let casesMonth = 0
      for (let gi = 0; gi < G; gi++) {
        const o = PROB_FIELDS * gi
        const u = UNIT_FIELDS * gi
        const E = eligible[gi] + unit[u + U_INFLOW] + reentering[gi] + (t === 0 ? unit[u + U_STOCK] : 0)
        // returnees of earlier months re-migrate (the pools are written once, below); some come back as eligible
        // next month
        const r = 4 * gi
        const sustainableAvrrPool = pools[r]
        const avrrPool = pools[r + 1]
        const sustainableForcedPool = pools[r + 2]
        const forcedPool = pools[r + 3]
        const leaving =
          sustainableAvrrPool * leaveSustainableAvrr +
          avrrPool * leaveAvrr +
          sustainableForcedPool * leaveSustainableForced +
          forcedPool * leaveForced
        remigrationTotal += leaving
        reentering[gi] = leaving * reentry
        eligibleMonth += E
        stayPersonMonths += E + abscondedTotal

        // competing monthly risks: assisted uptake, removal attempt, own departure, absconding
        const wantAssisted = E * probs[o + P_UPTAKE]
        let rest = E - wantAssisted
        const wantAttempt = rest * probs[o + P_ATTEMPT]
        rest -= wantAttempt
        const unassisted = rest * probs[o + P_UNASSISTED]
        rest -= unassisted
        const absconding = rest * probs[o + P_ABSCOND]

        const assisted = wantAssisted < capacityLeft ? wantAssisted : capacityLeft
        capacityLeft -= assisted
        overflow += wantAssisted - assisted
        const attempts = wantAttempt < attemptsLeft ? wantAttempt : attemptsLeft
        attemptsLeft -= attempts
        const removed = attempts * probs[o + P_SUCCESS]
        const failed = attempts - removed

        eligible[gi] = E - assisted - removed - unassisted - absconding
        abscondedTotal += absconding
        assistedMonth += assisted
        forcedMonth += removed
        unassistedMonth += unassisted

        const sustainableAssisted = assisted * probs[o + P_SUSTAINABLE_AVRR]
        const sustainableForced = removed * probs[o + P_SUSTAINABLE_FORCED]
        pools[r] = sustainableAvrrPool * (1 - leaveSustainableAvrr) + sustainableAssisted
        pools[r + 1] = avrrPool * (1 - leaveAvrr) + assisted - sustainableAssisted
        pools[r + 2] = sustainableForcedPool * (1 - leaveSustainableForced) + sustainableForced
        pools[r + 3] = forcedPool * (1 - leaveForced) + removed - sustainableForced
        sustainableTotal += sustainableAssisted + sustainableForced
        casesMonth += assisted * unit[u + U_CASES_PER_PERSON]

        // costs are unit cost x count: keep discounted counts by year, price them by line after the loop
        const y = 5 * (gi * L.years + year)
        yearCounts[y] += d * E
        yearCounts[y + 1] += d * assisted
        yearCounts[y + 2] += d * attempts
        yearCounts[y + 3] += d * failed
        yearCounts[y + 4] += d * removed
        monthCost +=
          E * unit[u + U_STAY] +
          assisted * unit[u + U_ASSISTED] +
          attempts * unit[u + U_ATTEMPT] +
          failed * unit[u + U_FAILED] +
          removed * unit[u + U_REMOVED]
      }
      casesDeparted[t] = casesMonth
      out[L.monthlyBase + t] = eligibleMonth
      out[L.monthlyBase + H + t] = assistedMonth
      out[L.monthlyBase + 2 * H + t] = forcedMonth
      out[L.monthlyBase + 3 * H + t] = unassistedMonth
      out[L.monthlyBase + 4 * H + t] = d * monthCost
      if (overflow > waitingListPeak) waitingListPeak = overflow
    }
    tally[T_SUSTAINABLE] = sustainableTotal
    tally[T_REMIGRATIONS] = remigrationTotal
    tally[T_ABSCONDED] = abscondedTotal
    tally[T_STAY_PERSON_MONTHS] = stayPersonMonths
    tally[T_WAITING_LIST_PEAK] = waitingListPeak
  }

  /**
   * The months of a stochastic-mode iteration: whole people, each flow a binomial draw from the stream of
   * (run, iteration, month, group), so a month's draws never depend on how many the month before used.
   */
  private stochasticMonths(runKey: number, iterKey: number, out: Float64Array): void {
    const L = this.layout
    const H = L.horizonMonths
    const groups = this.groups
    const G = groups.length
    const { probs, unit, eligible, pools, reentering, remigration, setup, tally, casesDeparted, discount, yearCounts } =
      this
    const stream = this.stream
    const runWord = runKey | 0
    let sustainableTotal = 0
    let remigrationTotal = 0
    let abscondedTotal = 0
    let stayPersonMonths = 0
    let waitingListPeak = 0
    for (let t = 0; t < H; t++) {
      this.startMonth(t)
      let capacityLeft = setup[S_CAPACITY_LEFT]
      let attemptsLeft = setup[S_ATTEMPT_CAP]
      let monthCost = setup[S_MONTH_COST]
      const d = discount[t]
      const year = (t / 12) | 0
      const monthKey = iterKey ^ mix32(t + 1) // int32 (see cohortKey): the same bits as the uint32
      let eligibleMonth = 0
      let assistedMonth = 0
      let forcedMonth = 0
      let unassistedMonth = 0
      let overflow = 0
      for (let gi = 0; gi < G; gi++) {
        stream.reset(runWord, monthKey, groups[gi].cohortKey)
        const o = PROB_FIELDS * gi
        const u = UNIT_FIELDS * gi
        const E = eligible[gi] + unit[u + U_INFLOW] + reentering[gi] + (t === 0 ? unit[u + U_STOCK] : 0)
        // returnees of earlier months re-migrate; some come back as eligible next month
        let reentrants = 0
        for (let k = 0; k < 4; k++) {
          const pool = pools[4 * gi + k]
          if (pool <= 0) continue
          const leaving = binomialAt(pool, remigration, k, stream)
          pools[4 * gi + k] = pool - leaving
          remigrationTotal += leaving
          reentrants += binomialAt(leaving, setup, S_REENTRY, stream)
        }
        reentering[gi] = reentrants
        eligibleMonth += E
        stayPersonMonths += E + abscondedTotal

        // competing monthly risks: assisted uptake, removal attempt, own departure, absconding
        const wantAssisted = binomialAt(E, probs, o + P_UPTAKE, stream)
        let rest = E - wantAssisted
        const wantAttempt = binomialAt(rest, probs, o + P_ATTEMPT, stream)
        rest -= wantAttempt
        const unassisted = binomialAt(rest, probs, o + P_UNASSISTED, stream)
        rest -= unassisted
        const absconding = binomialAt(rest, probs, o + P_ABSCOND, stream)

        const assisted = wantAssisted < capacityLeft ? wantAssisted : capacityLeft
        capacityLeft -= assisted
        overflow += wantAssisted - assisted
        const attempts = wantAttempt < attemptsLeft ? wantAttempt : attemptsLeft
        attemptsLeft -= attempts
        const removed = binomialAt(attempts, probs, o + P_SUCCESS, stream)
        const failed = attempts - removed

        eligible[gi] = E - assisted - removed - unassisted - absconding
        abscondedTotal += absconding
        assistedMonth += assisted
        forcedMonth += removed
        unassistedMonth += unassisted

        const sustainableAssisted = binomialAt(assisted, probs, o + P_SUSTAINABLE_AVRR, stream)
        const sustainableForced = binomialAt(removed, probs, o + P_SUSTAINABLE_FORCED, stream)
        pools[4 * gi] += sustainableAssisted
        pools[4 * gi + 1] += assisted - sustainableAssisted
        pools[4 * gi + 2] += sustainableForced
        pools[4 * gi + 3] += removed - sustainableForced
        sustainableTotal += sustainableAssisted + sustainableForced
        casesDeparted[t] += assisted * unit[u + U_CASES_PER_PERSON]

        const y = 5 * (gi * L.years + year)
        yearCounts[y] += d * E
        yearCounts[y + 1] += d * assisted
        yearCounts[y + 2] += d * attempts
        yearCounts[y + 3] += d * failed
        yearCounts[y + 4] += d * removed
        monthCost +=
          E * unit[u + U_STAY] +
          assisted * unit[u + U_ASSISTED] +
          attempts * unit[u + U_ATTEMPT] +
          failed * unit[u + U_FAILED] +
          removed * unit[u + U_REMOVED]
      }
      out[L.monthlyBase + t] = eligibleMonth
      out[L.monthlyBase + H + t] = assistedMonth
      out[L.monthlyBase + 2 * H + t] = forcedMonth
      out[L.monthlyBase + 3 * H + t] = unassistedMonth
      out[L.monthlyBase + 4 * H + t] = d * monthCost
      if (overflow > waitingListPeak) waitingListPeak = overflow
    }
    tally[T_SUSTAINABLE] = sustainableTotal
    tally[T_REMIGRATIONS] = remigrationTotal
    tally[T_ABSCONDED] = abscondedTotal
    tally[T_STAY_PERSON_MONTHS] = stayPersonMonths
    tally[T_WAITING_LIST_PEAK] = waitingListPeak
  }

  /** The metrics of the iteration from its totals, monthly series and cost lines. */
  private writeMetrics(out: Float64Array): void {
    const tally = this.tally
    let totalCost = 0
    let programmeCost = 0
    for (let l = 0; l < N_LINES; l++) totalCost += out[OUT.costBase + l]
    for (const l of PROGRAMME_LINE_INDEXES) programmeCost += out[OUT.costBase + l]
    let eligibleAtHorizon = 0
    for (let gi = 0; gi < this.groups.length; gi++) eligibleAtHorizon += this.eligible[gi]
    const L = this.layout
    const H = L.horizonMonths
    let assisted = 0
    let forced = 0
    let unassisted = 0
    for (let t = 0; t < H; t++) {
      assisted += out[L.monthlyBase + H + t]
      forced += out[L.monthlyBase + 2 * H + t]
      unassisted += out[L.monthlyBase + 3 * H + t]
    }
    const sustainable = tally[T_SUSTAINABLE]
    const returnsTotal = assisted + forced + unassisted
    out[OUT.returnsAssisted] = assisted
    out[OUT.returnsForced] = forced
    out[OUT.returnsUnassisted] = unassisted
    out[OUT.returnsTotal] = returnsTotal
    out[OUT.sustainableReintegrations] = sustainable
    out[OUT.remigrations] = tally[T_REMIGRATIONS]
    out[OUT.irregularStayPersonMonths] = tally[T_STAY_PERSON_MONTHS]
    out[OUT.eligibleAtHorizon] = eligibleAtHorizon
    out[OUT.absconded] = tally[T_ABSCONDED]
    out[OUT.waitingListPeak] = tally[T_WAITING_LIST_PEAK]
    out[OUT.totalCost] = totalCost
    out[OUT.costPerReturn] = totalCost / returnsTotal
    out[OUT.costPerAssistedReturn] = programmeCost / assisted
    out[OUT.costPerSustainableReintegration] = totalCost / sustainable
    out[OUT.localResidentsServed] =
      this.hasProgramme && this.hasCommunity ? (this.values[this.p.localResidents] * H) / 12 : 0
  }

  /**
   * Unit costs of this iteration per group: by line (for the budget) and summed by what they multiply
   * (eligible person-months, assisted people, attempts, failed attempts, people removed).
   */
  private setUnitCosts(): void {
    const v = this.values
    const p = this.p
    const prog = this.hasProgramme
    const detentionPerAttempt = v[p.detentionDays] * v[p.detentionCost]
    const trainingPerCase = prog && this.hasTraining ? v[p.trainingShare] * v[p.trainingCost] : 0
    const psychosocialPerCase = prog && this.psychosocialEnabled ? v[p.psychosocialCost] : 0
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]
      const line = this.lineUnit
      const o = N_LINES * gi
      const casesPerPerson = 1 / v[g.personsPerCase]
      line.fill(0, o, o + N_LINES)
      line[o + LINE.stay] = v[g.stayCost]
      if (prog) {
        line[o + LINE.travel] = v[p.travel]
        line[o + LINE.cash] = v[p.cash] * v[g.adultsPerCase] * casesPerPerson
        line[o + LINE.inKind] = v[p.inKind] * casesPerPerson
        line[o + LINE.complexTopUp] = v[g.complexShare] * v[p.complexTopUp] * casesPerPerson
        line[o + LINE.counselling] = v[p.counsellingCost] * casesPerPerson
        line[o + LINE.training] = trainingPerCase * casesPerPerson
        line[o + LINE.psychosocial] = psychosocialPerCase * casesPerPerson
      }
      line[o + LINE.detention] = detentionPerAttempt
      line[o + LINE.failedAttempts] = v[p.failedCost]
      line[o + LINE.escortAndTravel] = v[p.escort]
      line[o + LINE.removalAdmin] = v[p.admin] * casesPerPerson
      const u = UNIT_FIELDS * gi
      const unit = this.unit
      unit[u + U_STAY] = line[o + LINE.stay]
      let perAssisted = 0
      for (const l of ASSISTED_LINES) perAssisted += line[o + l]
      unit[u + U_ASSISTED] = perAssisted
      unit[u + U_ATTEMPT] = detentionPerAttempt
      unit[u + U_FAILED] = line[o + LINE.failedAttempts]
      unit[u + U_REMOVED] = line[o + LINE.escortAndTravel] + line[o + LINE.removalAdmin]
      unit[u + U_CASES_PER_PERSON] = casesPerPerson
      unit[u + U_INFLOW] = this.peopleCount(v[g.inflow])
      unit[u + U_STOCK] = this.peopleCount(v[g.stock])
    }
  }

  /** Price the discounted counts by line: cost totals and the budget by year and line. */
  private bookLines(out: Float64Array): void {
    const L = this.layout
    const { yearCounts, lineUnit, setup } = this
    const outreach = setup[S_OUTREACH]
    const community = setup[S_COMMUNITY]
    const fixed = setup[S_PROGRAMME_FIXED]
    const G = this.groups.length
    const fixedTotal = outreach + community + fixed
    for (let y = 0; y < L.years; y++) {
      const base = L.budgetBase + y * N_LINES
      for (let gi = 0; gi < G; gi++) {
        const c = 5 * (gi * L.years + y)
        const o = N_LINES * gi
        for (let l = 0; l < N_LINES; l++) {
          const count = LINE_COUNT[l]
          if (count >= 0) out[base + l] += yearCounts[c + count] * lineUnit[o + l]
        }
      }
      // the fixed monthly lines share one discounted sum; split it by their shares
      const fixedSum = this.yearProgramme[2 * y]
      if (fixedTotal > 0) {
        out[base + LINE.outreach] = (fixedSum * outreach) / fixedTotal
        out[base + LINE.community] = (fixedSum * community) / fixedTotal
        out[base + LINE.programmeFixed] = (fixedSum * fixed) / fixedTotal
      }
      out[base + LINE.caseManagement] = this.yearProgramme[2 * y + 1]
      for (let l = 0; l < N_LINES; l++) out[OUT.costBase + l] += out[base + l]
    }
  }

  /** AVRR capacity of month t: capacity x scale, ramped up linearly over rampUpMonths. */
  private rampedCapacity(base: number, t: number): number {
    const ramp = this.rampUpMonths > 0 ? Math.min(1, (t + 1) / this.rampUpMonths) : 1
    return this.peopleCount(base * ramp)
  }
}

/** P(event | not one of the earlier events), guarded against a zero remainder. */
const conditional = (p: number, remaining: number): number =>
  remaining <= 0 ? 0 : Math.min(1, p / remaining)
