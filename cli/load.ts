/** Reads a scenario for the CLI: a file path, or the id of a preset; problems come back named by field. */
import { existsSync, readFileSync } from 'node:fs'
import { parseScenario, parseScenarioText, type FieldProblem, type Scenario } from '../models/engine/scenario'
import { getPresetRaw } from '../scenarios/index'

export type Loaded = { ok: true; scenario: Scenario; label: string } | { ok: false; label: string; problems: FieldProblem[] }

export const loadScenario = (fileOrPreset: string): Loaded => {
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
