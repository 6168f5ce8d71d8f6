/**
 * The parameters of one iteration: every Dist of a scenario (and every schedule entry) registered in a parameter
 * table under its path, so that two scenarios sharing a parameter draw the same value for it (common random
 * numbers), and the structural flags the month loop reads.
 */
import { ParameterTable } from './parameter-table'
import { pathKey } from './rng'
import { scheduleEntries, schedulePath, type Schedule } from './schedule'
import type { Dist, Scenario } from './scenario'

/** A Schedule<Dist> as slots: entry k holds from month fromMonth[k] to the next entry's month (or the horizon). */
export interface ScheduleSlots {
  fromMonth: Int32Array
  slot: Int32Array
}

/** What registering needs of a table: a ParameterTable, or a collector of paths. */
type Registry = Pick<ParameterTable, 'add' | 'seal'>

const addSchedule = (
  t: Registry,
  path: string,
  schedule: Schedule<Dist> | undefined,
  fallback: number,
): ScheduleSlots => {
  const entries: { fromMonth: number; value: Dist | undefined }[] =
    schedule === undefined ? [{ fromMonth: 0, value: undefined }] : scheduleEntries(schedule)
  return {
    fromMonth: Int32Array.from(entries, (e) => e.fromMonth),
    slot: Int32Array.from(entries, (e, k) => t.add(schedulePath(path, schedule, k), e.value, fallback)),
  }
}

/** Write a schedule's drawn values for months [0, H) into `into` at `base` (rounded to whole people if asked). */
export const expandSchedule = (
  s: ScheduleSlots,
  values: Float64Array,
  into: Float64Array,
  base: number,
  horizon: number,
  round: boolean,
): void => {
  const n = s.slot.length
  for (let k = 0; k < n; k++) {
    const v = values[s.slot[k]]
    const to = k + 1 < n ? s.fromMonth[k + 1] : horizon
    into.fill(round ? Math.round(v) : v, base + s.fromMonth[k], base + to)
  }
}

export interface GroupSlots {
  stock: number
  inflow: ScheduleSlots
  adultsPerCase: number
  personsPerCase: number
  removability: number
  /** The group's own attempt schedule, or the scenario's. */
  attempt: ScheduleSlots
  /** The group's own success probability; -1: the scenario's. */
  ownSuccess: number
  complexShare: number
  stayCost: number
  avoidableStayShare: number
  baseUptake: number
  unassisted: number
  abscond: number
  removable: boolean
  /** The group's part of its cohort streams' key, as int32 (mixed only bitwise; a small int crosses a call unboxed). */
  cohortKey: number
}

/** One object literal, so the slots keep a fixed shape (fast property reads in the hot loop). */
const programmeSlots = (t: Registry, s: Scenario) => {
  const pr = s.programme
  const e = s.effects
  const r = s.removal
  const lift = e.sustainabilityLift
  return {
    cashPerAdult: t.add('programme.cashPerAdult', pr?.cashPerAdult, 0),
    cashPerChild: t.add('programme.cashPerChild', pr?.cashPerChild, 0),
    cashCap: t.add('programme.cashCapPerCase', pr?.cashCapPerCase, Infinity),
    inKind: t.add('programme.inKindPerCase', pr?.inKindPerCase, 0),
    complexTopUp: t.add('programme.complexCaseTopUp', pr?.complexCaseTopUp, 0),
    travel: t.add('programme.travelPerPerson', pr?.travelPerPerson, 0),
    counselledCost: t.add('programme.counselling.costPerCounselledCase', pr?.counselling?.costPerCounselledCase, 0),
    departingCost: t.add('programme.counselling.costPerDepartingCase', pr?.counselling?.costPerDepartingCase, 0),
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
    fixedCost: t.add('programme.fixedAnnualCost', pr?.fixedAnnualCost, 0),
    fixedExponent: t.add('programme.fixedCostScaleExponent', pr?.fixedCostScaleExponent, 1),
    queueDropout: t.add('programme.queueDropoutMonthly', pr?.queueDropoutMonthly, 0),
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
    deadweight: t.add('effects.deadweight', e.deadweight, 0),
    sustainableAvrr: t.add('effects.sustainableAvrr', e.sustainableAvrr, 0),
    sustainableForced: t.add('effects.sustainableForced', e.sustainableForced, 0),
    liftPsychosocial: t.add('effects.sustainabilityLift.psychosocial', lift?.psychosocial, 0),
    liftTraining: t.add('effects.sustainabilityLift.training', lift?.training, 0),
    liftCaseManagement: t.add('effects.sustainabilityLift.caseManagement', lift?.caseManagement, 0),
    liftCommunity: t.add('effects.sustainabilityLift.community', lift?.community, 0),
    liftPackageValue: t.add('effects.sustainabilityLift.packageValue', lift?.packageValue, 0),
    remigrationSustainable: t.add('effects.remigrationMonthly.sustainable', e.remigrationMonthly.sustainable, 0),
    remigrationNotSustainable: t.add('effects.remigrationMonthly.notSustainable', e.remigrationMonthly.notSustainable, 0),
    forcedMultiplier: t.add('effects.remigrationMonthly.forcedMultiplier', e.remigrationMonthly.forcedMultiplier, 1),
    reentry: t.add('effects.reentryShare', e.reentryShare, 0),
    valueToReference: t.add('valueToReference', s.valueToReference, 1),
  }
}
export type ProgrammeSlots = ReturnType<typeof programmeSlots>

/** The structure of a scenario the month loop branches on, fixed for a run. */
export interface CohortStructure {
  hasProgramme: boolean
  settingEffectSlot: number
  atFinalDecision: boolean
  psychosocialEnabled: boolean
  caseManagementContinuous: boolean
  hasCommunity: boolean
  hasTraining: boolean
  hasCounselling: boolean
  hasCapacity: boolean
  hasAttemptCap: boolean
  repeatAssistance: boolean
  supportMonths: number
  rampUpMonths: number
}

/** Every parameter of a scenario in `table` (sealed), with the slots and structure the cohort reads. */
export const registerParameters = (table: Registry, s: Scenario) => {
  const pr = s.programme
  const attempt = addSchedule(table, 'removal.attemptMonthly', s.removal.attemptMonthly, 0)
  const maxAttempts = addSchedule(table, 'removal.maxAttemptsPerMonth', s.removal.maxAttemptsPerMonth, 0)
  const capacity = addSchedule(table, 'programme.capacityPerMonth', pr?.capacityPerMonth, 0)
  const groups: GroupSlots[] = s.groups.map((g) => {
    const at = `groups[${g.id}]`
    const ownAttempt = g.removal?.attemptMonthly
    return {
      stock: table.add(`${at}.stock`, g.stock, 0),
      inflow: addSchedule(table, `${at}.inflowPerMonth`, g.inflowPerMonth, 0),
      adultsPerCase: table.add(`${at}.adultsPerCase`, g.adultsPerCase, 1),
      personsPerCase: table.add(`${at}.personsPerCase`, g.personsPerCase, 1),
      removability: table.add(`${at}.removability`, g.removability, 1),
      attempt: ownAttempt !== undefined ? addSchedule(table, `${at}.removal.attemptMonthly`, ownAttempt, 0) : attempt,
      ownSuccess:
        g.removal?.successProbability !== undefined
          ? table.add(`${at}.removal.successProbability`, g.removal.successProbability, 0)
          : -1,
      complexShare: table.add(`${at}.complexShare`, g.complexShare, 0),
      stayCost: table.add(`${at}.monthlyStayCostPerPerson`, g.monthlyStayCostPerPerson, 0),
      avoidableStayShare: table.add(`${at}.avoidableStayShare`, g.avoidableStayShare, 1),
      baseUptake: table.add(`${at}.baseMonthlyUptake`, g.baseMonthlyUptake, 0),
      unassisted: table.add(`${at}.unassistedReturnMonthly`, g.unassistedReturnMonthly, 0),
      abscond: table.add(`${at}.abscondMonthly`, g.abscondMonthly, 0),
      removable: g.removable ?? true,
      cohortKey: pathKey(`cohort.${at}`) | 0,
    }
  })
  const p = programmeSlots(table, s)
  table.seal()
  const setting = pr?.counselling?.setting ?? 'enforcement'
  const structure: CohortStructure = {
    hasProgramme: pr !== null,
    settingEffectSlot: setting === 'neutral' ? p.neutral : setting === 'trusted-actors' ? p.trusted : -1,
    atFinalDecision: pr?.counselling?.atFinalDecision ?? false,
    psychosocialEnabled: pr?.psychosocialSupport?.enabled ?? false,
    caseManagementContinuous: pr?.caseManagement?.continuous ?? false,
    hasCommunity: pr?.communityProgramme !== undefined,
    hasTraining: pr?.preReturnTraining !== undefined,
    hasCounselling: pr?.counselling !== undefined,
    hasCapacity: pr?.capacityPerMonth !== undefined,
    hasAttemptCap: s.removal.maxAttemptsPerMonth !== undefined,
    repeatAssistance: pr?.repeatAssistance ?? false,
    supportMonths: pr?.supportMonths ?? 12,
    rampUpMonths: pr?.rampUpMonths ?? 0,
  }
  return { groups, maxAttempts, capacity, p, structure }
}

/** Every parameter path of a scenario (each Dist and schedule entry), in registration order, without drawing. */
export const parameterPaths = (s: Scenario): string[] => {
  const paths: string[] = []
  registerParameters({ add: (path) => paths.push(path) - 1, seal: () => {} }, s)
  return paths
}

/** The programme's scale in each month [0, H): 0 without a programme (no month is active). */
export const scaleByMonth = (s: Scenario): Float64Array => {
  const scale = new Float64Array(s.horizonMonths)
  const pr = s.programme
  if (pr === null) return scale
  const schedule = pr.scale ?? 1
  const entries = scheduleEntries(schedule)
  entries.forEach((e, k) => scale.fill(e.value, e.fromMonth, k + 1 < entries.length ? entries[k + 1].fromMonth : s.horizonMonths))
  return scale
}
