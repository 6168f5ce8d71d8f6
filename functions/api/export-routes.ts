/** POST /api/export.xlsx: the Excel workbook of a scenario against its comparator (by default its removal-only version). */
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { comparabilityProblems, removalOnlyVersion } from '../../models/analysis/compare'
import type { Scenario } from '../../models/engine/scenario'
import { scenarioWorkbook, XLSX_CONTENT_TYPE } from '../exports/workbook'
import { invalid } from './problems'
import { exportRequestSchema, type ApiLimits } from './requests'

export interface ExportRouteDeps {
  resolveScenario: (ref: unknown, path: string) => Promise<{ scenario: Scenario; id?: string }>
  limits: ApiLimits
  /** The body, parsed and validated: a 400 naming each field otherwise. */
  readRequest: <T>(c: Context, schema: z.ZodType<T>) => Promise<T>
}

/** A file name from an id: letters, digits and dashes only. */
const fileName = (id: string) => `${id.replace(/[^a-z0-9-]/gi, '-').slice(0, 80)}.xlsx`

export const registerExportRoutes = (app: Hono, deps: ExportRouteDeps): void => {
  app.post('/api/export.xlsx', async (c) => {
    const request = await deps.readRequest(c, exportRequestSchema(deps.limits))
    const inline = request.scenario !== undefined
    const { scenario } = await deps.resolveScenario(inline ? request.scenario : request.scenarioId, inline ? 'scenario' : 'scenarioId')
    const comparator = request.comparator === undefined ? removalOnlyVersion(scenario) : (await deps.resolveScenario(request.comparator, 'comparator')).scenario
    const problems = comparabilityProblems(scenario, comparator, request).map((p) => ({ ...p, path: p.path.replace('scenarios[1]', 'comparator') }))
    if (problems.length) throw invalid(problems, 'the scenarios cannot be compared (compareAnyway: true compares different populations)')
    const { bytes } = await scenarioWorkbook(scenario, comparator, request)
    c.header('Content-Type', XLSX_CONTENT_TYPE)
    c.header('Content-Disposition', `attachment; filename="${fileName(scenario.id)}"`)
    return c.body(new Uint8Array(bytes))
  })
}
