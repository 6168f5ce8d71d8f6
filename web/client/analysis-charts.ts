/**
 * The charts of the decision analyses, drawn with Observable Plot: the tornado, the EVPPI bars, and the
 * break-even curves of a lever (mean incremental cost, probability of being cost-neutral). Each is a figure
 * with a caption and its numbers as a table.
 */
import * as Plot from '@observablehq/plot'
import type { EvppiReport } from '../../models/analysis/evppi'
import type { TornadoResult } from '../../models/analysis/sensitivity'
import type { ThresholdResult } from '../../models/analysis/threshold'
import { accessible, BLUE, compact, legendList, moneyUnit, table, X_TITLE } from './charts'
import { el, fill } from './dom'
import { formatCount, formatError, formatMoney, formatPercent } from './format'
import { THRESHOLD_LEVER_LABELS } from './labels'

/** Inputs a chart shows until "show all" is ticked. */
export const TOP_INPUTS = 15
const LOW = '#6baed6'
const HIGH = '#08306b'
const MARK = '#c25e00'
const AXIS_LABEL_CHARS = 44

/** What one draw of a figure puts on the page. */
export interface FigureContent {
  caption: string
  plot: Element
  table: HTMLTableElement
  legend?: { label: string; color: string }[]
}

/** A figure drawn now and redrawn on demand (a toggle, a new width): title, caption, plot, "Show the numbers". */
export const analysisFigure = (
  id: string,
  title: string,
  draw: (width: number, showAll: boolean) => FigureContent,
  showAllLabel?: string,
): HTMLElement => {
  const caption = el('span', { class: 'chart-note' })
  const legend = el('div', { class: 'chart-legend' })
  const plot = el('div', { class: 'chart-plot' })
  const tableWrap = el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${title}: the numbers` })
  let showAll = false
  let option: HTMLElement | null = null
  if (showAllLabel) {
    const box = el('input', { type: 'checkbox', id: `${id}-all` })
    box.addEventListener('change', () => {
      showAll = box.checked
      redraw()
    })
    option = el('div', { class: 'check chart-option' }, box, el('label', { for: box.id }, showAllLabel))
  }
  const figure = el(
    'figure',
    { class: 'chart', id },
    el('figcaption', {}, el('h3', { class: 'chart-title' }, title), caption),
    option,
    legend,
    plot,
    el('details', { class: 'chart-data' }, el('summary', {}, 'Show the numbers'), tableWrap),
  )
  let width = 0
  const redraw = () => {
    try {
      const content = draw(Math.max(280, width || 640), showAll)
      fill(caption, content.caption)
      fill(legend, content.legend ? legendList(content.legend) : null)
      fill(plot, accessible(content.plot))
      fill(tableWrap, content.table)
    } catch (error) {
      fill(plot, el('p', { class: 'chart-wait' }, `This chart could not be drawn: ${(error as Error).message}`))
    }
  }
  // the first draw waits for the figure's width on the page; later ones follow a change of width
  new ResizeObserver(([entry]) => {
    const now = Math.floor(entry.contentRect.width)
    if (now === width || now === 0) return
    width = now
    redraw()
  }).observe(plot)
  return figure
}

const CHAR_WIDTH = 6.6

/** Lines the axis may wrap an input's name into; the last is shortened with "…" (the whole name is on hover and in the table). */
const AXIS_LINES = 3

/** A label wrapped at spaces into lines of at most `chars`, at most AXIS_LINES of them. */
export const wrapLabel = (label: string, chars: number): string => {
  const lines: string[] = []
  let line = ''
  for (const word of label.split(/\s+/)) {
    if (line && line.length + 1 + word.length > chars) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  const kept = lines.slice(0, AXIS_LINES)
  if (lines.length > AXIS_LINES || kept.some((l) => l.length > chars)) {
    const last = kept.length - 1
    kept[last] = kept[last].length >= chars || lines.length > AXIS_LINES ? `${kept[last].slice(0, chars - 1).trimEnd()}…` : kept[last]
    for (let i = 0; i < last; i++) if (kept[i].length > chars) kept[i] = `${kept[i].slice(0, chars - 1)}…`
  }
  return kept.join('\n')
}

/** The left margin that fits the labels wrapped (at most 45% of the width), the labels' format and the row height. */
const inputAxis = (labels: string[], width: number) => {
  const longestWord = Math.max(8, ...labels.flatMap((l) => l.split(/\s+/).map((w) => w.length)))
  const longest = Math.min(AXIS_LABEL_CHARS, Math.max(longestWord, Math.ceil(Math.max(8, ...labels.map((l) => l.length)) / AXIS_LINES)))
  const margin = Math.min(Math.floor(width * 0.45), Math.ceil(12 + CHAR_WIDTH * longest))
  const chars = Math.max(6, Math.floor((margin - 12) / CHAR_WIDTH))
  const lines = Math.max(1, ...labels.map((l) => wrapLabel(l, chars).split('\n').length))
  return { margin, format: (label: string) => wrapLabel(label, chars), row: 12 + 14 * lines }
}

interface TornadoSegment {
  label: string
  end: string
  from: number
  to: number
  input: number
  outcome: number
}

export const tornadoContent = (
  result: TornadoResult,
  outcomeLabel: string,
  currency: string,
  labelOf: (path: string) => string,
  width: number,
  showAll: boolean,
): FigureContent => {
  const sorted = [...result.bars].sort((a, b) => b.swing - a.swing)
  const bars = showAll ? sorted : sorted.slice(0, TOP_INPUTS)
  const base = result.base ?? 0
  const ends = [
    { key: 'low' as const, name: 'Input at its 5th percentile', color: LOW },
    { key: 'high' as const, name: 'Input at its 95th percentile', color: HIGH },
  ]
  const segments: TornadoSegment[] = bars.flatMap((bar) =>
    ends.flatMap(({ key, name }) => {
      const end = bar[key]
      return end.outcome === null
        ? []
        : [{ label: labelOf(bar.path), end: name, from: base, to: end.outcome, input: end.input, outcome: end.outcome }]
    }),
  )
  const labels = bars.map((b) => labelOf(b.path))
  const axis = inputAxis(labels, width)
  const unit = moneyUnit([base, ...segments.map((s) => s.to)], currency)
  const plot = Plot.plot({
    width,
    height: 60 + axis.row * bars.length,
    marginLeft: axis.margin,
    marginRight: 16,
    style: { fontSize: '12px' },
    marginBottom: X_TITLE.marginBottom,
    x: {
      label: `${outcomeLabel} (${unit.label})`,
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: X_TITLE.labelOffset,
      grid: true,
      tickFormat: compact,
    },
    y: { domain: labels, label: null, tickFormat: axis.format },
    color: { domain: ends.map((e) => e.name), range: ends.map((e) => e.color) },
    marks: [
      Plot.barX(segments, {
        y: 'label',
        x1: (s: TornadoSegment) => s.from / unit.div,
        x2: (s: TornadoSegment) => s.to / unit.div,
        fill: 'end',
        insetTop: 3,
        insetBottom: 3,
        title: (s: TornadoSegment) =>
          `${s.label}, ${s.end.toLowerCase()} (${formatCount(s.input)}): ${formatMoney(s.outcome, currency)}`,
      }),
      Plot.ruleX([base / unit.div], { stroke: '#111', strokeWidth: 1.5 }),
    ],
    ariaLabel: `Tornado chart of ${outcomeLabel.toLowerCase()}: the ${bars.length} inputs that move it most`,
    ariaDescription:
      `Base ${formatMoney(result.base, currency)}. ` +
      bars
        .slice(0, 5)
        .map((b) => `${labelOf(b.path)}: ${formatMoney(b.low.outcome, currency)} to ${formatMoney(b.high.outcome, currency)}`)
        .join('; '),
  })
  const cohort = result.cohort === 'expected' ? 'the expected cohort' : 'a stochastic cohort'
  const made =
    result.method === 'metamodel'
      ? `Read off one sample of ${result.iterations.toLocaleString('en-GB')} iterations on ${cohort}: each end is a straight ` +
        `line fitted to the tenth of the sample nearest that percentile, far less precise than a re-run of the same size ` +
        `(each swing's standard error is in the table).`
      : `Means over ${result.iterations.toLocaleString('en-GB')} paired iterations per end, on ${cohort}.`
  return {
    legend: ends.map((e) => ({ label: e.name, color: e.color })),
    caption:
      `${outcomeLabel} with each input fixed at its 5th (light) and 95th (dark) percentile, from the base ` +
      `${formatMoney(result.base, currency)} (the vertical line), largest swing first; ` +
      `${showAll ? `all ${sorted.length}` : `the top ${bars.length} of ${sorted.length}`} inputs. ${made}`,
    plot,
    table: table(
      `${outcomeLabel}: each input at its 5th and 95th percentile`,
      ['Input', 'Low value', 'Outcome at low', 'High value', 'Outcome at high', 'Swing', 'Swing s.e.'],
      sorted.map((b) => [
        labelOf(b.path),
        formatCount(b.low.input),
        formatMoney(b.low.outcome, currency),
        formatCount(b.high.input),
        formatMoney(b.high.outcome, currency),
        formatMoney(b.swing, currency),
        // 0: one deterministic evaluation per end (median mode, expected cohort); no error to state
        b.mcse === null ? 'n/a' : b.mcse === 0 ? 'none (exact)' : formatError(b.mcse, true, currency),
      ]),
    ),
  }
}

export const evppiContent = (
  report: EvppiReport,
  currency: string,
  labelOf: (path: string) => string,
  width: number,
  showAll: boolean,
): FigureContent => {
  const sorted = [...report.inputs].sort((a, b) => b.evppi - a.evppi)
  // an input worth nothing draws no bar: it is named in the table, not as an empty row
  const valued = sorted.filter((e) => e.evppi > 0)
  const shown = showAll ? valued : valued.slice(0, TOP_INPUTS)
  const rows = shown.map((e) => ({ label: labelOf(e.name), evppi: e.evppi }))
  const unit = moneyUnit([report.evpi, ...rows.map((r) => r.evppi)], currency)
  const labels = rows.map((r) => r.label)
  const axis = inputAxis(labels, width)
  const plot = Plot.plot({
    width,
    height: 60 + axis.row * Math.max(1, rows.length),
    marginBottom: X_TITLE.marginBottom,
    marginLeft: axis.margin,
    marginRight: 16,
    style: { fontSize: '12px' },
    x: {
      label: `Expected value of learning the input exactly (${unit.label})`,
      labelAnchor: 'center',
      labelArrow: 'none',
      labelOffset: X_TITLE.labelOffset,
      grid: true,
      tickFormat: compact,
      domain: [0, Math.max(report.evpi, ...rows.map((r) => r.evppi)) / unit.div || 1],
    },
    y: { domain: labels, label: null, tickFormat: axis.format },
    marks: [
      Plot.barX(rows, {
        y: 'label',
        x: (r: { evppi: number }) => r.evppi / unit.div,
        fill: BLUE,
        insetTop: 3,
        insetBottom: 3,
        title: (r: { label: string; evppi: number }) => `${r.label}: ${formatMoney(r.evppi, currency)}`,
      }),
      Plot.ruleX([0]),
    ],
    ariaLabel: `Bar chart of the expected value of partial perfect information of the ${rows.length} most valuable inputs`,
    ariaDescription:
      `EVPI ${formatMoney(report.evpi, currency)}. ` +
      rows.slice(0, 5).map((r) => `${r.label}: ${formatMoney(r.evppi, currency)}`).join('; '),
  })
  return {
    caption:
      `What learning each input exactly is worth to the choice between the scenario and its comparator ` +
      `(${currency}, per run of the programme, at a willingness to pay of ${formatMoney(report.wtp, currency)}); ` +
      `${showAll ? `all ${valued.length}` : `the top ${shown.length} of ${valued.length}`} inputs with a value` +
      (valued.length < sorted.length ? ` (${sorted.length - valued.length} others are worth nothing here: in the table)` : '') +
      ', from ' +
      `${report.iterations.toLocaleString('en-GB')} iterations. No input can be worth more than the EVPI, ` +
      `${formatMoney(report.evpi, currency)}.`,
    plot,
    table: table(
      `Expected value of partial perfect information (${currency})`,
      ['Input', 'EVPPI', 'Share of the EVPI'],
      sorted.map((e) => [
        labelOf(e.name),
        formatMoney(e.evppi, currency),
        report.evpi > 0 ? formatPercent(e.evppi / report.evpi) : '–',
      ]),
    ),
  }
}

/** The sentence that answers "which data to collect next". */
export const evppiSentence = (report: EvppiReport, currency: string, labelOf: (path: string) => string): string => {
  const top = [...report.inputs].sort((a, b) => b.evppi - a.evppi).filter((e) => e.evppi > 0)
  if (report.evpi > 0 && top.length === 0)
    return (
      `Which data to collect next: no single input stands out. The expected value of perfect information on ` +
      `every input (EVPI) is ${formatMoney(report.evpi, currency)}, but no input alone shows a value over ` +
      `${report.iterations.toLocaleString('en-GB')} iterations; more iterations may separate them.`
    )
  if (report.evpi <= 0 || top.length === 0)
    return (
      `Which data to collect next: none for this choice. The expected value of perfect information (EVPI) is ` +
      `${formatMoney(report.evpi, currency)}: with these assumptions, learning any input exactly would not change ` +
      'the decision between the scenario and its comparator.'
    )
  const names = top.slice(0, 3).map((e) => `${labelOf(e.name)} (${formatMoney(e.evppi, currency)})`)
  return (
    `Which data to collect next: ${names.join(', ')}. The expected value of perfect information on every input ` +
    `(EVPI) is ${formatMoney(report.evpi, currency)}.`
  )
}

/** The lever's value in words: EUR 1,234 per adult, or a scale of 1.5. */
export const leverValueText = (result: ThresholdResult, value: number, currency: string): string => {
  const lever = THRESHOLD_LEVER_LABELS[result.lever]
  return lever.money ? `${formatMoney(value, currency)} ${lever.per}` : `a scale of ${formatCount(value)}`
}

/** The result in one sentence: the break-even value and its probability, or why there is none. */
export const thresholdSentence = (result: ThresholdResult, currency: string): string => {
  const lever = THRESHOLD_LEVER_LABELS[result.lever]
  const current = `As written (${leverValueText(result, result.current.value, currency)}), its mean incremental cost is ${formatMoney(result.current.mean, currency)} and it is cost-neutral or better in ${formatPercent(result.current.probability)} of iterations.`
  if (result.status === 'found' && result.value !== null) {
    return (
      `The programme breaks even at about ${leverValueText(result, result.value, currency)} (at that value it is cost-neutral or better in ` +
      `${formatPercent(result.probabilityAtValue)} of iterations).` +
      (result.crossings > 1 ? ' The mean crosses zero more than once on the grid: there may be other break-even values.' : '') +
      ` ${current}`
    )
  }
  return `The programme does not break even for any ${lever.label.toLowerCase()} searched: ${result.message}. ${current}`
}

interface GridRow {
  value: number
  mean: number | null
  probability: number
}

const leverAxis = (result: ThresholdResult, currency: string) => {
  const lever = THRESHOLD_LEVER_LABELS[result.lever]
  return {
    label: lever.money ? `${lever.label} (${currency})` : lever.label,
    labelAnchor: 'center' as const,
    labelArrow: 'none' as const,
    tickFormat: compact,
  }
}

const breakEvenMarks = (result: ThresholdResult, y: number) =>
  result.status === 'found' && result.value !== null
    ? [
        Plot.ruleX([result.value], { stroke: MARK, strokeWidth: 1.5, strokeDasharray: '4 3' }),
        Plot.dot([{ x: result.value, y }], { x: 'x', y: 'y', r: 6, fill: MARK, stroke: 'white' }),
        Plot.text([{ x: result.value, y }], { x: 'x', y: 'y', text: () => 'break-even', dy: -12, fill: MARK, fontWeight: 700 }),
      ]
    : []

export const thresholdMeanContent = (result: ThresholdResult, currency: string, width: number): FigureContent => {
  const rows = result.grid.filter((g): g is GridRow & { mean: number } => g.mean !== null)
  const unit = moneyUnit(rows.map((r) => r.mean), currency)
  const plot = Plot.plot({
    width,
    height: 280,
    marginLeft: 60,
    style: { fontSize: '12px' },
    x: leverAxis(result, currency),
    y: { label: `Mean incremental cost (${unit.label})`, grid: true, labelArrow: 'none', tickFormat: compact },
    marks: [
      Plot.ruleY([0], { stroke: '#111', strokeWidth: 1.5 }),
      Plot.lineY(rows, { x: 'value', y: (r: GridRow) => (r.mean ?? 0) / unit.div, stroke: BLUE, strokeWidth: 2 }),
      Plot.dot(rows, {
        x: 'value',
        y: (r: GridRow) => (r.mean ?? 0) / unit.div,
        fill: BLUE,
        r: 3,
        title: (r: GridRow) => `${leverValueText(result, r.value, currency)}: ${formatMoney(r.mean, currency)}`,
      }),
      ...breakEvenMarks(result, 0),
    ],
    ariaLabel: `Mean incremental cost against ${THRESHOLD_LEVER_LABELS[result.lever].label.toLowerCase()}`,
    ariaDescription: rows.map((r) => `${formatCount(r.value)}: ${formatMoney(r.mean, currency)}`).join('; '),
  })
  return {
    caption:
      'Mean incremental cost of the programme against its removal-only version for each value of the lever ' +
      `(${result.iterations.toLocaleString('en-GB')} paired iterations each). Below the black line it saves money` +
      (result.status === 'found' ? '; the orange mark is the break-even value.' : '.'),
    plot,
    table: table(
      'Mean incremental cost by lever value',
      ['Lever value', 'Mean incremental cost', 'Cost-neutral or better'],
      result.grid.map((g) => [leverValueText(result, g.value, currency), formatMoney(g.mean, currency), formatPercent(g.probability)]),
    ),
  }
}

export const thresholdProbabilityContent = (result: ThresholdResult, currency: string, width: number): FigureContent => {
  const plot = Plot.plot({
    width,
    height: 260,
    marginLeft: 52,
    style: { fontSize: '12px' },
    x: leverAxis(result, currency),
    y: { domain: [0, 1], label: 'Probability cost-neutral or better', grid: true, tickFormat: '.0%', labelArrow: 'none' },
    marks: [
      Plot.lineY(result.grid, { x: 'value', y: 'probability', stroke: BLUE, strokeWidth: 2 }),
      Plot.dot(result.grid, {
        x: 'value',
        y: 'probability',
        fill: BLUE,
        r: 3,
        title: (r: GridRow) => `${leverValueText(result, r.value, currency)}: ${formatPercent(r.probability)}`,
      }),
      ...breakEvenMarks(result, result.probabilityAtValue ?? 0.5),
    ],
    ariaLabel: `Probability of being cost-neutral or better against ${THRESHOLD_LEVER_LABELS[result.lever].label.toLowerCase()}`,
    ariaDescription: result.grid.map((r) => `${formatCount(r.value)}: ${formatPercent(r.probability)}`).join('; '),
  })
  return {
    caption:
      'The share of iterations in which the programme costs no more than its removal-only version, for each ' +
      'value of the lever: how sure one can be that it pays for itself.',
    plot,
    table: table(
      'Probability of being cost-neutral or better by lever value',
      ['Lever value', 'Probability'],
      result.grid.map((g) => [leverValueText(result, g.value, currency), formatPercent(g.probability)]),
    ),
  }
}
