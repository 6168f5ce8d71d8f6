/**
 * A comparison's verdict in words (docs/model.md section 8): "dominates", "saves money", "cheaper" only where the
 * probability is at least 95%, otherwise how likely; the scenarios named by their titles, never "A" and "B".
 */

/** The probability a word needs. */
export const VERDICT_PROBABILITY = 0.95

export type Finding = 'dominates' | 'dominated' | 'saves-money' | 'costs-more' | 'not-established'

export interface VerdictPart {
  /** The probability the text reads (P(cheaper) for cost, P(more effective) for effect). */
  probability: number
  /** True when the text states it as a finding (probability >= 95% either way). */
  established: boolean
  text: string
}

export interface Verdict {
  /** The probability a word needs (0.95). */
  threshold: number
  scenarioTitle: string
  comparatorTitle: string
  /** What is established at >= 95%: dominance (joint, bounded below by P(cheaper) + P(more effective) - 1), cost alone, or nothing. */
  finding: Finding
  /** One sentence for a heading: the finding or how likely it is. */
  headline: string
  cost: VerdictPart
  effect: VerdictPart
  /** The ICER read from the means alone, in the scenarios' titles, with no verdict words. */
  icerText: string
  /** Set when the populations differ (compare anyway): says so, and the headline starts with it. */
  acrossPopulations?: string
}

/** A share as a percentage a reader can trust: whole percent in the middle, one decimal near the ends, never a rounded 100%. */
export const percentText = (p: number): string => {
  if (p === 1) return '100%'
  if (p === 0) return '0%'
  if (p > 0.999) return '> 99.9%'
  if (p < 0.001) return '< 0.1%'
  return p >= 0.01 && p <= 0.99 ? `${Math.round(p * 100)}%` : `${(p * 100).toFixed(1)}%`
}

const part = (p: number, more: string, notMore: string, likely: string): VerdictPart => {
  if (p >= VERDICT_PROBABILITY) return { probability: p, established: true, text: `${more} in ${percentText(p)} of iterations` }
  if (1 - p >= VERDICT_PROBABILITY)
    return { probability: p, established: true, text: `${notMore} in ${percentText(1 - p)} of iterations` }
  return { probability: p, established: false, text: `${likely} in ${percentText(p)} of iterations: not established` }
}

/** Where the means put a scenario against its comparator: the ICER's quadrant, or no difference in effect. */
export type IcerQuadrant =
  | 'no-difference'
  | 'costs-more-achieves-more'
  | 'saves-achieves-more'
  | 'costs-more-achieves-less'
  | 'saves-achieves-less'

export const icerQuadrant = (incCost: number, incEffect: number): IcerQuadrant => {
  if (incEffect === 0) return 'no-difference'
  if (incEffect > 0) return incCost <= 0 ? 'saves-achieves-more' : 'costs-more-achieves-more'
  return incCost >= 0 ? 'costs-more-achieves-less' : 'saves-achieves-less'
}

/** The ICER's quadrant from the means (hesim/dampack's reading), without dominance words: those need the probabilities. */
export const interpretIcer = (incCost: number, incEffect: number, scenario: string, comparator: string): string => {
  const on = `on the means ${scenario}`
  switch (icerQuadrant(incCost, incEffect)) {
    case 'no-difference':
      return `${on} achieves as many sustainable reintegrations as ${comparator} and costs ${incCost <= 0 ? 'no more' : 'more'}: no ICER`
    case 'saves-achieves-more':
      return `${on} costs less and achieves more than ${comparator}: the ratio is a saving, not a cost per reintegration`
    case 'costs-more-achieves-less':
      return `${on} costs more and achieves less than ${comparator}: the ratio has no meaning`
    case 'costs-more-achieves-more':
      return `${on} costs more and achieves more than ${comparator}: the ICER is the cost per additional sustainable reintegration`
    case 'saves-achieves-less':
      return `${on} costs less and achieves less than ${comparator}: the ICER is the saving per sustainable reintegration forgone`
  }
}

export interface VerdictInputs {
  scenarioTitle: string
  comparatorTitle: string
  probCheaper: number
  probMoreEffective: number
  meanIncrementalCost: number
  meanIncrementalSustainable: number
  /** The label of a comparison across different populations (population.ts), if it is one. */
  acrossPopulations?: string
}

export const verdict = (v: VerdictInputs): Verdict => {
  const a = v.scenarioTitle
  const b = v.comparatorTitle
  const cost = part(v.probCheaper, `costs less than ${b}`, `costs at least as much as ${b}`, `cheaper than ${b}`)
  const effect = part(
    v.probMoreEffective,
    `achieves more sustainable reintegrations than ${b}`,
    `achieves no more sustainable reintegrations than ${b}`,
    `more sustainable reintegrations than ${b}`,
  )
  // the joint probability is at least P(cheaper) + P(more effective) - 1 (Bonferroni): dominance needs that bound
  const both = v.probCheaper + v.probMoreEffective - 1
  const neither = 1 - v.probCheaper - v.probMoreEffective
  const pair = `cheaper in ${percentText(v.probCheaper)} and more sustainable reintegrations in ${percentText(v.probMoreEffective)} of iterations`
  let finding: Finding
  let sentence: string
  if (both >= VERDICT_PROBABILITY) {
    finding = 'dominates'
    sentence = `${a} dominates ${b}: ${pair}`
  } else if (neither >= VERDICT_PROBABILITY) {
    finding = 'dominated'
    sentence = `${a} is dominated by ${b}: ${pair}`
  } else if (cost.established && v.probCheaper >= VERDICT_PROBABILITY) {
    finding = 'saves-money'
    sentence = `${a} saves money against ${b}: ${cost.text}; ${effect.text}`
  } else if (cost.established) {
    finding = 'costs-more'
    sentence = `${a} ${cost.text}; ${effect.text}`
  } else {
    finding = 'not-established'
    sentence = `whether ${a} saves money against ${b} is not established: ${cost.text.replace(': not established', '')}; ${effect.text}`
  }
  const headline = v.acrossPopulations ? `Compared ${v.acrossPopulations}. ${capitalise(sentence)}` : capitalise(sentence)
  return {
    threshold: VERDICT_PROBABILITY,
    scenarioTitle: a,
    comparatorTitle: b,
    finding,
    headline,
    cost,
    effect,
    icerText: interpretIcer(v.meanIncrementalCost, v.meanIncrementalSustainable, a, b),
    ...(v.acrossPopulations ? { acrossPopulations: v.acrossPopulations } : {}),
  }
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)
