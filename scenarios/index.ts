/** The preset scenarios, imported statically so that bundles carry them, by id and as a listing. */
import beLowCash from './be-low-cash.json' with { type: 'json' }
import chReturnAssistance from './ch-return-assistance.json' with { type: 'json' }
import deReagGarp from './de-reag-garp.json' with { type: 'json' }
import deTrustedActors from './de-trusted-actors.json' with { type: 'json' }
import noDeadlineGrant from './no-deadline-grant.json' with { type: 'json' }
import removalOnly from './removal-only.json' with { type: 'json' }
import seHighPackage from './se-high-package.json' with { type: 'json' }
import ukNao2003 from './uk-nao-2003.json' with { type: 'json' }

/** The few fields a listing needs; the rest of a preset stays raw until parseScenario checks it. */
interface PresetHeader {
  id: string
  title: string
  description: string
  currency: string
  programme: unknown
}

export interface PresetSummary {
  id: string
  title: string
  description: string
  currency: string
  /** True for a removal-only comparator (`programme: null`). */
  comparator: boolean
}

// The comparator first, then the programmes; listPresets keeps this order.
const presets: readonly PresetHeader[] = [
  removalOnly,
  beLowCash,
  chReturnAssistance,
  deReagGarp,
  deTrustedActors,
  noDeadlineGrant,
  seHighPackage,
  ukNao2003,
]

/** Each preset's JSON as written, by id. */
export const presetFiles: Record<string, unknown> = Object.fromEntries(
  presets.map((preset) => [preset.id, preset]),
)

export const listPresets = (): PresetSummary[] =>
  presets.map(({ id, title, description, currency, programme }) => ({
    id,
    title,
    description,
    currency,
    comparator: programme === null,
  }))

/** The raw JSON of a preset; undefined for an unknown id, inherited keys such as "toString" too. */
export const getPresetRaw = (id: string): unknown | undefined =>
  Object.hasOwn(presetFiles, id) ? presetFiles[id] : undefined
