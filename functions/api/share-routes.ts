/**
 * Shares that keep their word: POST /api/shares stores the scenario with the snapshot of its comparison (numbers,
 * seed, N, engine version, the preset it came from, each changed assumption); GET /api/shares/{id} returns it as
 * made, for ever; POST /api/shares/{id}/rerun runs it on the current engine and lists what differs.
 */
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { removalOnlyVersion, type ComparisonReport } from '../../models/analysis/compare'
import type { CompareFor } from './export-routes'
import { reportDifferences, shareSnapshot, type ShareSnapshot } from '../../models/analysis/share-snapshot'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { ENGINE_VERSION } from '../../models/engine/version'
import { getPresetRaw } from '../../scenarios/index'
import type { ShareStore } from '../store/store'
import { ApiError, invalid, notFound, under } from './problems'
import { shareRequestSchema, type ApiLimits } from './requests'

export interface ShareRouteDeps {
  /** The store's shares; undefined where the store keeps none (501). */
  shares: ShareStore | undefined
  /** Saves the shared scenario with the share, so the share page links to it without writing on a GET. */
  saveScenario: (scenario: unknown) => Promise<{ id: string }>
  limits: ApiLimits
  /** The paired comparison against the removal-only version (the run service's: on the pool, cached). */
  compare: CompareFor
  readRequest: <T>(c: Context, schema: z.ZodType<T>) => Promise<T>
}

const parsedOrFail = (raw: unknown, path: string): Scenario => {
  const parsed = parseScenario(raw)
  if (!parsed.ok) throw invalid(under(path, parsed.problems), 'the scenario is not valid')
  return parsed.scenario
}

export const registerShareRoutes = (app: Hono, deps: ShareRouteDeps): void => {
  const shares = (): ShareStore => {
    if (!deps.shares) throw new ApiError(501, 'not_implemented', 'this store keeps no shares')
    return deps.shares
  }
  const snapshotOf = async (c: Context, scenario: Scenario, presetId: string | undefined, run: { seed: string | number; iterations: number }) => {
    const id = presetId ?? (getPresetRaw(scenario.id) !== undefined ? scenario.id : undefined)
    const presetRaw = id === undefined ? undefined : getPresetRaw(id)
    if (presetId !== undefined && presetRaw === undefined)
      throw invalid([{ path: 'presetId', message: `must be a preset id (no preset "${presetId}")` }])
    const preset = presetRaw === undefined ? null : { id: id!, scenario: parsedOrFail(presetRaw, 'presetId') }
    const comparison: ComparisonReport = await deps.compare(c)(scenario, removalOnlyVersion(scenario), { seed: run.seed, iterations: run.iterations })
    return shareSnapshot(scenario, comparison, preset)
  }

  app.post('/api/shares', async (c) => {
    const request = await deps.readRequest(c, shareRequestSchema(deps.limits))
    const scenario = parsedOrFail(request.scenario, 'scenario')
    const snapshot = await snapshotOf(c, scenario, request.presetId, request)
    // content-addressed: saving an unchanged scenario again writes nothing
    await deps.saveScenario(request.scenario)
    const { id, created } = await shares().saveShare({ scenario: request.scenario, snapshot })
    return c.json({ id, url: `/share/${id}`, created, snapshot }, created ? 201 : 200)
  })

  app.get('/api/shares/:id', async (c) => {
    const share = await shares().getShare(c.req.param('id'))
    if (!share) throw notFound(`share "${c.req.param('id')}"`)
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    return c.json(share)
  })

  app.post('/api/shares/:id/rerun', async (c) => {
    const share = await shares().getShare(c.req.param('id'))
    if (!share) throw notFound(`share "${c.req.param('id')}"`)
    const made = share.snapshot as ShareSnapshot
    const scenario = parsedOrFail(share.scenario, 'scenario')
    const current = await snapshotOf(c, scenario, made.preset?.id, { seed: made.seed, iterations: made.iterations })
    const { count, differences } = reportDifferences(made, current)
    return c.json({
      id: share.id,
      snapshotEngineVersion: made.engineVersion,
      currentEngineVersion: ENGINE_VERSION,
      same: count === 0,
      differenceCount: count,
      differences,
      current,
    })
  })
}
