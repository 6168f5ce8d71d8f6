/** chunkText decides what fits in one DynamoDB item: every piece under the limit, nothing lost. */
import { describe, expect, it } from 'vitest'
import { chunkText } from './store'

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8')

describe('chunkText', () => {
  it('cuts after newlines, so rows stay whole, and reassembles exactly', () => {
    const row = (i: number) => `${i},${(i * 0.37).toFixed(4)},arm-${i % 7}\n`
    const csv = Array.from({ length: 2_000 }, (_, i) => row(i)).join('')
    const chunks = chunkText(csv, 1_000)
    expect(chunks.join('')).toBe(csv)
    expect(chunks.length).toBeGreaterThan(20)
    for (const chunk of chunks) {
      expect(byteLength(chunk)).toBeLessThanOrEqual(1_000)
      expect(chunk.endsWith('\n')).toBe(true)
    }
  })

  it('cuts a line longer than the limit at character boundaries', () => {
    const line = 'aé€😀'.repeat(5_000)
    const chunks = chunkText(line, 1_001)
    expect(chunks.join('')).toBe(line)
    for (const chunk of chunks) {
      expect(byteLength(chunk)).toBeLessThanOrEqual(1_001)
      expect(chunk).not.toContain('\uFFFD')
    }
  })

  it('gives no chunks for empty text and one for short text', () => {
    expect(chunkText('')).toEqual([])
    expect(chunkText('a,b\n1,2')).toEqual(['a,b\n1,2'])
  })

  it('refuses a limit too small for one character', () => {
    expect(() => chunkText('abc', 3)).toThrow(RangeError)
  })
})
