import { describe, expect, it } from 'vitest'
import { reportDifferences } from './share-snapshot'

describe('reportDifferences', () => {
  it('lists each differing leaf by path, in document order, and counts past the limit', () => {
    const made = { engineVersion: '3.0.0', metrics: { a: { mean: 1, p95: 2 } }, grid: [1, 2, 3] }
    const now = { engineVersion: '3.1.0', metrics: { a: { mean: 1.5, p95: 2 } }, grid: [1, 2, 4] }
    expect(reportDifferences(made, now)).toEqual({
      count: 3,
      differences: [
        { path: 'engineVersion', snapshot: '3.0.0', current: '3.1.0' },
        { path: 'metrics.a.mean', snapshot: 1, current: 1.5 },
        { path: 'grid[2]', snapshot: 3, current: 4 },
      ],
    })
    expect(reportDifferences(made, now, 1).differences).toHaveLength(1)
    expect(reportDifferences(made, structuredClone(made))).toEqual({ count: 0, differences: [] })
    // a field only one side has is a difference too
    expect(reportDifferences({ a: 1 }, { a: 1, b: 2 }).differences).toEqual([{ path: 'b', snapshot: undefined, current: 2 }])
  })
})
