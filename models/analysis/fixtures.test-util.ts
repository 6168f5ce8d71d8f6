/** Toy scenarios for the decision-analysis tests: one group, an expected cohort, results computable by hand. */
import { parseScenario, type Scenario } from '../engine/scenario'

const parse = (input: unknown): Scenario => {
  const parsed = parseScenario(input)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.scenario
}

export const STOCK = 1000
export const HORIZON = 12
export const ADULTS_PER_CASE = 1.5
export const PERSONS_PER_CASE = 2

/**
 * 1000 people, no inflow, nobody leaves on their own or absconds, no re-migration: with only removal attempts
 * (probability a, success s) the eligible shrink by a factor 1 - a s a month; with only AVRR uptake b, by 1 - b.
 */
export const toy = (patch: Record<string, unknown> = {}, groupPatch: Record<string, unknown> = {}): Scenario =>
  parse({
    schemaVersion: 1,
    id: 'toy',
    title: 'Toy',
    currency: 'EUR',
    horizonMonths: HORIZON,
    cohort: 'expected',
    groups: [
      {
        id: 'g',
        label: 'G',
        stock: STOCK,
        personsPerCase: PERSONS_PER_CASE,
        adultsPerCase: ADULTS_PER_CASE,
        monthlyStayCostPerPerson: 500,
        baseMonthlyUptake: 0.05,
        unassistedReturnMonthly: 0,
        abscondMonthly: 0,
        ...groupPatch,
      },
    ],
    programme: null,
    removal: { attemptMonthly: 0, successProbability: 0.5, detentionDaysPerAttempt: 10, detentionCostPerDay: 200 },
    effects: {
      packageValue: 0,
      sustainableAvrr: 0.6,
      sustainableForced: 0.3,
      remigrationMonthly: { sustainable: 0, notSustainable: 0 },
      reentryShare: 0,
    },
    ...patch,
  })

/** Sum over the horizon of STOCK x r^t: person-months of a cohort shrinking by factor r a month. */
export const personMonths = (r: number): number => (STOCK * (1 - r ** HORIZON)) / (1 - r)

/** People leaving with AVRR over the horizon when the monthly uptake b is the only way out. */
export const assistedReturns = (b: number): number => STOCK * (1 - (1 - b) ** HORIZON)
