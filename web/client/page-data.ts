/** What the server hands the client in each page's `<script type="application/json" id="page-data">` block. */

export interface PresetOption {
  id: string
  title: string
  currency: string
  comparator: boolean
}

export interface ClientLimits {
  syncIterations: number
  keepIterationsMax: number
  maxIterations: number
  maxCompareIterations: number
}

interface Common {
  presets: PresetOption[]
  engineVersion: string
  limits: ClientLimits
  workerUrl: string
  defaults: { seed: string; iterations: number }
}

/** Where a scenario comes from: a preset, or a saved (immutable) scenario. */
export interface ScenarioRef {
  kind: 'preset' | 'saved'
  id: string
}

export interface EditorPageData extends Common {
  page: 'editor'
  base: ScenarioRef
  /** The scenario as written (raw JSON); edits from the URL go on top. */
  scenario: unknown
}

export interface ComparePageData extends Common {
  page: 'compare'
  scenarios: (ScenarioRef & { scenario: unknown })[]
  /** Ids asked for that are neither a preset nor a saved scenario. */
  missing: string[]
}

/** The decision analyses of one scenario: tornado, EVPPI and a lever's break-even value. */
export interface AnalysisPageData extends Common {
  page: 'analysis'
  scenario: ScenarioRef & { scenario: unknown }
  /** The form's starting values (from the URL, within the API's limits). */
  settings: AnalysisSettings
}

export interface AnalysisSettings {
  seed: string
  /** PSA iterations behind the EVPPI. */
  iterations: number
  /** Paired iterations behind each end of each tornado bar. */
  tornadoIterations: number
  thresholdIterations: number
  maxAnalysisIterations: number
}

/** A share as made (numbers, seed, N, engine, the preset and the changes), with a re-run on the current engine. */
export interface SharePageData extends Common {
  page: 'share'
  shareId: string
}

export type PageData = EditorPageData | ComparePageData | AnalysisPageData | SharePageData

export const DEFAULT_SEED = '1'
export const DEFAULT_ITERATIONS = 10_000
/** Iterations the browser runs for the preview (and for the per-iteration charts). */
export const PREVIEW_ITERATIONS = 1_000
export const ITERATION_CHOICES = [1_000, 5_000, 10_000, 20_000, 50_000, 100_000]

/** The link that opens a scenario in the editor. */
export const scenarioHref = (ref: ScenarioRef): string => {
  // a removal-only version opens as its scenario (its programme is a field there)
  const owner = ref.id.startsWith('removal-only:') ? ref.id.slice('removal-only:'.length) : undefined
  if (owner) return scenarioHref({ kind: ref.kind, id: owner })
  return ref.kind === 'preset' ? `/?preset=${encodeURIComponent(ref.id)}` : `/s/${encodeURIComponent(ref.id)}`
}

/** The page of the decision analyses of a scenario. */
export const analysisHref = (ref: ScenarioRef): string =>
  ref.kind === 'preset' ? `/analysis?preset=${encodeURIComponent(ref.id)}` : `/analysis?s=${encodeURIComponent(ref.id)}`

/** A seed as the API takes it: a whole number when it reads as one, else the text. */
export const seedValue = (seed: string): string | number =>
  /^(0|[1-9]\d{0,14})$/.test(seed) ? Number(seed) : seed
