/** The server-rendered pages (Hono JSX escapes every text): the shell, the scenario page, the comparison, the analyses and 404. */
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { ENGINE_VERSION } from '../models/engine/version'
import type { ClientAssets } from './assets'
import { OUTCOME_LABELS, THRESHOLD_LEVER_LABELS } from './client/labels'
import { removalOnlyLabel, removalOnlyOf, removalOnlyRef } from './client/verdicts'
import {
  analysisHref,
  ITERATION_CHOICES,
  scenarioHref,
  type AnalysisPageData,
  type ComparePageData,
  type EditorPageData,
  type PageData,
  type PresetOption,
  type SharePageData,
} from './client/page-data'
import type { ShareSnapshot } from '../models/analysis/share-snapshot'
import { formatCount, formatMoney, formatPercent } from './client/format'
import { HEADLINE } from './client/labels'
import { describeDist } from './client/dists'
import type { DistSpec } from '../models/engine/distributions'

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators escaped, so no
 * scenario text can close the block or start markup. The only raw HTML of the app.
 */
export const jsonForScript = (data: unknown): string =>
  JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')

interface ShellProps {
  title: string
  assets?: ClientAssets
  data?: PageData
  current: 'scenario' | 'compare' | 'analysis' | 'none'
  children: Child
}

export const Shell = ({ title, assets, data, current, children }: ShellProps) => (
  <>
    {raw('<!doctype html>')}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Homecoming`}</title>
        {assets && <link rel="stylesheet" href={assets.cssUrl} />}
        {assets && data && <script type="module" src={assets.mainUrl}></script>}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="site-header">
          <a class="brand" href="/">
            Homecoming
          </a>
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/" aria-current={current === 'scenario' ? 'page' : undefined}>
                  Scenario
                </a>
              </li>
              <li>
                <a href="/compare" aria-current={current === 'compare' ? 'page' : undefined}>
                  Compare
                </a>
              </li>
              <li>
                <a href="/analysis" aria-current={current === 'analysis' ? 'page' : undefined}>
                  Sensitivity
                </a>
              </li>
              <li>
                <a href="/openapi.json">API</a>
              </li>
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {!assets && data && (
            <p class="notice" role="alert">
              The interactive part of this page could not be built on this server; the API at /openapi.json
              gives every number.
            </p>
          )}
          {children}
        </main>
        <footer class="site-footer">
          <p>
            Homecoming simulates return and reintegration policy: a seeded Monte Carlo cohort model, every
            assumption a distribution with its source. Engine {ENGINE_VERSION}.
          </p>
        </footer>
        {data && <script type="application/json" id="page-data">{raw(jsonForScript(data))}</script>}
      </body>
    </html>
  </>
)

const PresetPicker = ({ presets, selected }: { presets: PresetOption[]; selected?: string }) => (
  <form class="picker" method="get" action="/" aria-label="Choose a preset">
    <label for="preset-select">Preset scenario</label>
    <select id="preset-select" name="preset">
      {presets.map((p) => (
        <option value={p.id} selected={p.id === selected}>
          {p.title}
        </option>
      ))}
    </select>
    <button type="submit">Open</button>
  </form>
)

const NoScript = () => (
  <noscript>
    <p class="notice">
      The results on this page are computed by its script. Without JavaScript, the API at /openapi.json gives the
      same numbers.
    </p>
  </noscript>
)

const text = (x: unknown): string => (typeof x === 'string' ? x : '')
const titleOf = (scenario: unknown): string => text((scenario as Record<string, unknown> | null)?.title)

export const EditorPage = ({ data, assets }: { data: EditorPageData; assets?: ClientAssets }) => {
  const s = (data.scenario ?? {}) as Record<string, unknown>
  const title = text(s.title) || data.base.id
  const sources = Array.isArray(s.sources) ? s.sources.filter((x): x is string => typeof x === 'string') : []
  return (
    <Shell title={title} assets={assets} data={data} current="scenario">
      <div class="page-head">
        <PresetPicker presets={data.presets} selected={data.base.kind === 'preset' ? data.base.id : undefined} />
        <p id="last-scenario" class="last-scenario" hidden></p>
      </div>
      <h1 id="scenario-title">{title}</h1>
      <p class="scenario-meta">
        <span id="scenario-origin">
          {data.base.kind === 'preset' ? `Preset “${data.base.id}”` : `Saved scenario ${data.base.id} (it never changes)`}
        </span>
        <span id="edit-state"></span>
      </p>
      <p class="open-links">
        <a href={analysisHref(data.base)}>Sensitivity and break-even</a>
        {' (of this scenario as saved, without unsaved edits)'}
      </p>
      <details class="about">
        <summary>About this scenario and its sources</summary>
        <p id="scenario-description">{text(s.description)}</p>
        {sources.length > 0 && (
          <ul class="sources">
            {sources.map((source) => (
              <li>{source}</li>
            ))}
          </ul>
        )}
      </details>
      <NoScript />
      <div class="workspace">
        <section id="results" class="results" aria-labelledby="results-heading">
          <h2 id="results-heading">Results</h2>
          <div class="run-line">
            <p id="run-status" class="run-status" role="status">
              Calculating…
            </p>
            <progress id="run-progress" aria-label="Progress of the calculation"></progress>
          </div>
          <p id="stale-note" class="stale-note" role="alert" hidden></p>
          <div id="headline" class="headline" aria-describedby="run-status"></div>
          <h3 id="versus-heading">Against removal only</h3>
          <p class="section-note">
            The same people without the assisted-return programme (its removal-only version), with the same random
            numbers in each iteration.
          </p>
          <div id="versus" class="versus"></div>
          <section id="unit-costs" class="evidence" aria-labelledby="unit-costs-heading" hidden></section>
          <section id="targets" class="evidence" aria-labelledby="targets-heading" hidden></section>
          <section id="calibration" class="evidence" aria-label="Calibration" hidden></section>
          <section id="waiting" class="evidence" aria-label="Waiting list" hidden></section>
          <section id="budget" class="evidence" aria-labelledby="budget-heading">
            <h3 id="budget-heading">Budget by year</h3>
            <div class="settings-row">
              <div class="control">
                <label for="budget-start">First calendar year</label>
                <input id="budget-start" type="text" inputmode="numeric" size={6} autocomplete="off" value={String(new Date().getUTCFullYear())} />
              </div>
              <div class="control">
                <label for="budget-view">Show</label>
                <select id="budget-view">
                  <option value="scenario">The scenario’s budget</option>
                  <option value="incremental">Incremental against its removal-only version</option>
                </select>
              </div>
            </div>
            <p id="budget-start-message" class="field-message" hidden></p>
            <div id="budget-tables">
              <p class="chart-wait">Waiting for the full run…</p>
            </div>
          </section>
          {/* a phone's reminder of the headline while the levers are in view; the cards above say it for screen readers */}
          <div id="pulse" class="pulse" aria-hidden="true" hidden></div>
        </section>
        <section id="editor" class="editor" aria-labelledby="editor-heading">
          <h2 id="editor-heading">Assumptions</h2>
          <div id="levers" class="levers"></div>
          <div id="run-settings" class="run-settings"></div>
          <div id="assumptions" class="assumptions"></div>
        </section>
        <section id="charts" class="charts" aria-labelledby="charts-heading">
          <h2 id="charts-heading">Charts</h2>
          <div id="chart-list" class="chart-list"></div>
        </section>
        <section id="share" class="share" aria-labelledby="share-heading">
          <h2 id="share-heading">Share and download</h2>
          <div id="share-panel" class="share-panel"></div>
        </section>
      </div>
    </Shell>
  )
}

export const ComparePage = ({
  data,
  assets,
  seed,
  iterations,
}: {
  data: ComparePageData
  assets?: ClientAssets
  seed: string
  iterations: number
}) => {
  const chosen = data.scenarios.map((s) => s.id)
  const slots = [0, 1, 2, 3]
  const saved = data.scenarios.filter((s) => s.kind === 'saved')
  // every chosen scenario offers its own removal-only version as a comparator
  const owners = data.scenarios.filter((s) => removalOnlyOf(s.id) === undefined)
  return (
    <Shell title="Compare scenarios" assets={assets} data={data.scenarios.length >= 2 ? data : undefined} current="compare">
      <h1>Compare scenarios</h1>
      <p class="lead">
        Two to four scenarios side by side, each against its own removal-only version, and against the first one
        where they share currency and horizon. Assumptions that differ are marked.
      </p>
      <form class="compare-form" method="get" action="/compare" aria-label="Choose scenarios to compare">
        <div class="compare-pickers">
          {slots.map((i) => (
            <div class="field">
              <label for={`compare-${i}`}>{`Scenario ${i + 1}${i >= 2 ? ' (optional)' : ''}`}</label>
              <select id={`compare-${i}`} name="s">
                {i >= 2 && <option value="">None</option>}
                {saved.map((s) => (
                  <option value={s.id} selected={chosen[i] === s.id}>
                    {`Saved: ${titleOf(s.scenario) || s.id}`}
                  </option>
                ))}
                {owners.map((s) => (
                  <option value={removalOnlyRef(s.id)} selected={chosen[i] === removalOnlyRef(s.id)}>
                    {removalOnlyLabel(titleOf(s.scenario) || s.id).replace(', the default', '')}
                  </option>
                ))}
                {data.presets.map((p) => (
                  <option value={p.id} selected={(chosen[i] ?? defaultPair(data)[i]) === p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div class="field">
            <label for="compare-seed">Seed</label>
            <input id="compare-seed" type="text" name="seed" value={seed} size={10} maxlength={200} autocomplete="off" />
          </div>
          <div class="field">
            <label for="compare-n">Iterations</label>
            <select id="compare-n" name="n">
              {ITERATION_CHOICES.filter((n) => n <= data.limits.maxCompareIterations).map((n) => (
                <option value={String(n)} selected={n === iterations}>
                  {n.toLocaleString('en-GB')}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">Compare</button>
      </form>
      {data.missing.length > 0 && (
        <p class="notice" role="alert">
          {`No preset or saved scenario with the id ${data.missing.map((m) => `“${m}”`).join(', ')}.`}
        </p>
      )}
      {data.scenarios.length < 2 ? (
        <p class="section-note">Choose at least two scenarios and press Compare.</p>
      ) : (
        <>
          <NoScript />
          <div class="run-line">
            <p id="run-status" class="run-status" role="status">
              Calculating…
            </p>
            <progress id="run-progress" aria-label="Progress of the comparison"></progress>
          </div>
          <section aria-labelledby="compare-results-heading">
            <h2 id="compare-results-heading">Results side by side</h2>
            <div id="compare-results"></div>
          </section>
          <section aria-labelledby="compare-assumptions-heading">
            <h2 id="compare-assumptions-heading">Assumptions</h2>
            <div id="compare-assumptions"></div>
          </section>
          <ul class="open-links">
            {data.scenarios.map((s, i) => (
              <li>
                <a href={scenarioHref(s)}>
                  {`Open scenario ${i + 1} in the editor: ${titleOf(s.scenario) || s.id}`}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Shell>
  )
}

/** The form's first two choices when none are given: the first two programmes among the presets. */
const defaultPair = (data: ComparePageData): string[] =>
  data.presets.filter((p) => !p.comparator).slice(0, 2).map((p) => p.id)

/** The decision analyses of one scenario: the forms here, the charts drawn by the client (analysis-page.ts). */
export const AnalysisPage = ({ data, assets }: { data: AnalysisPageData; assets?: ClientAssets }) => {
  const raw = (data.scenario.scenario ?? {}) as Record<string, unknown>
  const title = text(raw.title) || data.scenario.id
  const currency = text(raw.currency)
  const ref = data.scenario
  const sameCurrency = data.presets.filter((p) => p.currency === currency && p.id !== ref.id)
  const { settings } = data
  const number = (id: string, label: string, name: string, value: number | string, help?: string) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} name={name} type="text" inputmode="numeric" value={String(value)} size={8} autocomplete="off" />
      {help && <span class="help">{help}</span>}
    </div>
  )
  return (
    <Shell title={`Sensitivity and break-even: ${title}`} assets={assets} data={data} current="analysis">
      <h1>Sensitivity and break-even</h1>
      <p class="lead">
        Which assumptions move the result most, which data would be worth collecting next, and at what value of a
        lever the programme pays for itself.
      </p>
      <form class="picker" method="get" action="/analysis" aria-label="Choose a scenario to analyse">
        <label for="analysis-scenario">Scenario</label>
        <select id="analysis-scenario" name="s">
          {ref.kind === 'saved' && (
            <option value={ref.id} selected>
              {`Saved: ${title}`}
            </option>
          )}
          {data.presets.map((p) => (
            <option value={p.id} selected={ref.kind === 'preset' && p.id === ref.id}>
              {p.title}
            </option>
          ))}
        </select>
        <button type="submit">Open</button>
      </form>
      <p class="scenario-meta">
        <span id="analysis-scenario-title">{title}</span>
        {' · '}
        <a href={scenarioHref(ref)}>Open it in the editor</a>
      </p>
      <NoScript />
      <section class="analysis-section" aria-labelledby="sensitivity-heading">
        <h2 id="sensitivity-heading">Which assumptions matter</h2>
        <p class="section-note">
          Each uncertain input at its 5th and 95th percentile, the others as in the probabilistic analysis (the
          tornado), and the expected value of learning each input exactly (EVPPI).
        </p>
        <form id="sensitivity-form" class="analysis-form" aria-label="Sensitivity analysis" novalidate>
          <div class="analysis-fields">
            <div class="field">
              <label for="sens-outcome">Outcome</label>
              <select id="sens-outcome" name="outcome">
                {Object.entries(OUTCOME_LABELS).map(([id, o]) => (
                  <option value={id}>{o.label}</option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="sens-tornado-method">Tornado bars</label>
              <select id="sens-tornado-method" name="tornadoMethod">
                <option value="rerun">Re-run the model with each input at each end</option>
                <option value="metamodel">Read off one sample (faster; each bar with its error)</option>
              </select>
            </div>
            <div class="field" id="sens-comparator-field" hidden>
              <label for="sens-comparator">Comparator</label>
              <select id="sens-comparator" name="comparator">
                <option value={removalOnlyRef(ref.id)} selected>
                  {removalOnlyLabel(title)}
                </option>
                {sameCurrency.map((p) => (
                  <option value={p.id}>{p.title}</option>
                ))}
              </select>
              <span class="help">{`Its own removal-only version: the same people without the programme; or a preset in ${currency || 'the same currency'}`}</span>
              <span class="check">
                <input id="sens-anyway" type="checkbox" name="compareAnyway" />
                <label for="sens-anyway">Compare anyway if the populations differ (labelled so)</label>
              </span>
            </div>
            <div class="field" id="sens-wtp-field" hidden>
              <label for="sens-wtp">{`Willingness to pay per sustainable reintegration (${currency})`}</label>
              <input id="sens-wtp" name="wtp" type="text" inputmode="decimal" value="20000" size={10} autocomplete="off" />
            </div>
          </div>
          <details class="advanced">
            <summary>Iterations and seed</summary>
            <div class="analysis-fields">
              {number('sens-seed', 'Seed', 'seed', settings.seed)}
              {number(
                'sens-iterations',
                'Iterations for the EVPPI',
                'iterations',
                settings.iterations,
                `1 to ${settings.maxAnalysisIterations.toLocaleString('en-GB')}`,
              )}
              {number(
                'sens-tornado-iterations',
                'Iterations per tornado bar end (read off one sample: its size)',
                'tornadoIterations',
                settings.tornadoIterations,
                '1 to 5,000',
              )}
            </div>
          </details>
          <div id="sensitivity-errors" class="form-errors" role="alert"></div>
          <div class="run-line">
            <button type="submit" id="sensitivity-run">
              Run the sensitivity analysis
            </button>
            <p id="sensitivity-status" class="run-status" role="status"></p>
            <progress id="sensitivity-progress" aria-label="Progress of the sensitivity analysis" hidden></progress>
          </div>
        </form>
        <div id="sensitivity-results" class="analysis-charts"></div>
      </section>
      <section class="analysis-section" aria-labelledby="threshold-heading">
        <h2 id="threshold-heading">Break-even</h2>
        <p class="section-note">
          The value of a lever at which the programme costs no more than the same people without it (its
          removal-only version), with the same random numbers in each iteration.
        </p>
        <form id="threshold-form" class="analysis-form" aria-label="Break-even analysis" novalidate>
          <div class="analysis-fields">
            <div class="field">
              <label for="threshold-lever">Lever</label>
              <select id="threshold-lever" name="lever">
                {Object.entries(THRESHOLD_LEVER_LABELS).map(([id, l]) => (
                  <option value={id} selected={id === 'cashPerAdult'}>
                    {l.label}
                  </option>
                ))}
              </select>
            </div>
            {number(
              'threshold-iterations',
              'Iterations',
              'iterations',
              settings.thresholdIterations,
              `1 to ${settings.maxAnalysisIterations.toLocaleString('en-GB')}`,
            )}
          </div>
          <div id="threshold-errors" class="form-errors" role="alert"></div>
          <div class="run-line">
            <button type="submit" id="threshold-run">
              Find the break-even value
            </button>
            <p id="threshold-status" class="run-status" role="status"></p>
            <progress id="threshold-progress" aria-label="Progress of the break-even analysis" hidden></progress>
          </div>
        </form>
        <p id="threshold-sentence" class="analysis-sentence" hidden></p>
        <div id="threshold-results" class="analysis-charts"></div>
      </section>
    </Shell>
  )
}

/** A changed value in words: a distribution as the editor describes it, a number grouped, anything else as JSON. */
const jsonText = (x: unknown): string => {
  if (typeof x === 'number') return x.toLocaleString('en-GB', { maximumSignificantDigits: 6 })
  if (typeof x === 'object' && x !== null && 'dist' in x) return describeDist(x as DistSpec, (v) => v.toLocaleString('en-GB', { maximumSignificantDigits: 6 }))
  return JSON.stringify(x) ?? 'not set'
}

/** A share as it was made: its numbers, the preset it came from, each changed assumption; a re-run on demand. */
export const SharePage = ({ data, assets, snapshot, scenarioHref: openHref }: { data: SharePageData; assets?: ClientAssets; snapshot: ShareSnapshot; scenarioHref: string }) => {
  const k = snapshot.comparison.comparison
  const c = snapshot.comparison.currency
  const m = snapshot.comparison.metrics
  const verdict = (k as { verdict?: { headline: string } }).verdict?.headline
  return (
    <Shell title={`Shared: ${snapshot.title}`} assets={assets} data={data} current="scenario">
      <h1 id="share-title">{snapshot.title}</h1>
      <p class="scenario-meta" id="share-origin">
        {snapshot.preset
          ? `Made from the preset “${snapshot.preset.title}” (${snapshot.preset.id})${snapshot.preset.titleKept ? ', its title kept' : ''}, with ${snapshot.changes.length} assumption${snapshot.changes.length === 1 ? '' : 's'} changed.`
          : 'Not made from a preset.'}
      </p>
      <p class="scenario-meta" id="share-run">
        {`The numbers as they were made: ${snapshot.iterations.toLocaleString('en-GB')} iterations, seed ${String(snapshot.seed)}, engine ${snapshot.engineVersion}.`}
      </p>
      {verdict && <p class="verdict" id="share-verdict">{verdict}</p>}
      <dl class="cards" id="share-headline">
        {HEADLINE.map((h) => {
          const x = m[h.metric]
          const f = (v: number | null | undefined) => (h.money ? formatMoney(v, c) : formatCount(v))
          return (
            <div class="card" data-metric={h.metric}>
              <dt class="card-label">{h.label}</dt>
              <dd class="card-value">{f(x?.mean)}</dd>
              <dd class="card-line">{`90% interval ${f(x?.p05)} to ${f(x?.p95)}`}</dd>
            </div>
          )
        })}
        <div class="card" data-metric="incrementalCost">
          <dt class="card-label">Incremental cost against its removal-only version</dt>
          <dd class="card-value">{formatMoney(k.incrementalCost.mean, c)}</dd>
          <dd class="card-line">{`90% interval ${formatMoney(k.incrementalCost.p05, c)} to ${formatMoney(k.incrementalCost.p95, c)}`}</dd>
        </div>
        <div class="card" data-metric="probCheaper">
          <dt class="card-label">Probability of being cheaper</dt>
          <dd class="card-value">{formatPercent(k.probCheaper)}</dd>
        </div>
      </dl>
      <h2>What was changed from the preset</h2>
      {snapshot.changes.length === 0 ? (
        <p class="section-note">{snapshot.preset ? 'Nothing: the preset as it is.' : 'No preset to compare with.'}</p>
      ) : (
        <div class="table-wrap" tabindex={0} role="region" aria-label="Changed assumptions">
          <table id="share-changes">
            <thead>
              <tr>
                <th scope="col">Assumption</th>
                <th scope="col">In the preset</th>
                <th scope="col">In this share</th>
              </tr>
            </thead>
            <tbody>
              {snapshot.changes.map((ch) => (
                <tr>
                  <th scope="row">{ch.path}</th>
                  <td>{jsonText(ch.from)}</td>
                  <td>{jsonText(ch.to)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>On the current engine</h2>
      <p class="section-note">{`These numbers never change. The engine is now ${data.engineVersion}: run the same scenario, seed and iterations again to see what differs.`}</p>
      <div class="button-row">
        <button type="button" id="share-rerun">Re-run on the current engine</button>
        <a href={openHref}>Open the scenario in the editor</a>
      </div>
      <div id="share-rerun-result"></div>
    </Shell>
  )
}

export const NotFoundPage = ({ message, assets }: { message: string; assets?: ClientAssets }) => (
  <Shell title="Not found" assets={assets} current="none">
    <h1>Not found</h1>
    <p>{message}</p>
    <p>
      <a href="/">Open a preset scenario</a>
    </p>
  </Shell>
)
