/** The bundles' top-level constants are const again (node-bundle.mjs), and nothing a bundle assigns is. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BUNDLE_CACHE, BUNDLE_FORMAT, pruneBundles, restoreTopLevelConst } from './node-bundle.mjs'
import { workerEntry } from './worker-bundle'

describe('restoreTopLevelConst', () => {
  it('makes a top-level var const when nothing else assigns it', () => {
    const code = ['var A = 0;', 'var B = [1, 2];', 'var f = (x) => x + A;', 'function g(t) { t[A] = B[1]; return t.A = 3 }'].join('\n')
    expect(restoreTopLevelConst(code)).toBe(code.replace(/^var /gm, 'const '))
  })

  it('leaves var what anything might assign: =, op=, ++ and --, for-of and for-in, destructuring', () => {
    const cases = [
      'var a = 1;\nfunction f() { a = 2 }',
      'var a = 1;\nfunction f() { a += 2 }',
      'var a = 1;\nfunction f() { a ??= 2 }',
      'var a = 1;\nfunction f() { a++ }',
      'var a = 1;\nfunction f() { --a }',
      'var a = 1;\nfor (a of [1]) ;',
      'var a = 1;\nfor (a in {}) ;',
      'var a = 1, b;\n[b, a] = [2, 3];',
      'var a = 1;\n({ x: a } = { x: 2 });',
      // a local of the same name: a false alarm, which only keeps a var
      'var a = 1;\nfunction f() { let a = 2; return a }',
    ]
    for (const code of cases) expect(restoreTopLevelConst(code), code).toBe(code)
  })

  it('leaves a package’s top-level var as it is: it may have been a var, read before it is set', () => {
    const code = ['// models/engine/layout.ts', 'var A = 0;', '// node_modules/pkg/lib/index.js', 'var B = 1;', '// cli/main.ts', 'var C = 2;'].join('\n')
    expect(restoreTopLevelConst(code)).toBe(code.replace('var A', 'const A').replace('var C', 'const C'))
    // a comment that names no file does not end a package's code
    const commented = ['// node_modules/pkg/index.js', '// unreachable', 'var B = 1;'].join('\n')
    expect(restoreTopLevelConst(commented)).toBe(commented)
  })

  it('the worker bundle: the engine offsets are const, and the bundle still parses', () => {
    const file = fileURLToPath(workerEntry())
    // under tsx (no esbuild bundle) there is nothing to check
    if (!file.endsWith('.mjs') || !file.includes('.cache')) return
    const code = readFileSync(file, 'utf8')
    for (const name of ['SLOT_FIELDS', 'D_SMALLER', 'POOL_FIELDS', 'R_ABSOLUTE', 'BLOCK_SIZE']) expect(code).toMatch(new RegExp(`^const ${name} = `, 'm'))
    expect(() => execFileSync(process.execPath, ['--check', file])).not.toThrow()
    // it holds its packages (zod, seedrandom, simple-statistics): what it imports is Node's own
    expect(code.match(/^import .* from "[^"]*"/gm)?.filter((line) => !line.includes('from "node:'))).toEqual([])
    expect(code).toMatch(/^\/\/ node_modules\/zod\//m)
  })

  it('the worker bundle is kept with the modification times of its sources, so an unchanged tree is not built again', () => {
    const file = fileURLToPath(workerEntry())
    if (!file.includes('.cache')) return
    const manifest = JSON.parse(readFileSync(join(file, '..', 'shard-thread-manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: BUNDLE_FORMAT, bundle: basename(file) })
    const entry = fileURLToPath(new URL('./shard-thread.ts', import.meta.url))
    expect(manifest.inputs[entry]).toBe(statSync(entry).mtimeMs)
  })
})

describe('pruneBundles', () => {
  it('removes the replaced bundles of its prefix but the current one, the newest kept and the recently used', () => {
    const prefix = `prune-test-${process.pid}`
    mkdirSync(BUNDLE_CACHE, { recursive: true })
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000)
    // name: hours since it was last modified (or started a thread)
    const ages: Record<string, number> = { current: 100, a: 90, b: 80, c: 70, d: 60, used: 0.5 }
    for (const [name, age] of Object.entries(ages)) {
      const file = join(BUNDLE_CACHE, `${prefix}-${name}.mjs`)
      writeFileSync(file, '')
      utimesSync(file, hoursAgo(age), hoursAgo(age))
    }
    // what was kept beside a bundle goes with it
    writeFileSync(join(BUNDLE_CACHE, `${prefix}-a.mjs.tables.json`), '[]')
    writeFileSync(join(BUNDLE_CACHE, `${prefix}-d.mjs.tables.json`), '[]')
    // another prefix is never touched, however old
    const other = join(BUNDLE_CACHE, `${prefix}x-old.mjs`)
    writeFileSync(other, '')
    utimesSync(other, hoursAgo(1000), hoursAgo(1000))
    try {
      pruneBundles({ prefix, current: `${prefix}-current.mjs`, keep: 2, youngerThanMs: 24 * 3600_000 })
      const left = readdirSync(BUNDLE_CACHE).filter((f) => f.startsWith(`${prefix}-`)).sort()
      // kept: current and the two newest others (used, d); a, b and c are older than those and than a day
      expect(left).toEqual([`${prefix}-current.mjs`, `${prefix}-d.mjs`, `${prefix}-d.mjs.tables.json`, `${prefix}-used.mjs`])
      expect(existsSync(other)).toBe(true)
    } finally {
      for (const f of readdirSync(BUNDLE_CACHE)) if (f.startsWith(prefix)) rmSync(join(BUNDLE_CACHE, f), { force: true })
    }
  })
})
