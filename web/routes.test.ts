/** The pages as the server renders them: status, CSP, escaping of scenario text, the data block, the bundle. */
import { describe, expect, it } from 'vitest'
import type { RunService } from '../functions/api/run-service'
import { contentId } from '../functions/store/canonical'
import type { SavedScenario, Store } from '../functions/store/store'
import { getPresetRaw } from '../scenarios/index'
import { createHomecomingApp } from '../app/homecoming-app'
import type { AnalysisPageData, ComparePageData, EditorPageData } from './client/page-data'
import { jsonForScript } from './pages'

/** Scenarios only: the pages read saved scenarios and never run anything. */
const memoryStore = (): Store => {
  const saved = new Map<string, SavedScenario>()
  const unused = () => {
    throw new Error('not used by the pages')
  }
  return {
    saveScenario: async (scenario) => {
      const id = contentId(scenario)
      const created = !saved.has(id)
      if (created) saved.set(id, { id, scenario, savedAt: new Date().toISOString() })
      return { id, created }
    },
    getScenario: async (id) => saved.get(id),
    createRun: unused,
    getRun: unused,
    putShardResult: unused,
    listShardResults: unused,
    completeRun: unused,
    failRun: unused,
    putIterationChunks: unused,
    getIterationChunks: unused,
    listUnfinishedRuns: unused,
    leaseShard: unused,
    sweepExpired: unused,
  }
}

const store = memoryStore()
const app = createHomecomingApp({ store, runs: {} as RunService })

const HOSTILE_TITLE = '<script>alert("title")</script> & "quotes"'
const HOSTILE_DESCRIPTION = '</script><img src=x onerror="alert(1)"> \u2028 end'

const hostileScenario = () => ({
  ...(structuredClone(getPresetRaw('be-low-cash')) as Record<string, unknown>),
  title: HOSTILE_TITLE,
  description: HOSTILE_DESCRIPTION,
  groups: (getPresetRaw('be-low-cash') as { groups: Record<string, unknown>[] }).groups.map((g) => ({
    ...g,
    label: '<b onmouseover=alert(2)>group</b>',
  })),
})

/** The JSON of the page's data block, parsed as the client parses it. */
const pageData = <T>(html: string): T => {
  const match = /<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(html)
  if (!match) throw new Error('no data block')
  return JSON.parse(match[1]) as T
}

const expectSecurityHeaders = (response: Response) => {
  const csp = response.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("default-src 'self'")
  expect(csp).toContain("script-src 'self'")
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
  expect(csp).toContain("connect-src 'self'")
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
}

describe('the start page', () => {
  it('opens the default preset with its data, the bundle and a CSP', async () => {
    const response = await app.request('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/text\/html/)
    expectSecurityHeaders(response)
    const html = await response.text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toMatch(/<script type="module" src="\/static\/main-[A-Z0-9]+\.js"><\/script>/)
    expect(html).toMatch(/<link rel="stylesheet" href="\/static\/app-[a-f0-9]+\.css"\/?>/)
    // no inline script may run under the CSP: the only inline script is the JSON data block
    expect(html.match(/<script(?![^>]*src=)(?![^>]*type="application\/json")/g)).toBeNull()
    const data = pageData<EditorPageData>(html)
    expect(data.page).toBe('editor')
    expect(data.base).toEqual({ kind: 'preset', id: 'de-reag-garp' })
    expect(data.scenario).toEqual(getPresetRaw('de-reag-garp'))
    expect(data.presets.map((p) => p.id)).toContain('uk-nao-2003')
    expect(data.workerUrl).toMatch(/^\/static\/worker-[A-Z0-9]+\.js$/)
    for (const label of ['Preset scenario', 'Results', 'Assumptions', 'Charts', 'Share and download'])
      expect(html).toContain(label)
    expect(html).toContain('<main id="main"')
    expect(html).toContain('lang="en"')
  })

  it('opens a preset by id and answers 404 for an unknown one, its id escaped', async () => {
    const preset = await app.request('/?preset=uk-nao-2003')
    expect(pageData<EditorPageData>(await preset.text()).base.id).toBe('uk-nao-2003')
    const missing = await app.request(`/?preset=${encodeURIComponent('<img src=x onerror=alert(1)>')}`)
    expect(missing.status).toBe(404)
    expectSecurityHeaders(missing)
    const html = await missing.text()
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})

describe('a saved scenario at /s/:id', () => {
  it('renders its title and description as text, never as markup', async () => {
    const { id } = await store.saveScenario(hostileScenario())
    const response = await app.request(`/s/${id}?seed=7&n=2000`)
    expect(response.status).toBe(200)
    expectSecurityHeaders(response)
    const html = await response.text()
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<b onmouseover')
    expect(html).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;')
    expect(html).toContain(`<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;`)
    // the data block cannot be closed early by the text it carries, and still reads back exactly
    const block = /<script type="application\/json" id="page-data">([\s\S]*?)<\/script>/.exec(html)![1]
    expect(block).not.toMatch(/[<>&\u2028]/)
    const data = pageData<EditorPageData>(html)
    expect(data.base).toEqual({ kind: 'saved', id })
    expect((data.scenario as { title: string }).title).toBe(HOSTILE_TITLE)
    expect((data.scenario as { description: string }).description).toBe(HOSTILE_DESCRIPTION)
  })

  it('answers 404 for an id never saved', async () => {
    const response = await app.request('/s/nothing-saved-here')
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('There is no saved scenario with the id “nothing-saved-here”')
  })
})

describe('the comparison page', () => {
  it('carries two to four scenarios, presets or saved, and names the ones it cannot find', async () => {
    const { id } = await store.saveScenario(hostileScenario())
    const response = await app.request(`/compare?s=de-reag-garp&s=${id}&s=no-such-scenario&s=uk-nao-2003&s=be-low-cash`)
    expect(response.status).toBe(200)
    expectSecurityHeaders(response)
    const html = await response.text()
    const data = pageData<ComparePageData>(html)
    expect(data.scenarios.map((s) => [s.kind, s.id])).toEqual([
      ['preset', 'de-reag-garp'],
      ['saved', id],
      ['preset', 'uk-nao-2003'],
    ])
    expect(data.missing).toEqual(['no-such-scenario'])
    expect(html).toContain('No preset or saved scenario with the id “no-such-scenario”')
    expect(html).not.toContain('<script>alert')
    expect(html).toContain('Saved: &lt;script&gt;')
  })

  it('takes preset= as the scenario and analysis pages do, after any s=', async () => {
    const data = pageData<ComparePageData>(await (await app.request('/compare?preset=de-trusted-actors&s=uk-nao-2003&preset=be-low-cash')).text())
    expect(data.scenarios.map((s) => s.id)).toEqual(['uk-nao-2003', 'de-trusted-actors', 'be-low-cash'])
  })

  it('shows the form alone, without a script, for fewer than two scenarios', async () => {
    const html = await (await app.request('/compare?s=de-reag-garp')).text()
    expect(html).toContain('Choose at least two scenarios')
    expect(html).not.toContain('id="page-data"')
    expect(html).not.toContain('type="module"')
  })
})

describe('the analysis page', () => {
  it('renders a saved scenario with a CSP, its hostile title as text, and the forms labelled', async () => {
    const { id } = await store.saveScenario(hostileScenario())
    const response = await app.request(`/analysis?s=${id}&n=500&tn=50`)
    expect(response.status).toBe(200)
    expectSecurityHeaders(response)
    const html = await response.text()
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('Saved: &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;')
    expect(html).toContain('<title>Sensitivity and break-even: &lt;script&gt;')
    expect(html.match(/<script(?![^>]*src=)(?![^>]*type="application\/json")/g)).toBeNull()
    const data = pageData<AnalysisPageData>(html)
    expect(data.page).toBe('analysis')
    expect(data.scenario.id).toBe(id)
    expect(data.settings).toMatchObject({ iterations: 500, tornadoIterations: 50, thresholdIterations: 2_000 })
    for (const control of ['sens-outcome', 'sens-comparator', 'sens-wtp', 'sens-iterations', 'threshold-lever'])
      expect(html).toContain(`<label for="${control}">`)
    expect(html).toContain('href="/analysis" aria-current="page"')
  })

  it('opens a preset, is linked from the scenario page, and answers 404 for an unknown scenario', async () => {
    const preset = await app.request('/analysis?preset=be-low-cash&n=999999')
    const data = pageData<AnalysisPageData>(await preset.text())
    expect(data.scenario).toMatchObject({ kind: 'preset', id: 'be-low-cash' })
    expect(data.settings.iterations).toBe(5_000)
    expect(await (await app.request('/?preset=be-low-cash')).text()).toContain('href="/analysis?preset=be-low-cash"')
    const missing = await app.request('/analysis?s=no-such-scenario')
    expect(missing.status).toBe(404)
  })
})

describe('the client bundle', () => {
  it('is served under its content hash with a year of cache, and unknown files are 404', async () => {
    const html = await (await app.request('/')).text()
    const main = /src="(\/static\/main-[A-Z0-9]+\.js)"/.exec(html)![1]
    const css = /href="(\/static\/app-[a-f0-9]+\.css)"/.exec(html)![1]
    for (const [path, type] of [
      [main, /text\/javascript/],
      [css, /text\/css/],
    ] as const) {
      const response = await app.request(path)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toMatch(type)
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
      expectSecurityHeaders(response)
    }
    expect((await app.request('/static/main-NOPE.js')).status).toBe(404)
  })

  it('is served compressed to a client that accepts it (brotli, else gzip), the same bytes once decoded', async () => {
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib')
    const html = await (await app.request('/')).text()
    const main = /src="(\/static\/main-[A-Z0-9]+\.js)"/.exec(html)![1]
    const plain = new Uint8Array(await (await app.request(main)).arrayBuffer())
    const br = await app.request(main, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i)
    const brBytes = new Uint8Array(await br.arrayBuffer())
    expect(brBytes.length).toBeLessThan(plain.length / 2)
    expect(new Uint8Array(brotliDecompressSync(brBytes))).toEqual(plain)
    const gzip = await app.request(main, { headers: { 'accept-encoding': 'gzip' } })
    expect(gzip.headers.get('content-encoding')).toBe('gzip')
    expect(new Uint8Array(gunzipSync(new Uint8Array(await gzip.arrayBuffer())))).toEqual(plain)
  })

  it('leaves the API as it was: JSON answers and JSON 404s', async () => {
    const presets = await app.request('/api/presets')
    expect(presets.status).toBe(200)
    expect(presets.headers.get('content-type')).toMatch(/application\/json/)
    const missing = await app.request('/api/nothing')
    expect(missing.status).toBe(404)
    expect((await missing.json()).error).toBe('not_found')
  })
})

describe('jsonForScript', () => {
  it('escapes what could end the block or start markup, and reads back the same', () => {
    const value = { text: '</script><!-- & \u2028\u2029 >' }
    const out = jsonForScript(value)
    expect(out).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(out)).toEqual(value)
  })
})
