/** The headline numbers of a run and its comparison with the removal-only version, each with its uncertainty. */
import type { ComparisonReport } from '../../models/analysis/compare'
import type { MetricSummary } from '../../models/engine/run'
import { el, fill } from './dom'
import { formatCount, formatError, formatMoney, formatPercent } from './format'
import { HEADLINE } from './labels'
import { icerInWords, icerReading, icerValue, verdictSentence } from './verdicts'

const value = (m: MetricSummary | undefined, money: boolean, currency: string): string =>
  money ? formatMoney(m?.mean, currency) : formatCount(m?.mean)

const interval = (m: MetricSummary | undefined, money: boolean, currency: string): string => {
  const f = (x: number | null | undefined) => (money ? formatMoney(x, currency) : formatCount(x))
  return `90% interval ${f(m?.p05)} to ${f(m?.p95)}`
}

const card = (
  metric: string,
  label: string,
  main: string,
  lines: (string | false)[],
  help?: string,
): HTMLElement =>
  el(
    'div',
    { class: 'card', 'data-metric': metric },
    el('dt', { class: 'card-label' }, label),
    el('dd', { class: 'card-value' }, main),
    ...lines.filter((line): line is string => line !== false).map((line) => el('dd', { class: 'card-line' }, line)),
    help ? el('dd', { class: 'card-help' }, help) : null,
  )

const definedIn = (m: MetricSummary | undefined, iterations: number): string | false =>
  m?.n !== undefined ? `defined in ${m.n.toLocaleString('en-GB')} of ${iterations.toLocaleString('en-GB')} iterations` : false

/** The eight headline metrics: mean, 90% interval, Monte Carlo error and the removal-only value. */
export const renderHeadline = (container: HTMLElement, report: ComparisonReport): void => {
  const c = report.currency
  const cards = HEADLINE.map((h) => {
    const m = report.metrics[h.metric]
    const b = report.comparatorMetrics[h.metric]
    return card(
      h.metric,
      h.label,
      value(m, h.money, c),
      [
        interval(m, h.money, c),
        `Monte Carlo error ± ${formatError(m?.mcse, h.money, c)}`,
        `Its removal-only version: ${value(b, h.money, c)}`,
        definedIn(m, report.iterations),
      ],
      h.help,
    )
  })
  fill(container, el('dl', { class: 'cards' }, ...cards))
}

/**
 * The verdict in a sentence, then incremental cost, P(cheaper), ICER and incremental sustainable reintegrations
 * against the comparator, both named by title.
 */
export const renderVersus = (
  container: HTMLElement,
  report: ComparisonReport,
  titles: { scenario: string; comparator: string },
): void => {
  const c = report.currency
  const k = report.comparison
  const p = k.probCheaper
  const pError = Math.sqrt((p * (1 - p)) / report.iterations)
  const cards = [
    card(
      'incrementalCost',
      'Incremental cost',
      formatMoney(k.incrementalCost.mean, c),
      [
        interval(k.incrementalCost, true, c),
        `Monte Carlo error ± ${formatError(k.incrementalCost.mcse, true, c)}`,
      ],
      'the scenario minus its comparator; negative is a saving',
    ),
    card(
      'probCheaper',
      'Probability of being cheaper',
      formatPercent(p),
      [`Monte Carlo error ± ${formatPercent(pError)}`],
      'share of iterations in which the scenario costs less than its comparator',
    ),
    card(
      'icer',
      'ICER',
      icerValue(report, (x) => formatMoney(x, c)),
      [
        icerReading(report, 'the scenario', 'its comparator'),
        icerInWords(report) && `ratio ${formatMoney(k.icer!, c)}`,
      ],
      'incremental cost per additional sustainable reintegration',
    ),
    card(
      'incrementalSustainable',
      'Additional sustainable reintegrations',
      formatCount(k.incrementalSustainable.mean),
      [
        interval(k.incrementalSustainable, false, c),
        `Monte Carlo error ± ${formatError(k.incrementalSustainable.mcse, false, c)}`,
      ],
    ),
  ]
  fill(
    container,
    el('p', { class: 'verdict', id: 'verdict' }, verdictSentence(report, titles.scenario, titles.comparator)),
    el('dl', { class: 'cards cards-versus' }, ...cards),
  )
}

/**
 * What a budget office reads beside the verdict: the incremental totals with and without stay, and the unit
 * costs (programme only, or net), each saying what it includes. Nothing where the report has none.
 */
export const renderUnitCosts = (container: HTMLElement, report: ComparisonReport): void => {
  const k = report.comparison
  const c = report.currency
  const range = (x: { p05?: number | null; p95?: number | null }) =>
    x.p05 !== undefined && x.p05 !== null && x.p95 !== undefined && x.p95 !== null ? `${formatMoney(x.p05, c)} to ${formatMoney(x.p95, c)}` : '–'
  const rows = [
    ...(k.totals ?? []).map((t) => ({ id: t.id, label: t.label, value: formatMoney(t.mean, c), range: range(t), includes: t.includes })),
    ...(k.unitCosts ?? []).map((u) => ({
      id: u.id,
      label: u.label,
      value: u.value === null ? 'not defined' : formatMoney(u.value, c),
      range: range(u),
      includes: u.note ? `${u.includes} ${u.note}` : u.includes,
    })),
  ]
  container.hidden = rows.length === 0
  if (rows.length === 0) return fill(container)
  fill(
    container,
    el('h3', { id: 'unit-costs-heading' }, 'Totals and unit costs against its removal-only version'),
    el(
      'div',
      { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-labelledby': 'unit-costs-heading' },
      el(
        'table',
        { class: 'unit-costs' },
        el('thead', {}, el('tr', {}, ...['', 'Mean', '90% interval', 'What it includes'].map((h) => el('th', { scope: 'col' }, h)))),
        el(
          'tbody',
          {},
          ...rows.map((r) =>
            el('tr', { 'data-unit': r.id }, el('th', { scope: 'row' }, r.label), el('td', {}, r.value), el('td', {}, r.range), el('td', { class: 'includes' }, r.includes)),
          ),
        ),
      ),
    ),
  )
}

/** Three numbers for the phone's summary strip. */
export const renderPulse = (container: HTMLElement, report: ComparisonReport): void => {
  const c = report.currency
  const item = (label: string, text: string) =>
    el('span', { class: 'pulse-item' }, el('span', { class: 'pulse-label' }, label), text)
  fill(
    container,
    item('Total cost', formatMoney(report.metrics.totalCost?.mean, c)),
    item('Sustainable', formatCount(report.metrics.sustainableReintegrations?.mean)),
    item('P(cheaper)', formatPercent(report.comparison.probCheaper)),
  )
  container.hidden = false
}
