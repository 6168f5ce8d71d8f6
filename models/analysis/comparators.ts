/** The comparators a scenario offers: its own removal-only version first (the default), then each other candidate and whether it fits. */
import { comparabilityProblems, removalOnlyRef, removalOnlyVersion } from './compare'
import type { FieldProblem, Scenario } from '../engine/scenario'

export interface ComparatorOption {
  /** What a request sends as `comparator` (or the second of `scenarios`): `removal-only:<id>` or a preset id. */
  id: string
  title: string
  /** The scenario's own removal-only version: the default everywhere. */
  default: boolean
  /** Same currency, horizon and population: a comparison answers the question of the programme. */
  comparable: boolean
  /** Only the population differs: it can be compared with `compareAnyway`, labelled so. */
  compareAnywayPossible: boolean
  /** Why it is not comparable, by the comparator's field. */
  problems: FieldProblem[]
}

/** The options for scenario `id`, in order: the removal-only version, then the comparable candidates, then the rest. */
export const comparatorOptions = (
  id: string,
  scenario: Scenario,
  candidates: readonly { id: string; scenario: Scenario }[],
): ComparatorOption[] => {
  const own: ComparatorOption = {
    id: removalOnlyRef(id),
    title: removalOnlyVersion(scenario).title,
    default: true,
    comparable: true,
    compareAnywayPossible: false,
    problems: [],
  }
  const others = candidates
    .filter((c) => c.id !== id)
    .map((c): ComparatorOption => {
      const problems = comparabilityProblems(scenario, c.scenario).map((p) => ({ ...p, path: p.path.replace('scenarios[1]', 'comparator') }))
      const onlyPopulation = problems.length > 0 && problems.every((p) => p.path.startsWith('comparator.groups'))
      return { id: c.id, title: c.scenario.title, default: false, comparable: problems.length === 0, compareAnywayPossible: onlyPopulation, problems }
    })
  return [own, ...others.filter((o) => o.comparable), ...others.filter((o) => !o.comparable)]
}
