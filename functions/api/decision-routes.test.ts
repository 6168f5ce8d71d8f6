/** The decision routes over HTTP on the real local server (in-memory dynalite): the workbook export and shares. */
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalServer, type LocalServer } from '../../app/local-server'
import { ENGINE_VERSION } from '../../models/engine/version'
import { contentId } from '../store/canonical'
import { getPresetRaw } from '../../scenarios/index'

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

describe('shares that keep their word', () => {
  const edited = () => {
    const raw = structuredClone(getPresetRaw('de-reag-garp')) as Record<string, any>
    raw.programme.cashPerAdult = { dist: 'point', value: 1000 }
    return raw
  }

  it('stores the scenario with its snapshot: seed, N, engine, the preset and each changed assumption', async () => {
    const response = await send('POST', '/api/shares', { scenario: edited(), presetId: 'de-reag-garp', iterations: 60, seed: 5 })
    expect(response.status).toBe(201)
    const made = (await response.json()) as { id: string; url: string; snapshot: any }
    expect(made.url).toBe(`/share/${made.id}`)
    expect(made.snapshot).toMatchObject({ engineVersion: ENGINE_VERSION, seed: 5, iterations: 60, preset: { id: 'de-reag-garp', titleKept: true } })
    expect(made.snapshot.changes).toEqual([
      { path: 'programme.cashPerAdult', from: (getPresetRaw('de-reag-garp') as any).programme.cashPerAdult, to: { dist: 'point', value: 1000 } },
    ])
    expect(made.snapshot.comparison.comparatorId).toBe('de-reag-garp-removal-only')

    // the scenario is saved with the share: the share page links to it, and a GET of the page writes nothing
    const scenarioId = contentId(edited())
    expect((await send('GET', `/api/scenarios/${scenarioId}`)).status).toBe(200)
    const page = await send('GET', made.url)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(`/s/${scenarioId}`)

    // the same share again is the same id, not a second copy
    const again = await send('POST', '/api/shares', { scenario: edited(), presetId: 'de-reag-garp', iterations: 60, seed: 5 })
    expect(again.status).toBe(200)
    expect(((await again.json()) as { id: string }).id).toBe(made.id)

    const read = await send('GET', `/api/shares/${made.id}`)
    expect(read.status).toBe(200)
    expect(read.headers.get('cache-control')).toMatch(/immutable/)
    const share = (await read.json()) as { scenario: unknown; snapshot: unknown }
    expect(JSON.stringify(share.scenario)).toBe(JSON.stringify(edited()))
    expect(share.snapshot).toEqual(made.snapshot)

    // on the same engine a re-run gives the same numbers, to the bit
    const rerun = await send('POST', `/api/shares/${made.id}/rerun`, {})
    expect(rerun.status).toBe(200)
    expect(await rerun.json()).toMatchObject({ same: true, differenceCount: 0, differences: [], snapshotEngineVersion: ENGINE_VERSION })
  })

  it('unknown shares are 404; a bad preset id or scenario is a 400 by field', async () => {
    expect((await send('GET', '/api/shares/nope')).status).toBe(404)
    expect((await send('POST', '/api/shares/nope/rerun', {})).status).toBe(404)
    const badPreset = await send('POST', '/api/shares', { scenario: edited(), presetId: 'nope', iterations: 10, seed: 1 })
    expect(badPreset.status).toBe(400)
    expect(((await badPreset.json()) as { problems: { path: string }[] }).problems[0].path).toBe('presetId')
    const badScenario = await send('POST', '/api/shares', { scenario: { ...edited(), horizonMonths: -1 }, iterations: 10, seed: 1 })
    expect(badScenario.status).toBe(400)
    expect(((await badScenario.json()) as { problems: { path: string }[] }).problems[0].path).toBe('scenario.horizonMonths')
  })
})
