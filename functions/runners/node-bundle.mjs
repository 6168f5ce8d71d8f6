/**
 * How Homecoming bundles its TypeScript for Node (the worker threads, the CLI): one ESM file, the packages left in
 * node_modules (a bundle under node_modules/.cache resolves them from there), kept there with a manifest of the
 * sources it was built from so an unchanged tree is not built again. Plain JavaScript, so the CLI's launcher can use
 * it before any TypeScript loader runs.
 */
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'silent',
}

/** What a bundle is made of besides its sources: a cached bundle of another format is built again. */
export const BUNDLE_FORMAT = 2

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
  return code.replace(/^var ([A-Za-z_$][\w$]*) = /gm, (whole, name) => (assigned.get(name) === 1 ? `const ${name} = ` : whole))
}
