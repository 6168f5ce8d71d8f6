/**
 * `npm run docs:presets`: writes docs/presets.md, every preset's targets beside the model's 90% interval (the run of
 * `homecoming check`, same seed and iterations) and the verdict against its own removal-only version. Deterministic:
 * fixed seeds and iteration counts, and the same bits for any number of worker threads.
 */
import { writeFileSync } from 'node:fs'
import { reportComparison, removalOnlyVersion, type ComparisonReport } from '../models/analysis/compare'
import { PROGRAMME_COST_LINES, REMOVAL_COST_LINES } from '../models/engine/layout'
import { wtpGridWith } from '../models/engine/paired-shard'
import type { RunReport } from '../models/engine/run'
import { parseScenario, type Dist, type Scenario } from '../models/engine/scenario'
import { runJob } from '../models/engine/shard-task'
import { scheduleEntries } from '../models/engine/schedule'
import { ENGINE_VERSION } from '../models/engine/version'
import { createThreadPool, defaultThreadCount } from '../functions/runners/thread-pool'
import { listPresets, getPresetRaw } from '../scenarios/index'
import { CHECK_ITERATIONS, CHECK_SEED, checkScenario, formatFigure, metricLabel, targetVerdict } from '../cli/check'
import { formatNumber } from '../cli/format'
import { asSpec, centreOf } from '../web/client/dists'

/** Paired iterations of each comparison with the removal-only version. */
export const COMPARE_ITERATIONS = 10_000
export const COMPARE_SEED = 1
const out = new URL('../docs/presets.md', import.meta.url)

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ')
const percent = (p: number) => `${(100 * p).toFixed(1)}%`

/** A Dist at its centre, for the prose: the value the page's sliders move (a PERT's mode, a lognormal's median). */
const central = (d: Dist): number => centreOf(asSpec(d))

const round = (x: number) => formatNumber(Number(x.toPrecision(2)))

const population = (s: Scenario): string =>
  s.groups
    .map((g) => {
      const inflow = g.inflowPerMonth === undefined ? 0 : central(scheduleEntries(g.inflowPerMonth)[0].value)
      const removability = g.removable === false ? 0 : central(g.removability ?? 1)
      return `${g.label}: ≈${round(central(g.stock))} at the start, ≈${round(inflow)} more a month, removability ≈${removability.toFixed(2)}`
    })
    .join('; ')

const programmeSummary = (s: Scenario): string => {
  const p = s.programme
  if (p === null) return 'none: this preset is the removal-only comparator'
  const money = (label: string, d: Dist | undefined) => (d === undefined ? [] : [`${label} ≈${round(central(d))}`])
  const c = p.counselling
  const counselling = c
    ? [`counselling ${c.setting}${c.atFinalDecision ? ' at the final decision' : ''}` + (c.costPerCounselledCase !== undefined ? ` (≈${round(central(c.costPerCounselledCase))} per counselled case)` : '')]
    : []
  return [
    ...money('cash per adult', p.cashPerAdult),
    ...money('per child', p.cashPerChild),
    ...money('in kind per case', p.inKindPerCase),
    ...money('travel per person', p.travelPerPerson),
    ...counselling,
    `reach ≈${central(p.outreach?.reach ?? 1).toFixed(2)}`,
  ].join(', ')
}

/** What moves the total: the programme's own cost against the stay and removal it saves (mean A minus B). */
const why = (r: ComparisonReport, currency: string): string => {
  const diff = (line: string) => (r.metrics[`cost.${line}`].mean ?? 0) - (r.comparatorMetrics[`cost.${line}`].mean ?? 0)
  const sum = (lines: readonly string[]) => lines.reduce((acc, line) => acc + diff(line), 0)
  const programme = sum(PROGRAMME_COST_LINES)
  const counselling = diff('counselling')
  const stay = -diff('stay')
  const removal = -sum(REMOVAL_COST_LINES)
  const m = (x: number) => `${currency} ${formatNumber(Math.round(x / 1e5) / 10, 1)} m`
  const returns = (metric: string) => (r.metrics[metric].mean ?? 0) - (r.comparatorMetrics[metric].mean ?? 0)
  return (
    `Over the horizon, on average, the programme costs ${m(programme)} (counselling ${m(counselling)} of it), ` +
    `and it saves ${m(stay)} of avoidable stay and ${m(removal)} of removal: ` +
    `${formatNumber(returns('returnsAssisted'))} assisted returns, ${formatNumber(returns('returnsForced'))} removals and ` +
    `${formatNumber(returns('returnsUnassisted'))} unassisted departures against removal only, ${formatNumber(returns('returnsTotal'))} more returns in all.`
  )
}

const targetTable = (r: RunReport): string[] => {
  const rows = (r.targets ?? []).map(
    (t) =>
      `| ${t.id} | ${metricLabel(t)} | ${formatFigure(t.value)} | ${formatFigure(t.model.p05)} .. ${formatFigure(t.model.p95)} | ${formatFigure(t.model.p50)} | ${t.percentile === null ? 'n/a' : t.percentile.toFixed(1)} | ${cell(targetVerdict(t))} | ${cell(t.source ?? '')} |`,
  )
  return ['| Target | Metric | Published | Model 90% interval | Model median | Percentile | Verdict | Source |', '|---|---|---|---|---|---|---|---|', ...rows]
}

const section = (s: Scenario, run: RunReport, comparison: ComparisonReport | undefined): string[] => {
  const c = comparison?.comparison
  const checked = (run.targets ?? []).filter((t) => t.checked)
  const inside = checked.filter((t) => t.inside === true).length
  return [
    `## ${s.id}`,
    '',
    `**${cell(s.title)}**`,
    '',
    s.description ?? '',
    '',
    `- Population (central values): ${population(s)}.`,
    `- Programme: ${programmeSummary(s)}; costs in ${s.currency}, ${s.horizonMonths} months.`,
    `- Targets: ${inside} of ${checked.length} checked inside the model's 90% interval; ${(run.targets ?? []).length - checked.length} left out, each with its reason.`,
    '',
    ...targetTable(run),
    '',
    ...(c && comparison
      ? [
          `Against its removal-only version (the same cohort with \`programme: null\`, ${formatNumber(comparison.iterations)} paired iterations, seed ${comparison.seed}): ` +
            `incremental cost ${s.currency} ${formatNumber(c.incrementalCost.mean)} (90% ${formatNumber(c.incrementalCost.p05)} .. ${formatNumber(c.incrementalCost.p95)}), ` +
            `${formatNumber(c.incrementalSustainable.mean)} more sustainable reintegrations; P(cheaper) ${percent(c.probCheaper)}, ` +
            `P(more sustainable reintegrations) ${percent(c.probMoreEffective)}. **Verdict: ${c.verdict.headline}.** ${why(comparison, s.currency)}`,
          '',
        ]
      : ['This preset is the comparator itself (`programme: null`): no verdict against removal only.', '']),
  ]
}

const presets = listPresets().map(({ id }) => {
  const parsed = parseScenario(getPresetRaw(id))
  if (!parsed.ok) throw new Error(`${id} does not parse`)
  return parsed.scenario
})

const pool = createThreadPool(defaultThreadCount())
const threads = pool.size
try {
  const sections: string[] = []
  for (const scenario of presets) {
    const run = await checkScenario(scenario, { seed: CHECK_SEED, iterations: CHECK_ITERATIONS }, pool.execute, threads)
    let comparison: ComparisonReport | undefined
    if (scenario.programme !== null) {
      const comparator = removalOnlyVersion(scenario)
      const job = { kind: 'compare' as const, scenario, comparator, seed: COMPARE_SEED, iterations: COMPARE_ITERATIONS }
      const merged = await runJob(job, pool.execute, threads)
      comparison = reportComparison(scenario, comparator, COMPARE_SEED, merged, wtpGridWith(0), 0)
    }
    sections.push(...section(scenario, run, comparison))
    process.stderr.write(`${scenario.id} done\n`)
  }
  const doc = [
    '# Presets and the published figures they reproduce',
    '',
    `Generated by \`npm run docs:presets\` (scripts/presets-doc.ts) with engine ${ENGINE_VERSION}: each preset run with`,
    `${formatNumber(CHECK_ITERATIONS)} iterations, seed ${CHECK_SEED} (what \`homecoming check\` runs by default), and compared with its`,
    `removal-only version over ${formatNumber(COMPARE_ITERATIONS)} paired iterations, seed ${COMPARE_SEED}. Do not edit by hand: change a preset and run the command.`,
    '',
    'A **target** is a published figure a preset should reproduce: the model\'s metric (per year where it says so) is run',
    'and the published value is checked against the model\'s 90% interval (p05 .. p95); the percentile is the share of',
    'iterations at or below the published value. A figure of another scope than the model (all removals of a country',
    'against one group, a ratio the model has no metric for) is left out of the check with the reason beside it.',
    'Sources cite [docs/sources.md](sources.md) by id. The intervals are wide because most inputs are wide priors: a',
    'target inside its interval shows that the preset agrees with the figure, not that the figure pins the preset down;',
    'calibrating a preset to its targets would narrow them.',
    '',
    'The **verdict** compares the preset with the same cohort without its programme (common random numbers). Words',
    'such as "dominates" or "saves money" are used only where their probability is at least 95%. The sentence after it',
    'says where the difference comes from: the programme\'s own cost (counselling of every counselled case included)',
    'against the avoidable part of the stay and the removals it saves. In the removal-only version nobody takes the',
    'package, so every assisted return beyond deadweight counts as the programme\'s own effect: the verdict rests on the',
    'assumed uptake (`baseMonthlyUptake` and the effects), calibrated where a published volume exists.',
    '',
    ...sections,
  ]
  writeFileSync(out, doc.join('\n').trimEnd() + '\n')
} finally {
  await pool.close()
}
