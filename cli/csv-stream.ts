/**
 * `homecoming run --csv`: the run's iterations written to the file a window at a time as the shards finish, so
 * memory holds one window of iterations whatever the iteration count (the whole CSV as one string took ~5x the file).
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import { iterationsCsvHeader, iterationsCsvRows } from '../models/engine/run'
import { runJobInWindows, type Job, type ShardExecutor } from '../models/engine/shard-task'
import type { ShardSummary } from '../models/engine/summary'

/** Iterations per window: ~3 MB of kept values (95 sketched observables); a window is one round trip to the workers. */
export const CSV_WINDOW = 4096
/** Rows turned into text and written at a time. */
const ROWS_PER_WRITE = 1024

/** Run `job` over `workers` shards through `executor`, writing its CSV to `file`; returns the merged summary. */
export const runJobToCsv = async (
  job: Extract<Job, { kind: 'run' }>,
  executor: ShardExecutor,
  workers: number,
  file: string,
  onProgress?: (done: number, total: number) => void,
  window = CSV_WINDOW,
): Promise<ShardSummary> => {
  const fd = openSync(file, 'w')
  try {
    writeSync(fd, iterationsCsvHeader(job.scenario))
    const writeWindow = (summary: ShardSummary) => {
      for (let from = summary.from; from < summary.to; from += ROWS_PER_WRITE)
        writeSync(fd, iterationsCsvRows(summary, from, Math.min(summary.to, from + ROWS_PER_WRITE)))
    }
    return await runJobInWindows({ ...job, keepIterations: true }, executor, workers, window, writeWindow, onProgress)
  } finally {
    closeSync(fd)
  }
}
