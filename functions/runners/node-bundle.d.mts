export declare const NODE_BUNDLE_OPTIONS: {
  bundle: true
  platform: 'node'
  format: 'esm'
  target: 'node20'
  packages: 'external'
  write: false
  logLevel: 'silent'
}
export declare const BUNDLE_FORMAT: number
export declare const restoreTopLevelConst: (code: string) => string
