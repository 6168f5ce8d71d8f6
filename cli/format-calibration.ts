/** A calibration for the terminal: ESS, each target's intervals before and after, each input's prior and posterior. */
import type { CalibrationResult, DrawSummary } from '../models/analysis/calibration'
import { formatNumber, intervalText } from './format'

/** Four significant figures, thousands grouped: inputs may be shares (0.0042) or money (240,900). */
const figure = (x: number | null): string =>
  x === null ? 'n/a' : Math.abs(x) >= 1000 ? formatNumber(x) : String(Number(x.toPrecision(4)))

const interval = (s: Pick<DrawSummary, 'p05' | 'p95'>): string => intervalText(s, figure)

const columns = (rows: string[][], left = 1): string[] => {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)))
  return rows.map((r) => `  ${r.map((cell, c) => (c < left ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()}`)
}

const inside = (x: boolean | null): string => (x === null ? 'n/a' : x ? 'yes' : 'NO')

export const formatCalibration = (
  r: CalibrationResult,
  written: { scenario: string },
): string => {
  const d = r.diagnostics
  const method = d.method === 'sir' ? 'sampling-importance-resampling' : 'incremental mixture importance sampling'
  const moved = r.inputs.filter((i) => i.informed !== 'none')
  return [
    `${r.scenarioId}: calibrated by ${method} over ${d.priorDraws.toLocaleString('en-GB')} prior draws` +
      (d.weightedDraws > d.priorDraws ? ` and ${(d.weightedDraws - d.priorDraws).toLocaleString('en-GB')} IMIS draws` : '') +
      `, seed ${r.seed}, ${r.targets.length} target${r.targets.length === 1 ? '' : 's'} (engine ${r.engineVersion})`,
    `  effective sample size ${d.ess.toFixed(1)} of ${d.weightedDraws.toLocaleString('en-GB')} (${(100 * d.essShare).toFixed(2)}%)` +
      `${d.collapsed ? ': COLLAPSED (see the warning)' : ''}; ${d.posteriorDraws.toLocaleString('en-GB')} posterior draws resampled` +
      (d.undefinedDraws ? `; ${d.undefinedDraws} draws with an undefined target metric (likelihood 0)` : ''),
    ...(r.excludedTargets.length ? [`  targets left out (excludedBecause): ${r.excludedTargets.join(', ')}`] : []),
    '',
    `Targets: the metric's 90% interval (per year or month where marked) before and after, and in a fresh run of the calibrated scenario (${r.predictiveCheck.iterations.toLocaleString('en-GB')} iterations):`,
    ...columns([
      ['target', 'metric', 'value', 'sd', 'prior', 'posterior', 'calibrated run', 'inside', 'without correlation', 'inside'],
      ...r.targets.map((t) => [
        t.id,
        `${t.metric}${t.per === 'horizon' ? '' : ` per ${t.per}`}`,
        figure(t.value),
        figure(t.sd),
        interval(t.prior),
        interval(t.posterior),
        interval(t.check),
        inside(t.check.inside),
        interval(t.checkIndependent),
        inside(t.checkIndependent.inside),
      ]),
    ], 2),
    '',
    `Inputs the targets inform (${moved.length} of ${r.inputs.length}; marginal: refitted, dependence: correlated only; the rest keep their prior):`,
    ...(moved.length
      ? columns([
          ['input', 'informed', 'prior mean', 'prior 90%', 'posterior mean', 'posterior 90%', 'KS shift', 'calibrated Dist'],
          ...moved.map((i) => [
            i.path,
            i.informed,
            figure(i.prior.draws.mean),
            interval(i.prior.draws),
            figure(i.posterior.mean),
            interval(i.posterior),
            `${i.shift.distance.toFixed(3)} / ${i.shift.threshold.toFixed(3)}`,
            i.calibrated ? JSON.stringify(i.calibrated.dist) : '(prior kept)',
          ]),
        ], 2)
      : ['  none: no input moved beyond resampling noise']),
    '',
    `Predictive check: ${r.predictiveCheck.allInside ? 'every target inside' : 'NOT every target inside'} the calibrated scenario's 90% interval` +
      (r.correlation ? ` (without the correlation: ${r.predictiveCheck.allInsideIndependent ? 'every target inside' : 'NOT every target inside'})` : ''),
    `Wrote ${written.scenario} (${r.scenario.id})` +
      (r.correlation
        ? `, with the rank correlation of ${r.correlation.paths.length} inputs in its correlation${d.correlationRepair ? ' (repaired to be positive semi-definite)' : ''}`
        : ''),
  ].join('\n')
}
