/**
 * The scenario page: the scenario (base + edits from the URL), its levers and assumptions, and its results:
 * a preview in the browser within a moment of each change, then the full run on the server, which a shared
 * link reproduces to the bit.
 */
import type { ComparisonReport } from '../../models/analysis/compare'
import type { RunReport } from '../../models/engine/run'
import { inCurrentFormat } from '../../models/engine/migrate'
import { parseScenario, type FieldProblem, type Scenario } from '../../models/engine/scenario'
import { compareReport, compareWithRunReport, describeError, postJson, runReport, saveScenario } from './api'
import { Charts } from './charts'
import { byId, downloadBlob, downloadJson, el, fileSlug, fill } from './dom'
import { AssumptionEditor, type EditorHost } from './editor'
import { Edits, getAt, pathKey, type Path } from './edits'
import { formatDuration, formatIterations } from './format'
import { renderBudget, renderWaiting } from './budget'
import { calibrationSection, renderTargets } from './evidence'
import { Levers } from './levers'
import { ITERATION_CHOICES, PREVIEW_ITERATIONS, seedValue, type EditorPageData } from './page-data'
import { PreviewEngine } from './preview'
import type { PreviewMessage } from './preview-protocol'
import { renderHeadline, renderPulse, renderUnitCosts, renderVersus } from './results'

const LAST_KEY = 'homecoming:last-scenario'
/** The full run waits this long after the last input (a slider drag or a typed number is many), unless committed. */
const FULL_RUN_DELAY_MS = 300
/** Changes closer together than this make one entry in the browser's history. */
const HISTORY_PAUSE_MS = 1000

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

export const startEditorPage = (data: EditorPageData): void => {
  // a version 1 file is shown and edited in its version 2 form (the page saves that form)
  const base = inCurrentFormat(data.scenario) as Record<string, unknown>
  const url = new URL(location.href)
  const parseIterations = (text: string | null): number | undefined => {
    const n = Number(text)
    return text && Number.isInteger(n) && n >= 1 && n <= data.limits.maxCompareIterations ? n : undefined
  }
  let edits = Edits.decode(url.searchParams.get('e'))
  let seed = url.searchParams.get('seed') || data.defaults.seed
  let iterations = parseIterations(url.searchParams.get('n')) ?? data.defaults.iterations
  let current = edits.apply(base) as Record<string, unknown>

  const results = byId('results')
  const status = byId('run-status')
  const progress = byId<HTMLProgressElement>('run-progress')
  const staleNote = byId('stale-note')
  const localErrors = new Map<string, string>()

  /** The newest valid scenario, and what is on screen: (generation, stage 0 preview / 1 full). */
  let generation = 0
  let valid: { gen: number; scenario: Scenario; raw: Record<string, unknown>; seed: string; iterations: number } | undefined
  let shown = { gen: 0, stage: -1 }
  let full: { gen: number; run: RunReport; comparison: ComparisonReport; seed: string; iterations: number } | undefined
  let changedAt = performance.now()
  let fullTimer: ReturnType<typeof setTimeout> | undefined
  let fullAbort: AbortController | undefined

  // ---- the scenario and its edits ----

  const host: EditorHost = {
    current: () => current,
    isEdited: (path) => !sameJson(getAt(current, path), getAt(base, path)),
    original: (path) => getAt(base, path),
    startYear: () => startYear,
    edit: (path, value, origin) => {
      edits.edit(base, path, value)
      changed(path, origin)
    },
    revert: (path) => host.edit(path, getAt(base, path), 'revert'),
    localError: (controlId, message) => {
      if (message === null) localErrors.delete(controlId)
      else localErrors.set(controlId, message)
      if (message !== null) showStale(`A value is not accepted (${message})`)
      else if (localErrors.size === 0) validateAndRun()
    },
  }

  const editor = new AssumptionEditor(byId('assumptions'), host)
  const levers = new Levers(byId('levers'), host)
  const charts = new Charts(byId('chart-list'), String(base.currency ?? ''), () => fileSlug(String(current.title ?? 'scenario')))

  const changed = (path: Path, origin: string) => {
    current = edits.apply(base) as Record<string, unknown>
    changedAt = performance.now()
    if (path.length === 1 && path[0] === 'programme') {
      editor.render()
      levers.render()
    } else {
      editor.refresh(path, origin)
      if (Levers.paths.includes(pathKey(path)) || path[0] === 'programme') levers.refresh(origin)
    }
    if (path[0] === 'groups' && path[2] === 'label') {
      const heading = document.getElementById(`group-${String(path[1])}-heading`)
      if (heading) heading.textContent = `Group ${Number(path[1]) + 1}: ${String(getAt(current, path) ?? '')}`
    }
    showScenarioText()
    showCalibration()
    updateUrl(true)
    if (localErrors.size === 0) validateAndRun()
  }

  const showScenarioText = () => {
    const title = typeof current.title === 'string' && current.title ? current.title : data.base.id
    byId('scenario-title').textContent = title
    document.title = `${title} · Homecoming`
    byId('scenario-description').textContent = typeof current.description === 'string' ? current.description : ''
    byId('edit-state').textContent = edits.size ? ' · edited, not saved (the link in the address bar keeps the edits)' : ''
  }

  // ---- the URL: edits, seed and iterations; the back button and a reload keep them ----

  let historyArmed = false
  let historyTimer: ReturnType<typeof setTimeout> | undefined
  const pageUrl = (): URL => {
    const u = new URL(location.href)
    if (data.base.kind === 'preset') u.searchParams.set('preset', data.base.id)
    const e = edits.encode()
    if (e) u.searchParams.set('e', e)
    else u.searchParams.delete('e')
    if (seed !== data.defaults.seed) u.searchParams.set('seed', seed)
    else u.searchParams.delete('seed')
    if (iterations !== data.defaults.iterations) u.searchParams.set('n', String(iterations))
    else u.searchParams.delete('n')
    return u
  }
  const updateUrl = (byPerson: boolean) => {
    const u = pageUrl()
    if (u.href !== location.href) {
      if (byPerson && !historyArmed) history.pushState(null, '', u)
      else history.replaceState(null, '', u)
      historyArmed = true
      clearTimeout(historyTimer)
      historyTimer = setTimeout(() => (historyArmed = false), HISTORY_PAUSE_MS)
    }
    rememberLast()
  }
  const rememberLast = () => {
    try {
      const title = `${String(current.title ?? '')}${edits.size ? ' (edited)' : ''}`
      localStorage.setItem(LAST_KEY, JSON.stringify({ href: location.pathname + location.search, title }))
    } catch {
      // storage may be off; the last scenario is a convenience
    }
  }
  const offerLast = () => {
    try {
      const last = JSON.parse(localStorage.getItem(LAST_KEY) ?? 'null') as { href?: unknown; title?: unknown } | null
      if (!last || typeof last.href !== 'string' || !last.href.startsWith('/') || last.href.startsWith('//')) return
      if (last.href === location.pathname + location.search) return
      const box = byId('last-scenario')
      const title = typeof last.title === 'string' && last.title ? last.title : 'last scenario'
      fill(box, 'Or continue with your last scenario: ', el('a', { href: last.href }, title))
      box.hidden = false
    } catch {
      // as above
    }
  }
  window.addEventListener('popstate', () => {
    const u = new URL(location.href)
    edits = Edits.decode(u.searchParams.get('e'))
    seed = u.searchParams.get('seed') || data.defaults.seed
    iterations = parseIterations(u.searchParams.get('n')) ?? data.defaults.iterations
    current = edits.apply(base) as Record<string, unknown>
    changedAt = performance.now()
    localErrors.clear()
    renderAll()
    validateAndRun()
  })

  // ---- checking and running ----

  const showStale = (reason: string) => {
    staleNote.hidden = false
    staleNote.textContent =
      `${reason}: the numbers below are still those of the last valid scenario. ` +
      'Correct the field marked to update them.'
    results.dataset.valid = 'false'
  }

  const validateAndRun = () => {
    const parsed = parseScenario(current)
    const problems: FieldProblem[] = parsed.ok ? [] : parsed.problems
    const unplaced = editor.showProblems(problems)
    levers.showProblems(problems)
    if (!parsed.ok) {
      const first = unplaced[0] ?? problems[0]
      showStale(`${first.path}: ${first.message}`)
      return
    }
    staleNote.hidden = true
    results.dataset.valid = 'true'
    // nothing new to run (a field was corrected back to the value already shown)
    if (valid && valid.seed === seed && valid.iterations === iterations && sameJson(valid.raw, current)) return
    run(parsed.scenario)
  }

  const setStatus = (text: string, busy: boolean, fraction?: number) => {
    status.textContent = text
    progress.hidden = !busy
    if (fraction === undefined) progress.removeAttribute('value')
    else progress.value = fraction
  }

  let preview: PreviewEngine | undefined
  try {
    preview = new PreviewEngine(data.workerUrl, (message) => onPreview(message))
  } catch {
    preview = undefined
  }

  const run = (scenario: Scenario) => {
    const gen = ++generation
    const raw = structuredClone(current)
    valid = { gen, scenario, raw, seed, iterations }
    results.dataset.generation = String(gen)
    const previewN = Math.min(PREVIEW_ITERATIONS, iterations)
    preview?.request({ id: gen, scenario, seed: seedValue(seed), iterations: previewN })
    setStatus(preview ? `Updating: a preview of ${formatIterations(previewN)} in your browser…` : 'Updating…', true)
    clearTimeout(fullTimer)
    fullAbort?.abort()
    const start = () => {
      fullTimer = undefined
      startFull = undefined
      void runFull(gen, raw)
    }
    startFull = start
    fullTimer = setTimeout(start, shown.stage < 0 ? 0 : FULL_RUN_DELAY_MS)
  }

  // a change committed (Enter, Tab away, a slider let go or stepped by a key) needs no wait for more input
  let startFull: (() => void) | undefined
  const commitNow = () => {
    if (!startFull) return
    clearTimeout(fullTimer)
    startFull()
  }
  byId('assumptions').addEventListener('change', commitNow)
  byId('levers').addEventListener('change', commitNow)

  const onPreview = (message: PreviewMessage) => {
    if (message.type === 'error') {
      if (message.id === generation) setStatus(`The preview failed (${message.message}); waiting for the server…`, true)
      return
    }
    if (message.id < shown.gen || (message.id === shown.gen && shown.stage >= 1 && message.type === 'comparison')) return
    if (message.type === 'comparison') {
      shown = { gen: message.id, stage: 0 }
      showReport(message.comparison, 'preview')
      charts.update({ comparison: message.comparison, currency: message.comparison.currency, runIterations: iterations })
      if (message.id === generation) {
        results.dataset.previewMs = String(Math.round(performance.now() - changedAt))
        setStatus(
          `Preview from ${formatIterations(message.comparison.iterations)} ` +
            `(${formatDuration(performance.now() - changedAt)}); ` +
            `the full run of ${formatIterations(iterations)} is on its way…`,
          true,
        )
      }
    } else if (message.id === shown.gen) {
      charts.update(shown.stage === 0 ? { samples: message.samples, run: message.run } : { samples: message.samples })
    }
  }

  const runFull = async (gen: number, raw: Record<string, unknown>) => {
    const controller = new AbortController()
    fullAbort = controller
    const body = { iterations, seed: seedValue(seed) }
    const started = { seed, iterations }
    // above the API's immediate limit the run reports its shards; the comparison answers in one piece
    const background = iterations > data.limits.syncIterations
    let compared = false
    let runDone = 0
    const report = () => {
      if (gen !== generation || !background) return
      setStatus(
        `Full run of ${formatIterations(iterations)} on the server: comparison with removal only ` +
          `${compared ? 'done' : 'running'}; monthly series and budget ${Math.round(runDone * 100)}% done…`,
        true,
        (compared ? 0.5 : 0) + runDone / 2,
      )
    }
    try {
      // within the immediate limit one request answers both; above it the run goes to the background with its progress
      const { comparison, run: runResult } = !background
        ? await compareWithRunReport({ scenarios: [raw], ...body }, controller.signal)
        : await Promise.all([
            compareReport({ scenarios: [raw], ...body }, controller.signal).then((r) => {
              compared = true
              report()
              return r
            }),
            runReport({ scenario: raw, ...body }, (f) => {
              runDone = f
              report()
            }, controller.signal),
          ]).then(([comparison, run]) => ({ comparison, run }))
      if (gen !== generation) return
      const shownOnce = full !== undefined
      full = { gen, run: runResult, comparison, ...started }
      shown = { gen, stage: 1 }
      showReport(comparison, 'full')
      charts.update({ comparison, run: runResult, currency: comparison.currency, runIterations: iterations })
      renderTargets(byId('targets'), runResult.targets, runResult.currency)
      renderWaiting(byId('waiting'), runResult)
      drawBudget()
      results.dataset.fullMs = String(Math.round(performance.now() - changedAt))
      setStatus(
        `${formatIterations(comparison.iterations)}, seed ${String(comparison.seed)}, engine ` +
          `${comparison.engineVersion}. ${shownOnce ? 'Updated' : 'Ready'} ` +
          `${formatDuration(performance.now() - changedAt)} after the ${shownOnce ? 'change' : 'page opened'}.`,
        false,
      )
      updateShare()
    } catch (error) {
      if (controller.signal.aborted || gen !== generation) return
      setStatus(`The server could not run it: ${describeError(error)}`, false)
    }
  }

  const showReport = (comparison: ComparisonReport, stage: 'preview' | 'full') => {
    renderHeadline(byId('headline'), comparison)
    const title = typeof current.title === 'string' && current.title ? current.title : data.base.id
    renderVersus(byId('versus'), comparison, { scenario: title, comparator: `${title} (removal only)` })
    renderUnitCosts(byId('unit-costs'), comparison)
    renderPulse(byId('pulse'), comparison)
    byId('pulse').classList.toggle('pulse-preview', stage === 'preview')
    results.dataset.stage = stage
    results.dataset.shownGeneration = String(shown.gen)
  }

  // ---- run settings ----

  const renderSettings = () => {
    const seedInput = el('input', { id: 'run-seed', type: 'text', value: seed, autocomplete: 'off', maxlength: 200, size: 10 })
    const nSelect = el(
      'select',
      { id: 'run-iterations' },
      ...[...new Set([...ITERATION_CHOICES, iterations])]
        .filter((n) => n <= data.limits.maxCompareIterations)
        .sort((a, b) => a - b)
        .map((n) => el('option', { value: n, selected: n === iterations }, n.toLocaleString('en-GB'))),
    )
    const seedMessage = el('p', { class: 'field-message', id: 'run-seed-message', hidden: true })
    seedInput.addEventListener('change', () => {
      const text = seedInput.value.trim()
      const ok = text.length >= 1 && text.length <= 200
      seedMessage.hidden = ok
      seedMessage.textContent = ok ? '' : 'a seed is 1 to 200 characters'
      if (ok) seedInput.removeAttribute('aria-invalid')
      else seedInput.setAttribute('aria-invalid', 'true')
      if (!ok) return
      seed = text
      changedAt = performance.now()
      updateUrl(true)
      validateAndRun()
    })
    nSelect.addEventListener('change', () => {
      iterations = Number(nSelect.value)
      changedAt = performance.now()
      updateUrl(true)
      validateAndRun()
    })
    fill(
      byId('run-settings'),
      el('h3', {}, 'Run'),
      el(
        'div',
        { class: 'settings-row' },
        el('div', { class: 'control' }, el('label', { for: 'run-seed' }, 'Seed'), seedInput),
        el('div', { class: 'control' }, el('label', { for: 'run-iterations' }, 'Iterations'), nSelect),
      ),
      seedMessage,
      el(
        'p',
        { class: 'section-note' },
        'The same scenario, seed and iterations give the same numbers everywhere. Runs above ' +
          `${data.limits.syncIterations.toLocaleString('en-GB')} iterations run in the background with a progress bar.`,
      ),
    )
  }

  // ---- share and download ----

  const sharePanel = byId('share-panel')
  const shareResult = el('div', { class: 'share-result', role: 'status' })
  const downloadStatus = el('p', { class: 'section-note', role: 'status' })
  const shareButton = el('button', { type: 'button', id: 'share-button' }, 'Share')
  const summaryButton = el('button', { type: 'button', class: 'secondary' }, 'Summary (JSON)')
  const updateShare = () => {
    summaryButton.disabled = !full || full.gen !== valid?.gen
  }

  const currentRef = async (): Promise<string> => {
    if (edits.size === 0) return data.base.id
    return (await saveScenario(valid!.raw)).id
  }

  shareButton.addEventListener('click', async () => {
    if (!valid || localErrors.size > 0 || results.dataset.valid === 'false') {
      const why = 'Correct the marked field first: only a valid scenario can be shared.'
      fill(shareResult, el('p', { class: 'field-message' }, why))
      return
    }
    shareButton.disabled = true
    try {
      const saved = await saveScenario(valid.raw)
      const link = `${location.origin}${saved.url}?seed=${encodeURIComponent(seed)}&n=${iterations}`
      const linkInput = el('input', { id: 'share-link', type: 'text', readonly: true, value: link })
      const copy = el('button', { type: 'button', class: 'secondary' }, 'Copy link')
      const copied = el('span', { class: 'section-note' })
      copy.addEventListener('click', async () => {
        linkInput.select()
        try {
          await navigator.clipboard.writeText(link)
          copied.textContent = ' Copied.'
        } catch {
          copied.textContent = ' Select the link and copy it.'
        }
      })
      fill(
        shareResult,
        el('label', { for: 'share-link' }, 'Link to these results'),
        el('div', { class: 'share-row' }, linkInput, copy, copied),
        el(
          'p',
          { class: 'section-note' },
          `The scenario is saved as ${saved.id} and never changes. Anyone who opens the link gets the same ` +
            `numbers: seed ${seed}, ${formatIterations(iterations)}, engine ${data.engineVersion}.`,
        ),
      )
      linkInput.focus()
      linkInput.select()
      // and a share that keeps its word: these numbers as made, the preset and each change named
      void postJson<{ url: string }>('/api/shares', {
        scenario: valid.raw,
        ...(data.base.kind === 'preset' ? { presetId: data.base.id } : {}),
        seed: seedValue(seed),
        iterations,
      })
        .then(({ body }) =>
          shareResult.append(
            el(
              'p',
              { class: 'section-note' },
              'With the numbers kept as made (and what was changed from the preset): ',
              el('a', { href: body.url, id: 'share-snapshot-link' }, `${location.origin}${body.url}`),
            ),
          ),
        )
        .catch(() => undefined)
    } catch (error) {
      fill(shareResult, el('p', { class: 'field-message' }, `It could not be saved: ${(error as Error).message}`))
    } finally {
      shareButton.disabled = false
    }
  })

  // the budget office's workbook: summary, budget by year x line x payer with intervals, targets, assumptions
  const excelButton = el('button', { type: 'button', class: 'secondary', id: 'export-xlsx' }, 'Budget workbook (Excel)')
  excelButton.addEventListener('click', async () => {
    if (!valid) return
    excelButton.disabled = true
    downloadStatus.textContent = `Preparing the workbook (${formatIterations(iterations)}, calendar years from ${startYear})…`
    try {
      const request = { scenario: valid.raw, iterations, seed: seedValue(seed), startYear }
      const response = await fetch('/api/export.xlsx', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) })
      if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { message?: string }).message ?? `the server answered ${response.status}`)
      downloadBlob(await response.blob(), `${fileSlug(String(current.title ?? 'scenario'))}-seed-${fileSlug(seed)}-n${iterations}.xlsx`)
      downloadStatus.textContent = 'Downloaded the workbook: summary, budget by year, line and payer, targets and assumptions with sources.'
    } catch (error) {
      downloadStatus.textContent = `The workbook could not be prepared: ${(error as Error).message}`
    } finally {
      excelButton.disabled = false
    }
  })
  const printButton = el('button', { type: 'button', class: 'secondary', id: 'print-brief' }, 'Print a brief')
  printButton.addEventListener('click', () => window.print())
  const compareButton = el('button', { type: 'button', class: 'secondary' }, 'Compare with other scenarios')
  compareButton.addEventListener('click', async () => {
    if (!valid || results.dataset.valid === 'false') return
    const id = await currentRef()
    const other = data.presets.find((p) => !p.comparator && p.id !== id)?.id ?? 'removal-only'
    const query = new URLSearchParams([['s', id], ['s', other]])
    if (seed !== data.defaults.seed) query.set('seed', seed)
    if (iterations !== data.defaults.iterations) query.set('n', String(iterations))
    location.href = `/compare?${query}`
  })

  const scenarioButton = el('button', { type: 'button', class: 'secondary' }, 'Scenario file (JSON)')
  scenarioButton.addEventListener('click', () => downloadJson(current, `${fileSlug(String(current.title ?? 'scenario'))}.json`))
  summaryButton.addEventListener('click', () => {
    if (!full) return
    downloadJson(
      {
        engineVersion: full.comparison.engineVersion,
        seed: full.comparison.seed,
        iterations: full.comparison.iterations,
        scenario: valid?.raw,
        run: full.run,
        againstRemovalOnly: full.comparison,
      },
      `${fileSlug(String(current.title ?? 'scenario'))}-summary-seed-${fileSlug(seed)}-n${full.iterations}.json`,
    )
  })
  const csvButton = el('button', { type: 'button', class: 'secondary' }, 'Iterations (CSV)')
  csvButton.addEventListener('click', async () => {
    if (!valid) return
    const n = Math.min(iterations, data.limits.keepIterationsMax)
    csvButton.disabled = true
    const first = n < iterations ? ` (the first ${n.toLocaleString('en-GB')}: iterations are kept for runs up to that size)` : ''
    downloadStatus.textContent = `Preparing ${formatIterations(n)}${first}…`
    try {
      const request = { scenario: valid.raw, iterations: n, seed: seedValue(seed), keepIterations: true }
      const { body } = await postJson<{ iterationsCsv: string }>('/api/runs', request)
      const response = await fetch(body.iterationsCsv)
      const name = `${fileSlug(String(current.title ?? 'scenario'))}-iterations-seed-${fileSlug(seed)}-n${n}.csv`
      downloadBlob(await response.blob(), name)
      downloadStatus.textContent = `Downloaded ${formatIterations(n)}, one row each, one column per metric.`
    } catch (error) {
      downloadStatus.textContent = `The iterations could not be prepared: ${(error as Error).message}`
    } finally {
      csvButton.disabled = false
    }
  })
  fill(
    sharePanel,
    el(
      'p',
      { class: 'section-note' },
      'Share saves the scenario (it can never be changed afterwards) and gives a link that reproduces these ' +
        'numbers exactly.',
    ),
    el('div', { class: 'button-row' }, shareButton, compareButton),
    shareResult,
    el('h3', {}, 'Download'),
    el('div', { class: 'button-row' }, scenarioButton, summaryButton, csvButton, excelButton, printButton),
    downloadStatus,
    el('p', { class: 'section-note' }, 'Each chart has its own PNG button.'),
  )

  // ---- start ----

  const renderAll = () => {
    levers.render()
    renderSettings()
    editor.render()
    showScenarioText()
  }
  // ---- budget planning: calendar years from a start year (kept in the URL as from=) ----

  const budgetStart = byId<HTMLInputElement>('budget-start')
  const budgetView = byId<HTMLSelectElement>('budget-view')
  const budgetMessage = byId('budget-start-message')
  const yearFrom = (text: string | null) => (text !== null && /^\d{4}$/.test(text.trim()) ? Number(text) : undefined)
  let startYear = yearFrom(url.searchParams.get('from')) ?? Number(budgetStart.value)
  budgetStart.value = String(startYear)
  const drawBudget = () => {
    if (!full) return
    const title = typeof current.title === 'string' && current.title ? current.title : data.base.id
    renderBudget(byId('budget-tables'), full.run, full.comparison, { startYear, incremental: budgetView.value === 'incremental' }, `${title} (removal only)`)
    charts.update({ startYear })
  }
  budgetStart.addEventListener('input', () => {
    const year = yearFrom(budgetStart.value)
    const ok = year !== undefined && year >= 1900 && year <= 2200
    budgetMessage.hidden = ok
    budgetMessage.textContent = ok ? '' : 'a calendar year from 1900 to 2200, four digits'
    if (!ok) return budgetStart.setAttribute('aria-invalid', 'true')
    budgetStart.removeAttribute('aria-invalid')
    startYear = year
    const u = new URL(location.href)
    u.searchParams.set('from', String(year))
    history.replaceState(null, '', u)
    drawBudget()
    // the schedules are edited by calendar year
    editor.render()
  })
  budgetView.addEventListener('change', drawBudget)
  charts.update({ startYear })

  const calibration = byId('calibration')
  calibrationSection(calibration, () => valid && { raw: valid.raw, seed: seedValue(valid.seed) }, () => String(current.currency ?? ''))
  const showCalibration = () => (calibration.hidden = !Array.isArray(current.targets) || current.targets.length === 0)
  offerLast()
  renderAll()
  showCalibration()
  updateShare()
  if (edits.size > 0 || data.base.kind === 'saved') rememberLast()
  validateAndRun()
}
