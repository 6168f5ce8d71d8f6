/** A parameter-table path (`groups[<id>].stock`, `removal.attemptMonthly.schedule[1]`) as a place in a scenario's JSON. */
import type { Dist, Scenario } from '../engine/scenario'

type Json = Record<string, unknown>

const GROUP = /^groups\[(.+)\]$/
const SCHEDULE_ENTRY = /^schedule\[(\d+)\]$/

/**
 * The object holding the field a path names and the field's key: a group is picked by its id, a schedule entry's
 * Dist is its `value`. Undefined where the scenario has no such place (an absent optional block).
 */
const locate = (root: Json, path: string): { parent: Json; key: string } | undefined => {
  // a group id is a slug (no dots), so the path splits on dots into its steps
  const steps = path.split('.')
  let at: Json = root
  for (let k = 0; k < steps.length - 1; k++) {
    const step = steps[k]
    const group = GROUP.exec(step)
    const entry = SCHEDULE_ENTRY.exec(steps[k + 1])
    let next: unknown
    if (group) next = (at.groups as Json[] | undefined)?.find((g) => g.id === group[1])
    else next = at[step]
    if (entry) {
      // `<field>.schedule[k]`: the field's Dist is entry k's value, and the path ends there
      const entries = (next as { schedule?: Json[] } | undefined)?.schedule
      const e = entries?.[Number(entry[1])]
      return e && k + 2 === steps.length ? { parent: e, key: 'value' } : undefined
    }
    if (typeof next !== 'object' || next === null) return undefined
    at = next as Json
  }
  return { parent: at, key: steps[steps.length - 1] }
}

/** The Dist a scenario gives the parameter at `path`, or undefined where it is absent (the engine's default). */
export const distAtPath = (scenario: Scenario, path: string): Dist | undefined => {
  const place = locate(scenario as unknown as Json, path)
  return place ? (place.parent[place.key] as Dist | undefined) : undefined
}

/** Set the parameter at `path` of a scenario object (mutated; a copy first if the original matters). */
export const setDistAtPath = (scenario: Scenario, path: string, dist: Dist): void => {
  const place = locate(scenario as unknown as Json, path)
  if (!place) throw new Error(`no place for ${path} in scenario ${scenario.id}`)
  place.parent[place.key] = dist
}
