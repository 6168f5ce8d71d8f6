/**
 * How Homecoming bundles its TypeScript for Node (the worker threads, the CLI): one ESM file with the packages it
 * uses, kept under node_modules/.cache with a manifest of the files it was built from (the packages' among them), so
 * an unchanged tree is not built again. Plain JavaScript, so the CLI's launcher can use it before any TypeScript
 * loader runs.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where the bundles and their manifests are kept. */
export const BUNDLE_CACHE = join(fileURLToPath(new URL('../..', import.meta.url)), 'node_modules', '.cache', 'homecoming')

export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // the packages too: resolving and loading each of their files (zod's hundreds, commander's) took ~0.14 s of every
  // command's start; bundled, their code is read in one file and compiled as it is first called
  // the CommonJS packages among them require Node's own modules, through a require made here (from import.meta's
  // filename: the CLI's bundle rewrites every import.meta.url of its sources as it bundles them, this string's too)
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module'; const require = __bundleCreateRequire(import.meta.filename);" },
  write: false,
  logLevel: 'silent',
}

/** What a bundle is made of besides its sources: a cached bundle of another format is built again. */
export const BUNDLE_FORMAT = 3

/** The source files a build read (its metafile's inputs, relative to `root`), each with its modification time. */
export const sourceTimes = (root, metafile) =>
  Object.fromEntries(
    Object.keys(metafile.inputs).map((input) => {
      const file = join(root, input)
      return [file, statSync(file).mtimeMs]
    }),
  )

/** Whether a manifest `{ format, bundle, inputs }` holds: this format, its bundle in `cache`, each source unchanged. */
export const manifestHolds = (cache, manifest) =>
  manifest.format === BUNDLE_FORMAT &&
  existsSync(join(cache, manifest.bundle)) &&
  Object.entries(manifest.inputs).every(([file, mtime]) => existsSync(file) && statSync(file).mtimeMs === mtime)

/** The file of the bundle the manifest at `manifestFile` names, if that manifest still holds; else undefined. */
export const heldBundle = (manifestFile) => {
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'))
    return manifestHolds(BUNDLE_CACHE, manifest) ? join(BUNDLE_CACHE, manifest.bundle) : undefined
  } catch {
    return undefined // no manifest yet, or a damaged one: build
  }
}

/**
 * Remove the bundles in the cache named `<prefix>-*.mjs` that a build replaced, with what was kept beside each
 * (`<bundle>.*`: its threads' tables): all but `current`, the `keep` most recently modified others, and any modified
 * in the last `youngerThanMs` (a racing build's, about to be loaded, or one a running process still starts threads
 * from: the thread pool touches its bundle at every thread it starts).
 */
export const pruneBundles = ({ prefix, current, keep = 0, youngerThanMs }) => {
  const now = Date.now()
  const files = readdirSync(BUNDLE_CACHE)
  const others = files
    .filter((file) => file.startsWith(`${prefix}-`) && file.endsWith('.mjs') && file !== current)
    .map((file) => {
      try {
        return { file, mtime: statSync(join(BUNDLE_CACHE, file)).mtimeMs }
      } catch {
        return undefined // another process removed it meanwhile
      }
    })
    .filter((entry) => entry !== undefined)
    .sort((a, b) => b.mtime - a.mtime)
  const gone = others.slice(keep).filter(({ mtime }) => now - mtime > youngerThanMs).map(({ file }) => file)
  for (const file of files)
    if (gone.some((bundle) => file === bundle || file.startsWith(`${bundle}.`))) rmSync(join(BUNDLE_CACHE, file), { force: true })
}

/** Written under a temporary name and renamed in one step: a racing process never reads half a file. */
export const writeWhole = (file, content) => {
  const partial = `${file}.${process.pid}.tmp`
  writeFileSync(partial, content)
  renameSync(partial, file)
}

const NAME = /[A-Za-z_$][\w$]*/g

/**
 * The bundle with its top-level `var NAME = ...` declarations made `const` again where nothing assigns NAME.
 * esbuild writes every top-level const of a bundle as var (and has no option against it); V8 folds a module's
 * const into the code that reads it, but loads a var from the module's context at every use: the engine's
 * offsets and tables (cohort.ts, binomial.ts) are such constants, and the bundled engine ran the expected cohort
 * at ~0.6x of the same code unbundled. The sources declare them const, so const restores their own semantics.
 * One pass over the code counts what might assign each name: `NAME =` (or `+=` and the like; the declaration is
 * one), `++`/`--`, `for (NAME of|in`, and every name in a flat bracketed list before `] =` or `} =` (a
 * destructuring; not `x[i] =`, nor a nested pattern, which no source here assigns a top-level name through). A name
 * with more than its declaration stays var: a false alarm (a local or a parameter of the same name) only costs
 * speed. esbuild writes one declarator per top-level statement, so each `var NAME = ` begins a statement of its own.
 */
export const restoreTopLevelConst = (code) => {
  const assigned = new Map()
  const count = (name) => assigned.set(name, (assigned.get(name) ?? 0) + 1)
  for (const m of code.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\*\*|<<|>>>?|&&|\|\||\?\?|[-+*/%&|^])?=(?![=>])/g)) count(m[1])
  for (const m of code.matchAll(/(?:\+\+|--)\s*([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$]*)\s*(?:\+\+|--)/g)) count(m[1] ?? m[2])
  for (const m of code.matchAll(/for\s*\(\s*([A-Za-z_$][\w$]*)\s+(?:of|in)\b/g)) count(m[1])
  for (const m of code.matchAll(/(?<![\w$)\]])[[{]([\w$\s,:.=]*)[\]}]\s*=(?![=>])/g)) for (const name of m[1].match(NAME) ?? []) count(name)
  // only in the sources' own code: a package's top-level var may have been a var (read before it is set), and
  // esbuild heads each file's code with a comment naming it
  let ownCode = true
  return code.replace(/^(?:\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:[cm]?[jt]sx?|json))$|var ([A-Za-z_$][\w$]*) = )/gm, (whole, file, name) => {
    if (file !== undefined) ownCode = !file.includes('node_modules/')
    return name !== undefined && ownCode && assigned.get(name) === 1 ? `const ${name} = ` : whole
  })
}
