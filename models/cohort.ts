/** One Monte Carlo iteration of MODEL.md section 4: draw every parameter, then run the monthly cohort. */
import { compileDist, DistKind, sampleCompiled, type Dist } from './distributions'
import { binomial } from './binomial'
import { COST_LINES, COST_METRIC_BASE, M, observableLayout, PROGRAMME_COST_LINES, type ObservableLayout } from './layout'
import { iterationKey, iterationSalt, iterationWord, mix32, pathKey, pathSalt, Stream } from './rng'
import type { Scenario } from './scenario'

/**
 * Every Dist of a scenario as typed arrays. A parameter's stream is keyed by its path (groups by id), so two
 * scenarios that share a parameter draw the same value in the same iteration (common random numbers).
 */
export class ParameterTable {
  readonly paths: string[] = []
  kinds = new Uint8Array(0)
  params = new Float64Array(0)
  keys = new Uint32Array(0)
  salts = new Uint32Array(0)
  private readonly pending: { kind: DistKind; a: number; b: number; c: number; d: number }[] = []

  /** Register a parameter; an absent optional field is the point `fallback`. Returns its slot. */
  add(path: string, dist: Dist | undefined, fallback: number): number {
    this.paths.push(path)
    this.pending.push(compileDist(dist ?? fallback))
    return this.paths.length - 1
  }

  seal(): void {
    const n = this.pending.length
    this.kinds = new Uint8Array(n)
    this.params = new Float64Array(4 * n)
    this.keys = new Uint32Array(n)
    this.salts = new Uint32Array(n)
    this.pending.forEach((p, i) => {
      this.kinds[i] = p.kind
      this.params.set([p.a, p.b, p.c, p.d], 4 * i)
      this.keys[i] = pathKey(this.paths[i])
      this.salts[i] = pathSalt(this.keys[i])
    })
  }

  get size(): number {
    return this.paths.length
  }

  /** Draw every parameter of iteration `iterKey` into `values`; allocation-free. */
  drawAll(runKey: number, iterKey: number, stream: Stream, values: Float64Array): void {
    const { kinds, params, keys, salts } = this
    const word = iterationWord(runKey, iterKey)
    const salt = iterationSalt(word)
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i] as DistKind
      const o = 4 * i
      if (kind === DistKind.Point) {
        values[i] = params[o]
      } else {
        stream.resetFrom(word, salt, keys[i], salts[i])
        values[i] = sampleCompiled(kind, params, o, stream)
      }
    }
  }

  /**
   * `drawAll`, except that a parameter whose override is not NaN takes that value and is not drawn (sensitivity
   * analyses fix inputs or replay cached draws); the others draw exactly as in `drawAll`. Allocation-free.
   */
  drawAllWith(runKey: number, iterKey: number, stream: Stream, values: Float64Array, overrides: Float64Array): void {
    const { kinds, params, keys, salts } = this
    const word = iterationWord(runKey, iterKey)
    const salt = iterationSalt(word)
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i] as DistKind
      const fixed = overrides[i]
      if (fixed === fixed) {
        values[i] = fixed
      } else if (kind === DistKind.Point) {
        values[i] = params[4 * i]
      } else {
        stream.resetFrom(word, salt, keys[i], salts[i])
        values[i] = sampleCompiled(kind, params, 4 * i, stream)
      }
    }
  }
}

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
const LINE_COUNT = COST_LINES.map((l) =>
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
        cohortKey: pathKey(`cohort.${at}`),
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
    this.probs = new Float64Array(8 * g)
    this.casesDeparted = new Float64Array(s.horizonMonths)
    this.lineUnit = new Float64Array(N_LINES * g)
    this.unit = new Float64Array(UNIT_FIELDS * g)
    this.yearCounts = new Float64Array(5 * g * this.layout.years)
    this.yearProgramme = new Float64Array(2 * this.layout.years)
  }

  /** A binomial count in stochastic mode, its expectation in expected mode. */
  private draw(n: number, p: number): number {
    if (!this.stochastic) return n * p
    return binomial(n, p, this.stream)
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
    const v = this.values
    const p = this.p
    const iterKey = iterationKey(iteration)
    if (overrides === undefined) this.table.drawAll(runKey, iterKey, this.stream, v)
    else this.table.drawAllWith(runKey, iterKey, this.stream, v, overrides)
    out.fill(0)

    const H = this.layout.horizonMonths
    const groups = this.groups
    const G = groups.length
    const probs = this.probs
    const prog = this.hasProgramme

    // Per-group monthly probabilities are fixed within an iteration: compute them once.
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
      const o = 8 * gi
      // conditional probabilities for the sequential binomial split of the multinomial
      probs[o] = pU
      probs[o + 1] = conditional(pA, 1 - pU)
      probs[o + 2] = conditional(pR, 1 - pU - pA)
      probs[o + 3] = conditional(pB, 1 - pU - pA - pR)
      probs[o + 4] = Math.min(1, v[p.success] * (g.removable ? v[g.removability] : 0))
      probs[o + 5] = sigmoid(logit(v[p.sustainableAvrr]) + sustainabilityShift + v[p.liftPackageValue] * lnPackage)
      probs[o + 6] = v[p.sustainableForced]
      probs[o + 7] = packageValue
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
    const reentry = v[p.reentry]
    const capacityBase = this.hasCapacity ? this.peopleCount(v[p.capacity]) * this.scale : Infinity
    const attemptCap = this.hasAttemptCap ? this.peopleCount(v[p.maxAttempts]) : Infinity
    const monthlyProgrammeFixed = prog ? (v[p.fixedCost] * Math.pow(this.scale, v[p.fixedExponent])) / 12 : 0
    const monthlyOutreach = prog ? v[p.outreachCost] / 12 : 0
    const monthlyCommunity = prog && this.hasCommunity ? v[p.communityBudget] / 12 : 0
    const monthlyFixed = monthlyProgrammeFixed + monthlyOutreach + monthlyCommunity
    const support = this.supportMonths
    // booked whether or not case management is continuous (MODEL.md section 4); `continuous` only lifts sustainability
    const cmCost = prog ? v[p.caseManagementCost] : 0
    this.setUnitCosts()

    const L = this.layout
    const unit = this.unit
    const yearCounts = this.yearCounts
    const yearProgramme = this.yearProgramme
    const eligible = this.eligible
    const pools = this.pools
    const reentering = this.reentering
    const casesDeparted = this.casesDeparted
    const discount = this.discount
    const stochastic = this.stochastic
    const stream = this.stream
    let assistedTotal = 0
    let forcedTotal = 0
    let unassistedTotal = 0
    let sustainableTotal = 0
    let remigrationTotal = 0
    let abscondedTotal = 0
    let stayPersonMonths = 0
    let waitingListPeak = 0
    let activeCases = 0

    for (let t = 0; t < H; t++) {
      const d = discount[t]
      const year = (t / 12) | 0
      let capacityLeft = this.hasCapacity ? this.rampedCapacity(capacityBase, t) : Infinity
      let attemptsLeft = attemptCap
      let overflow = 0
      let assistedMonth = 0
      let forcedMonth = 0
      let unassistedMonth = 0
      let eligibleMonth = 0
      if (t > 0) activeCases += casesDeparted[t - 1] - (t - 1 - support >= 0 ? casesDeparted[t - 1 - support] : 0)
      const programmeMonth = activeCases * cmCost
      yearProgramme[2 * year] += d * monthlyFixed
      yearProgramme[2 * year + 1] += d * programmeMonth
      let monthCost = monthlyFixed + programmeMonth

      for (let gi = 0; gi < G; gi++) {
        if (stochastic) stream.reset(runKey, (iterKey ^ mix32(t + 1)) >>> 0, groups[gi].cohortKey)
        const o = 8 * gi
        const u = UNIT_FIELDS * gi
        let E = eligible[gi] + unit[u + U_INFLOW] + reentering[gi]
        if (t === 0) E += unit[u + U_STOCK]
        reentering[gi] = 0

        // returnees of earlier months re-migrate; some come back as eligible next month
        for (let k = 0; k < 4; k++) {
          const pool = pools[4 * gi + k]
          if (pool <= 0) continue
          const leaving = this.draw(pool, remigration[k])
          pools[4 * gi + k] = pool - leaving
          remigrationTotal += leaving
          reentering[gi] += this.draw(leaving, reentry)
        }

        eligibleMonth += E
        stayPersonMonths += E + abscondedTotal

        // competing monthly risks: assisted uptake, removal attempt, own departure, absconding
        const wantAssisted = this.draw(E, probs[o])
        let rest = E - wantAssisted
        const wantAttempt = this.draw(rest, probs[o + 1])
        rest -= wantAttempt
        const unassisted = this.draw(rest, probs[o + 2])
        rest -= unassisted
        const absconding = this.draw(rest, probs[o + 3])

        const assisted = wantAssisted < capacityLeft ? wantAssisted : capacityLeft
        capacityLeft -= assisted
        overflow += wantAssisted - assisted
        const attempts = wantAttempt < attemptsLeft ? wantAttempt : attemptsLeft
        attemptsLeft -= attempts
        const removed = this.draw(attempts, probs[o + 4])
        const failed = attempts - removed

        eligible[gi] = E - assisted - removed - unassisted - absconding
        abscondedTotal += absconding
        assistedMonth += assisted
        forcedMonth += removed
        unassistedMonth += unassisted

        const sustainableAssisted = this.draw(assisted, probs[o + 5])
        const sustainableForced = this.draw(removed, probs[o + 6])
        pools[4 * gi] += sustainableAssisted
        pools[4 * gi + 1] += assisted - sustainableAssisted
        pools[4 * gi + 2] += sustainableForced
        pools[4 * gi + 3] += removed - sustainableForced
        sustainableTotal += sustainableAssisted + sustainableForced
        casesDeparted[t] += assisted * unit[u + U_CASES_PER_PERSON]

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

      out[L.monthlyBase + t] = eligibleMonth
      out[L.monthlyBase + H + t] = assistedMonth
      out[L.monthlyBase + 2 * H + t] = forcedMonth
      out[L.monthlyBase + 3 * H + t] = unassistedMonth
      out[L.monthlyBase + 4 * H + t] = d * monthCost
      assistedTotal += assistedMonth
      forcedTotal += forcedMonth
      unassistedTotal += unassistedMonth
      if (overflow > waitingListPeak) waitingListPeak = overflow
    }
    this.bookLines(out, monthlyOutreach, monthlyCommunity, monthlyProgrammeFixed)

    let totalCost = 0
    let programmeCost = 0
    for (let l = 0; l < N_LINES; l++) totalCost += out[OUT.costBase + l]
    for (const l of PROGRAMME_LINE_INDEXES) programmeCost += out[OUT.costBase + l]
    let eligibleAtHorizon = 0
    for (let gi = 0; gi < G; gi++) eligibleAtHorizon += eligible[gi]
    const returnsTotal = assistedTotal + forcedTotal + unassistedTotal
    out[OUT.returnsAssisted] = assistedTotal
    out[OUT.returnsForced] = forcedTotal
    out[OUT.returnsUnassisted] = unassistedTotal
    out[OUT.returnsTotal] = returnsTotal
    out[OUT.sustainableReintegrations] = sustainableTotal
    out[OUT.remigrations] = remigrationTotal
    out[OUT.irregularStayPersonMonths] = stayPersonMonths
    out[OUT.eligibleAtHorizon] = eligibleAtHorizon
    out[OUT.absconded] = abscondedTotal
    out[OUT.waitingListPeak] = waitingListPeak
    out[OUT.totalCost] = totalCost
    out[OUT.costPerReturn] = totalCost / returnsTotal
    out[OUT.costPerAssistedReturn] = programmeCost / assistedTotal
    out[OUT.costPerSustainableReintegration] = totalCost / sustainableTotal
    out[OUT.localResidentsServed] = prog && this.hasCommunity ? (v[p.localResidents] * H) / 12 : 0
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
  private bookLines(out: Float64Array, outreach: number, community: number, fixed: number): void {
    const L = this.layout
    const fixedTotal = outreach + community + fixed
    for (let y = 0; y < L.years; y++) {
      const base = L.budgetBase + y * N_LINES
      for (let gi = 0; gi < this.groups.length; gi++) {
        const c = 5 * (gi * L.years + y)
        const o = N_LINES * gi
        for (let l = 0; l < N_LINES; l++) {
          const count = LINE_COUNT[l]
          if (count >= 0) out[base + l] += this.yearCounts[c + count] * this.lineUnit[o + l]
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
