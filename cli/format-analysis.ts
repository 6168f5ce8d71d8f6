/** Plain-text tables of the decision analyses (tornado, rank correlations, EVPPI, threshold) for a terminal. */
import type { SensitivityReport } from '../models/analysis/analysis-report'
import type { AttributionResult } from '../models/analysis/attribution'
import type { ThresholdResult } from '../models/analysis/threshold'
import { outcomeName } from '../models/analysis/metric-labels'
import { alignTable, formatMoney, formatNumber } from './format'

/** A number with a sensible number of digits: inputs may be shares (0.004) or money (2,400). */
const value = (x: number | null): string =>
  x === null ? 'n/a' : Math.abs(x) >= 100 || x === 0 ? formatNumber(x) : String(Number(x.toPrecision(3)))

const percent = (share: number): string => `${(share * 100).toFixed(1)}%`

/** Aligned columns, indented: the first `leftColumns` to the left, numbers to the right. */
const table = (rows: string[][], leftColumns = 1): string[] => alignTable(rows, leftColumns, '  ')

/** A lever's value: money with its currency, scale as a plain factor. */
const leverValue = (lever: string, x: number | null, currency: string): string =>
  lever === 'scale' ? value(x) : formatMoney(x, currency)

const count = (n: number): string => n.toLocaleString('en-GB')

const tornadoLines = (r: SensitivityReport): string[] => {
  const t = r.tornado
  const against = r.comparatorId ? ` against ${r.comparatorId}` : ''
  const money = (x: number | null) => formatMoney(x, r.currency)
  const wtp = r.wtp !== null ? ` at a willingness to pay of ${money(r.wtp)} per sustainable reintegration` : ''
  const metamodel = t.method === 'metamodel'
  const others = t.mode === 'median' ? 'other inputs at their medians' : 'other inputs drawn as in the PSA'
  const per = metamodel
    ? `read off a PSA of ${count(t.iterations)} iterations (each end a line fitted to the tenth of it nearest)`
    : `${count(t.iterations)} paired iteration${t.iterations === 1 ? '' : 's'} per end`
  const [low, high] = t.bars.length ? [t.bars[0].low.level, t.bars[0].high.level] : [0.05, 0.95]
  return [
    `${r.scenarioId}: tornado of ${outcomeName(r.outcome)}${against}${wtp} (${r.currency}), ${others}, ${per}, ` +
      `${t.cohort} cohort, seed ${r.seed}`,
    `  base (${t.mode === 'median' ? 'every input at its median' : 'PSA mean'}): ${money(t.base)}`,
    ...(metamodel
      ? [
          '  MC s.e.: the two end fits\' standard errors (curvature within a tenth is not in it); a correlated input',
          '  carries the inputs it moves with, where a re-run tornado fixes it alone (--tornado-method rerun).',
        ]
      : []),
    '',
    ...table([
      [
        'input',
        `low (p${Math.round(low * 100)})`,
        'outcome',
        `high (p${Math.round(high * 100)})`,
        'outcome',
        'swing',
        'MC s.e.',
      ],
      ...t.bars.map((b) => [
        b.path,
        value(b.low.input),
        money(b.low.outcome),
        value(b.high.input),
        money(b.high.outcome),
        money(b.swing),
        money(b.mcse),
      ]),
    ]),
  ]
}

const evppiLines = (r: SensitivityReport): string[] => {
  const e = r.evppi
  if (!e) return r.evppiNote ? ['', `EVPPI: ${r.evppiNote}`] : []
  const money = (x: number | null) => formatMoney(x, r.currency)
  return [
    '',
    `EVPPI (${r.currency} per run) of the choice between ${r.scenarioId} and ${e.comparatorId} at a willingness to pay of ` +
      `${money(e.wtp)}, ${count(e.iterations)} PSA iterations; EVPI ${money(e.evpi)}:`,
    ...table([
      ['input', 'EVPPI', 'share of EVPI', 'noise level', 'R^2'],
      ...e.inputs.map((x) => [
        x.name,
        money(x.evppi),
        e.evpi > 0 ? percent(x.evppi / e.evpi) : 'n/a',
        money(x.noiseLevel),
        x.rSquared.toFixed(3),
      ]),
    ]),
    '  (an EVPPI below its noise level is indistinguishable from 0)',
  ]
}

export const formatSensitivity = (r: SensitivityReport): string =>
  [
    ...tornadoLines(r),
    '',
    `Rank correlation (Spearman) of each input with ${outcomeName(r.outcome)}, ${count(r.psaIterations)} PSA iterations:`,
    ...table([['input', 'rho'], ...r.rankCorrelations.map((c) => [c.path, c.rho === null ? 'n/a' : c.rho.toFixed(3)])]),
    ...evppiLines(r),
  ].join('\n')

export const formatThreshold = (
  r: ThresholdResult & { scenarioId: string; comparatorId: string | null; currency: string },
): string => {
  const costNeutral = r.criterion.kind === 'cost-neutral'
  const criterion =
    r.criterion.kind === 'cost-neutral'
      ? `cost-neutral against ${r.comparatorId}`
      : `cost per sustainable reintegration at ${formatMoney(r.criterion.value, r.currency)}`
  const quantity = costNeutral ? 'mean incremental cost' : 'mean cost per sust. reint.'
  const share = costNeutral ? 'P(cost-neutral or better)' : 'P(at or below target)'
  const money = (x: number | null) => formatMoney(x, r.currency)
  const own = `${r.lever} ${leverValue(r.lever, r.current.value, r.currency)}${r.lever === 'scale' ? '' : ' median, drawn'}`
  return [
    `${r.scenarioId}: threshold of ${r.lever} (${r.path}) for ${criterion}, ${count(r.iterations)} paired ` +
      `iterations, seed ${r.seed}, ${r.currency}`,
    `  ${r.status === 'found' ? 'threshold' : 'no threshold'}: ${r.message}`,
    `  as written (${own}): ${quantity} ${money(r.current.mean)}, ${share} ${percent(r.current.probability)}`,
    ...(r.rangeExpanded ? [`  searched ${leverValue(r.lever, r.range[0], r.currency)} .. ${leverValue(r.lever, r.range[1], r.currency)}: the default range held no threshold`] : []),
    '',
    ...table(
      [
        [`${r.lever} (${r.lever === 'scale' ? 'factor' : r.currency})`, `${quantity} (${r.currency})`, share],
        ...r.grid.map((p) => [leverValue(r.lever, p.value, r.currency), money(p.mean), percent(p.probability)]),
      ],
      0,
    ),
  ].join('\n')
}

/** The attribution of a scenario difference: one line per assumption switched, in the order used. */
export const formatAttribution = (r: AttributionResult): string => {
  const money = (x: number | null) => formatMoney(x, r.currency)
  const against = r.comparatorId ? ` against ${r.comparatorId}` : ''
  return [
    `${r.scenarioId} against ${r.baselineId}: ${outcomeName(r.outcome)}${against} (${r.currency}), ${count(r.iterations)} paired iterations, seed ${r.seed}`,
    `  ${r.baselineId}: ${money(r.baseline)}   ${r.scenarioId}: ${money(r.target)}   difference: ${money(r.total)}`,
    '',
    ...table([['assumption (in the order switched)', `contribution (${r.currency})`], ...r.steps.map((s) => [s.assumption, money(s.contribution)])]),
    '',
    `Order: ${r.orderRule}`,
  ].join('\n')
}
