/** Scenarios as rows of assumptions, aligned (groups by id) so that the ones that differ can be marked. */
import type { Dist } from '../../models/engine/distributions'
import { asSpec, describeDist, valueOnly } from './dists'
import { getAt } from './edits'
import { fieldPath, SECTIONS, SETTING_LABELS, type FieldSpec, type SectionId } from './fields'
import { formatCount } from './format'

export interface AssumptionRow {
  key: string
  section: SectionId
  label: string
  /** One display text per scenario. */
  values: string[]
  differs: boolean
  /** Per scenario: whether its value differs from the first scenario's. */
  differsFromFirst: boolean[]
}

type Raw = Record<string, unknown>

const isMissing = Symbol('missing')

/** What decides the numbers: a Dist without its source, absence as the fallback unless absence means more. */
const canonical = (spec: FieldSpec, value: unknown): string => {
  if (value === isMissing) return 'missing'
  if (value === undefined) return spec.absent ? 'absent' : canonical(spec, spec.fallback)
  if (spec.kind === 'dist' && (typeof value === 'number' || (typeof value === 'object' && value !== null)))
    return JSON.stringify(valueOnly(value as Dist))
  return JSON.stringify(value)
}

const display = (spec: FieldSpec, value: unknown): string => {
  if (value === isMissing) return '—'
  if (value === undefined) return spec.absent ? `not set (${spec.absent})` : `not set (${String(spec.fallback ?? '')})`
  switch (spec.kind) {
    case 'dist':
      return describeDist(asSpec(value as Dist), formatCount)
    case 'bool':
      return value ? 'yes' : 'no'
    case 'choice':
      return SETTING_LABELS[value as string] ?? String(value)
    default:
      return typeof value === 'number' ? formatCount(value) : String(value)
  }
}

const row = (key: string, section: SectionId, label: string, spec: FieldSpec, values: unknown[]): AssumptionRow => {
  const keys = values.map((v) => canonical(spec, v))
  return {
    key,
    section,
    label,
    values: values.map((v) => display(spec, v)),
    differs: keys.some((k) => k !== keys[0]),
    differsFromFirst: keys.map((k) => k !== keys[0]),
  }
}

/** Every assumption of the scenarios except title and description, in the editor's order. */
export const assumptionRows = (scenarios: Raw[]): AssumptionRow[] => {
  const rows: AssumptionRow[] = []
  for (const section of SECTIONS) {
    if (section.id === 'groups') {
      // groups are matched by id: a group one scenario lacks shows as missing there
      const ids: string[] = []
      const groupsOf = (s: Raw) => (Array.isArray(s.groups) ? s.groups : []) as Raw[]
      for (const s of scenarios)
        for (const g of groupsOf(s)) if (typeof g.id === 'string' && !ids.includes(g.id)) ids.push(g.id)
      for (const id of ids) {
        const groups = scenarios.map((s) => groupsOf(s).find((g) => g.id === id))
        const name = (groups.find((g) => g && typeof g.label === 'string')?.label as string | undefined) ?? id
        for (const spec of section.fields) {
          if (spec.key === 'label') continue
          const values = groups.map((g) => (g === undefined ? isMissing : getAt(g, spec.key.split('.'))))
          rows.push(row(`groups[${id}].${spec.key}`, 'groups', `${name}: ${spec.label}`, spec, values))
        }
      }
      continue
    }
    for (const spec of section.fields) {
      if (spec.key === 'title' || spec.key === 'description') continue
      const values = scenarios.map((s) => {
        if (section.id === 'programme' && s.programme === null) return isMissing
        return getAt(s, fieldPath(section.id, spec.key))
      })
      rows.push(row(`${section.id}.${spec.key}`, section.id, spec.label, spec, values))
    }
  }
  return rows
}
