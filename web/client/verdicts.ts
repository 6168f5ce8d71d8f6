/**
 * A scenario's default comparator (its own removal-only version) and a comparison read out in words: the
 * scenarios named by title, a finding only where the report's verdict establishes it (>= 95%), else how likely.
 */
import type { ComparisonReport } from '../../models/analysis/compare'
import { formatPercent } from './format'

type Raw = Record<string, unknown>

/** The reference every comparator list offers first: `removal-only:<scenario id>`. */
export const REMOVAL_ONLY_PREFIX = 'removal-only:'
export const removalOnlyRef = (id: string): string => `${REMOVAL_ONLY_PREFIX}${id}`
export const removalOnlyOf = (ref: string): string | undefined =>
  ref.startsWith(REMOVAL_ONLY_PREFIX) && ref.length > REMOVAL_ONLY_PREFIX.length ? ref.slice(REMOVAL_ONLY_PREFIX.length) : undefined

const text = (x: unknown, fallback: string) => (typeof x === 'string' && x ? x : fallback)

/** The scenario as written, without its programme: the same people, removal only (models/analysis/compare.ts). */
export const removalOnlyRaw = (raw: Raw): Raw => ({
  ...raw,
  id: `${text(raw.id, 'scenario').slice(0, 66)}-removal-only`,
  title: `${text(raw.title, 'Scenario').slice(0, 185)} (removal only)`,
  programme: null,
})

/** What a comparator list calls the removal-only version of a scenario. */
export const removalOnlyLabel = (title: string): string => `${title} without its programme (removal only, the default)`

/** The report's verdict, where the engine gives one (words only at >= 95%). */
interface Verdict {
  finding: 'dominates' | 'dominated' | 'saves-money' | 'costs-more' | 'not-established'
  headline: string
}
const verdictOf = (report: ComparisonReport): Verdict | undefined =>
  (report.comparison as { verdict?: Verdict }).verdict

/** The titles a comparison is read in: the report's own, else those the page knows. */
export const titlesOf = (report: ComparisonReport, scenario: string, comparator: string) => {
  const r = report as { scenarioTitle?: string; comparatorTitle?: string }
  return { scenario: r.scenarioTitle ?? scenario, comparator: r.comparatorTitle ?? comparator }
}

/** One sentence: the verdict's headline, or the two probabilities with the scenarios named. */
export const verdictSentence = (report: ComparisonReport, scenario: string, comparator: string): string => {
  const v = verdictOf(report)
  if (v) return v.headline
  const t = titlesOf(report, scenario, comparator)
  const k = report.comparison
  return (
    `${t.scenario} is cheaper than ${t.comparator} in ${formatPercent(k.probCheaper)} of iterations and achieves more ` +
    `sustainable reintegrations in ${formatPercent(k.probMoreEffective)}` +
    (k.probCheaper >= 0.95 || k.probCheaper <= 0.05 ? '.' : ': whether it saves money is not established.')
  )
}

/** The ICER's quadrant from the means, in the names given (short on a card), never "A". */
export const icerReading = (report: ComparisonReport, scenario: string, comparator: string): string => {
  const t = titlesOf(report, scenario, comparator)
  const cost = report.comparison.incrementalCost.mean ?? 0
  const effect = report.comparison.incrementalSustainable.mean ?? 0
  const on = `on the means ${t.scenario}`
  if (effect === 0) return `${on} achieves as many sustainable reintegrations as ${t.comparator}: no ICER`
  return `${on} costs ${cost <= 0 ? 'less' : 'more'} and achieves ${effect > 0 ? 'more' : 'less'} than ${t.comparator}`
}

/** The ICER card's value: a dominance word only where the verdict establishes it, else the ratio. */
export const icerValue = (report: ComparisonReport, money: (x: number) => string): string => {
  const finding = verdictOf(report)?.finding
  if (finding === 'dominates') return 'Dominant'
  if (finding === 'dominated') return 'Dominated'
  return report.comparison.icer === null ? 'not defined' : money(report.comparison.icer)
}
