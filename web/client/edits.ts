/**
 * Unsaved edits of a scenario: a list of (path, value) set on top of a base scenario, carried in the URL (`e=`)
 * so that the back button and a reload keep them. A missing value removes an optional field.
 */
import { V1_PATH_RENAMES } from '../../models/engine/migrate'
import { REQUIRED_IN } from './fields'

export type Path = (string | number)[]

export const pathKey = (path: Path): string => path.join('.')
export const parsePathKey = (key: string): Path => key.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part))

/** Edits by path key, in the order they were made; a later edit of a path replaces its earlier edits and theirs below it. */
export class Edits {
  private readonly byPath = new Map<string, { path: Path; value?: unknown }>()

  get size(): number {
    return this.byPath.size
  }

  has(path: Path): boolean {
    return this.byPath.has(pathKey(path))
  }

  set(path: Path, value: unknown): void {
    const key = pathKey(path)
    for (const other of [...this.byPath.keys()]) if (other === key || other.startsWith(key + '.')) this.byPath.delete(other)
    this.byPath.set(key, value === undefined ? { path } : { path, value })
  }

  /** Forget the edits of a path (and below it): the field shows the base scenario's value again. */
  revert(path: Path): void {
    const key = pathKey(path)
    for (const other of [...this.byPath.keys()]) if (other === key || other.startsWith(key + '.')) this.byPath.delete(other)
  }

  /**
   * `value` at `path` on top of `base`: a value equal to the base's is no edit at all (the scenario is the
   * base again there), unless an edit above the path still differs.
   */
  edit(base: unknown, path: Path, value: unknown): void {
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
    if (!same(value, getAt(base, path))) return this.set(path, value)
    this.revert(path)
    if (!same(getAt(this.apply(base), path), value)) this.set(path, value)
  }

  clear(): void {
    this.byPath.clear()
  }

  entries(): { path: Path; value?: unknown }[] {
    return [...this.byPath.values()]
  }

  /** The base with every edit applied; the base itself is left as it is. */
  apply(base: unknown): unknown {
    const out = structuredClone(base) as Record<string, unknown>
    for (const edit of this.byPath.values()) setAt(out, edit.path, edit.value)
    return out
  }

  /** URL form: base64url of the JSON list [[path, value] | [path]]. */
  encode(): string {
    if (this.byPath.size === 0) return ''
    const list = this.entries().map((e) => ('value' in e ? [pathKey(e.path), e.value] : [pathKey(e.path)]))
    const bytes = new TextEncoder().encode(JSON.stringify(list))
    let binary = ''
    for (const b of bytes) binary += String.fromCharCode(b)
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  }

  static decode(text: string | null): Edits {
    const edits = new Edits()
    if (!text) return edits
    try {
      const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
      const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
      const list = JSON.parse(new TextDecoder().decode(bytes)) as unknown
      if (!Array.isArray(list)) return edits
      for (const item of list) {
        if (!Array.isArray(item) || typeof item[0] !== 'string' || item[0] === '') continue
        const path = parsePathKey(renamedSinceV1(item[0]))
        // never let a URL reach an object's prototype
        if (path.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) continue
        edits.set(path, item.length > 1 ? item[1] : undefined)
      }
    } catch {
      // a damaged link opens the unedited scenario
    }
    return edits
  }
}

/** A path key of a link made before a field was renamed (version 1), in today's name. */
const renamedSinceV1 = (key: string): string => {
  for (const [from, to] of Object.entries(V1_PATH_RENAMES))
    if (key === from || key.startsWith(from + '.')) return to + key.slice(from.length)
  return key
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)

/** Set (or, with undefined, delete) the value at `path`, creating missing objects with their required fields. */
export const setAt = (root: Record<string, unknown>, path: Path, value: unknown): void => {
  let node: Record<string | number, unknown> = root
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]
    let next = node[key]
    if (!isObject(next) && !Array.isArray(next)) {
      if (value === undefined) return
      const ownerPath = path
        .slice(0, i + 1)
        .filter((p) => typeof p === 'string')
        .join('.')
      next = { ...(REQUIRED_IN[ownerPath] ?? {}) }
      node[key] = next
    }
    node = next as Record<string | number, unknown>
  }
  const last = path[path.length - 1]
  if (value === undefined) delete node[last]
  else node[last] = value
}

/** The value at `path`, or undefined. */
export const getAt = (root: unknown, path: Path): unknown => {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[key]
  }
  return node
}
