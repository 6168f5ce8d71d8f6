export declare const NODE_BUNDLE_OPTIONS: {
  bundle: true
  platform: 'node'
  format: 'esm'
  target: 'node20'
  banner: { js: string }
  write: false
  logLevel: 'silent'
}
export declare const BUNDLE_FORMAT: number
export declare const restoreTopLevelConst: (code: string) => string
export interface BundleManifest {
  format: number
  /** The bundle's file name in the cache folder. */
  bundle: string
  /** Each source file the bundle was built from, with its modification time then. */
  inputs: Record<string, number>
}
export declare const sourceTimes: (root: string, metafile: { inputs: Record<string, unknown> }) => Record<string, number>
export declare const BUNDLE_CACHE: string
export declare const heldBundle: (manifestFile: string) => string | undefined
export declare const manifestHolds: (cache: string, manifest: BundleManifest) => boolean
export declare const writeWhole: (file: string, content: string) => void
export declare const pruneBundles: (options: { prefix: string; current: string; keep?: number; youngerThanMs: number }) => void
