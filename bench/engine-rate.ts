/**
 * One engine's one-core rate on one preset and cohort mode, in a process of its own (run by engine.bench.ts):
 * `node --import tsx bench/engine-rate.ts <root> <preset> <cohort> <rounds> <seconds>` prints the best of `rounds`
 * runs of about `seconds` each, after a warm-up. A process per engine keeps each one's compiled code to itself: in one
 * process, the first engine and mode measured after the other's ran at half its rate.
 */
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const [root, id, cohort, roundsText, secondsText] = process.argv.slice(2)
const engine = existsSync(`${root}/models/engine`) ? `${root}/models/engine` : `${root}/models`
const run = await import(pathToFileURL(`${engine}/run.ts`).href)
const schema = await import(pathToFileURL(`${engine}/scenario.ts`).href)
const presets = await import(pathToFileURL(`${root}/scenarios/index.ts`).href)
const parsed = schema.parseScenario(presets.getPresetRaw(id))
if (!parsed.ok) throw new Error(`${root}: preset ${id} does not parse`)
const scenario = { ...parsed.scenario, cohort }
const shard = (n: number, seed: string) => run.runShard(scenario, { seed, from: 0, to: n })
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

shard(4096, 'warm')
const target = Number(secondsText)
let n = 1024
for (;;) {
  const start = process.hrtime.bigint()
  shard(n, 'size')
  const took = seconds(start)
  if (took > target / 2) {
    n = Math.max(1024, Math.round((n * target) / took / 1024) * 1024)
    break
  }
  n *= 2
}
let best = 0
for (let r = 0; r < Number(roundsText); r++) {
  const start = process.hrtime.bigint()
  shard(n, `bench-${r}`)
  best = Math.max(best, n / seconds(start))
}
console.log(JSON.stringify({ rate: best }))
