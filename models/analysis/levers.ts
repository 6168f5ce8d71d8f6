/** The policy levers of the decision analyses, and how a lever value becomes a fixed input or a scenario variant. */
import type { CohortModel } from '../engine/cohort'
import type { CounsellingSetting, FieldProblem, Scenario } from '../engine/scenario'

export const NUMERIC_LEVERS = ['cashPerAdult', 'inKindPerCase', 'scale', 'counsellingCost'] as const
export type NumericLever = (typeof NUMERIC_LEVERS)[number]
export const COUNSELLING_SETTINGS: readonly CounsellingSetting[] = ['enforcement', 'neutral', 'trusted-actors']
export type Lever = NumericLever | 'counsellingSetting'

/** The parameter path a numeric lever fixes; scale is a structural field, not a parameter. */
export const LEVER_PATHS: Record<Exclude<NumericLever, 'scale'>, string> = {
  cashPerAdult: 'programme.cashPerAdult',
  inKindPerCase: 'programme.inKindPerCase',
  counsellingCost: 'programme.counselling.costPerDepartingCase',
}

/** Where a lever acts: a parameter slot fixed to the value, or a structural field of the scenario. */
export const leverPath = (lever: Lever): string =>
  lever === 'scale'
    ? 'programme.scale'
    : lever === 'counsellingSetting'
      ? 'programme.counselling.setting'
      : LEVER_PATHS[lever]

export const isStructural = (lever: Lever): lever is 'scale' | 'counsellingSetting' =>
  lever === 'scale' || lever === 'counsellingSetting'

/** A lever needs a programme to act on. */
export const leverProblems = (scenario: Scenario, lever: Lever, field = 'lever'): FieldProblem[] => {
  if (![...NUMERIC_LEVERS, 'counsellingSetting'].includes(lever))
    return [{ path: field, message: `must be one of ${[...NUMERIC_LEVERS, 'counsellingSetting'].join(', ')}` }]
  if (scenario.programme === null)
    return [
      {
        path: field,
        message: `${lever} acts on the assisted-return programme, and this scenario has none (programme: null)`,
      },
    ]
  if (lever === 'scale' && typeof (scenario.programme.scale ?? 1) !== 'number')
    return [
      {
        path: field,
        message: 'scale sets one constant scale, and this scenario scales its programme by a schedule (programme.scale)',
      },
    ]
  return []
}

/** The scenario with a structural lever set (scale, counselling setting); other levers leave it as it is. */
export const withStructuralLever = (scenario: Scenario, lever: Lever, value: number | CounsellingSetting): Scenario => {
  const programme = scenario.programme
  if (!programme || !isStructural(lever)) return scenario
  if (lever === 'scale') return { ...scenario, programme: { ...programme, scale: value as number } }
  return {
    ...scenario,
    programme: { ...programme, counselling: { ...(programme.counselling ?? {}), setting: value as CounsellingSetting } },
  }
}

/** The slot a numeric parameter lever fixes in a model's table. */
export const leverSlot = (model: CohortModel, lever: Exclude<NumericLever, 'scale'>): number => {
  const slot = model.table.paths.indexOf(LEVER_PATHS[lever])
  if (slot < 0) throw new Error(`no parameter ${LEVER_PATHS[lever]}`)
  return slot
}

/** The scenario's constant scale (1 if absent; a scheduled scale is refused by leverProblems). */
export const constantScale = (scenario: Scenario): number => {
  const scale = scenario.programme?.scale ?? 1
  return typeof scale === 'number' ? scale : NaN
}

/** The range a scale lever searches: from a tenth (0 suspends the programme); the money levers are >= 0. */
export const SCALE_RANGE: [number, number] = [0.1, 10]
