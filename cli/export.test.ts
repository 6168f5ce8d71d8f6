import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, describe, expect, it } from 'vitest'
import { cli } from './run-cli.test-util'

const dir = mkdtempSync(join(tmpdir(), 'homecoming-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('homecoming export', () => {
  it('writes the workbook: four sheets, calendar years from --start-year, the comparator named', async () => {
    const out = join(dir, 'be.xlsx')
    const r = cli('export', 'be-low-cash', '--xlsx', out, '-n', '64', '--start-year', '2027', '-w', '1', '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ file: out, scenarioId: 'be-low-cash', comparatorId: 'be-low-cash-removal-only' })
    const sheets = await readXlsxFile(readFileSync(out))
    expect(sheets.map((s) => s.sheet)).toEqual(['Summary', 'Budget by year', 'Targets', 'Assumptions'])
    expect(sheets[1].data[1].slice(0, 4)).toEqual(['2027', 2027, 12, 'total'])
  })

  it('refuses a comparator of other people naming the field, exit 1, and writes nothing', () => {
    const out = join(dir, 'no.xlsx')
    const r = cli('export', 'de-reag-garp', '--xlsx', out, '--comparator', 'removal-only', '-n', '8')
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/^homecoming: comparator\.groups: must have the same groups/)
    expect(() => readFileSync(out)).toThrow()
  })
})
