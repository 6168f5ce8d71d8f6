/**
 * The CLI's TypeScript bundled by esbuild into node_modules/.cache/homecoming, rebuilt only when a source file it
 * was built from changed (their modification times are kept beside it): a command starts in ~0.15 s instead of
 * ~1 s of tsx compiling every module. Each module keeps its own import.meta.url (the worker threads and the assets
 * are found from it), rewritten to its source file's URL as it is bundled.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  BUNDLE_CACHE as CACHE,
  BUNDLE_FORMAT,
  heldBundle,
  NODE_BUNDLE_OPTIONS,
  pruneBundles,
  restoreTopLevelConst,
  sourceTimes,
  writeWhole,
} from '../functions/runners/node-bundle.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const ENTRY = join(ROOT, 'cli', 'main.ts')
const MANIFEST = join(CACHE, 'cli-manifest.json')
/** A bundle older than this that the manifest does not name is no racing build's: it can go. */
const STALE_AFTER_MS = 60_000

const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mjs|js)$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined
      const source = readFileSync(args.path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      const contents = source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
      return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(args.path) }
    })
  },
}

/** The URL of the bundled CLI (built when stale), or undefined where esbuild is not installed. */
export const bundledCli = async () => {
  const held = heldBundle(MANIFEST)
  if (held) return pathToFileURL(held).href
  let esbuild
  try {
    // a build tool, not a runtime dependency: the CLI runs through tsx without it
    esbuild = createRequire(import.meta.url)('esbuild')
  } catch {
    return undefined
  }
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    ...NODE_BUNDLE_OPTIONS,
    metafile: true,
    plugins: [ownImportMetaUrl],
  })
  const inputs = sourceTimes(ROOT, result.metafile)
  const bundle = `cli-${process.pid}-${Date.now()}.mjs`
  mkdirSync(CACHE, { recursive: true })
  writeFileSync(join(CACHE, bundle), restoreTopLevelConst(result.outputFiles[0].text))
  writeWhole(MANIFEST, JSON.stringify({ format: BUNDLE_FORMAT, bundle, inputs }))
  // the bundles it replaces (a command still running one has loaded it already); not one a racing build has just
  // written, which that command is about to load
  pruneBundles({ prefix: 'cli', current: bundle, youngerThanMs: STALE_AFTER_MS })
  return pathToFileURL(join(CACHE, bundle)).href
}
