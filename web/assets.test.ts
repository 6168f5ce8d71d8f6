/** The client bundle builds, stays within its size budget, and its schema check answers as the server's does. */
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { parseScenario } from '../models/engine/scenario'
import { getPresetRaw, listPresets } from '../scenarios/index'
import { buildClientAssets, zodLite } from './assets'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Gzipped kilobytes a first visit may download (main + chunks + worker + CSS), and the main script alone. */
// 200 since issue 11's page parts (verdicts, unit costs, the published figures and calibration, budget planning,
// the schedule editor, the share page; 194.6 KB measured with them, above the 190 KB it had been)
const BUDGET_TOTAL_KB = 200
const BUDGET_MAIN_KB = 130

describe('the client bundle', () => {
  it('builds, and stays within its size budget', async () => {
    const assets = await buildClientAssets()
    const sizes = [...assets.files].map(([name, f]) => [name, f.body.length, gzipSync(f.body).length] as const)
    console.log(
      'client bundle (bytes, gzipped):\n' + sizes.map(([name, raw, gz]) => `  ${name}: ${raw} (${gz} gz)`).join('\n') + `\n  total: ${assets.totalBytes} gz`,
    )
    expect(assets.totalBytes).toBeLessThan(BUDGET_TOTAL_KB * 1024)
    const main = sizes.find(([name]) => `/static/${name}` === assets.mainUrl)!
    expect(main[2]).toBeLessThan(BUDGET_MAIN_KB * 1024)
    // zod's 40 locales stay out (a German message as the witness)
    for (const [, f] of assets.files) expect(new TextDecoder().decode(f.body)).not.toContain('Ungültige Eingabe')
  })

  it('checks a scenario in the browser exactly as the server does (zod without its locales)', async () => {
    const out = await build({
      absWorkingDir: ROOT,
      stdin: { contents: "export { parseScenario } from './models/engine/scenario'", resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      plugins: [zodLite],
    })
    const code = out.outputFiles[0].text
    expect(code).not.toContain('Ungültige Eingabe')
    const client = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as {
      parseScenario: typeof parseScenario
    }
    const preset = (id: string) => structuredClone(getPresetRaw(id)) as Record<string, any>
    const broken: unknown[] = [
      ...listPresets().map((p) => getPresetRaw(p.id)),
      { ...preset('de-reag-garp'), horizonMonths: 0, currency: 'euro' },
      { ...preset('be-low-cash'), programme: { ...preset('be-low-cash').programme, cashPerAdult: { dist: 'pert', min: 10, mode: 5, max: 1 } } },
      { ...preset('be-low-cash'), programme: { ...preset('be-low-cash').programme, cashPerAdult: -5, scale: 20 } },
      { ...preset('uk-nao-2003'), groups: [{ ...preset('uk-nao-2003').groups[0], stock: 'many', extra: 1 }] },
      { ...preset('uk-nao-2003'), removal: undefined },
      'not a scenario',
    ]
    for (const input of broken) expect(client.parseScenario(structuredClone(input))).toEqual(parseScenario(structuredClone(input)))
    expect(client.parseScenario(preset('de-reag-garp')).ok).toBe(true)
  })
})

describe('a pre-built bundle', () => {
  it('is written with its manifest and read back the same, for servers without esbuild', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { writeClientAssets, readClientAssets } = await import('./assets')
    const dir = await mkdtemp(`${tmpdir()}/homecoming-client-`)
    try {
      const written = await writeClientAssets(dir)
      const read = await readClientAssets(dir)
      expect(read.mainUrl).toBe(written.mainUrl)
      expect(read.workerUrl).toBe(written.workerUrl)
      expect([...read.files.keys()].sort()).toEqual([...written.files.keys()].sort())
      for (const [name, f] of written.files) expect(Buffer.from(read.files.get(name)!.body).equals(Buffer.from(f.body))).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
