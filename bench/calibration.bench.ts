/**
 * `npm run bench:calibration`: seconds to calibrate the UK preset against five of its published figures from
 * 20,000 prior draws (SIR, one core), with the posterior fit and the predictive check; the best of three runs.
 */
import { availableParallelism } from 'node:os'
import { calibrate } from '../models/analysis/calibration'
import type { CalibrationTarget } from '../models/analysis/calibration-targets'
import { runShard } from '../models/engine/run'
import { parseScenario } from '../models/engine/scenario'
import { getPresetRaw } from '../scenarios/index'

/** Five figures of docs/sources.md the UK preset is built from (its description maps them to the model). */
const UK_TARGETS: CalibrationTarget[] = [
  { id: 'forced-unit-cost', metric: 'costPerForcedReturn', value: 11000, low: 9000, high: 13000, source: '[F1] NAO 2005: GBP 11,000 per enforced removal' },
  { id: 'avr-unit-cost', metric: 'costPerAssistedReturn', value: 1100, low: 900, high: 1300, source: '[A1] NAO 2005: GBP 1,100 per AVR departure' },
  { id: 'avr-per-year', metric: 'returnsAssisted', perYear: true, value: 2800, low: 2200, high: 3400, source: '[U14] 2,800 AVR in 2004-05' },
  { id: 'removals-per-year', metric: 'returnsForced', perYear: true, value: 13500, low: 10500, high: 16500, source: '[U14] enforced 77% of recorded returns: about 13,500 a year' },
  { id: 'support-spend', metric: 'cost.stay', perYear: true, value: 308e6, low: 250e6, high: 370e6, source: '[C11] GBP 308 m support for failed asylum seekers awaiting removal, 2003-04' },
]

const parsed = parseScenario(getPresetRaw('uk-nao-2003'))
if (!parsed.ok) throw new Error('the UK preset does not parse')
const iterations = Number(process.argv[2] ?? 20_000)

const times: number[] = []
let last: ReturnType<typeof calibrate> | undefined
for (let run = 0; run < 3; run++) {
  const start = process.hrtime.bigint()
  last = calibrate(parsed.scenario, { seed: 1, iterations, targets: UK_TARGETS })
  times.push(Number(process.hrtime.bigint() - start) / 1e9)
}
// the model runs alone, for scale: the prior draws and the two predictive checks
const runsStart = process.hrtime.bigint()
runShard(parsed.scenario, { seed: 1, from: 0, to: iterations + 2 * last!.predictiveCheck.iterations })
const runs = Number(process.hrtime.bigint() - runsStart) / 1e9
const d = last!.diagnostics
console.log(
  `calibrate uk-nao-2003: ${iterations.toLocaleString('en-GB')} prior draws, ${UK_TARGETS.length} targets, ` +
    `${d.posteriorDraws.toLocaleString('en-GB')} posterior draws, predictive check ${last!.predictiveCheck.iterations.toLocaleString('en-GB')} x 2 ` +
    `(node ${process.version}, ${availableParallelism()} cores, one used)`,
)
console.log(`seconds: ${Math.min(...times).toFixed(2)} (best of 3; ${times.map((t) => t.toFixed(2)).join(', ')})`)
console.log(`of which model runs: about ${runs.toFixed(2)} s (runShard of as many iterations as the prior and the checks)`)
console.log(
  `ESS ${d.ess.toFixed(0)} (${(100 * d.essShare).toFixed(1)}%), ${last!.inputs.filter((i) => i.informed === 'marginal').length} marginals refitted, ` +
    `correlation of ${last!.correlation?.paths.length ?? 0} inputs, predictive check ${last!.predictiveCheck.allInside ? 'inside' : 'NOT inside'}`,
)
