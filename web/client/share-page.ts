/** The share page's one action: run the shared scenario again on the current engine and say what differs. */
import { describeError, postJson } from './api'
import { byId, el, fill } from './dom'
import type { SharePageData } from './page-data'

interface Rerun {
  same: boolean
  snapshotEngineVersion: string
  currentEngineVersion: string
  differenceCount: number
  differences: { path: string; snapshot: unknown; current: unknown }[]
}

const shown = (x: unknown) => (typeof x === 'number' ? x.toLocaleString('en-GB', { maximumSignificantDigits: 6 }) : JSON.stringify(x))

export const startSharePage = (data: SharePageData): void => {
  const button = byId<HTMLButtonElement>('share-rerun')
  const out = byId('share-rerun-result')
  button.addEventListener('click', async () => {
    button.disabled = true
    fill(out, el('p', { class: 'run-status', role: 'status' }, 'Running it again on the current engine…'))
    try {
      const { body: r } = await postJson<Rerun>(`/api/shares/${encodeURIComponent(data.shareId)}/rerun`, {})
      const engines = `engine ${r.snapshotEngineVersion} then, ${r.currentEngineVersion} now`
      fill(
        out,
        el(
          'p',
          { id: 'share-rerun-summary', role: 'status' },
          r.same
            ? `The same numbers on the current engine (${engines}).`
            : `${r.differenceCount.toLocaleString('en-GB')} numbers differ on the current engine (${engines}); the first of them:`,
        ),
        r.same
          ? null
          : el(
              'div',
              { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'What differs' },
              el(
                'table',
                {},
                el('thead', {}, el('tr', {}, ...['Number', 'As shared', 'Now'].map((h) => el('th', { scope: 'col' }, h)))),
                el('tbody', {}, ...r.differences.slice(0, 40).map((d) => el('tr', {}, el('th', { scope: 'row' }, d.path), el('td', {}, shown(d.snapshot)), el('td', {}, shown(d.current))))),
              ),
            ),
      )
      out.dataset.complete = 'true'
    } catch (error) {
      fill(out, el('p', { class: 'field-message' }, `It could not run again: ${describeError(error)}`))
    } finally {
      button.disabled = false
    }
  })
}
