import { describe, expect, it } from 'vitest'
import { cli as homecoming } from './run-cli.test-util'

describe('homecoming diff', () => {
  it('credits the difference to each changed assumption; the contributions sum to the total', () => {
    const result = homecoming('diff', 'de-trusted-actors', 'de-reag-garp', '-n', '128', '--json')
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout)
    expect(report.order).toEqual(['programme.counselling.setting', 'programme.counselling.costPerCounselledCase'])
    const sum = report.steps.reduce((acc: number, s: { contribution: number }) => acc + s.contribution, 0)
    expect(Math.abs(sum - report.total)).toBeLessThanOrEqual(1e-6 * Math.abs(report.total))
    expect(report.total).toBeCloseTo(report.target - report.baseline, 0)
  })

  it('takes an incremental outcome against A without its programme by default; a comparator of other people is refused', () => {
    const result = homecoming('diff', 'de-trusted-actors', 'de-reag-garp', '--outcome', 'incrementalCost', '-n', '64', '--json')
    expect(result.status, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).comparatorId).toBe('de-trusted-actors-removal-only')
    const across = homecoming('diff', 'de-trusted-actors', 'de-reag-garp', '--outcome', 'incrementalCost', '--comparator', 'removal-only')
    expect(across.status).toBe(1)
    expect(across.stderr).toMatch(/^homecoming: comparator\.groups: must have the same groups/)
    expect(across.stderr).toMatch(/--compare-anyway compares them all the same/)
  })
})
