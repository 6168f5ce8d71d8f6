/**
 * The worker thread's code, bundled with esbuild into node_modules/.cache (content-hashed), so a worker starts in
 * ~0.2 s instead of compiling the TypeScript with tsx (~0.65 s each); tsx when esbuild is absent. The bundle is
 * built again only when one of its sources changed (their modification times are kept beside it, as the CLI's
 * are): building it took ~150 ms of every command and server start that used threads.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BUNDLE_CACHE as CACHE,
  BUNDLE_FORMAT,
  heldBundle,
  NODE_BUNDLE_OPTIONS,
  pruneBundles,
  restoreTopLevelConst,
  sourceTimes,
  writeWhole,
  type BundleManifest,
} from './node-bundle.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRY = fileURLToPath(new URL('./shard-thread.ts', import.meta.url))
const TSX_ENTRY = new URL('./shard-thread.mjs', import.meta.url)
const MANIFEST = join(CACHE, 'shard-thread-manifest.json')

/**
 * The bundles a build replaces are removed (each ~1.2 MB; one per change of the engine's sources), except the newest
 * few and any a thread started from within a day: a server started before the change may still need its own bundle
 * to replace a thread that died (the pool touches the file at every thread it starts).
 */
const KEPT_OLDER_BUNDLES = 3
const OLDER_BUNDLE_KEPT_MS = 24 * 3600_000

let bundled: URL | undefined

/** Where a worker's code is: the bundle (built when stale), or the tsx entry. */
export const workerEntry = (): URL => {
  if (bundled) return bundled
  let esbuild: typeof import('esbuild')
  try {
    // a build tool, not a runtime dependency: loaded only here, and synchronously so a pool starts at once
    esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
  } catch {
    return TSX_ENTRY
  }
  const fresh = heldBundle(MANIFEST)
  if (fresh) return (bundled = new URL(`file://${fresh}`))
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    ...NODE_BUNDLE_OPTIONS,
    metafile: true,
  })
  const code = restoreTopLevelConst(result.outputFiles[0].text)
  const name = `shard-thread-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`
  mkdirSync(CACHE, { recursive: true })
  if (!existsSync(join(CACHE, name))) writeWhole(join(CACHE, name), code)
  const manifest: BundleManifest = { format: BUNDLE_FORMAT, bundle: name, inputs: sourceTimes(ROOT, result.metafile!) }
  writeWhole(MANIFEST, JSON.stringify(manifest))
  pruneBundles({ prefix: 'shard-thread', current: name, keep: KEPT_OLDER_BUNDLES, youngerThanMs: OLDER_BUNDLE_KEPT_MS })
  bundled = new URL(`file://${join(CACHE, name)}`)
  return bundled
}
