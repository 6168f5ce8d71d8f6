/** GET /api/presets/{id}/comparators: what a preset can be compared with, its own removal-only version first. */
import type { Hono } from 'hono'
import { comparatorOptions } from '../../models/analysis/comparators'
import { parseScenario, type Scenario } from '../../models/engine/scenario'
import { getPresetRaw, listPresets } from '../../scenarios/index'
import { notFound } from './problems'

const presetScenario = (id: string): Scenario | undefined => {
  const parsed = parseScenario(getPresetRaw(id))
  return parsed.ok ? parsed.scenario : undefined
}

export const registerComparatorRoutes = (app: Hono): void => {
  app.get('/api/presets/:id/comparators', (c) => {
    const id = c.req.param('id')
    const scenario = getPresetRaw(id) === undefined ? undefined : presetScenario(id)
    if (!scenario) throw notFound(`preset "${id}"`)
    const candidates = listPresets().flatMap((p) => {
      const s = presetScenario(p.id)
      return s ? [{ id: p.id, scenario: s }] : []
    })
    return c.json(comparatorOptions(id, scenario, candidates))
  })
}
