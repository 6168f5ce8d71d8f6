/** The stylesheet, served as /static/app-<hash>.css (a module, so every bundler of the server carries it). */
export const STYLESHEET = `
:root {
  --ink: #1a1a1a;
  --muted: #4d4d4d;
  --line: #d0d4da;
  --paper: #ffffff;
  --soft: #f4f6f8;
  --accent: #1f5f99;
  --accent-dark: #16466f;
  --error: #b3261e;
  --changed: #fff1cc;
  --changed-ink: #6b4100;
  --focus: #c25e00;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  color: var(--ink);
  background: var(--paper);
}
a { color: var(--accent); }
a:hover { color: var(--accent-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
.skip-link {
  position: absolute; left: 8px; top: -60px; z-index: 10;
  background: var(--paper); color: var(--accent); padding: 8px 12px; border: 2px solid var(--accent);
}
.skip-link:focus { top: 8px; }
.site-header {
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px 24px;
  padding: 10px 16px; background: #12355b; color: #fff;
}
.site-header a { color: #fff; text-decoration: none; }
.site-header a:hover, .site-header a[aria-current='page'] { text-decoration: underline; text-underline-offset: 4px; }
.brand { font-weight: 700; font-size: 1.15rem; letter-spacing: 0.01em; }
.site-header nav ul { display: flex; gap: 18px; list-style: none; margin: 0; padding: 0; }
main { max-width: 1440px; margin: 0 auto; padding: 12px 16px 32px; }
.site-footer { border-top: 1px solid var(--line); color: var(--muted); padding: 12px 16px; font-size: 0.875rem; }
.site-footer p { max-width: 1440px; margin: 0 auto; }
h1 { font-size: 1.6rem; line-height: 1.2; margin: 12px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 8px 0 8px; }
h3 { font-size: 1.05rem; margin: 16px 0 6px; }
h4 { font-size: 1rem; margin: 12px 0 4px; }
.lead, .section-note, .scenario-meta { color: var(--muted); }
.section-note { font-size: 0.9rem; margin: 4px 0 8px; }
.scenario-meta { margin: 0 0 8px; font-size: 0.9rem; overflow-wrap: anywhere; }
.notice { background: var(--changed); color: var(--changed-ink); padding: 8px 12px; border-radius: 4px; }
.page-head { display: flex; flex-wrap: wrap; align-items: end; gap: 8px 24px; }
.page-head > * { min-width: 0; max-width: 100%; }
.picker { display: flex; flex-wrap: wrap; align-items: end; gap: 6px 8px; }
.picker label { width: 100%; font-weight: 600; font-size: 0.9rem; }
.picker select { flex: 1 1 14rem; min-width: 0; max-width: 34rem; }
.last-scenario { margin: 0; font-size: 0.9rem; }
.about { margin: 4px 0 12px; max-width: 75rem; }
.about summary { cursor: pointer; color: var(--accent); }
.about p { white-space: pre-line; overflow-wrap: anywhere; }
.sources { font-size: 0.875rem; color: var(--muted); padding-left: 1.2rem; }
input[type='text'], select, textarea {
  font: inherit; font-size: 0.95rem; color: var(--ink); background: var(--paper);
  border: 1px solid #767676; border-radius: 4px; padding: 5px 7px; max-width: 100%;
}
textarea { width: 100%; }
input[aria-invalid='true'], select[aria-invalid='true'] { border: 2px solid var(--error); background: #fff6f5; }
button {
  font: inherit; font-size: 0.95rem; cursor: pointer; border-radius: 4px; padding: 7px 14px;
  border: 1px solid var(--accent); background: var(--accent); color: #fff;
}
button:hover { background: var(--accent-dark); }
button.secondary { background: var(--paper); color: var(--accent); }
button.secondary:hover { background: var(--soft); }
button:disabled { opacity: 0.6; cursor: default; }
button.link-button { background: none; border: none; color: var(--accent); padding: 2px 4px; text-decoration: underline; font-size: 0.875rem; }
.button-row { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }

/* the workspace: editor beside results and charts on a laptop, one column on a phone */
.workspace { display: grid; gap: 16px 28px; grid-template-columns: minmax(0, 1fr); }
.workspace > section { min-width: 0; }
@media (min-width: 1000px) {
  .workspace {
    grid-template-columns: minmax(340px, 410px) minmax(0, 1fr);
    grid-template-areas: 'editor results' 'editor charts' 'editor share';
    align-items: start;
  }
  .results { grid-area: results; }
  .charts { grid-area: charts; }
  .share { grid-area: share; }
  .editor {
    grid-area: editor; position: sticky; top: 0; max-height: 100vh; overflow-y: auto;
    padding-right: 12px; border-right: 1px solid var(--line); overscroll-behavior: contain;
  }
}
.run-line { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; min-height: 2.2em; }
.run-status { margin: 0; color: var(--muted); font-size: 0.9rem; }
progress { width: 160px; height: 10px; accent-color: var(--accent); }
progress[hidden] { display: none; }
.stale-note { background: #fff6f5; border-left: 4px solid var(--error); color: #7d1a14; padding: 6px 10px; margin: 6px 0; }
.results[data-valid='false'] .cards { opacity: 0.75; }
.cards { display: grid; gap: 10px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 185px), 1fr)); margin: 6px 0 8px; }
@media (max-width: 520px) {
  .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
  .card { padding: 8px; }
  .card-value { font-size: 1.2rem; }
  .card-help { display: none; }
}
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card dt { font-weight: 600; font-size: 0.92rem; }
.card dd { margin: 0; }
.card-value { font-size: 1.45rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.25; margin: 2px 0 !important; }
.card-line { font-size: 0.85rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.card-help { font-size: 0.8rem; color: var(--muted); margin-top: 4px !important; }
.cards-versus .card { background: #eef4fa; }

.pulse { display: none; }
@media (max-width: 999px) {
  body:has(.pulse:not([hidden])) { padding-bottom: 3.2rem; }
  .pulse:not([hidden]) {
    display: flex; justify-content: space-around; gap: 8px; position: fixed; left: 0; right: 0; bottom: 0; z-index: 5;
    background: #12355b; color: #fff; padding: 6px 8px; font-size: 0.85rem; font-weight: 700;
    font-variant-numeric: tabular-nums; box-shadow: 0 -2px 6px rgba(0, 0, 0, 0.2);
  }
  .pulse.pulse-preview { background: #2d4f74; }
}
.pulse-item { display: flex; flex-direction: column; align-items: center; line-height: 1.2; }
.pulse-label { font-size: 0.7rem; font-weight: 400; }

/* editor */
.levers h3:first-child, .run-settings h3:first-child { margin-top: 8px; }
.lever { border: 0; margin: 0 0 12px; padding: 0; }
.lever-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.lever-head label { font-weight: 600; font-size: 0.92rem; }
.lever-head input { width: 7.5em; text-align: right; }
.lever input[type='range'] { width: 100%; margin: 4px 0 0; accent-color: var(--accent); }
.lever-note { margin: 0; font-size: 0.8rem; color: var(--muted); }
.lever-setting legend { font-weight: 600; font-size: 0.92rem; padding: 0; margin-bottom: 2px; }
.check { display: flex; align-items: center; gap: 6px; margin: 3px 0; }
.check input { width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
.settings-row { display: flex; flex-wrap: wrap; gap: 8px 16px; }
.control { display: flex; flex-direction: column; gap: 2px; }
.control label { font-size: 0.8rem; color: var(--muted); }
.section { border-top: 1px solid var(--line); padding: 4px 0; }
.section > summary { cursor: pointer; display: flex; align-items: baseline; flex-wrap: wrap; gap: 4px 10px; padding: 6px 0; }
.section > summary h3 { display: inline; margin: 0; }
.section-count { font-size: 0.8rem; color: var(--muted); }
.section-intro { font-size: 0.875rem; color: var(--muted); margin: 0 0 6px; }
.group { border-left: 3px solid var(--line); padding-left: 10px; margin: 8px 0 16px; }
.field { border: 0; margin: 0 0 10px; padding: 6px 8px; border-radius: 4px; min-width: 0; }
.field.edited { background: var(--changed); }
.field.has-error { background: #fff6f5; outline: 1px solid var(--error); }
.field .legend, .field > label { font-weight: 600; font-size: 0.9rem; padding: 0; margin: 0; }
.field > label { display: block; margin-bottom: 2px; }
.field .unit { font-weight: 400; color: var(--muted); }
.field-text input, .field-number input, .field-int input { width: 100%; }
.field-number input, .field-int input { max-width: 10em; }
.dist-row { display: flex; flex-wrap: wrap; gap: 6px 8px; margin-top: 4px; }
.dist-row .control { flex: 1 1 0; min-width: 5.2em; }
.dist-row .control-kind { flex: 1 0 100%; flex-direction: row; align-items: center; gap: 8px; }
.dist-row input { width: 100%; }
.control-kind select { width: 9em; }
.dist-mean { font-size: 0.8rem; margin: 4px 0 0; }
.source { font-size: 0.78rem; color: var(--muted); margin: 4px 0 0; overflow-wrap: anywhere; }
.source-label { font-weight: 600; }
.help { display: block; font-size: 0.8rem; color: var(--muted); }
.absent { font-size: 0.875rem; color: var(--muted); margin: 2px 0 4px; }
.field-actions { display: flex; align-items: center; gap: 4px; flex-wrap: wrap; }
.field-actions:empty { display: none; }
.badge { font-size: 0.75rem; background: var(--changed-ink); color: #fff; border-radius: 3px; padding: 0 6px; }
.field-message { color: var(--error); font-weight: 600; font-size: 0.875rem; margin: 4px 0 0; }
.field-message::before { content: '⚠ '; }

/* charts */
.chart-list { display: grid; gap: 20px; grid-template-columns: repeat(auto-fill, minmax(min(100%, 380px), 1fr)); }
.chart { margin: 0; min-width: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.chart figcaption { font-size: 0.85rem; color: var(--muted); }
.chart-title { color: var(--ink); margin: 0 0 2px; }
.chart-plot { min-height: 120px; margin-top: 6px; }
.chart-plot svg { max-width: 100%; height: auto; }
.chart-wait { color: var(--muted); font-size: 0.9rem; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; list-style: none; padding: 0; margin: 6px 0 0; font-size: 0.8rem; }
.legend li { display: flex; align-items: center; gap: 5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.chart-data summary { cursor: pointer; color: var(--accent); font-size: 0.875rem; }
.chart-actions { margin-top: 6px; }
.chart-actions button { font-size: 0.85rem; padding: 4px 10px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }

/* share */
.share-row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.share-row input { flex: 1 1 18rem; min-width: 0; }
.share-result label { font-weight: 600; display: block; margin-top: 8px; }

/* compare */
.compare-form { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 8px 0 12px; }
.compare-pickers { display: flex; flex-wrap: wrap; gap: 8px 16px; margin-bottom: 10px; }
.compare-pickers .field { padding: 0; margin: 0; display: flex; flex-direction: column; }
.compare-pickers select { max-width: min(86vw, 24rem); }
.compare-table th[scope='col'] { min-width: 11rem; }
.compare-table tbody th[scope='row'] { font-weight: 600; min-width: 12rem; }
.group-row th { background: var(--soft); font-size: 0.9rem; }
.col-number { display: block; font-size: 0.75rem; color: var(--muted); font-weight: 400; }
.col-title { display: block; overflow-wrap: anywhere; }
.cell-value { display: block; font-weight: 600; }
.cell-interval { display: block; font-size: 0.78rem; color: var(--muted); font-weight: 400; }
tr.differs { background: var(--changed); }
td.cell-differs { font-weight: 700; text-decoration: underline; text-decoration-style: dotted; text-underline-offset: 3px; }
.differs-mark { display: inline-block; font-size: 0.72rem; background: var(--changed-ink); color: #fff; border-radius: 3px; padding: 0 5px; margin-right: 6px; }
.open-links { font-size: 0.9rem; }

/* analysis */
.analysis-section { border-top: 1px solid var(--line); margin-top: 16px; padding-top: 4px; max-width: 75rem; }
.analysis-form { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 8px 0 12px; }
.analysis-fields { display: flex; flex-wrap: wrap; gap: 8px 16px; }
.analysis-fields .field { padding: 0; margin: 0; display: flex; flex-direction: column; }
.analysis-fields select { max-width: min(86vw, 30rem); }
.analysis-fields .field[hidden] { display: none; }
.advanced { margin: 8px 0; }
.advanced summary { cursor: pointer; color: var(--accent); font-size: 0.9rem; margin-bottom: 6px; }
.form-errors:empty { display: none; }
.form-errors { background: #fff6f5; border-left: 4px solid var(--error); padding: 4px 10px; margin: 8px 0; }
.form-errors p { margin: 4px 0; font-weight: 600; }
.form-errors ul { margin: 0; padding-left: 0; list-style: none; }
.analysis-sentence { font-size: 1.05rem; font-weight: 600; margin: 10px 0; max-width: 60rem; }
.analysis-charts { display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1100px) { #threshold-results { grid-template-columns: repeat(2, minmax(0, 1fr)); } }

/* verdicts and evidence */
.verdict { font-weight: 600; margin: 6px 0 8px; max-width: 60rem; overflow-wrap: anywhere; }
.evidence { border-top: 1px solid var(--line); margin-top: 12px; }
.evidence[hidden] { display: none; }
.evidence table { font-size: 0.85rem; }
.evidence tbody th[scope='row'] { min-width: 11rem; }
.targets-table tr[data-result='outside'] td:last-child { color: var(--error); font-weight: 700; }
.targets-table tr[data-result='not-checked'] td:last-child { color: var(--muted); min-width: 16rem; }
.targets-table tr[data-result='inside'] td:last-child { color: #1b6e3a; font-weight: 600; }
.unit-costs td.includes { min-width: 18rem; font-size: 0.8rem; color: var(--muted); }
.unit-costs tbody th[scope='row'] { min-width: 12rem; }

#budget .control { min-width: 0; max-width: 100%; }
#budget-view { max-width: 100%; }

/* compare on a phone: the first column stays, the others scroll, and a hint says so */
.scroll-hint { display: none; font-size: 0.85rem; color: var(--muted); margin: 4px 0; }
@media (max-width: 720px) {
  .scroll-hint { display: block; }
  .compare-table tbody th[scope='row'], .compare-table thead th:first-child {
    position: sticky; left: 0; z-index: 1; background: var(--paper); min-width: 8.5rem; max-width: 9rem;
    box-shadow: 2px 0 0 var(--line);
  }
  .compare-table .group-row th { position: static; }
  .compare-table th[scope='col'] { min-width: 10rem; }
}

/* the printed brief: results, verdict, unit costs, the published figures, the budget and the main charts */
.print-only { display: none; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { font-size: 9.5pt; }
  /* the screen's charts and tables at a brief's size */
  main { zoom: 0.8; }
  .site-header, .site-footer, .skip-link, .page-head, .open-links, .about, .editor, .share, .run-line progress,
  .pulse, .chart-actions, .chart-data, .chart-option, #calibration, .settings-row, .stale-note, noscript, .notice,
  #chart-eligible, #chart-cost-per-sustainable, #chart-waiting, #chart-total-cost, .card-help, #budget-by-payer,
  #budget .section-note, .section-intro, #edit-state, .unit-costs .includes, .unit-costs th:last-child,
  .card-line:nth-child(n + 4), .results > .section-note, #targets .section-note,
  .unit-costs tr[data-unit^='net'], .unit-costs tr[data-unit='incrementalStayCost'] { display: none !important; }
  .print-only { display: block; }
  main { max-width: none; padding: 0; }
  .workspace { display: block; }
  h1 { font-size: 15pt; margin: 0 0 2mm; }
  h2 { font-size: 12pt; margin: 3mm 0 1mm; }
  h3 { font-size: 10.5pt; margin: 2mm 0 1mm; }
  .cards { grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 2mm; }
  .card { padding: 1.5mm 2mm; break-inside: avoid; background: none; }
  .card-value { font-size: 12pt; }
  .card-line { font-size: 7.5pt; }
  .verdict { font-size: 10pt; }
  table { font-size: 7.5pt; }
  th, td { padding: 0.6mm 1.5mm; }
  .cell-interval { font-size: 6.5pt; }
  .table-wrap { overflow: visible; }
  .unit-costs td.includes { min-width: 0; font-size: 6.5pt; }
  .chart-list { display: grid !important; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 3mm; }
  .chart { break-inside: avoid; border: none; padding: 0; margin: 0; }
  .chart .chart-note { display: none; }
  .chart-plot svg { width: 100% !important; height: auto !important; }
  .evidence { break-inside: avoid; }
}
`
