/**
 * `node --import tsx web/build-client.ts <dir>`: the client bundle as files with a manifest, for a server that
 * cannot run esbuild (the Lambda bundle); point HOMECOMING_CLIENT_DIR at the folder.
 */
import { resolve } from 'node:path'
import { writeClientAssets } from './assets'

const dir = resolve(process.argv[2] ?? 'dist/client')
const assets = await writeClientAssets(dir)
console.log(`client bundle written to ${dir}: ${assets.files.size} files, ${assets.totalBytes} bytes gzipped`)
