/** Canonical JSON and content ids: the same scenario gets the same id whatever its key order. */
import { createHash } from 'node:crypto'

const BASE32_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

/** Bytes of the sha256 digest kept in an id: 128 bits make accidental collisions a non-issue. */
const ID_BYTES = 16

const isSkipped = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol'

const hasToJson = (value: unknown): value is { toJSON: () => unknown } =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { toJSON?: unknown }).toJSON === 'function'

/**
 * Written out by hand rather than with a JSON.stringify replacer: a JS object always lists
 * integer-like keys first ("2" before "10" before "b"), so re-inserting sorted keys into an object
 * cannot give code-unit order. Otherwise the rules are JSON.stringify's (toJSON, undefined dropped
 * from objects and null in arrays, non-finite numbers as null), so an id never depends on a value
 * JSON would not keep.
 */
const write = (value: unknown): string => {
  if (hasToJson(value)) value = value.toJSON()
  if (value === null) return 'null'
  if (typeof value === 'bigint') throw new TypeError('canonicalJson: BigInt has no JSON form')
  if (typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) {
    return `[${value.map((element) => (isSkipped(element) ? 'null' : write(element))).join(',')}]`
  }
  const record = value as Record<string, unknown>
  const members: string[] = []
  // Default sort is UTF-16 code-unit order, the order RFC 8785 (JCS) specifies.
  for (const key of Object.keys(record).sort()) {
    if (!isSkipped(record[key])) members.push(`${JSON.stringify(key)}:${write(record[key])}`)
  }
  return `{${members.join(',')}}`
}

/** JSON text with object keys sorted recursively and no whitespace; arrays keep their order. */
export const canonicalJson = (value: unknown): string => {
  if (isSkipped(value)) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`)
  return write(value)
}

/** RFC 4648 base32, lowercased, without padding. */
export const base32 = (bytes: Uint8Array): string => {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += BASE32_ALPHABET[(buffer >>> bits) & 31]
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

/** The stable id of a JSON value: base32 of sha256(canonical JSON)'s first 16 bytes, 26 chars. */
export const contentId = (value: unknown): string =>
  base32(createHash('sha256').update(canonicalJson(value), 'utf8').digest().subarray(0, ID_BYTES))
