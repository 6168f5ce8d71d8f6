/**
 * The Excel workbook of a scenario against its comparator (.xlsx, write-excel-file: pure JS, no native code): it runs
 * the paired comparison and the scenario's own run on the same seed and writes the sheets of workbook-sheets.ts.
 */
import writeXlsxFile, { type Row, type Sheet } from 'write-excel-file/node'
import { withStartYear, type ComparisonReport } from '../../models/analysis/compare'
import { reportJob, type ComparisonWithRun } from '../../models/analysis/job-report'
import { workbookSheets, type SheetCell, type WorkbookSheet } from '../../models/analysis/workbook-sheets'
import type { RunReport } from '../../models/engine/run'
import type { Seed } from '../../models/engine/rng'
import type { Scenario } from '../../models/engine/scenario'
import { inProcessExecutor, runJob, type Job, type ShardExecutor } from '../../models/engine/shard-task'

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export interface WorkbookRequest {
  seed: Seed
  iterations: number
  wtp?: number
  startYear?: number
}

const cell = (x: SheetCell) => (x === null ? null : typeof x === 'number' ? { value: x, type: Number, format: Number.isInteger(x) ? '#,##0' : '#,##0.00' } : x)

const toSheet = (s: WorkbookSheet): Sheet<Buffer> => ({
  sheet: s.name,
  columns: s.columns.map((width) => ({ width })),
  stickyRowsCount: s.name === 'Summary' ? 0 : 1,
  data: s.rows.map((r) => r.map(cell) as Row),
})

/** The .xlsx bytes of the sheets. */
export const writeWorkbook = async (sheets: WorkbookSheet[]): Promise<Buffer> =>
  writeXlsxFile(sheets.map(toSheet)).toBuffer()

/** The workbook of reports already made (the API's, from the run service). */
export const workbookOf = (scenario: Scenario, comparison: ComparisonReport, run: RunReport): Promise<Buffer> =>
  writeWorkbook(workbookSheets(scenario, comparison, run))

/** Run the comparison and the run (on `execute`'s shards, in this thread by default) and write the workbook. */
export const scenarioWorkbook = async (
  scenario: Scenario,
  comparator: Scenario,
  request: WorkbookRequest,
  execute: ShardExecutor = inProcessExecutor,
  shards = 1,
): Promise<{ bytes: Buffer; comparison: ComparisonReport; run: RunReport }> => {
  // the comparison and A's own run from one pass over the iterations
  const job: Job = { kind: 'compare', scenario, comparator, seed: request.seed, iterations: request.iterations, wtp: request.wtp, includeRun: true }
  const { report: run, ...compared } = reportJob(job, await runJob(job, execute, shards)) as ComparisonWithRun
  const comparison = withStartYear(compared, request.startYear)
  return { bytes: await workbookOf(scenario, comparison, run), comparison, run }
}
