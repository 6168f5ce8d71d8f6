/**
 * Whether two scenarios describe the same population (docs/model.md section 8): the same groups, by id, with the
 * same stock, inflow and household parameters. A comparison of different populations answers another question.
 */
import type { FieldProblem, Group, Scenario } from '../engine/scenario'

/** The group fields that say who is there: how many, arriving when, in which households. */
export const POPULATION_FIELDS = ['stock', 'inflowPerMonth', 'adultsPerCase', 'personsPerCase'] as const

/** Key-sorted JSON without sources: equal text, equal value, whatever the key order or the citation. */
const sortedJson = (x: unknown): string =>
  JSON.stringify(x, (key, value) =>
    key === 'source'
      ? undefined
      : value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]))
      : value,
  )

const shown = (x: unknown): string => (x === undefined ? 'not set' : sortedJson(x))

/**
 * Each difference between the populations of `a` and its comparator `b`, named by the comparator's field
 * (`scenarios[1].groups[0].stock`) and saying both values; empty when they describe the same people.
 */
export const populationDifferences = (a: Scenario, b: Scenario, prefix = 'scenarios[1]'): FieldProblem[] => {
  const problems: FieldProblem[] = []
  const idsA = a.groups.map((g) => g.id)
  const idsB = b.groups.map((g) => g.id)
  const missing = idsA.filter((id) => !idsB.includes(id))
  const extra = idsB.filter((id) => !idsA.includes(id))
  if (missing.length || extra.length)
    problems.push({
      path: `${prefix}.groups`,
      message:
        `must have the same groups as the scenario (${idsA.join(', ')}): ` +
        [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `has ${extra.join(', ')} besides` : '']
          .filter(Boolean)
          .join('; '),
    })
  b.groups.forEach((gb: Group, i) => {
    const ga = a.groups.find((g) => g.id === gb.id)
    if (!ga) return
    for (const field of POPULATION_FIELDS)
      if (sortedJson(ga[field]) !== sortedJson(gb[field]))
        problems.push({
          path: `${prefix}.groups[${i}].${field}`,
          message: `must equal the scenario's ${field} of group ${gb.id} for the same population (${shown(ga[field])}; got ${shown(gb[field])})`,
        })
  })
  return problems
}

/** How a comparison report states the populations it compares. */
export interface PopulationCheck {
  same: boolean
  /** Each difference, named by the comparator's field (empty when the same). */
  differences: FieldProblem[]
  /** Set when the populations differ: the label a reader sees beside every number. */
  label?: string
}

export const ACROSS_POPULATIONS = 'across different populations: the difference mixes the programme with who is there'

export const populationCheck = (a: Scenario, b: Scenario): PopulationCheck => {
  const differences = populationDifferences(a, b, 'comparator')
  return differences.length ? { same: false, differences, label: ACROSS_POPULATIONS } : { same: true, differences }
}
