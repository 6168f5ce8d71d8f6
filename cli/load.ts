/** Reads a scenario for the CLI: a file path, or the id of a preset; problems come back named by field. */
import { existsSync, readFileSync } from 'node:fs'
import { parseScenario, parseScenarioText, type FieldProblem, type Scenario } from '../models/engine/scenario'
import { getPresetRaw } from '../scenarios/index'
import { removalOnlyOf, removalOnlyVersion } from '../models/analysis/compare'

export type Loaded = { ok: true; scenario: Scenario; label: string } | { ok: false; label: string; problems: FieldProblem[] }

/** A file path, a preset id, or `removal-only:<file or preset>`: that scenario without its programme. */
export const loadScenario = (fileOrPreset: string): Loaded => {
  const of = existsSync(fileOrPreset) ? undefined : removalOnlyOf(fileOrPreset)
  if (of !== undefined) {
    const loaded = loadScenario(of)
    return loaded.ok ? { ...loaded, scenario: removalOnlyVersion(loaded.scenario), label: fileOrPreset } : loaded
  }
  return loadFileOrPreset(fileOrPreset)
}

const loadFileOrPreset = (fileOrPreset: string): Loaded => {
  if (!existsSync(fileOrPreset)) {
    const preset = getPresetRaw(fileOrPreset)
    if (preset === undefined)
      return {
        ok: false,
        label: fileOrPreset,
        problems: [{ path: '(file)', message: 'no such file, and no preset with that id (see `homecoming presets`)' }],
      }
    const parsed = parseScenario(preset)
    return parsed.ok ? { ok: true, scenario: parsed.scenario, label: fileOrPreset } : { ok: false, label: fileOrPreset, problems: parsed.problems }
  }
  let text: string
  try {
    text = readFileSync(fileOrPreset, 'utf8')
  } catch (e) {
    return { ok: false, label: fileOrPreset, problems: [{ path: '(file)', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] }
  }
  const parsed = parseScenarioText(text)
  return parsed.ok ? { ok: true, scenario: parsed.scenario, label: fileOrPreset } : { ok: false, label: fileOrPreset, problems: parsed.problems }
}
