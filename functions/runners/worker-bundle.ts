/**
 * The worker thread's code, bundled once per process with esbuild into node_modules/.cache (content-hashed), so a
 * worker starts in ~0.2 s instead of compiling the TypeScript with tsx (~0.65 s each); tsx when esbuild is absent.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NODE_BUNDLE_OPTIONS, restoreTopLevelConst } from './node-bundle.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRY = fileURLToPath(new URL('./shard-thread.ts', import.meta.url))
const TSX_ENTRY = new URL('./shard-thread.mjs', import.meta.url)
const CACHE = join(ROOT, 'node_modules', '.cache', 'homecoming')

let bundled: URL | undefined

/** Where a worker's code is: the bundle (built on first call), or the tsx entry. */
export const workerEntry = (): URL => {
  if (bundled) return bundled
  let esbuild: typeof import('esbuild')
  try {
    // a build tool, not a runtime dependency: loaded only here, and synchronously so a pool starts at once
    esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
  } catch {
    return TSX_ENTRY
  }
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    ...NODE_BUNDLE_OPTIONS,
  })
  const code = restoreTopLevelConst(result.outputFiles[0].text)
  const file = join(CACHE, `shard-thread-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`)
  if (!existsSync(file)) {
    mkdirSync(CACHE, { recursive: true })
    // written under a temporary name and renamed by the file system in one step: a racing process never reads half
    const partial = `${file}.${process.pid}.tmp`
    writeFileSync(partial, code)
    renameSync(partial, file)
  }
  bundled = new URL(`file://${file}`)
  return bundled
}
