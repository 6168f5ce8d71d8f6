/**
 * How Homecoming bundles its TypeScript for Node (the worker threads, the CLI): one ESM file, the packages left in
 * node_modules (a bundle under node_modules/.cache resolves them from there). Plain JavaScript, so the CLI's
 * launcher can use it before any TypeScript loader runs.
 */
export const NODE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  write: false,
  logLevel: 'silent',
}
