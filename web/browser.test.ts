/**
 * The pages in a real headless Chromium (Debian's, never a downloaded one) against the real local server:
 * change a lever and see the numbers change, share and reopen the link elsewhere with the same numbers, compare
 * two presets, a bad value kept by its field, a phone's width, and axe-core on the main pages.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inCurrentFormat } from '../models/engine/migrate'
import { ENGINE_VERSION } from '../models/engine/version'
import { getPresetRaw } from '../scenarios/index'
import { startLocalServer, type LocalServer } from '../app/local-server'

const CHROMIUM = '/usr/bin/chromium'
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let server: LocalServer
let browser: Browser

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}: run 'bash scripts/ensure-chromium.sh' (or 'npm run setup:test')`)
  ;[server, browser] = await Promise.all([
    // as `npm start` runs it: the landing page's numbers computed once the server listens
    startLocalServer({ threads: 2, prepareLandingPage: true }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] }),
  ])
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** A page that fails the test on any script error, CSP violation or dialog (an injected alert). */
const openPage = async (path: string, viewport = { width: 1280, height: 800 }): Promise<Page> => {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  page.on('dialog', (dialog) => {
    problems.push(`a dialog opened: ${dialog.message()}`)
    void dialog.dismiss()
  })
  ;(page as Page & { problems: string[] }).problems = problems
  await page.goto(server.url + path)
  return page
}

const problemsOf = (page: Page): string[] => (page as Page & { problems: string[] }).problems

/** Wait until the full (server) run of the newest change is on screen. */
const fullResults = async (page: Page): Promise<void> => {
  await page.waitForFunction(() => {
    const r = document.getElementById('results')
    return r?.dataset.stage === 'full' && r.dataset.shownGeneration === r.dataset.generation
  }, undefined, { timeout: 30_000 })
}

const headline = (page: Page) => page.locator('#headline').innerText()
const versus = (page: Page) => page.locator('#versus').innerText()

const axeViolations = async (page: Page): Promise<string[]> => {
  // evaluated through DevTools: the page's CSP (rightly) refuses an injected inline <script>
  await page.evaluate(AXE_SOURCE)
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    return (await axe.run(document)).violations
  })
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)
}

describe('the first visitor', () => {
  it('finds the landing page’s numbers ready: the page’s own request is answered without computing anything', async () => {
    await server.landingPageReady
    const computed = server.pool.tasksStarted()
    expect(computed).toBeGreaterThan(0)
    const page = await openPage('/')
    await fullResults(page)
    expect(server.pool.tasksStarted()).toBe(computed)
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  })
})

describe('the scenario page', () => {
  it('updates the numbers after a change of cash per adult, and a shared link reproduces them exactly', async () => {
    const page = await openPage('/')
    await fullResults(page)
    const before = await headline(page)
    expect(before).toContain('Assisted returns')
    await expect.poll(() => page.locator('#chart-total-cost svg').count()).toBeGreaterThan(0)

    // a change: numbers follow, a preview first, then the full run
    await page.locator('#lever-cash').fill('6000')
    await fullResults(page)
    const after = await headline(page)
    const afterVersus = await versus(page)
    expect(after).not.toBe(before)
    const timing = await page.locator('#results').evaluate((r) => ({ preview: Number(r.dataset.previewMs), full: Number(r.dataset.fullMs) }))
    console.log(`Germany preset, cash per adult 6000: preview numbers ${timing.preview} ms, full run (10,000 iterations) ${timing.full} ms after the change`)
    expect(timing.preview).toBeLessThan(timing.full)
    expect(page.url()).toMatch(/[?&]e=/)
    await expect.poll(() => page.locator('#f-programme_cashPerAdult-mode').inputValue()).toBe('6000')

    // a reload keeps the edit
    await page.reload()
    await fullResults(page)
    expect(await headline(page)).toBe(after)
    expect(await page.locator('#lever-cash').inputValue()).toBe('6000')

    // share: a saved scenario and a link with seed and iterations
    await page.locator('#share-button').click()
    const link = await page.locator('#share-link').inputValue()
    expect(link).toMatch(/\/s\/[a-z2-7]+\?seed=1&n=10000$/)
    await expect(page.locator('#share-panel')).toBeDefined()
    expect(await page.locator('#share-panel').innerText()).toContain(`engine ${ENGINE_VERSION}`)

    // the share as made: the preset named, the change listed, the numbers kept, a re-run on the current engine
    const shareUrl = await page.locator('#share-snapshot-link').getAttribute('href', { timeout: 60_000 })
    const shared = await openPage(shareUrl!)
    expect(await shared.locator('#share-origin').innerText()).toMatch(/^Made from the preset “Germany.*” \(de-reag-garp\).*1 assumption changed/)
    expect(await shared.locator('#share-changes').innerText()).toContain('programme.cashPerAdult')
    expect(await shared.locator('#share-run').innerText()).toContain(`10,000 iterations, seed 1, engine ${ENGINE_VERSION}`)
    expect(await shared.locator('#share-headline [data-metric=returnsAssisted] .card-value').innerText()).toBe(
      await page.locator('#headline [data-metric=returnsAssisted] .card-value').innerText(),
    )
    await shared.locator('#share-rerun').click()
    await shared.locator('#share-rerun-result[data-complete=true]').waitFor({ timeout: 60_000 })
    expect(await shared.locator('#share-rerun-summary').innerText()).toMatch(/^The same numbers on the current engine/)
    expect(await axeViolations(shared)).toEqual([])
    await shared.setViewportSize({ width: 390, height: 844 })
    expect(await shared.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    expect(problemsOf(shared)).toEqual([])
    await shared.context().close()

    // downloads: the scenario file as edited, the summary, every iteration, a chart
    const download = async (name: string | RegExp) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()])
      return { name: file.suggestedFilename(), body: readFileSync((await file.path())!) }
    }
    const scenarioFile = await download('Scenario file (JSON)')
    expect(scenarioFile.name).toMatch(/^germany-reag-garp.*\.json$/)
    expect(JSON.parse(scenarioFile.body.toString()).programme.cashPerAdult).toMatchObject({ dist: 'pert', mode: 6000 })
    const summary = JSON.parse((await download('Summary (JSON)')).body.toString())
    expect(summary).toMatchObject({ engineVersion: ENGINE_VERSION, seed: 1, iterations: 10_000 })
    expect(summary.againstRemovalOnly.comparison.ceac.length).toBeGreaterThan(5)
    const csv = (await download('Iterations (CSV)')).body.toString().trim().split('\n')
    expect(csv[0]).toMatch(/^iteration,returnsAssisted,returnsForced/)
    expect(csv).toHaveLength(10_001)
    const xlsx = await download('Budget workbook (Excel)')
    expect(xlsx.name).toMatch(/^germany-reag-garp.*-n10000\.xlsx$/)
    expect(xlsx.body.subarray(0, 2).toString()).toBe('PK')
    const png = await download(/Download “Total cost” as PNG/)
    expect(png.name).toMatch(/-total-cost\.png$/)
    expect(png.body.subarray(1, 4).toString()).toBe('PNG')

    // anyone else: a fresh browser context, the same numbers to the digit, and the engine version
    const other = await openPage(link.replace(server.url, ''))
    await fullResults(other)
    expect(await headline(other)).toBe(after)
    expect(await versus(other)).toBe(afterVersus)
    expect(await other.locator('#run-status').innerText()).toContain(`10,000 iterations, seed 1, engine ${ENGINE_VERSION}`)
    expect(await other.locator('#scenario-origin').innerText()).toContain('Saved scenario')

    // the back button returns to the unedited preset and its numbers
    await page.goBack()
    await fullResults(page)
    expect(page.url()).not.toMatch(/[?&]e=/)
    expect(await headline(page)).toBe(before)
    expect(await page.locator('#lever-cash').inputValue()).toBe('2000')

    expect(problemsOf(page)).toEqual([])
    expect(problemsOf(other)).toEqual([])
    await page.context().close()
    await other.context().close()
  })

  it('keeps the last good result when a bad value is typed, with the message by the field', async () => {
    const page = await openPage('/?preset=be-low-cash')
    await fullResults(page)
    const first = await headline(page)
    const firstGeneration = await page.locator('#results').getAttribute('data-generation')

    // not a number: a message by the lever, nothing runs
    await page.locator('#lever-cash').fill('12abc')
    await expect.poll(() => page.locator('#lever-cash-message').innerText()).toContain('is not a number')
    expect(await page.locator('#lever-cash').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#stale-note').isVisible()).toBe(true)
    await page.waitForTimeout(600)
    expect(await headline(page)).toBe(first)
    expect(await page.locator('#results').getAttribute('data-generation')).toBe(firstGeneration)

    // a good value runs
    await page.locator('#lever-cash').fill('300')
    await fullResults(page)
    expect(await page.locator('#stale-note').isVisible()).toBe(false)
    expect(await page.locator('#lever-cash').getAttribute('aria-invalid')).toBeNull()
    const good = await headline(page)
    const generation = await page.locator('#results').getAttribute('data-generation')

    // a number the schema refuses (most likely value below the minimum): its field says why, nothing runs
    await page.locator('details[data-section=programme] > summary').click()
    await page.locator('#f-programme_cashPerAdult-min').fill('900')
    await expect.poll(() => page.locator('#f-programme_cashPerAdult-message').innerText()).toContain('mode must be >= min')
    expect(await page.locator('#f-programme_cashPerAdult-mode').getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator('#stale-note').innerText()).toContain('last valid scenario')
    await page.waitForTimeout(800)
    expect(await headline(page)).toBe(good)
    expect(await page.locator('#results').getAttribute('data-generation')).toBe(generation)

    // corrected: results follow again, from the keyboard on the slider
    await page.locator('#f-programme_cashPerAdult-min').fill('100')
    await fullResults(page)
    expect(await page.locator('#stale-note').isVisible()).toBe(false)
    const corrected = await headline(page)
    expect(corrected).not.toBe(good)
    await page.locator('#lever-scale-range').focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await fullResults(page)
    expect(await headline(page)).not.toBe(corrected)
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  })
})

/** The lever ids of the page (web/client/lever-state.ts), each with a text field and a slider. */
const LEVER_IDS = ['cash', 'in-kind', 'reach', 'scale', 'capacity', 'ramp-up']

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

describe('the levers', () => {
  it('after 200 random moves (typed, slid, refused) and back, the scenario is the preset exactly', async () => {
    const page = await openPage('/')
    await fullResults(page)
    const before = await headline(page)
    const enabled = []
    for (const id of LEVER_IDS) if (await page.locator(`#lever-${id}`).isEnabled()) enabled.push(id)
    const original = Object.fromEntries(await Promise.all(enabled.map(async (id) => [id, await page.locator(`#lever-${id}`).inputValue()])))
    const move = fc.record({
      lever: fc.constantFrom(...enabled),
      how: fc.constantFrom('type', 'slide'),
      // a share of the slider, or text as a person types it (some of it refused)
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: fc.oneof(fc.integer({ min: -500, max: 12_000 }).map(String), fc.constantFrom('0', '-500', '12abc', '3000', '0.5', '')),
    })
    const moves = fc.sample(fc.array(move, { minLength: 200, maxLength: 200 }), { numRuns: 1, seed: 7 })[0]
    // the moves run in the browser's preview only: 200 full runs would queue on the server for minutes
    await page.route(/\/api\/(compare|runs)$/, (route) => route.abort())
    for (const m of moves) {
      if (m.how === 'type') await page.locator(`#lever-${m.lever}`).fill(m.text)
      else
        await page.locator(`#lever-${m.lever}-range`).evaluate((range: HTMLInputElement, at) => {
          const [lo, hi] = [Number(range.min), Number(range.max)]
          range.value = String(lo + at * (hi - lo))
          range.dispatchEvent(new Event('input', { bubbles: true }))
        }, m.at)
    }
    // a refused value: the message by the field, and the value before it kept
    await page.locator('#lever-cash').fill('-500')
    expect(await page.locator('#lever-cash-message').innerText()).toBe('must be 0 or more')
    expect(await page.locator('#lever-cash').getAttribute('aria-invalid')).toBe('true')
    await page.unroute(/\/api\/(compare|runs)$/)
    problemsOf(page).length = 0
    for (const id of enabled) await page.locator(`#lever-${id}`).fill(original[id])
    await fullResults(page)
    expect(page.url()).not.toMatch(/[?&]e=/)
    expect(await headline(page)).toBe(before)
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Scenario file (JSON)' }).click()])
    expect(JSON.parse(readFileSync((await file.path())!, 'utf8'))).toEqual(inCurrentFormat(structuredClone(getPresetRaw('de-reag-garp'))))

    // the slider, one step out and back by the keyboard: the distribution as it was
    await page.locator('#lever-cash-range').focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.url()).toMatch(/[?&]e=/)
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => page.url()).not.toMatch(/[?&]e=/)
    expect(await axeViolations(page)).toEqual([])
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  }, 240_000)

  it('measures a lever change to the updated full numbers on the Germany preset (median of 8 typed and 8 committed moves)', async () => {
    const page = await openPage('/')
    await fullResults(page)
    const timings = async (values: number[], commit: boolean) => {
      const full: number[] = []
      const preview: number[] = []
      for (const cash of values) {
        await page.locator('#lever-cash').fill(String(cash))
        // typed and left (Tab): the change is committed and the full run starts at once; typed alone it waits for more
        if (commit) await page.locator('#lever-cash').press('Tab')
        await fullResults(page)
        const t = await page.locator('#results').evaluate((r) => ({ preview: Number(r.dataset.previewMs), full: Number(r.dataset.fullMs) }))
        full.push(t.full)
        preview.push(t.preview)
      }
      return { full, preview }
    }
    // values no earlier test ran (the server keeps finished runs by content)
    const typed = await timings([2510, 3020, 1530, 2240, 4050, 1060, 2870, 3580], false)
    const committed = await timings([1890, 2930, 2610, 1740, 3370, 2080, 1270, 3860], true)
    for (const [how, t] of [['typed (the full run waits 300 ms for more input)', typed], ['typed and committed with Tab', committed]] as const)
      console.log(
        `Germany preset, cash per adult ${how}: preview median ${median(t.preview)} ms, ` +
          `full numbers (10,000 iterations) median ${median(t.full)} ms (${t.full.join(', ')})`,
      )
    expect([...typed.full, ...committed.full].every(Number.isFinite)).toBe(true)
    await page.context().close()
  }, 240_000)
})

describe('the comparator', () => {
  it('is the scenario’s own removal-only version by default, offered in every list, and the verdicts name the scenarios', async () => {
    // the editor: a verdict in words only where established, both scenarios named, never "A"
    const editor = await openPage('/?preset=se-high-package')
    await fullResults(editor)
    const verdict = await editor.locator('#verdict').innerText()
    const title = await editor.locator('#scenario-title').innerText()
    expect(verdict).toContain(title)
    // the comparator is the same scenario without its programme: named as that, the title said once
    expect(verdict).toContain('its removal-only version')
    const probCheaper = Number((await editor.locator('[data-metric=probCheaper] .card-value').innerText()).replace('%', '')) / 100
    if (probCheaper < 0.95) {
      expect(verdict).not.toMatch(/dominates|saves money/)
      expect(await editor.locator('[data-metric=icer] .card-value').innerText()).not.toMatch(/Domin/)
    }
    expect(await editor.locator('#versus').innerText()).not.toMatch(/\bA (dominates|is dominated|costs)/)
    // unit costs a budget office reads, each saying what it includes
    const unit = editor.locator('#unit-costs tr[data-unit=programmeCostPerAssistedReturn]')
    expect(await unit.locator('td').first().innerText()).toMatch(/^SEK [\d,.]+/)
    expect(await unit.locator('td.includes').innerText()).toMatch(/programme lines/)
    expect(await editor.locator('#unit-costs').innerText()).toContain('stay excluded')
    await editor.context().close()

    // the analysis page: the default comparator is the scenario without its programme, sent as such
    const page = await openPage('/analysis?preset=be-low-cash&n=300&tn=20')
    const selected = page.locator('#sens-comparator option:checked')
    expect(await selected.getAttribute('value')).toBe('removal-only:be-low-cash')
    expect(await selected.innerText()).toContain('without its programme')
    await page.locator('#sens-outcome').selectOption('incrementalCost')
    const [request] = await Promise.all([page.waitForRequest('**/api/sensitivity'), page.locator('#sensitivity-run').click()])
    const comparator = request.postDataJSON().comparator
    expect(comparator).toMatchObject({ programme: null, id: 'be-low-cash-removal-only' })
    await page.locator('#sensitivity-results[data-complete=true]').waitFor({ timeout: 60_000 })
    expect(await axeViolations(page)).toEqual([])
    expect(problemsOf(page)).toEqual([])
    await page.context().close()

    // compare: each list offers the removal-only versions; a column can be one, and the verdicts name titles
    const compare = await openPage('/compare?s=be-low-cash&s=removal-only:be-low-cash')
    await compare.locator('#compare-results[data-complete=true]').waitFor({ timeout: 60_000 })
    expect(await compare.locator('#compare-0 option[value="removal-only:be-low-cash"]').count()).toBe(1)
    expect(await compare.locator('#compare-1 option:checked').getAttribute('value')).toBe('removal-only:be-low-cash')
    const table = await compare.locator('#compare-results table').innerText()
    const beTitle = String((getPresetRaw('be-low-cash') as { title: string }).title)
    expect(table).toContain(`Against scenario 1, ${beTitle}`)
    expect(await compare.locator('tr[data-row=verdict-first] td').nth(1).innerText()).toContain(beTitle)
    expect(table).not.toMatch(/\bA (dominates|is dominated|costs)/)
    expect(problemsOf(compare)).toEqual([])
    await compare.context().close()

    // another population: refused by name, then compared anyway and labelled so
    const across = await openPage('/compare?s=de-reag-garp&s=be-low-cash&n=1000')
    await across.locator('#compare-results[data-complete=true]').waitFor({ timeout: 60_000 })
    expect(await across.locator('#compare-results').innerText()).toContain('different populations')
    await across.locator('#compare-anyway-1').click()
    await expect.poll(() => across.locator('tr[data-row=verdict-first] td').nth(1).innerText(), { timeout: 60_000 }).toMatch(/^Compared across different populations/)
    // the refusal itself is a 400 the browser logs
    expect(problemsOf(across).filter((p) => !p.includes('status of 400'))).toEqual([])
    await across.context().close()
  }, 180_000)
})

describe('published figures and calibration', () => {
  it('shows the check table of a scenario with targets, and calibrates it with its ESS and a calibrated file', async () => {
    const page = await openPage('/?preset=uk-nao-2003')
    await fullResults(page)
    const targets = (getPresetRaw('uk-nao-2003') as { targets: { id: string; excludedBecause?: string }[] }).targets
    await expect.poll(() => page.locator('#targets tbody tr').count()).toBe(targets.length)
    for (const t of targets) {
      const row = page.locator(`#targets tr[data-target="${t.id}"]`)
      const cells = await row.locator('td').allInnerTexts()
      expect(cells).toHaveLength(6)
      if (t.excludedBecause) expect(cells[5]).toBe(`not checked: ${t.excludedBecause}`)
      else {
        expect(cells[5]).toMatch(/^(inside|outside|not defined)$/)
        expect(cells[4]).toMatch(/^\d+th$|^–$/)
        expect(cells[1]).toMatch(/\d/)
      }
    }
    expect(await page.locator('#targets-summary').innerText()).toMatch(/^\d+ of \d+ checked figures inside/)

    await page.locator('#calibrate-draws').selectOption('1000')
    await page.locator('#calibrate-run').click()
    await page.locator('#calibrate-results[data-complete=true]').waitFor({ timeout: 120_000 })
    expect(await page.locator('#calibrate-ess').innerText()).toMatch(/^Effective sample size [\d,.]+ of 1,000 draws/)
    expect(await page.locator('#calibrate-results table').first().locator('tbody tr').count()).toBeGreaterThan(0)
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('#calibrate-download').click()])
    const calibrated = JSON.parse(readFileSync((await file.path())!, 'utf8'))
    expect(calibrated.schemaVersion).toBe(2)
    expect(JSON.stringify(calibrated.sources)).toMatch(/calibrat/i)
    expect(await axeViolations(page)).toEqual([])
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  }, 180_000)
})

describe('budget planning', () => {
  it('gives the budget by calendar year with intervals (incremental too), edits a schedule by year, and shows the waiting list', async () => {
    const page = await openPage('/?preset=be-low-cash&from=2026')
    await fullResults(page)
    // a horizon of 42 months: the last year is partial and says so
    await page.locator('details[data-section=scenario] > summary').click()
    await page.locator('#f-horizonMonths-input').fill('42')
    await fullResults(page)
    const head = await page.locator('#budget-by-line thead').innerText()
    expect(head).toMatch(/2026\s+2027\s+2028\s+2029 \(6 months\)/)
    expect(await page.locator('#budget-by-line tr.total-row td').first().innerText()).toMatch(/EUR [\d.,]+ m?\s*EUR [\d.,]+ m? to EUR/)
    expect(await page.locator('#budget-by-payer tbody tr').count()).toBeGreaterThanOrEqual(2)
    await page.locator('#budget-start').fill('2030')
    await expect.poll(() => page.locator('#budget-by-line thead').innerText()).toContain('2033 (6 months)')
    expect(page.url()).toContain('from=2030')
    await page.locator('#budget-start').fill('20x0')
    expect(await page.locator('#budget-start-message').innerText()).toContain('calendar year')
    await page.locator('#budget-start').fill('2026')
    await page.locator('#budget-view').selectOption('incremental')
    expect(await page.locator('#budget-by-line caption').innerText()).toMatch(/^Incremental against .* \(removal only\) by cost line/)

    // the programme scaled down in 2027 and back up in 2029
    await page.locator('details[data-section=programme] > summary').click()
    await page.locator('#f-programme_scale-by-year').click()
    await page.locator('#f-programme_scale-value-1').fill('0.5')
    await page.locator('#f-programme_scale-add').click()
    await page.locator('#f-programme_scale-from-2').selectOption({ label: 'From 2029' })
    await page.locator('#f-programme_scale-value-2').fill('1')
    await fullResults(page)
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Scenario file (JSON)' }).click()])
    expect(JSON.parse(readFileSync((await file.path())!, 'utf8')).programme.scale).toEqual({
      schedule: [{ fromMonth: 0, value: 1 }, { fromMonth: 12, value: 0.5 }, { fromMonth: 36, value: 1 }],
    })
    expect(await page.locator('#lever-scale-box').innerText()).toContain('Changes by month')

    // capacity that binds: a waiting list, its peak and the mean wait
    expect(await page.locator('#waiting').isVisible()).toBe(false)
    await page.locator('#lever-capacity-limit').check()
    await page.locator('#lever-capacity').fill('5')
    await fullResults(page)
    await expect.poll(() => page.locator('#waiting').isVisible()).toBe(true)
    expect(await page.locator('#waiting [data-metric=waitingListPeak] .card-value').innerText()).toMatch(/^[\d,.]+ people$/)
    expect(await page.locator('#waiting [data-metric=meanWaitMonths] .card-value').innerText()).toMatch(/months$/)
    expect(await page.locator('#chart-waiting figcaption').innerText()).toContain('wait for a place')
    expect(await axeViolations(page)).toEqual([])
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  }, 180_000)
})

/** Text of a chart that lies outside its SVG (a clipped axis title or tick), by chart. */
const clippedTexts = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const out: string[] = []
    for (const svg of document.querySelectorAll<SVGSVGElement>(sel)) {
      const box = svg.getBoundingClientRect()
      for (const t of svg.querySelectorAll('text')) {
        const r = t.getBoundingClientRect()
        if (r.width === 0) continue
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
          out.push(`${svg.closest('figure')?.id}: “${t.textContent}”`)
      }
    }
    return out
  }, selector)

describe('readable charts', () => {
  it('cuts no axis title at a desktop or a phone width, and draws the returns in panels that do not overlap', async () => {
    for (const width of [1280, 390]) {
      const page = await openPage('/?preset=de-reag-garp', { width, height: 900 })
      await fullResults(page)
      await expect.poll(() => page.locator('#chart-ceac .chart-plot svg').count()).toBe(1)
      await page.waitForTimeout(300)
      expect(await clippedTexts(page, '#chart-list .chart-plot svg'), `width ${width}`).toEqual([])
      const areas = await page.locator('#chart-returns svg .fan-band path').evaluateAll((paths) =>
        paths.map((p) => p.getBoundingClientRect()).map((r) => [r.top, r.bottom]),
      )
      expect(areas).toHaveLength(3)
      areas.sort((a, b) => a[0] - b[0])
      for (let i = 1; i < areas.length; i++) expect(areas[i][0]).toBeGreaterThanOrEqual(areas[i - 1][1] - 1)
      expect(problemsOf(page)).toEqual([])
      await page.context().close()
    }
  }, 120_000)
})

describe('the comparison page', () => {
  it('puts two presets side by side and marks the assumptions that differ', async () => {
    const page = await openPage('/compare?s=de-reag-garp&s=de-trusted-actors')
    await page.locator('#compare-results[data-complete=true]').waitFor({ timeout: 30_000 })
    const table = page.locator('#compare-results table')
    expect(await table.locator('thead th').count()).toBe(3)
    const assisted = await table.locator('tr[data-metric=returnsAssisted] td').allInnerTexts()
    expect(assisted).toHaveLength(2)
    for (const cell of assisted) expect(cell).toMatch(/\d/)
    expect(assisted[0]).not.toBe(assisted[1])
    expect(await table.innerText()).toContain('Against scenario 1')
    const setting = page.locator('#compare-assumptions tr[data-key="programme.counselling.setting"]')
    expect(await setting.getAttribute('class')).toBe('differs')
    expect(await setting.innerText()).toContain('Trusted community actors')
    expect(await page.locator('#compare-assumptions tr[data-key="removal.attemptMonthly"]').count()).toBe(0)
    await page.locator('#only-differing').uncheck()
    expect(await page.locator('#compare-assumptions tr[data-key="removal.attemptMonthly"]').getAttribute('class')).toBeNull()
    expect(problemsOf(page)).toEqual([])
    await page.context().close()
  })
})

describe('the sensitivity and break-even page', () => {
  it('draws the tornado and the EVPPI, finds or explains the break-even of cash per adult, and passes axe', async () => {
    const started = Date.now()
    const page = await openPage('/analysis?preset=be-low-cash&n=500&tn=50&thn=300')
    expect(await page.locator('#sens-comparator-field').isVisible()).toBe(false)
    await page.locator('#sensitivity-run').click()
    await page.locator('#sensitivity-results[data-complete=true]').waitFor({ timeout: 20_000 })
    for (const figure of ['#chart-tornado', '#chart-evppi']) {
      await expect.poll(() => page.locator(`${figure} .chart-plot svg`).count()).toBe(1)
      expect(await page.locator(`${figure} .chart-plot svg rect`).count(), figure).toBeGreaterThanOrEqual(figure === '#chart-evppi' ? 0 : 5)
    }
    // the whole name in the table (the axis wraps it)
    expect(await page.locator('#chart-tornado table').textContent()).toContain('New people eligible each month')
    // every bar of the tornado has a name of its own, wrapped rather than cut alike; the EVPPI draws no empty bar
    // the input names: the right-aligned texts left of the bars
    const ticks = await page.locator('#chart-tornado .chart-plot svg g[text-anchor=end] text').allTextContents()
    expect(ticks.length).toBeGreaterThanOrEqual(5)
    expect(new Set(ticks).size).toBe(ticks.length)
    const widths = await page.locator('#chart-evppi .chart-plot svg rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))))
    for (const w of widths) expect(w).toBeGreaterThan(0)
    expect(await clippedTexts(page, '.analysis-charts .chart-plot svg')).toEqual([])
    expect(await page.locator('#evppi-sentence').innerText()).toMatch(/^Which data to collect next/)
    // re-run bars state their Monte Carlo error too
    expect(await page.locator('#chart-tornado table').textContent()).toContain('Swing s.e.')

    // the tornado read off one sample: said so under the chart, each bar's error in the table
    await page.locator('#sens-tornado-method').selectOption('metamodel')
    await page.locator('#sensitivity-form details.advanced summary').click()
    await page.locator('#sens-tornado-iterations').fill('400')
    const [metamodelRequest] = await Promise.all([page.waitForRequest('**/api/sensitivity'), page.locator('#sensitivity-run').click()])
    expect(metamodelRequest.postDataJSON()).toMatchObject({ tornadoMethod: 'metamodel', tornadoIterations: 400 })
    await expect.poll(() => page.locator('#chart-tornado').textContent(), { timeout: 20_000 }).toContain('Read off one sample of 400 iterations')
    const errors = await page.locator('#chart-tornado table tbody tr td:last-child').allTextContents()
    expect(errors.length).toBeGreaterThanOrEqual(5)
    for (const e of errors) expect(e).toMatch(/^EUR [\d,.]+( [mk]| bn)?$/)

    await page.locator('#threshold-lever').selectOption('cashPerAdult')
    await page.locator('#threshold-run').click()
    await page.locator('#threshold-results[data-complete=true]').waitFor({ timeout: 20_000 })
    expect(await page.locator('#threshold-sentence').innerText()).toMatch(
      /breaks even at about EUR [\d,]+ per adult|does not break even .*no threshold in/,
    )
    await expect.poll(() => page.locator('#chart-threshold-mean .chart-plot svg').count()).toBe(1)

    // an outcome that needs a comparator and a willingness to pay shows those fields; a bad one is named
    await page.locator('#sens-outcome').selectOption('netMonetaryBenefit')
    expect(await page.locator('#sens-wtp').isVisible()).toBe(true)
    await page.locator('#sens-wtp').fill('-1')
    await page.locator('#sensitivity-run').click()
    expect(await page.locator('#sensitivity-errors').innerText()).toContain('wtp: must be 0 or more')
    expect(await page.locator('#sens-wtp').getAttribute('aria-invalid')).toBe('true')

    for (const summary of await page.locator('details > summary').all()) await summary.click()
    expect(await axeViolations(page)).toEqual([])
    expect(problemsOf(page)).toEqual([])
    console.log(`analysis page: ${Date.now() - started} ms`)
    await page.context().close()
  })
})

describe('accessibility and small screens', () => {
  it('has no serious or critical axe violation on the main pages, and escapes a hostile title', async () => {
    const hostile = {
      ...(structuredClone(getPresetRaw('uk-nao-2003')) as Record<string, unknown>),
      title: '<script>alert(1)</script><img src=x onerror=alert(2)>',
      description: '</script><script>alert(3)</script>',
    }
    const saved = await (await fetch(`${server.url}/api/scenarios`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hostile) })).json()
    for (const path of ['/', `/s/${saved.id}`, `/compare?s=de-reag-garp&s=${saved.id}`]) {
      const page = await openPage(path)
      if (path === '/compare?s=de-reag-garp&s=' + saved.id) await page.locator('#compare-results[data-complete=true]').waitFor({ timeout: 30_000 })
      else await fullResults(page)
      if (path !== '/compare?s=de-reag-garp&s=' + saved.id) {
        // open every section, so that every control is checked
        for (const summary of await page.locator('details > summary').all()) await summary.click()
        await page.waitForTimeout(200)
      }
      expect(await axeViolations(page), path).toEqual([])
      if (path.startsWith('/s/')) {
        expect(await page.locator('h1').innerText()).toBe(hostile.title)
        expect(await page.locator('#f-title-input').inputValue()).toBe(hostile.title)
        expect(await page.locator('img[src=x]').count()).toBe(0)
      }
      expect(problemsOf(page), path).toEqual([])
      await page.context().close()
    }
  })

  it('fits a phone width without sideways scrolling on every page; compare says its other columns scroll', async () => {
    for (const path of ['/?preset=uk-nao-2003', '/compare?s=be-low-cash&s=uk-nao-2003&s=de-reag-garp', '/analysis?preset=be-low-cash&n=300&tn=20', '/nowhere', '/s/nothing-saved']) {
      const page = await openPage(path, { width: 390, height: 844 })
      if (path.startsWith('/?')) await fullResults(page)
      if (path.startsWith('/compare')) {
        await page.locator('#compare-results[data-complete=true]').waitFor({ timeout: 60_000 })
        expect(await page.locator('#compare-scroll-hint').isVisible()).toBe(true)
        expect(await page.locator('#compare-scroll-hint').innerText()).toContain('for the other 2 scenarios:')
        expect(await page.locator('#compare-results .table-wrap').first().evaluate((w) => w.scrollWidth > w.clientWidth)).toBe(true)
      }
      if (path.startsWith('/analysis')) {
        await page.locator('#sensitivity-run').click()
        await page.locator('#sensitivity-results[data-complete=true]').waitFor({ timeout: 60_000 })
      }
      await page.waitForTimeout(300)
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390)
      await page.screenshot({ path: `/tmp/phone-${path.replace(/[^a-z]+/g, '-')}.png`, fullPage: true })
      await page.context().close()
    }
  }, 180_000)

  it('prints a brief of one or two pages, charts included', async () => {
    const page = await openPage('/?preset=de-reag-garp')
    await fullResults(page)
    await expect.poll(() => page.locator('#chart-ceac .chart-plot svg').count()).toBe(1)
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('#editor').isVisible()).toBe(false)
    expect(await page.locator('#chart-returns svg').isVisible()).toBe(true)
    expect(await page.locator('#verdict').isVisible()).toBe(true)
    const pdf = await page.pdf({ format: 'A4', printBackground: false })
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length
    console.log(`printed brief of de-reag-garp: ${pages} pages, ${pdf.length} bytes`)
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(pages).toBeLessThanOrEqual(2)
    await page.context().close()
  })
})
