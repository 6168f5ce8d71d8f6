/**
 * The client bundle: web/client/main.ts and its preview worker, built with esbuild in memory on first use,
 * content-hashed (served with a year's cache) and kept for the life of the process; plus the stylesheet.
 */
import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'esbuild'
import { STYLESHEET } from './styles'

export interface StaticFile {
  body: Uint8Array
  contentType: string
}

export interface ClientAssets {
  mainUrl: string
  workerUrl: string
  cssUrl: string
  /** By file name under /static/. */
  files: Map<string, StaticFile>
  /** Gzipped bytes of what a first visit downloads: main, worker, their chunks and the stylesheet. */
  totalBytes: number
}

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLIENT = join(ROOT, 'web', 'client')
const ZOD_LITE = join(CLIENT, 'zod-lite.ts')

/** `zod` for everything but zod-lite itself resolves to the shim (same builders, no locales). */
export const zodLite: Plugin = {
  name: 'zod-lite',
  setup(build) {
    build.onResolve({ filter: /^zod$/ }, (args) =>
      args.importer === ZOD_LITE ? undefined : { path: join(CLIENT, 'zod-shim.ts') },
    )
  },
}

const hashOf = (body: Uint8Array | string): string => createHash('sha256').update(body).digest('hex').slice(0, 12)

/** The module name as a value: a bundler of the server (CDK's esbuild for Lambda) must not pull esbuild in. */
const ESBUILD = 'esbuild'

/** Build the bundle now (the tests call this directly). */
export const buildClientAssets = async (): Promise<ClientAssets> => {
  // esbuild is a build tool, not a runtime dependency: loaded only when the bundle is built
  const esbuild = (await import(ESBUILD)) as typeof import('esbuild')
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: join(CLIENT, 'main.ts'), worker: join(CLIENT, 'worker.ts') },
    outdir: join(ROOT, 'web', '.client-build'),
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    minify: true,
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [zodLite],
  })
  const { gzipSync } = await import('node:zlib')
  const files = new Map<string, StaticFile>()
  const urls: Record<string, string> = {}
  let totalBytes = 0
  for (const file of result.outputFiles) {
    const name = basename(file.path)
    files.set(name, { body: file.contents, contentType: 'text/javascript; charset=utf-8' })
    totalBytes += gzipSync(file.contents).length
    const entry = result.metafile.outputs[file.path.slice(ROOT.length).replace(/^\//, '')]?.entryPoint
    if (entry?.endsWith('main.ts')) urls.main = `/static/${name}`
    if (entry?.endsWith('worker.ts')) urls.worker = `/static/${name}`
  }
  const css = new TextEncoder().encode(STYLESHEET)
  const cssName = `app-${hashOf(css)}.css`
  files.set(cssName, { body: css, contentType: 'text/css; charset=utf-8' })
  totalBytes += gzipSync(css).length
  if (!urls.main || !urls.worker) throw new Error('the client build did not produce main and worker')
  return { mainUrl: urls.main, workerUrl: urls.worker, cssUrl: `/static/${cssName}`, files, totalBytes }
}

/** A file's bytes compressed once per process, by encoding. */
const compressed = new WeakMap<StaticFile, Map<string, Uint8Array>>()

/**
 * The body to send for `acceptEncoding`: brotli, else gzip, else the file as it is. Each encoding is computed
 * on first use and kept (the files are immutable and content-hashed).
 */
export const encodedBody = async (file: StaticFile, acceptEncoding: string | undefined): Promise<{ body: Uint8Array; encoding?: 'br' | 'gzip' }> => {
  const accepted = new Set((acceptEncoding ?? '').split(',').map((e) => e.split(';')[0].trim().toLowerCase()))
  const encoding = accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined
  if (!encoding) return { body: file.body }
  const zlib = await import('node:zlib')
  const byEncoding = compressed.get(file) ?? new Map<string, Uint8Array>()
  compressed.set(file, byEncoding)
  let body = byEncoding.get(encoding)
  if (!body) {
    body =
      encoding === 'br'
        ? zlib.brotliCompressSync(file.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 10 } })
        : zlib.gzipSync(file.body, { level: 9 })
    byEncoding.set(encoding, body)
  }
  return { body, encoding }
}

/** What web/build-client.ts writes beside the files. */
interface Manifest {
  mainUrl: string
  workerUrl: string
  cssUrl: string
  totalBytes: number
  files: { name: string; contentType: string }[]
}

/** Write the bundle to `dir` with a manifest, for servers that have no esbuild (a Lambda bundle). */
export const writeClientAssets = async (dir: string): Promise<ClientAssets> => {
  const { mkdir, writeFile } = await import('node:fs/promises')
  const assets = await buildClientAssets()
  await mkdir(dir, { recursive: true })
  const files = [...assets.files].map(([name, f]) => ({ name, contentType: f.contentType }))
  for (const [name, f] of assets.files) await writeFile(join(dir, name), f.body)
  const { mainUrl, workerUrl, cssUrl, totalBytes } = assets
  const manifest: Manifest = { mainUrl, workerUrl, cssUrl, totalBytes, files }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2))
  return assets
}

/** The bundle as web/build-client.ts wrote it. */
export const readClientAssets = async (dir: string): Promise<ClientAssets> => {
  const { readFile } = await import('node:fs/promises')
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest
  const files = new Map<string, StaticFile>()
  for (const f of manifest.files) {
    const body = new Uint8Array(await readFile(join(dir, basename(f.name))))
    files.set(f.name, { body, contentType: f.contentType })
  }
  return { mainUrl: manifest.mainUrl, workerUrl: manifest.workerUrl, cssUrl: manifest.cssUrl, totalBytes: manifest.totalBytes, files }
}

let building: Promise<ClientAssets> | undefined

/**
 * The bundle, once per process: read from HOMECOMING_CLIENT_DIR when set (pre-built), else built with esbuild;
 * a failure is retried on the next request.
 */
export const clientAssets = (): Promise<ClientAssets> => {
  const dir = process.env.HOMECOMING_CLIENT_DIR
  building ??= (dir ? readClientAssets(dir) : buildClientAssets()).catch((error: unknown) => {
    building = undefined
    throw error
  })
  return building
}
