#!/usr/bin/env node
// The `homecoming` command: the CLI's bundle (cli/bundle.mjs), or its TypeScript sources run through tsx where
// esbuild is not installed or the bundle cannot be built.
import { bundledCli } from './bundle.mjs'

// output piped into a command that stops reading (head, less): stop quietly, as other commands do
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e
  process.exit(0)
})

const bundle = await bundledCli().catch((e) => {
  // esbuild is there but the build failed: the same command from the sources, but said, or a broken build would only
  // ever show as a slower start
  const first = e?.errors?.[0] // esbuild's: the message's first line only counts them
  const why = first ? `${first.location?.file ?? ''}:${first.location?.line ?? ''}: ${first.text}` : String(e?.message ?? e).split('\n')[0]
  process.stderr.write(`homecoming: the CLI bundle could not be built (${why}); running from the sources\n`)
  return undefined
})
if (bundle) {
  await import(bundle)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./main.ts')
}
