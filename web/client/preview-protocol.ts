/** Messages between the page and the preview worker (web/client/worker.ts). */
import type { ComparisonReport } from '../../models/analysis/compare'
import type { RunReport } from '../../models/engine/run'
import type { Scenario } from '../../models/engine/scenario'

export interface PreviewJob {
  id: number
  scenario: Scenario
  seed: string | number
  iterations: number
}

/** Per-iteration values of the preview: iteration i here is iteration i of any run with the same seed. */
export interface PreviewSamples {
  totalCost: Float64Array
  costPerSustainableReintegration: Float64Array
  incrementalCost: Float64Array
  incrementalSustainable: Float64Array
}

export type PreviewMessage =
  | { id: number; type: 'comparison'; comparison: ComparisonReport; ms: number }
  | { id: number; type: 'detail'; run: RunReport; samples: PreviewSamples; ms: number }
  | { id: number; type: 'error'; message: string }
