/** The server-rendered pages (Hono JSX escapes every text): the shell, the scenario page, the comparison and 404. */
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { ENGINE_VERSION } from '../models/version'
import type { ClientAssets } from './assets'
import {
  ITERATION_CHOICES,
  scenarioHref,
  type ComparePageData,
  type EditorPageData,
  type PageData,
  type PresetOption,
} from './client/page-data'

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
  current: 'scenario' | 'compare' | 'none'
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

export const NotFoundPage = ({ message, assets }: { message: string; assets?: ClientAssets }) => (
  <Shell title="Not found" assets={assets} current="none">
    <h1>Not found</h1>
    <p>{message}</p>
    <p>
      <a href="/">Open a preset scenario</a>
    </p>
  </Shell>
)
