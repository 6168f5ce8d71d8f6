/**
 * The charts, drawn with Observable Plot: histograms of total cost and of cost per sustainable reintegration,
 * monthly fan charts, the budget by year and cost line, the cost-effectiveness plane and the CEAC. Each is a
 * figure with a caption, its numbers as a table, and a PNG download.
 */
import * as Plot from '@observablehq/plot'
import type { ComparisonReport } from '../../models/analysis/compare'
import { COST_LINES, type CostLine } from '../../models/engine/layout'
import type { RunReport } from '../../models/engine/run'
import { downloadBlob, el, fill } from './dom'
import { formatCount, formatIterations, formatMoney, formatPercent } from './format'
import { COST_LINE_LABELS, RETURN_KIND_LABELS } from './labels'
import type { PreviewSamples } from './preview-protocol'
import { horizonOf, yearLabel } from './budget'

export interface ChartData {
  currency: string
  /** Iterations of the run the summaries come from. */
  runIterations?: number
  run?: RunReport
  comparison?: ComparisonReport
  samples?: PreviewSamples
  /** The first calendar year of the horizon (the budget's years are named by it). */
  startYear?: number
}

interface LegendItem {
  label: string
  color: string
}

/** What a chart's own checkbox changes (the budget leaves out the cost of stay to show the rest). */
interface ChartView {
  option: boolean
}

interface ChartSpec {
  id: string
  title: string
  /** A checkbox of the chart, checked at first. */
  option?: string
  ready(d: ChartData): boolean
  caption(d: ChartData, v: ChartView): string
  plot(d: ChartData, width: number, v: ChartView): Element
  legend?(d: ChartData, v: ChartView): LegendItem[]
  table(d: ChartData): HTMLTableElement
}

export const BLUE = '#1f5f99'
const RETURN_COLORS: Record<keyof typeof RETURN_KIND_LABELS, string> = {
  returnsAssisted: '#1f5f99',
  returnsForced: '#b3261e',
  returnsUnassisted: '#6b6b6b',
}
const LINE_COLORS: Record<CostLine, string> = {
  stay: '#a3a3a3',
  counselling: '#1b9e77',
  outreach: '#66c2a5',
  travel: '#2c7fb8',
  cash: '#08306b',
  inKind: '#6baed6',
  complexTopUp: '#9ecae1',
  training: '#54278f',
  psychosocial: '#9e9ac8',
  caseManagement: '#80cdc1',
  community: '#35978f',
  programmeFixed: '#01665e',
  detention: '#99000d',
  escortAndTravel: '#ef6548',
  failedAttempts: '#fdae6b',
  removalAdmin: '#d94801',
}
const Z95 = 1.6448536269514722
const COMPACT = new Intl.NumberFormat('en-GB', { notation: 'compact', maximumSignificantDigits: 3 })
export const compact = (x: number): string => COMPACT.format(x)

/** Money on an axis: the unit that keeps tick labels short. */
export const moneyUnit = (values: number[], currency: string): { div: number; label: string } => {
  const max = values.reduce((m, x) => (Number.isFinite(x) ? Math.max(m, Math.abs(x)) : m), 0)
  if (max >= 1e9) return { div: 1e9, label: `${currency} bn` }
  if (max >= 1e6) return { div: 1e6, label: `${currency} m` }
  if (max >= 1e4) return { div: 1e3, label: `${currency} thousand` }
  return { div: 1, label: currency }
}

/** An axis title that fits the chart: the full one where it fits, else the short (the caption says it in full). */
export const axisTitle = (full: string, short: string, width: number): string => (full.length * 6.8 + 40 > width ? short : full)

/** Room under the plot for tick labels and the x axis title, which must not touch or be cut. */
export const X_TITLE = { marginBottom: 46, labelOffset: 38 } as const

const quantileSorted = (sorted: ArrayLike<number>, q: number): number => {
  if (sorted.length === 0) return NaN
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

const finiteSorted = (values: Float64Array): Float64Array => values.filter(Number.isFinite).sort()

export const table = (caption: string, head: string[], rows: (string | number)[][]): HTMLTableElement =>
  el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...rows.map((row) =>
        el(
          'tr',
          {},
          ...row.map((cell, i) =>
            i === 0 ? el('th', { scope: 'row' }, String(cell)) : el('td', {}, String(cell)),
          ),
        ),
      ),
    ),
  )

const sampleNote = (d: ChartData): string => {
  const n = d.samples?.totalCost.length ?? 0
  const runN = d.runIterations ?? 0
  const of = runN > n ? ` of the ${runN.toLocaleString('en-GB')}` : ''
  return `The first ${formatIterations(n)}${of} (same seed), computed in your browser.`
}

const summaryRows = (sorted: Float64Array, fmt: (x: number) => string): (string | number)[][] => {
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length
  return [
    ['Mean', fmt(mean)],
    ['5th percentile', fmt(quantileSorted(sorted, 0.05))],
    ['Median', fmt(quantileSorted(sorted, 0.5))],
    ['95th percentile', fmt(quantileSorted(sorted, 0.95))],
    ['Iterations', sorted.length.toLocaleString('en-GB')],
  ]
}

/** A histogram of per-iteration money values, trimmed to the 1st-99th percentiles when the tails are long. */
const histogram = (
  sorted: Float64Array,
  d: ChartData,
  width: number,
  label: string,
  short: string,
  trim: boolean,
): Element => {
  const lo = trim ? quantileSorted(sorted, 0.01) : -Infinity
  const hi = trim ? quantileSorted(sorted, 0.99) : Infinity
  const shown = Array.from(sorted.filter((x) => x >= lo && x <= hi))
  const unit = moneyUnit(shown, d.currency)
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length
  return Plot.plot({
    width,
    height: 250,
    marginLeft: 52,
    marginRight: 20,
    marginBottom: X_TITLE.marginBottom,
    style: { fontSize: '12px' },
    x: {
      label: axisTitle(`${label} (${unit.label})`, `${short} (${unit.label})`, width),
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: X_TITLE.labelOffset,
      tickFormat: compact,
    },
    y: { label: 'Iterations', grid: true, labelArrow: 'none' },
    marks: [
      Plot.rectY(
        shown,
        Plot.binX<Plot.RectYOptions>(
          { y: 'count' },
          { x: (v: number) => v / unit.div, thresholds: 30, fill: BLUE, fillOpacity: 0.85, inset: 0.5 },
        ),
      ),
      Plot.ruleY([0]),
      Plot.ruleX([mean / unit.div], { stroke: '#111', strokeWidth: 2, strokeDasharray: '4 3' }),
    ],
    ariaLabel: `Histogram of ${label.toLowerCase()} over iterations`,
    ariaDescription:
      `Mean ${formatMoney(mean, d.currency)}, 90% of iterations between ` +
      `${formatMoney(quantileSorted(sorted, 0.05), d.currency)} and ` +
      `${formatMoney(quantileSorted(sorted, 0.95), d.currency)}; the dashed line is the mean.`,
  })
}

interface FanRow {
  month: number
  series: string
  mean: number
  lo: number
  hi: number
}

const fanRows = (run: RunReport, series: string, name: string): FanRow[] => {
  const s = run.monthly[series]
  return s.mean.map((mean, t) => {
    const m = mean ?? 0
    const sd = s.sd[t] ?? 0
    return { month: t + 1, series: name, mean: m, lo: Math.max(0, m - Z95 * sd), hi: m + Z95 * sd }
  })
}

const fanTable = (run: RunReport, series: string, caption: string): HTMLTableElement =>
  table(
    caption,
    ['Month', 'Mean', 'Band low', 'Band high'],
    fanRows(run, series, series).map((r) => [r.month, formatCount(r.mean), formatCount(r.lo), formatCount(r.hi)]),
  )

/** Mean lines with their bands; several series each get a panel of their own, so that no band hides another. */
const fanPlot = (rows: FanRow[], width: number, yLabel: string, colors: LegendItem[], aria: string): Element => {
  const panels = colors.length > 1
  const names = colors.map((c) => c.label)
  return Plot.plot({
    width,
    height: panels ? 40 + 130 * colors.length : 270,
    marginLeft: 60,
    marginRight: 16,
    marginBottom: X_TITLE.marginBottom,
    style: { fontSize: '12px' },
    x: { label: 'Month', labelArrow: 'none', labelAnchor: 'center', labelOffset: X_TITLE.labelOffset },
    y: { label: yLabel, grid: true, labelArrow: 'none', tickFormat: compact },
    fy: panels ? { domain: names, axis: null, padding: 0.12 } : undefined,
    color: { domain: names, range: colors.map((c) => c.color) },
    marks: [
      Plot.areaY(rows, { x: 'month', y1: 'lo', y2: 'hi', z: 'series', fill: 'series', fillOpacity: 0.22, fy: panels ? 'series' : undefined, className: 'fan-band' }),
      Plot.lineY(rows, { x: 'month', y: 'mean', z: 'series', stroke: 'series', strokeWidth: 2, fy: panels ? 'series' : undefined }),
      Plot.ruleY([0]),
      panels
        ? Plot.text(names, { fy: (n: string) => n, text: (n: string) => n, frameAnchor: 'top-left', dx: 6, dy: 4, fontWeight: 700, fill: '#111' })
        : null,
      Plot.tip(
        rows,
        Plot.pointerX({
          x: 'month',
          y: 'mean',
          fy: panels ? 'series' : undefined,
          title: (r: FanRow) =>
            `${r.series}, month ${r.month}: ${formatCount(r.mean)} ` +
            `(band ${formatCount(r.lo)} to ${formatCount(r.hi)})`,
        }),
      ),
    ],
    ariaLabel: aria,
    ariaDescription: 'Lines are means over iterations; shaded bands are the mean plus or minus 1.645 standard deviations.',
  })
}

const returnKinds = Object.keys(RETURN_KIND_LABELS) as (keyof typeof RETURN_KIND_LABELS)[]

const budgetYears = (d: ChartData) => d.run!.budgetByYear.map((y) => yearLabel(y.year, horizonOf(d.run!), d.startYear))

const budgetRows = (d: ChartData, withStay = true) => {
  const run = d.run!
  const used = COST_LINES.filter((line) => (withStay || line !== 'stay') && run.budgetByYear.some((y) => (y.lines[line].mean ?? 0) > 0))
  const names = budgetYears(d)
  return {
    used,
    rows: run.budgetByYear.flatMap((y, i) =>
      used.map((line) => ({ year: names[i], line: COST_LINE_LABELS[line], value: y.lines[line].mean ?? 0 })),
    ),
  }
}

const CHARTS: ChartSpec[] = [
  {
    id: 'total-cost',
    title: 'Total cost',
    ready: (d) => d.samples !== undefined,
    caption: (d) => `How the total cost varies over iterations; the dashed line is the mean. ${sampleNote(d)}`,
    plot: (d, width) => histogram(finiteSorted(d.samples!.totalCost), d, width, 'Total cost', 'Total cost', false),
    table: (d) =>
      table(
        'Total cost over iterations',
        ['Statistic', 'Total cost'],
        summaryRows(finiteSorted(d.samples!.totalCost), (x) => formatMoney(x, d.currency)),
      ),
  },
  {
    id: 'cost-per-sustainable',
    title: 'Cost per sustainable reintegration',
    ready: (d) => d.samples !== undefined && finiteSorted(d.samples.costPerSustainableReintegration).length > 1,
    caption: (d) => {
      const all = d.samples!.costPerSustainableReintegration.length
      const defined = finiteSorted(d.samples!.costPerSustainableReintegration).length
      const undefinedNote =
        defined < all ? ` Not defined in ${all - defined} iterations without a sustainable reintegration.` : ''
      return (
        'Total cost over sustainable reintegrations, per iteration; the 1% extremes at each end are not ' +
        `drawn.${undefinedNote} ${sampleNote(d)}`
      )
    },
    plot: (d, width) =>
      histogram(
        finiteSorted(d.samples!.costPerSustainableReintegration),
        d,
        width,
        'Cost per sustainable reintegration',
        'Cost per reintegration',
        true,
      ),
    table: (d) =>
      table(
        'Cost per sustainable reintegration over iterations',
        ['Statistic', 'Cost per sustainable reintegration'],
        summaryRows(finiteSorted(d.samples!.costPerSustainableReintegration), (x) => formatMoney(x, d.currency)),
      ),
  },
  {
    id: 'eligible',
    title: 'People eligible to return, by month',
    ready: (d) => d.run !== undefined,
    caption: () =>
      'People in the country with no right to stay at the start of each month: mean and band (mean ± 1.645 sd).',
    plot: (d, width) =>
      fanPlot(
        fanRows(d.run!, 'eligible', 'Eligible'),
        width,
        'People',
        [{ label: 'Eligible', color: BLUE }],
        'Fan chart of people eligible to return by month',
      ),
    table: (d) => fanTable(d.run!, 'eligible', 'People eligible by month'),
  },
  {
    id: 'waiting',
    title: 'Waiting list by month',
    ready: (d) => d.run !== undefined && d.run.monthly.waiting !== undefined,
    caption: (d) =>
      (d.run!.monthly.waiting.mean.some((x) => (x ?? 0) > 0)
        ? 'People who chose to return and wait for a place, at the end of each month: mean and band (mean ± 1.645 sd).'
        : 'No one waits: the capacity never binds in this scenario.'),
    plot: (d, width) =>
      fanPlot(fanRows(d.run!, 'waiting', 'Waiting'), width, 'People waiting', [{ label: 'Waiting', color: '#8c510a' }], 'Fan chart of the waiting list by month'),
    table: (d) => fanTable(d.run!, 'waiting', 'People waiting by month'),
  },
  {
    id: 'returns',
    title: 'Returns by kind, by month',
    ready: (d) => d.run !== undefined,
    caption: () =>
      'Assisted, forced and unassisted returns each month, one panel each on the same scale: means and bands ' +
      '(mean ± 1.645 sd).',
    legend: () => returnKinds.map((k) => ({ label: RETURN_KIND_LABELS[k], color: RETURN_COLORS[k] })),
    plot: (d, width) =>
      fanPlot(
        returnKinds.flatMap((k) => fanRows(d.run!, k, RETURN_KIND_LABELS[k])),
        width,
        'Returns a month',
        returnKinds.map((k) => ({ label: RETURN_KIND_LABELS[k], color: RETURN_COLORS[k] })),
        'Fan chart of assisted, forced and unassisted returns by month',
      ),
    table: (d) => {
      const series = returnKinds.map((k) => d.run!.monthly[k].mean)
      return table(
        'Mean returns by month and kind',
        ['Month', ...returnKinds.map((k) => RETURN_KIND_LABELS[k])],
        series[0].map((_, t) => [t + 1, ...series.map((s) => formatCount(s[t]))]),
      )
    },
  },
  {
    id: 'budget',
    title: 'Budget by year and cost line',
    option: 'Include the cost of stay',
    ready: (d) => d.run !== undefined,
    caption: (d, v) =>
      `Mean cost each year, stacked by cost line (${d.currency}, discounted as the scenario says).` +
      (v.option ? ' Leave out the cost of stay to see the other lines.' : ' Without the cost of stay.'),
    legend: (d, v) =>
      budgetRows(d, v.option).used.map((line) => ({ label: COST_LINE_LABELS[line], color: LINE_COLORS[line] })),
    plot: (d, width, v) => {
      const { used, rows } = budgetRows(d, v.option)
      const unit = moneyUnit(d.run!.budgetByYear.map((y) => used.reduce((sum, line) => sum + (y.lines[line].mean ?? 0), 0)), d.currency)
      return Plot.plot({
        width,
        height: 280,
        marginLeft: 56,
        style: { fontSize: '12px' },
        x: { label: null, domain: budgetYears(d) },
        y: { label: `Cost (${unit.label})`, grid: true, labelArrow: 'none' },
        color: { domain: used.map((l) => COST_LINE_LABELS[l]), range: used.map((l) => LINE_COLORS[l]) },
        marks: [
          Plot.barY(rows, {
            x: 'year',
            y: (r: { value: number }) => r.value / unit.div,
            fill: 'line',
            order: used.map((l) => COST_LINE_LABELS[l]),
            title: (r: { year: string; line: string; value: number }) => `${r.year}, ${r.line}: ${formatMoney(r.value, d.currency)}`,
            tip: true,
          }),
          Plot.ruleY([0]),
        ],
        ariaLabel: 'Stacked bar chart of the budget by year and cost line',
        ariaDescription: d.run!.budgetByYear.map((y, i) => `${budgetYears(d)[i]}: ${formatMoney(y.total.mean, d.currency)}`).join('; '),
      })
    },
    table: (d) => {
      const { used } = budgetRows(d)
      return table(
        `Mean cost by year and cost line (${d.currency})`,
        ['Cost line', ...budgetYears(d)],
        [
          ...used.map((line) => [COST_LINE_LABELS[line], ...d.run!.budgetByYear.map((y) => formatMoney(y.lines[line].mean, d.currency))]),
          ['Total', ...d.run!.budgetByYear.map((y) => formatMoney(y.total.mean, d.currency))],
        ],
      )
    },
  },
  {
    id: 'ce-plane',
    title: 'Cost-effectiveness plane',
    ready: (d) => d.samples !== undefined,
    caption: (d) =>
      'Each dot is one iteration: the scenario against removal only, with the same random numbers. Below the ' +
      'horizontal line it is cheaper; right of the vertical line it achieves more sustainable reintegrations. ' +
      `The black dot is the mean. ${sampleNote(d)}`,
    plot: (d, width) => {
      const s = d.samples!
      const points = Array.from(s.incrementalCost, (cost, i) => ({ cost, effect: s.incrementalSustainable[i] }))
      const unit = moneyUnit(points.map((p) => p.cost), d.currency)
      const mean = {
        cost: points.reduce((a, p) => a + p.cost, 0) / points.length,
        effect: points.reduce((a, p) => a + p.effect, 0) / points.length,
      }
      return Plot.plot({
        width,
        height: Math.min(420, Math.max(260, width * 0.6)),
        marginLeft: 60,
        marginRight: 20,
        marginBottom: X_TITLE.marginBottom,
        style: { fontSize: '12px' },
        x: {
          label: axisTitle('Additional sustainable reintegrations', 'Additional reintegrations', width),
          labelAnchor: 'center',
          labelArrow: 'none',
          labelOffset: X_TITLE.labelOffset,
          tickFormat: compact,
        },
        y: { label: `Additional cost (${unit.label})`, grid: true, labelArrow: 'none' },
        marks: [
          Plot.ruleX([0], { stroke: '#555' }),
          Plot.ruleY([0], { stroke: '#555' }),
          Plot.dot(points, { x: 'effect', y: (p: { cost: number }) => p.cost / unit.div, r: 1.8, fill: BLUE, fillOpacity: 0.35 }),
          Plot.dot([mean], { x: 'effect', y: (p: { cost: number }) => p.cost / unit.div, r: 5, fill: '#111', stroke: 'white' }),
        ],
        ariaLabel: 'Scatter plot of incremental cost against incremental sustainable reintegrations, one dot per iteration',
        ariaDescription:
          `Mean: ${formatMoney(mean.cost, d.currency)} additional cost for ` +
          `${formatCount(mean.effect)} additional sustainable reintegrations.`,
      })
    },
    table: (d) => {
      const s = d.samples!
      const n = s.incrementalCost.length
      const share = (test: (c: number, e: number) => boolean) =>
        formatPercent(Array.from(s.incrementalCost).filter((c, i) => test(c, s.incrementalSustainable[i])).length / n)
      return table('Where the iterations fall on the plane', ['Quadrant', 'Share of iterations'], [
        ['Cheaper and more reintegrations (dominates)', share((c, e) => c < 0 && e > 0)],
        ['Costlier and more reintegrations', share((c, e) => c >= 0 && e > 0)],
        ['Cheaper and no more reintegrations', share((c, e) => c < 0 && e <= 0)],
        ['Costlier and no more reintegrations (dominated)', share((c, e) => c >= 0 && e <= 0)],
      ])
    },
  },
  {
    id: 'ceac',
    title: 'Cost-effectiveness acceptability curve',
    ready: (d) => d.comparison !== undefined,
    caption: (d) =>
      'The probability that the scenario is cost-effective against removal only, for each amount ' +
      `(${d.currency}) one is willing to pay per additional sustainable reintegration. At 0 it is the ` +
      `probability of being cheaper: ${formatPercent(d.comparison!.comparison.probCheaper)}.`,
    plot: (d, width) => {
      const rows = d.comparison!.comparison.ceac.filter((r) => r.wtp > 0)
      return Plot.plot({
        width,
        height: 260,
        marginLeft: 52,
        marginRight: 24,
        marginBottom: X_TITLE.marginBottom,
        style: { fontSize: '12px' },
        x: {
          type: 'log',
          label: axisTitle(`Willingness to pay per sustainable reintegration (${d.currency})`, `Willingness to pay (${d.currency})`, width),
          labelAnchor: 'center',
          labelArrow: 'none',
          labelOffset: X_TITLE.labelOffset,
          tickFormat: compact,
        },
        y: { domain: [0, 1], label: 'Probability cost-effective', grid: true, percent: false, tickFormat: '.0%', labelArrow: 'none' },
        marks: [
          Plot.lineY(rows, { x: 'wtp', y: 'probCostEffective', stroke: BLUE, strokeWidth: 2 }),
          Plot.dot(rows, { x: 'wtp', y: 'probCostEffective', fill: BLUE, r: 3 }),
          Plot.tip(
            rows,
            Plot.pointerX({
              x: 'wtp',
              y: 'probCostEffective',
              title: (r: { wtp: number; probCostEffective: number }) =>
                `${formatMoney(r.wtp, d.currency)}: ${formatPercent(r.probCostEffective)}`,
            }),
          ),
        ],
        ariaLabel: 'Cost-effectiveness acceptability curve',
        ariaDescription: rows.map((r) => `${formatMoney(r.wtp, d.currency)}: ${formatPercent(r.probCostEffective)}`).join('; '),
      })
    },
    table: (d) =>
      table(
        'Probability of being cost-effective by willingness to pay',
        ['Willingness to pay', 'Probability cost-effective'],
        d.comparison!.comparison.ceac.map((r) => [formatMoney(r.wtp, d.currency), formatPercent(r.probCostEffective)]),
      ),
  },
]

/**
 * One image with a name and a description for assistive technology: Plot labels each mark's <g> (an
 * aria-label without a role, which ARIA does not allow); the figure's table carries the numbers.
 */
export const accessible = (chart: Element): Element => {
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg')
  if (!svg) return chart
  svg.setAttribute('role', 'img')
  const description = svg.getAttribute('aria-description')
  if (description) {
    svg.removeAttribute('aria-description')
    const desc = document.createElementNS('http://www.w3.org/2000/svg', 'desc')
    desc.textContent = description
    svg.prepend(desc)
  }
  for (const node of svg.querySelectorAll('[aria-label], [aria-description]')) {
    node.removeAttribute('aria-label')
    node.removeAttribute('aria-description')
  }
  return chart
}

export const legendList = (items: LegendItem[]): HTMLElement =>
  el(
    'ul',
    { class: 'legend' },
    ...items.map((item) =>
      el('li', {}, el('span', { class: 'swatch', style: `background:${item.color}`, 'aria-hidden': 'true' }), item.label),
    ),
  )

/** The parts of one chart's figure that are redrawn. */
interface Figure {
  plot: HTMLElement
  legend: HTMLElement
  caption: HTMLElement
  table: HTMLElement
  view: ChartView
}

/** The charts of one page: figures made once, redrawn (at most once a frame) when their data change. */
export class Charts {
  private data: ChartData
  private frame = 0
  private readonly figures = new Map<string, Figure>()

  constructor(
    private readonly container: HTMLElement,
    currency: string,
    private readonly fileStem: () => string,
  ) {
    this.data = { currency }
    for (const spec of CHARTS) {
      const captionText = el('span', { class: 'chart-note' })
      const plot = el('div', { class: 'chart-plot' }, el('p', { class: 'chart-wait' }, 'Waiting for results…'))
      const legend = el('div', { class: 'chart-legend' })
      const tableWrap = el('div', {
        class: 'table-wrap',
        tabindex: 0,
        role: 'region',
        'aria-label': `${spec.title}: the numbers`,
      })
      const button = el('button', { type: 'button', class: 'secondary' }, `Download “${spec.title}” as PNG`)
      button.addEventListener('click', () => void this.downloadPng(spec))
      const view: ChartView = { option: true }
      let option: HTMLElement | null = null
      if (spec.option) {
        const box = el('input', { type: 'checkbox', id: `chart-${spec.id}-option`, checked: true })
        box.addEventListener('change', () => {
          view.option = box.checked
          this.drawOne(spec)
        })
        option = el('div', { class: 'check chart-option' }, box, el('label', { for: box.id }, spec.option))
      }
      const figure = el(
        'figure',
        { class: 'chart', id: `chart-${spec.id}` },
        el('figcaption', {}, el('h3', { class: 'chart-title' }, spec.title), captionText),
        option,
        legend,
        plot,
        el('details', { class: 'chart-data' }, el('summary', {}, 'Show the numbers'), tableWrap),
        el('div', { class: 'chart-actions' }, button),
      )
      container.appendChild(figure)
      this.figures.set(spec.id, { plot, legend, caption: captionText, table: tableWrap, view })
    }
    // redraw when the width changes (a phone turned, a window resized), not when drawing changes the height
    let width = 0
    new ResizeObserver(([entry]) => {
      const now = Math.round(entry.contentRect.width)
      if (now === width) return
      width = now
      this.schedule()
    }).observe(container)
  }

  update(patch: Partial<ChartData>): void {
    this.data = { ...this.data, ...patch }
    this.schedule()
  }

  private schedule(): void {
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.draw()
    })
  }

  private draw(): void {
    for (const spec of CHARTS) this.drawOne(spec)
  }

  private drawOne(spec: ChartSpec): void {
    const f = this.figures.get(spec.id)!
    if (!spec.ready(this.data)) return
    const width = Math.max(260, Math.floor(f.plot.clientWidth || this.container.clientWidth || 600))
    try {
      fill(f.caption, spec.caption(this.data, f.view))
      fill(f.legend, spec.legend ? legendList(spec.legend(this.data, f.view)) : null)
      fill(f.plot, accessible(spec.plot(this.data, width, f.view)))
      fill(f.table, spec.table(this.data))
    } catch (error) {
      fill(f.plot, el('p', { class: 'chart-wait' }, `This chart could not be drawn: ${(error as Error).message}`))
    }
  }

  /** The chart as a PNG: its title, its legend and the plot, at twice the screen's resolution. */
  private async downloadPng(spec: ChartSpec): Promise<void> {
    const f = this.figures.get(spec.id)!
    const svg = f.plot.querySelector('svg')
    if (!svg) return
    const width = svg.clientWidth || Number(svg.getAttribute('width'))
    const height = svg.clientHeight || Number(svg.getAttribute('height'))
    const clone = svg.cloneNode(true) as SVGSVGElement
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg')
    clone.setAttribute('width', String(width))
    clone.setAttribute('height', String(height))
    clone.querySelectorAll('[aria-label="tip"]').forEach((tip) => tip.remove())
    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml;charset=utf-8' }))
    try {
      const image = new Image()
      image.src = url
      await image.decode()
      const legend = spec.legend ? spec.legend(this.data, f.view) : []
      const scale = 2
      const pad = 16
      const titleHeight = 30
      const legendRow = 20
      const legendCols = Math.max(1, Math.floor(width / 220))
      const legendHeight = Math.ceil(legend.length / legendCols) * legendRow
      const canvas = document.createElement('canvas')
      canvas.width = (width + 2 * pad) * scale
      canvas.height = (titleHeight + legendHeight + height + 2 * pad) * scale
      const g = canvas.getContext('2d')!
      g.scale(scale, scale)
      g.fillStyle = '#fff'
      g.fillRect(0, 0, width + 2 * pad, titleHeight + legendHeight + height + 2 * pad)
      g.fillStyle = '#111'
      g.font = 'bold 16px system-ui, sans-serif'
      g.fillText(spec.title, pad, pad + 14)
      g.font = '12px system-ui, sans-serif'
      legend.forEach((item, i) => {
        const x = pad + (i % legendCols) * 220
        const y = pad + titleHeight + Math.floor(i / legendCols) * legendRow
        g.fillStyle = item.color
        g.fillRect(x, y, 12, 12)
        g.fillStyle = '#111'
        g.fillText(item.label, x + 18, y + 10)
      })
      g.drawImage(image, pad, pad + titleHeight + legendHeight, width, height)
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
      if (blob) downloadBlob(blob, `${this.fileStem()}-${spec.id}.png`)
    } finally {
      URL.revokeObjectURL(url)
    }
  }
}
