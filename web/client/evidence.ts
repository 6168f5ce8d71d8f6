/**
 * The evidence of a scenario with published figures (its `targets`): the table `homecoming check` prints, from the
 * run report, and a calibration to those figures (POST /api/calibrate) with its effective sample size, prior and
 * posterior intervals, and the calibrated scenario to download or open.
 */
import type { CalibrationResult, DrawSummary } from '../../models/analysis/calibration'
import { METRIC_UNITS, type MetricName } from '../../models/engine/layout'
import type { TargetReport } from '../../models/engine/run'
import { describeError, postJson, saveScenario } from './api'
import { table } from './charts'
import { downloadJson, el, fileSlug, fill } from './dom'
import { formatCount, formatDuration, formatMoney, formatPercent } from './format'
import { HEADLINE } from './labels'

const LABELS: Record<string, string> = {
  ...Object.fromEntries(HEADLINE.map((h) => [h.metric, h.label])),
  costPerAssistedReturn: 'Cost per assisted return',
  costPerForcedReturn: 'Cost per forced return',
  programmeCost: 'Programme cost',
  removalCost: 'Removal cost',
  shareAssisted: 'Share of returns assisted',
  counselledCases: 'Counselled cases',
}

/** A metric in words: its label, else its name spaced ("cost.detention" -> "Cost detention"). */
export const metricLabel = (metric: string): string => {
  const known = LABELS[metric]
  if (known) return known
  const words = metric.replace(/\./g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A value of a metric in its unit. */
export const metricValue = (metric: string, x: number | null | undefined, currency: string): string => {
  const unit = METRIC_UNITS[metric as MetricName]
  if (unit === 'share') return formatPercent(x)
  return unit === 'money' || unit === 'money per person' ? formatMoney(x, currency) : formatCount(x)
}

const perText = (per: boolean | string | undefined) => (per === true || per === 'year' ? ' a year' : per === 'month' ? ' a month' : '')

const status = (t: TargetReport): string =>
  !t.checked ? `not checked: ${t.excludedBecause ?? ''}` : t.inside === null ? 'not defined' : t.inside ? 'inside' : 'outside'

/** The check table: each published figure beside the model's 90% interval, median and percentile. */
export const targetsTable = (targets: TargetReport[], currency: string): HTMLTableElement => {
  const t = table(
    'Published figures against the model (90% interval)',
    ['Figure', 'Published', "Model's 5th", 'Median', '95th', 'Percentile', 'Result'],
    targets.map((x) => {
      const v = (y: number | null | undefined) => metricValue(x.metric, y, currency)
      const range = x.low !== undefined && x.high !== undefined ? ` (${v(x.low)} to ${v(x.high)})` : ''
      return [
        `${metricLabel(x.metric)}${perText(x.perYear)} · ${x.id}`,
        `${v(x.value)}${range}`,
        v(x.model.p05),
        v(x.model.p50),
        v(x.model.p95),
        x.percentile === null ? '–' : `${Math.round(x.percentile)}th`,
        status(x),
      ]
    }),
  )
  t.classList.add('targets-table')
  t.querySelectorAll('tbody tr').forEach((row, i) => {
    const x = targets[i]
    row.setAttribute('data-target', x.id)
    row.setAttribute('data-result', !x.checked ? 'not-checked' : x.inside ? 'inside' : 'outside')
    if (x.source) row.querySelector('th')?.setAttribute('title', x.source)
  })
  return t
}

const scroll = (label: string, content: HTMLElement) =>
  el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label }, content)

/** The evidence section of a run: nothing where the scenario has no published figures. */
export const renderTargets = (container: HTMLElement, targets: TargetReport[] | undefined, currency: string): void => {
  container.hidden = !targets || targets.length === 0
  if (!targets || targets.length === 0) return fill(container)
  const checked = targets.filter((t) => t.checked)
  const outside = checked.filter((t) => t.inside === false)
  fill(
    container,
    el('h3', { id: 'targets-heading' }, 'Does it reproduce the published figures?'),
    el(
      'p',
      { class: 'section-note', id: 'targets-summary' },
      `${checked.length - outside.length} of ${checked.length} checked figures inside the model's 90% interval` +
        (targets.length > checked.length ? `; ${targets.length - checked.length} not checked (a different scope, reason given)` : '') +
        '. The same table as homecoming check.',
    ),
    scroll('Published figures against the model', targetsTable(targets, currency)),
  )
}

const interval = (metric: string, d: DrawSummary, currency: string) =>
  `${metricValue(metric, d.p05, currency)} to ${metricValue(metric, d.p95, currency)}`

/** The scenario's checked targets with a published range: the ones a calibration can weigh by. */
const rangedTargets = (raw: Record<string, unknown>) =>
  (Array.isArray(raw.targets) ? (raw.targets as Record<string, unknown>[]) : [])
    .filter((t) => t.excludedBecause === undefined && typeof t.low === 'number' && typeof t.high === 'number')
    .map(({ id, metric, perYear, value, low, high, source }) => ({ id, metric, perYear, value, low, high, source }))

/** The calibration form and its result, for the scenario the page shows (inline, as edited). */
export const calibrationSection = (
  container: HTMLElement,
  scenario: () => { raw: Record<string, unknown>; seed: string | number } | undefined,
  currency: () => string,
): void => {
  const draws = el(
    'select',
    { id: 'calibrate-draws' },
    ...[1_000, 2_000, 5_000, 10_000].map((n) => el('option', { value: n, selected: n === 2_000 }, n.toLocaleString('en-GB'))),
  )
  const button = el('button', { type: 'button', id: 'calibrate-run', class: 'secondary' }, 'Calibrate to these figures')
  const statusLine = el('p', { class: 'run-status', id: 'calibrate-status', role: 'status' })
  const result = el('div', { id: 'calibrate-results' })
  button.addEventListener('click', async () => {
    const s = scenario()
    if (!s) return
    const usable = rangedTargets(s.raw)
    if (usable.length === 0) {
      statusLine.textContent = 'No checked figure has a published range (low and high): nothing says how closely the model must agree.'
      return
    }
    button.disabled = true
    const started = performance.now()
    statusLine.textContent = 'Calibrating on the server…'
    result.dataset.complete = 'false'
    try {
      const body = { scenario: s.raw, targets: usable, iterations: Number(draws.value), seed: s.seed, checkIterations: 1_000 }
      const { body: r } = await postJson<CalibrationResult>('/api/calibrate', body)
      statusLine.textContent = `Done in ${formatDuration(performance.now() - started)}.`
      showCalibration(result, r, currency())
    } catch (error) {
      statusLine.textContent = `The calibration did not run: ${describeError(error)}`
      result.dataset.complete = 'error'
    } finally {
      button.disabled = false
    }
  })
  fill(
    container,
    el('h3', {}, 'Calibrate to the published figures'),
    el(
      'p',
      { class: 'section-note' },
      "Weighs the scenario's own draws by how well each reproduces the checked figures that have a published " +
        'range (low to high, read as a 90% interval; sampling-importance-resampling) and fits each informed input ' +
        'to the posterior draws: a new scenario, re-run as a check.',
    ),
    el(
      'div',
      { class: 'settings-row' },
      el('div', { class: 'control' }, el('label', { for: 'calibrate-draws' }, 'Prior draws'), draws),
      button,
    ),
    statusLine,
    result,
  )
}

const showCalibration = (container: HTMLElement, r: CalibrationResult, currency: string) => {
  const d = r.diagnostics
  const warning = d.collapsed || d.warnings.length > 0
  const download = el('button', { type: 'button', class: 'secondary', id: 'calibrate-download' }, 'Download the calibrated scenario (JSON)')
  download.addEventListener('click', () => downloadJson(r.scenario, `${fileSlug(r.scenario.title)}.json`))
  const open = el('button', { type: 'button', class: 'secondary' }, 'Save and open it')
  open.addEventListener('click', async () => {
    const saved = await saveScenario(r.scenario)
    location.href = saved.url
  })
  const moved = r.inputs.filter((i) => i.informed !== 'none')
  fill(
    container,
    el(
      'p',
      { class: warning ? 'notice' : 'section-note', id: 'calibrate-ess', role: warning ? 'alert' : null },
      `Effective sample size ${formatCount(d.ess)} of ${d.weightedDraws.toLocaleString('en-GB')} draws ` +
        `(${formatPercent(d.essShare)}).` +
        (d.collapsed ? ' It has collapsed: the posterior rests on too few draws to trust; use more draws or wider figures.' : '') +
        d.warnings.map((w) => ` ${w}`).join(''),
    ),
    scroll(
      'Figures: prior, posterior and the calibrated scenario re-run',
      table(
        'The figures: prior and posterior 90% intervals, and the calibrated scenario re-run',
        ['Figure', 'Published', 'Prior', 'Posterior', 'Re-run', 'Inside'],
        r.targets.map((t) => [
          `${metricLabel(t.metric)}${perText(t.per as string)} · ${t.id}`,
          metricValue(t.metric, t.value, currency),
          interval(t.metric, t.prior, currency),
          interval(t.metric, t.posterior, currency),
          interval(t.metric, t.check, currency),
          t.check.inside === null ? '–' : t.check.inside ? 'yes' : 'no',
        ]),
      ),
    ),
    scroll(
      'Inputs the figures informed',
      table(
        `Inputs the figures informed (${moved.length} of ${r.inputs.length})`,
        ['Input', 'What changed', 'Prior 90%', 'Posterior 90%'],
        moved.map((i) => [
          i.path,
          i.informed === 'marginal' ? `refitted (${i.calibrated?.family ?? ''})` : 'correlated only',
          `${formatCount(i.prior.draws.p05)} to ${formatCount(i.prior.draws.p95)}`,
          `${formatCount(i.posterior.p05)} to ${formatCount(i.posterior.p95)}`,
        ]),
      ),
    ),
    el('div', { class: 'button-row' }, download, open),
  )
  container.dataset.complete = 'true'
}
