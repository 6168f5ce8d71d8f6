/**
 * The decision-analysis page: a scenario's tornado and EVPPI (POST /api/sensitivity) and the break-even value
 * of a lever (POST /api/threshold), each run from its form, drawn as figures with their numbers.
 */
import type { SensitivityReport, ThresholdReport } from '../../models/analysis/analysis-report'
import type { NumericLever } from '../../models/analysis/levers'
import type { Outcome } from '../../models/analysis/outcomes'
import {
  analysisFigure,
  evppiContent,
  evppiSentence,
  thresholdMeanContent,
  thresholdProbabilityContent,
  thresholdSentence,
  tornadoContent,
} from './analysis-charts'
import { ApiProblem, postJson } from './api'
import { assumptionRows } from './assumptions'
import { byId, el, fill } from './dom'
import { formatDuration, formatIterations, parseNumber } from './format'
import { OUTCOME_LABELS } from './labels'
import { seedValue, type AnalysisPageData } from './page-data'
import { removalOnlyOf, removalOnlyRaw } from './verdicts'

type Raw = Record<string, unknown>

/** A problem with one field of a form: the API's path and rule, or the page's own check. */
interface Problem {
  path: string
  message: string
}

/** `groups[rejected].baseMonthlyUptake` in words, from the editor's labels; the path itself as the last resort. */
export const inputLabeller = (raw: Raw): ((path: string) => string) => {
  const oneGroup = Array.isArray(raw.groups) && raw.groups.length === 1
  const labels = new Map<string, string>()
  for (const row of assumptionRows([raw])) {
    const label = oneGroup && row.section === 'groups' ? row.label.replace(/^[^:]*: /, '') : row.label
    labels.set(row.key.replace(/^scenario\./, ''), label)
  }
  return (path) => {
    const known = labels.get(path)
    if (known) return known
    // an input the editor does not list (the comparator's own): its last words, spaced
    const words = path.replace(/\[[^\]]*\]/g, '').split('.').slice(-2).join(' ')
    const spaced = words.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
    return spaced.charAt(0).toUpperCase() + spaced.slice(1)
  }
}

/** A form's fields by the request path they fill, its error box and its run line. */
interface FormParts {
  form: HTMLFormElement
  fields: Record<string, HTMLInputElement | HTMLSelectElement>
  errors: HTMLElement
  button: HTMLButtonElement
  status: HTMLElement
  progress: HTMLProgressElement
}

const formParts = (prefix: string, fields: FormParts['fields']): FormParts => ({
  form: byId<HTMLFormElement>(`${prefix}-form`),
  fields,
  errors: byId(`${prefix}-errors`),
  button: byId<HTMLButtonElement>(`${prefix}-run`),
  status: byId(`${prefix}-status`),
  progress: byId<HTMLProgressElement>(`${prefix}-progress`),
})

const showProblems = (parts: FormParts, message: string, problems: Problem[]): void => {
  for (const field of Object.values(parts.fields)) field.removeAttribute('aria-invalid')
  const items = problems.map((p) => {
    const field = parts.fields[p.path.split(/[.[]/)[0]]
    if (field) {
      field.setAttribute('aria-invalid', 'true')
      const details = field.closest('details')
      if (details) details.open = true
    }
    return el('li', { class: 'field-message' }, `${p.path}: ${p.message}`)
  })
  if (message === '' && items.length === 0) return fill(parts.errors)
  fill(parts.errors, el('p', {}, message), items.length ? el('ul', {}, ...items) : null)
}

const clearProblems = (parts: FormParts) => showProblems(parts, '', [])

/** Read a whole number field, or say why not. */
const wholeNumber = (input: HTMLInputElement, path: string, max: number, problems: Problem[]): number => {
  const parsed = parseNumber(input.value)
  if (!parsed.ok) problems.push({ path, message: parsed.message })
  else if (!Number.isInteger(parsed.value) || parsed.value < 1 || parsed.value > max)
    problems.push({ path, message: `must be a whole number from 1 to ${max.toLocaleString('en-GB')}` })
  return parsed.ok ? parsed.value : NaN
}

/** Run one request with the form busy: button disabled, status and progress shown, problems by the form. */
const running = async <T>(parts: FormParts, what: string, request: () => Promise<T>): Promise<T | undefined> => {
  clearProblems(parts)
  parts.button.disabled = true
  parts.progress.hidden = false
  parts.progress.removeAttribute('value')
  parts.status.textContent = `Running ${what}…`
  const started = performance.now()
  try {
    const result = await request()
    parts.status.textContent = `Done in ${formatDuration(performance.now() - started)}.`
    return result
  } catch (error) {
    parts.status.textContent = 'The analysis did not run.'
    if (error instanceof ApiProblem) showProblems(parts, error.message, error.problems)
    else showProblems(parts, error instanceof Error ? error.message : String(error), [])
    return undefined
  } finally {
    parts.button.disabled = false
    parts.progress.hidden = true
  }
}

export const startAnalysisPage = (data: AnalysisPageData): void => {
  const raw = (data.scenario.scenario ?? {}) as Raw
  const currency = typeof raw.currency === 'string' ? raw.currency : ''
  const labelOf = inputLabeller(raw)
  const scenarioRef = data.scenario.id
  const maxIterations = data.settings.maxAnalysisIterations

  const outcome = byId<HTMLSelectElement>('sens-outcome')
  const comparator = byId<HTMLSelectElement>('sens-comparator')
  const wtp = byId<HTMLInputElement>('sens-wtp')
  const seed = byId<HTMLInputElement>('sens-seed')
  const iterations = byId<HTMLInputElement>('sens-iterations')
  const tornadoIterations = byId<HTMLInputElement>('sens-tornado-iterations')
  const tornadoMethod = byId<HTMLSelectElement>('sens-tornado-method')
  const sensitivity = formParts('sensitivity', { outcome, comparator, wtp, seed, iterations, tornadoIterations, tornadoMethod })

  // the comparator and the willingness to pay are asked for only when the outcome needs them
  const showNeeded = () => {
    const needs = OUTCOME_LABELS[outcome.value as Outcome]
    byId('sens-comparator-field').hidden = !needs.comparator
    byId('sens-wtp-field').hidden = !needs.wtp
  }
  outcome.addEventListener('change', showNeeded)
  showNeeded()

  const sensitivityResults = byId('sensitivity-results')
  sensitivity.form.addEventListener('submit', (event) => {
    event.preventDefault()
    const chosen = outcome.value as Outcome
    const needs = OUTCOME_LABELS[chosen]
    const problems: Problem[] = []
    const body: Raw = {
      scenario: scenarioRef,
      outcome: chosen,
      iterations: wholeNumber(iterations, 'iterations', maxIterations, problems),
      tornadoIterations: wholeNumber(tornadoIterations, 'tornadoIterations', 5_000, problems),
      tornadoMethod: tornadoMethod.value,
      seed: seedValue(seed.value.trim() || data.defaults.seed),
    }
    if (needs.comparator) {
      if (comparator.value === '') problems.push({ path: 'comparator', message: `no preset in ${currency} to compare with` })
      // the removal-only version goes inline: any API version takes a scenario object
      body.comparator = removalOnlyOf(comparator.value) !== undefined ? removalOnlyRaw(raw) : comparator.value
      if (byId<HTMLInputElement>('sens-anyway').checked) body.compareAnyway = true
    }
    if (needs.wtp) {
      const parsed = parseNumber(wtp.value)
      if (!parsed.ok) problems.push({ path: 'wtp', message: parsed.message })
      else if (parsed.value < 0) problems.push({ path: 'wtp', message: 'must be 0 or more' })
      else body.wtp = parsed.value
    }
    if (problems.length) return showProblems(sensitivity, 'Some settings need a change.', problems)
    void running(sensitivity, 'the sensitivity analysis on the server', () =>
      postJson<SensitivityReport>('/api/sensitivity', body).then((r) => r.body),
    ).then((report) => report && showSensitivity(report, OUTCOME_LABELS[chosen].label))
  })

  const showSensitivity = (report: SensitivityReport, outcomeLabel: string) => {
    const tornado = analysisFigure(
      'chart-tornado',
      `Tornado: what moves ${outcomeLabel.toLowerCase()}`,
      (width, all) => tornadoContent(report.tornado, outcomeLabel, report.currency, labelOf, width, all),
      `Show all ${report.tornado.bars.length} inputs`,
    )
    const evppi = report.evppi
    const evppiPart = evppi
      ? [
          el('p', { class: 'analysis-sentence', id: 'evppi-sentence' }, evppiSentence(evppi, report.currency, labelOf)),
          analysisFigure(
            'chart-evppi',
            'Which data to collect next (EVPPI)',
            (width, all) => evppiContent(evppi, report.currency, labelOf, width, all),
            `Show all ${evppi.inputs.length} inputs`,
          ),
        ]
      : [el('p', { class: 'section-note' }, `No EVPPI: it ${report.evppiNote ?? 'needs a comparator'}.`)]
    fill(
      sensitivityResults,
      el(
        'p',
        { class: 'section-note' },
        `${formatIterations(report.psaIterations)} for the EVPPI, seed ${String(report.seed)}, engine ${data.engineVersion}.`,
      ),
      tornado,
      ...evppiPart,
    )
    sensitivityResults.dataset.complete = 'true'
  }

  const lever = byId<HTMLSelectElement>('threshold-lever')
  const thresholdIterations = byId<HTMLInputElement>('threshold-iterations')
  const threshold = formParts('threshold', { lever, iterations: thresholdIterations, seed })
  const sentence = byId('threshold-sentence')
  const thresholdResults = byId('threshold-results')
  threshold.form.addEventListener('submit', (event) => {
    event.preventDefault()
    const problems: Problem[] = []
    const body = {
      scenario: scenarioRef,
      lever: lever.value as NumericLever,
      iterations: wholeNumber(thresholdIterations, 'iterations', maxIterations, problems),
      seed: seedValue(seed.value.trim() || data.defaults.seed),
    }
    if (problems.length) return showProblems(threshold, 'Some settings need a change.', problems)
    void running(threshold, 'the break-even search on the server', () =>
      postJson<ThresholdReport>('/api/threshold', body).then((r) => r.body),
    ).then((result) => {
      if (!result) return
      sentence.textContent = thresholdSentence(result, result.currency)
      sentence.hidden = false
      fill(
        thresholdResults,
        analysisFigure('chart-threshold-mean', 'Break-even curve', (width) => thresholdMeanContent(result, result.currency, width)),
        analysisFigure('chart-threshold-probability', 'Probability of being cost-neutral or better', (width) =>
          thresholdProbabilityContent(result, result.currency, width),
        ),
      )
      thresholdResults.dataset.complete = 'true'
    })
  })
}
