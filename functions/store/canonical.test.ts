/** contentId is a saved scenario's identity: these tests pin what counts as the same content. */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base32, canonicalJson, contentId } from './canonical'

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, drops whitespace', () => {
    const value = { b: [3, { z: 1, a: 2 }, 1], a: { d: 'x', c: null } }
    expect(canonicalJson(value)).toBe('{"a":{"c":null,"d":"x"},"b":[3,{"a":2,"z":1},1]}')
  })

  it('orders integer-like keys by code unit, not the way JS objects list them', () => {
    expect(canonicalJson({ b: 1, 10: 2, 2: 3 })).toBe('{"10":2,"2":3,"b":1}')
  })

  it('follows JSON.stringify for undefined, non-finite numbers and toJSON', () => {
    const value = { u: undefined, n: NaN, list: [undefined, 1], at: new Date(0) }
    expect(canonicalJson(value)).toBe('{"at":"1970-01-01T00:00:00.000Z","list":[null,1],"n":null}')
    expect(() => canonicalJson(undefined)).toThrow(TypeError)
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError)
  })

  it('parses back to the same value', () => {
    const value = { rate: 1.0e-7, share: 0.1, name: 'é "q"', nested: [{ k: true }] }
    expect(JSON.parse(canonicalJson(value))).toEqual(value)
  })
})

describe('base32', () => {
  it('matches the RFC 4648 test vectors, lowercased and unpadded', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'my'],
      ['fo', 'mzxq'],
      ['foo', 'mzxw6'],
      ['foob', 'mzxw6yq'],
      ['fooba', 'mzxw6ytb'],
      ['foobar', 'mzxw6ytboi'],
    ]
    for (const [input, expected] of vectors) expect(base32(Buffer.from(input))).toBe(expected)
  })
})

describe('contentId', () => {
  it('is 26 lowercase base32 characters of sha256 of the canonical JSON', () => {
    const value = { a: 1 }
    const digest = createHash('sha256').update('{"a":1}').digest()
    expect(contentId(value)).toBe(base32(digest.subarray(0, 16)))
    expect(contentId(value)).toMatch(/^[a-z2-7]{26}$/)
  })

  it('does not depend on key order, at any depth', () => {
    const a = { horizon: 24, effects: { reentry: 0.1, uptake: 0.4 }, arms: [{ id: 'x', cost: 5 }] }
    const b = { arms: [{ cost: 5, id: 'x' }], effects: { uptake: 0.4, reentry: 0.1 }, horizon: 24 }
    expect(contentId(a)).toBe(contentId(b))
  })

  it('differs when the content differs', () => {
    const base = { horizon: 24, effects: { reentry: 0.1 }, arms: ['a', 'b'] }
    const ids = new Set([
      contentId(base),
      contentId({ ...base, horizon: 25 }),
      contentId({ ...base, effects: { reentry: 0.10000001 } }),
      contentId({ ...base, arms: ['b', 'a'] }),
      contentId({ ...base, horizon: '24' }),
    ])
    expect(ids.size).toBe(5)
  })
})
