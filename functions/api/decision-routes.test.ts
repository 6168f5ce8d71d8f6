/** The decision routes over HTTP on the real local server (in-memory dynalite): the workbook export and shares. */
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../app/local-server'

let server: LocalServer

beforeAll(async () => {
  server = await startLocalServer({ threads: 1 })
})

afterAll(async () => {
  await server?.close()
})

const send = (method: string, path: string, body?: unknown) =>
  fetch(server.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('POST /api/export.xlsx', () => {
  it('answers the workbook of a preset against its removal-only version, readable back', async () => {
    const response = await send('POST', '/api/export.xlsx', { scenarioId: 'uk-nao-2003', iterations: 100, seed: 2, startYear: 2026 })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/spreadsheetml/)
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="uk-nao-2003.xlsx"')
    const sheets = await readXlsxFile(Buffer.from(await response.arrayBuffer()))
    expect(sheets.map((s) => s.sheet)).toEqual(['Summary', 'Budget by year', 'Targets', 'Assumptions'])
    expect(sheets[0].data.find((r) => r[0] === 'Comparator id')![1]).toBe('uk-nao-2003-removal-only')
    expect(sheets[1].data[1][1]).toBe(2026)
  })

  it('names bad fields, and refuses another population unless compareAnyway', async () => {
    const bad = await send('POST', '/api/export.xlsx', { scenarioId: 'uk-nao-2003', iterations: 0, seed: 1, startYear: 3000 })
    expect(bad.status).toBe(400)
    const paths = ((await bad.json()) as { problems: { path: string }[] }).problems.map((p) => p.path).sort()
    expect(paths).toEqual(['iterations', 'startYear'])
    const across = await send('POST', '/api/export.xlsx', { scenarioId: 'de-reag-garp', comparator: 'removal-only', iterations: 10, seed: 1 })
    expect(across.status).toBe(400)
    expect(((await across.json()) as { problems: { path: string }[] }).problems[0].path).toBe('comparator.groups')
  })
})
