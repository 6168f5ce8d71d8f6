// Worker-thread entry: Node 20 workers do not inherit the parent's --import loaders, so register tsx here.
import { register } from 'tsx/esm/api'

register()
await import('./shard-thread.ts')
