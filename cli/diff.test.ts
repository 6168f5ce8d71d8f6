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

  it('refuses an incremental outcome without a comparator in one line, exit 1', () => {
    const result = homecoming('diff', 'de-trusted-actors', 'de-reag-garp', '--outcome', 'incrementalCost')
    expect(result.status).toBe(1)
    expect(result.stderr).toBe('homecoming: --comparator is required with --outcome incrementalCost\n')
  })
})
