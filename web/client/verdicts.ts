/**
 * A scenario's default comparator (its own removal-only version) and a comparison read out in words: the
 * scenarios named by title, a finding only where the report's verdict establishes it (>= 95%), else how likely.
 */
import type { ComparisonReport } from '../../models/analysis/compare'
import { icerQuadrant, interpretIcer, type IcerQuadrant } from '../../models/analysis/verdict'
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

/** The ICER's quadrant from the report's means. */
const quadrant = (report: ComparisonReport): IcerQuadrant =>
  icerQuadrant(report.comparison.incrementalCost.mean ?? 0, report.comparison.incrementalSustainable.mean ?? 0)

/** The ICER's quadrant from the means and what its ratio then is, in the short names given, never "A". */
export const icerReading = (report: ComparisonReport, scenario: string, comparator: string): string =>
  interpretIcer(report.comparison.incrementalCost.mean ?? 0, report.comparison.incrementalSustainable.mean ?? 0, scenario, comparator)

/**
 * The ICER card's value: a dominance word only where the verdict establishes it; where the means alone are cheaper
 * and better (or dearer and worse) the quadrant in words, since a negative ratio reads as a cost it is not; else the
 * ratio.
 */
export const icerValue = (report: ComparisonReport, money: (x: number) => string): string => {
  const finding = verdictOf(report)?.finding
  if (finding === 'dominates') return 'Dominant'
  if (finding === 'dominated') return 'Dominated'
  if (report.comparison.icer === null) return 'not defined'
  const where = quadrant(report)
  if (where === 'saves-achieves-more') return 'Cheaper and better (means)'
  if (where === 'costs-more-achieves-less') return 'Dearer and worse (means)'
  return money(report.comparison.icer)
}

/** Whether the card shows the ratio beside its value (where the value is words). */
export const icerInWords = (report: ComparisonReport): boolean => {
  if (report.comparison.icer === null) return false
  const finding = verdictOf(report)?.finding
  const where = quadrant(report)
  return finding === 'dominates' || finding === 'dominated' || where === 'saves-achieves-more' || where === 'costs-more-achieves-less'
}
