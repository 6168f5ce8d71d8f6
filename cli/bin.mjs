#!/usr/bin/env node
// The `homecoming` command: the CLI's bundle (cli/bundle.mjs), or its TypeScript sources run through tsx where
// esbuild is not installed or the bundle cannot be built.
import { bundledCli } from './bundle.mjs'

// output piped into a command that stops reading (head, less): stop quietly, as other commands do
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e
  process.exit(0)
})

const bundle = await bundledCli().catch(() => undefined)
if (bundle) {
  await import(bundle)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./main.ts')
}
