// Worker entry for bench/count-draws.ts: Node 20 workers do not inherit the parent's --import loaders.
import { register } from 'tsx/esm/api'

register()
await import('./count-draws.ts')
