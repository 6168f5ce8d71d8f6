/** The web pages: a scenario (preset or saved) with its results, the comparison of two to four, its decision analyses, and the client bundle. */
import { Hono, type Context } from 'hono'
import type { ApiDeps } from '../functions/api/app'
import { DEFAULT_LIMITS } from '../functions/api/requests'
import { ENGINE_VERSION } from '../models/engine/version'
import { getPresetRaw, listPresets } from '../scenarios/index'
import { clientAssets, encodedBody, type ClientAssets } from './assets'
import {
  DEFAULT_ITERATIONS,
  DEFAULT_SEED,
  type AnalysisPageData,
  type ComparePageData,
  type EditorPageData,
  type ScenarioRef,
  type SharePageData,
} from './client/page-data'
import { AnalysisPage, ComparePage, EditorPage, NotFoundPage, SharePage } from './pages'
import { contentId } from '../functions/store/canonical'
import { isShareStore, type ShareStore } from '../functions/store/store'
import type { ShareSnapshot } from '../models/analysis/share-snapshot'
import { REMOVAL_ONLY_PREFIX, removalOnlyOf, removalOnlyRaw } from './client/verdicts'

/** The preset the start page opens when none is asked for. */
export const DEFAULT_PRESET = 'de-reag-garp'
const MAX_COMPARED = 4

/** The bundle, or undefined when it cannot be built here (the page then says so and still renders). */
const assetsOrNone = async (): Promise<ClientAssets | undefined> => {
  try {
    return await clientAssets()
  } catch (error) {
    console.error('client bundle:', error)
    return undefined
  }
}

export const createWebRoutes = (deps: ApiDeps) => {
  const web = new Hono()
  const limits = deps.limits ?? DEFAULT_LIMITS
  const common = (assets: ClientAssets | undefined) => ({
    presets: listPresets().map(({ id, title, currency, comparator }) => ({ id, title, currency, comparator })),
    engineVersion: ENGINE_VERSION,
    limits: {
      syncIterations: limits.syncIterations,
      keepIterationsMax: Math.min(limits.keepIterationsMax, limits.syncIterations),
      maxIterations: limits.maxIterations,
      maxCompareIterations: limits.maxCompareIterations,
    },
    workerUrl: assets?.workerUrl ?? '',
    defaults: { seed: DEFAULT_SEED, iterations: DEFAULT_ITERATIONS },
  })

  /** A preset or a saved scenario by id, as written. */
  const resolve = async (id: string): Promise<(ScenarioRef & { scenario: unknown }) | undefined> => {
    const owner = removalOnlyOf(id)
    if (owner !== undefined) {
      const found = owner.startsWith(REMOVAL_ONLY_PREFIX) ? undefined : await resolve(owner)
      return found && { ...found, id, scenario: removalOnlyRaw(found.scenario as Record<string, unknown>) }
    }
    const preset = getPresetRaw(id)
    if (preset !== undefined) return { kind: 'preset', id, scenario: preset }
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) return undefined
    const saved = await deps.store.getScenario(id)
    return saved ? { kind: 'saved', id, scenario: saved.scenario } : undefined
  }

  const notFound = async (c: Context, message: string) =>
    c.html(<NotFoundPage message={message} assets={await assetsOrNone()} />, 404)

  const editor = async (c: Context, base: ScenarioRef, scenario: unknown) => {
    const assets = await assetsOrNone()
    const data: EditorPageData = { page: 'editor', base, scenario, ...common(assets) }
    // a page is cheap to render and its URL carries the edits: never serve a stale one
    c.header('Cache-Control', 'no-cache')
    return c.html(<EditorPage data={data} assets={assets} />)
  }

  web.get('/', async (c) => {
    const id = c.req.query('preset') || DEFAULT_PRESET
    const preset = getPresetRaw(id)
    if (preset === undefined) return notFound(c, `There is no preset scenario called “${id}”.`)
    return editor(c, { kind: 'preset', id }, preset)
  })

  web.get('/s/:id', async (c) => {
    const id = c.req.param('id')
    const saved = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await deps.store.getScenario(id) : undefined
    if (!saved) return notFound(c, `There is no saved scenario with the id “${id}”.`)
    return editor(c, { kind: 'saved', id }, saved.scenario)
  })

  web.get('/compare', async (c) => {
    // `preset` too, as the scenario and analysis pages take it: a link edited from one page to another keeps its scenarios
    const asked = [...(c.req.queries('s') ?? []), ...(c.req.queries('preset') ?? [])]
    const ids = asked.filter((s) => s !== '').slice(0, MAX_COMPARED)
    const found = await Promise.all(ids.map(resolve))
    const assets = await assetsOrNone()
    const data: ComparePageData = {
      page: 'compare',
      scenarios: found.filter((f) => f !== undefined),
      missing: ids.filter((_, i) => found[i] === undefined),
      ...common(assets),
    }
    const seed = c.req.query('seed') || DEFAULT_SEED
    const n = Number(c.req.query('n') ?? DEFAULT_ITERATIONS)
    c.header('Cache-Control', 'no-cache')
    const iterations = Number.isInteger(n) ? n : DEFAULT_ITERATIONS
    return c.html(<ComparePage data={data} assets={assets} seed={seed} iterations={iterations} />)
  })

  web.get('/analysis', async (c) => {
    const id = c.req.query('s') || c.req.query('preset') || DEFAULT_PRESET
    const found = await resolve(id)
    if (!found) return notFound(c, `No preset or saved scenario with the id “${id}”.`)
    const assets = await assetsOrNone()
    // iterations from the URL within the API's limits, else the API's defaults
    const count = (name: string, fallback: number, max: number) => {
      const n = Number(c.req.query(name))
      return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback
    }
    const maxAnalysis = limits.maxAnalysisIterations
    const data: AnalysisPageData = {
      page: 'analysis',
      scenario: found,
      settings: {
        seed: c.req.query('seed') || DEFAULT_SEED,
        iterations: count('n', Math.min(5_000, maxAnalysis), maxAnalysis),
        tornadoIterations: count('tn', 1_000, 5_000),
        thresholdIterations: count('thn', Math.min(2_000, maxAnalysis), maxAnalysis),
        maxAnalysisIterations: maxAnalysis,
      },
      ...common(assets),
    }
    c.header('Cache-Control', 'no-cache')
    return c.html(<AnalysisPage data={data} assets={assets} />)
  })

  web.get('/share/:id', async (c) => {
    const id = c.req.param('id')
    const store = deps.store as Partial<ShareStore>
    const share = /^[A-Za-z0-9_-]{1,100}$/.test(id) && isShareStore(store) ? await store.getShare(id) : undefined
    if (!share) return notFound(c, `There is no share with the id “${id}”.`)
    const assets = await assetsOrNone()
    const data: SharePageData = { page: 'share', shareId: id, ...common(assets) }
    // the scenario as shared opens in the editor: saved with the share (content-addressed, so its id is known);
    // a share made before shares saved their scenario gets it saved once, here
    const scenarioId = contentId(share.scenario)
    if (!(await deps.store.getScenario(scenarioId))) await deps.store.saveScenario(share.scenario)
    c.header('Cache-Control', 'no-cache')
    return c.html(<SharePage data={data} assets={assets} snapshot={share.snapshot as ShareSnapshot} scenarioHref={`/s/${scenarioId}`} />)
  })

  // browsers ask for it unprompted; no icon rather than a 404 in every console
  web.get('/favicon.ico', (c) => c.body(null, 204))

  web.get('/static/:file', async (c) => {
    const assets = await assetsOrNone()
    if (!assets) return c.text('the client bundle cannot be built on this server', 503)
    const file = assets.files.get(c.req.param('file'))
    if (!file) return c.text('not found', 404)
    // names carry a hash of their content
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    c.header('Content-Type', file.contentType)
    c.header('Vary', 'Accept-Encoding')
    const { body, encoding } = await encodedBody(file, c.req.header('accept-encoding'))
    if (encoding) c.header('Content-Encoding', encoding)
    return c.body(body as Uint8Array<ArrayBuffer>)
  })

  return web
}
