/**
 * The comparison page: two to four scenarios side by side, each against its removal-only version and, where
 * currency and horizon match, against the first; then their assumptions, the ones that differ marked.
 */
import type { ComparisonReport } from '../../models/analysis/compare'
import type { MetricSummary } from '../../models/engine/run'
import { inCurrentFormat } from '../../models/engine/migrate'
import { parseScenario } from '../../models/engine/scenario'
import { ApiProblem, compareReport, describeError } from './api'
import { assumptionRows } from './assumptions'
import { byId, el, fill } from './dom'
import { formatCount, formatIterations, formatMoney, formatPercent } from './format'
import { HEADLINE } from './labels'
import { seedValue, type ComparePageData } from './page-data'
import { icerReading, icerValue, verdictSentence } from './verdicts'

type Raw = Record<string, unknown>

interface Column {
  title: string
  currency: string
  alone?: ComparisonReport
  /** Against the first scenario; a reason where they cannot be compared. */
  againstFirst?: ComparisonReport | string
  /** Refused as another population: the differences, and a way to compare all the same. */
  otherPopulation?: string
  error?: string
}

const textCell = (text: string, note?: string): HTMLElement =>
  el('td', {}, el('span', { class: 'cell-value' }, text), note ? el('span', { class: 'cell-interval' }, note) : null)

/** A mean and its interval; a column still running shows an ellipsis. */
const metricCell = (m: MetricSummary | undefined, money: boolean, currency: string): HTMLElement => {
  if (!m) return textCell('…')
  const f = (x: number | null | undefined) => (money ? formatMoney(x, currency) : formatCount(x))
  return textCell(f(m.mean), `90%: ${f(m.p05)} to ${f(m.p95)}`)
}

/** What a column shows while its run is pending, or after it failed. */
const waiting = (c: Column): HTMLElement => textCell(c.error ? '–' : '…')

const rowOf = (label: string, cells: HTMLElement[], attrs: Record<string, string> = {}): HTMLElement =>
  el('tr', attrs, el('th', { scope: 'row' }, label), ...cells)

const scrollingTable = (label: string, table: HTMLElement): HTMLElement =>
  el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label }, table)

export const startComparePage = (data: ComparePageData): void => {
  const url = new URL(location.href)
  const seed = url.searchParams.get('seed') || data.defaults.seed
  const asked = Number(url.searchParams.get('n'))
  const iterations =
    Number.isInteger(asked) && asked >= 1 && asked <= data.limits.maxCompareIterations ? asked : data.defaults.iterations
  const raws = data.scenarios.map((s) => inCurrentFormat(s.scenario) as Raw)
  const columns: Column[] = raws.map((raw, i) => ({
    title: typeof raw.title === 'string' ? raw.title : data.scenarios[i].id,
    currency: String(raw.currency ?? ''),
  }))
  const status = byId('run-status')
  const progress = byId<HTMLProgressElement>('run-progress')
  const resultsBox = byId('compare-results')

  const renderResults = () => {
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'Metric'),
      ...columns.map((c, i) =>
        el('th', { scope: 'col' }, el('span', { class: 'col-number' }, `Scenario ${i + 1}`), el('span', { class: 'col-title' }, c.title)),
      ),
    )
    const groupRow = (label: string) =>
      el('tr', { class: 'group-row' }, el('th', { scope: 'colgroup', colspan: columns.length + 1 }, label))
    const alone = (cell: (r: ComparisonReport, c: Column) => HTMLElement) =>
      columns.map((c) => (c.alone ? cell(c.alone, c) : waiting(c)))
    const offered = new Set<number>()
    const againstFirst = (cell: (r: ComparisonReport, c: Column) => HTMLElement) =>
      columns.map((c, i) => {
        if (i === 0) return textCell('reference')
        if (typeof c.againstFirst === 'string') {
          const cellBox = textCell('–', c.againstFirst)
          // one offer per column, in its first row
          if (c.otherPopulation !== undefined && !offered.has(i)) {
            offered.add(i)
            const anyway = el('button', { type: 'button', class: 'secondary', id: `compare-anyway-${i}` }, 'Compare anyway (different populations)')
            anyway.addEventListener('click', () => againstFirstRun(i, true))
            cellBox.append(anyway)
          }
          return cellBox
        }
        return c.againstFirst ? cell(c.againstFirst, c) : textCell('…')
      })
    const first = columns[0].title
    const ownComparator = (c: Column) => `${c.title} (removal only)`
    // the columns are headed by their titles: the ICER's reading names them shortly
    const icer = (against: string) => (r: ComparisonReport, c: Column) =>
      textCell(icerValue(r, (x) => formatMoney(x, c.currency)), icerReading(r, `scenario ${columns.indexOf(c) + 1}`, against))
    const verdict = (against: (c: Column) => string) => (r: ComparisonReport, c: Column) =>
      textCell(verdictSentence(r, c.title, against(c)))
    const rows = [
      groupRow('Results (mean and 90% interval)'),
      ...HEADLINE.map((h) => rowOf(h.label, alone((r, c) => metricCell(r.metrics[h.metric], h.money, c.currency)), { 'data-metric': h.metric })),
      groupRow('Against its removal-only version'),
      rowOf('Incremental cost', alone((r, c) => metricCell(r.comparison.incrementalCost, true, c.currency))),
      rowOf('Probability of being cheaper', alone((r) => textCell(formatPercent(r.comparison.probCheaper)))),
      rowOf('ICER (per additional sustainable reintegration)', alone(icer('its removal-only version'))),
      rowOf('Verdict', alone(verdict(ownComparator)), { 'data-row': 'verdict-own' }),
      groupRow(`Against scenario 1, ${first} (paired: the same random numbers)`),
      rowOf('Incremental cost', againstFirst((r, c) => metricCell(r.comparison.incrementalCost, true, c.currency))),
      rowOf(
        'Additional sustainable reintegrations',
        againstFirst((r, c) => metricCell(r.comparison.incrementalSustainable, false, c.currency)),
      ),
      rowOf('Probability of being cheaper', againstFirst((r) => textCell(formatPercent(r.comparison.probCheaper)))),
      rowOf('ICER', againstFirst(icer('scenario 1'))),
      rowOf('Verdict', againstFirst(verdict(() => first)), { 'data-row': 'verdict-first' }),
    ]
    const errors = columns.flatMap((c, i) => (c.error ? [el('p', { class: 'field-message' }, `Scenario ${i + 1}: ${c.error}`)] : []))
    const caption = `Each scenario over ${formatIterations(iterations)}, seed ${seed}`
    fill(
      resultsBox,
      ...errors,
      el('p', { class: 'scroll-hint', id: 'compare-scroll-hint' }, `Scroll the table sideways for ${columns.length > 2 ? `the other ${columns.length - 1} scenarios` : 'the other scenario'}: the metric names stay in view.`),
      scrollingTable(
        'Results side by side',
        el('table', { class: 'compare-table' }, el('caption', {}, caption), el('thead', {}, head), el('tbody', {}, ...rows)),
      ),
    )
  }

  const renderAssumptions = () => {
    const rows = assumptionRows(raws)
    const differing = rows.filter((r) => r.differs).length
    const onlyDiffering = el('input', { type: 'checkbox', id: 'only-differing', checked: true })
    const body = el('tbody')
    const draw = () =>
      fill(
        body,
        ...rows
          .filter((r) => r.differs || !onlyDiffering.checked)
          .map((r) =>
            el(
              'tr',
              { class: r.differs ? 'differs' : undefined, 'data-key': r.key },
              el('th', { scope: 'row' }, r.differs ? el('span', { class: 'differs-mark' }, 'differs') : null, r.label),
              ...r.values.map((v, i) => el('td', { class: r.differsFromFirst[i] ? 'cell-differs' : undefined }, v)),
            ),
          ),
      )
    onlyDiffering.addEventListener('change', draw)
    draw()
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'Assumption'),
      ...columns.map((c, i) => el('th', { scope: 'col' }, `Scenario ${i + 1}: ${c.title}`)),
    )
    fill(
      byId('compare-assumptions'),
      el(
        'p',
        {},
        `${differing} of ${rows.length} assumptions differ between these scenarios; they are marked “differs”, ` +
          'and values that differ from scenario 1 are in bold.',
      ),
      el('div', { class: 'check' }, onlyDiffering, el('label', { for: 'only-differing' }, 'Show only the assumptions that differ')),
      scrollingTable(
        'Assumptions side by side',
        el(
          'table',
          { class: 'compare-table assumptions-table' },
          el('caption', {}, 'Assumptions of each scenario'),
          el('thead', {}, head),
          body,
        ),
      ),
    )
  }

  renderAssumptions()
  renderResults()

  // every run goes to the server: each scenario alone, and each against the first where comparable
  const body = { iterations, seed: seedValue(seed) }
  const jobs: Promise<void>[] = []
  let done = 0
  const tick = () => {
    done++
    progress.value = done / jobs.length
    const finished = done >= jobs.length
    status.textContent = finished
      ? `${formatIterations(iterations)} each, seed ${seed}, engine ${data.engineVersion}.`
      : `Running: ${done} of ${jobs.length} comparisons done…`
    progress.hidden = finished
    if (finished) resultsBox.dataset.complete = 'true'
    renderResults()
  }
  /** Scenario i against the first: refused across populations unless asked for, then labelled so. */
  const againstFirstRun = (i: number, compareAnyway: boolean): Promise<void> => {
    const column = columns[i]
    column.againstFirst = undefined
    column.otherPopulation = undefined
    if (compareAnyway) renderResults()
    return compareReport({ scenarios: [raws[i], raws[0]], ...body, ...(compareAnyway ? { compareAnyway } : {}) })
      .then((r) => void (column.againstFirst = r))
      .catch((e: unknown) => {
        column.againstFirst = describeError(e)
        if (e instanceof ApiProblem && e.problems.some((p) => /\.groups/.test(p.path))) column.otherPopulation = column.againstFirst
      })
      .finally(() => compareAnyway && renderResults())
  }

  raws.forEach((raw, i) => {
    const parsed = parseScenario(raw)
    if (!parsed.ok) {
      columns[i].error = `not a valid scenario (${parsed.problems[0].path}: ${parsed.problems[0].message})`
      return
    }
    jobs.push(
      compareReport({ scenarios: [raw], ...body })
        .then((r) => void (columns[i].alone = r))
        .catch((e: unknown) => void (columns[i].error = describeError(e)))
        .finally(tick),
    )
    if (i === 0) return
    const first = raws[0]
    if (raw.currency !== first.currency) {
      columns[i].againstFirst = `not comparable: ${String(raw.currency)} against ${String(first.currency)}`
      return
    }
    if (raw.horizonMonths !== first.horizonMonths) {
      columns[i].againstFirst = 'not comparable: different horizons'
      return
    }
    jobs.push(againstFirstRun(i, false).finally(tick))
  })
  progress.value = 0
  status.textContent = `Running ${jobs.length} comparisons of ${formatIterations(iterations)} on the server…`
  if (jobs.length === 0) {
    status.textContent = 'None of these scenarios can be run.'
    progress.hidden = true
    resultsBox.dataset.complete = 'true'
  }
}
