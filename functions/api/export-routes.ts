/** POST /api/export.xlsx: the Excel workbook of a scenario against its comparator (by default its removal-only version). */
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { comparabilityProblems, removalOnlyVersion, withStartYear, type ComparisonReport } from '../../models/analysis/compare'
import type { Scenario } from '../../models/engine/scenario'
import type { RunReport } from '../../models/engine/run'
import { workbookOf, XLSX_CONTENT_TYPE } from '../exports/workbook'
import { invalid } from './problems'
import { exportRequestSchema, type ApiLimits } from './requests'

/** A paired comparison for a request (with includeReport also the run report of A), computed like /api/compare. */
export type CompareFor = (
  c: Context,
) => (
  scenario: Scenario,
  comparator: Scenario,
  request: { seed: string | number; iterations: number; wtp?: number; includeReport?: boolean },
) => Promise<ComparisonReport & { report?: RunReport }>

export interface ExportRouteDeps {
  compare: CompareFor
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
    const { report: run, ...comparison } = await deps.compare(c)(scenario, comparator, { ...request, includeReport: true })
    const bytes = await workbookOf(scenario, withStartYear(comparison, request.startYear), run!)
    c.header('Content-Type', XLSX_CONTENT_TYPE)
    c.header('Content-Disposition', `attachment; filename="${fileName(scenario.id)}"`)
    return c.body(new Uint8Array(bytes))
  })
}
