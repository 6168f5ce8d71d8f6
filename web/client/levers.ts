/**
 * The key levers as sliders: cash per adult, in-kind value, counselling setting, outreach reach, scale
 * (0.1x to 10x), capacity and ramp-up. A lever on an uncertain value moves the distribution's centre; its spread
 * moves with it, always from the distribution the lever started from (lever-state.ts). A value the quantity
 * cannot take is refused at the field, and the last valid value kept.
 */
import type { Dist } from '../../models/engine/distributions'
import { isSchedule, type Schedule } from '../../models/engine/schedule'
import type { FieldProblem } from '../../models/engine/scenario'
import { asSpec, describeDist } from './dists'
import { el, fill } from './dom'
import { getAt, pathKey, type Path } from './edits'
import { COUNSELLING_SETTINGS, SETTING_LABELS } from './fields'
import { formatCount, formatInput, formatMoney, parseNumber } from './format'
import type { EditorHost } from './editor'
import { fromShown, leverCentre, leverRefusal, LEVERS, LeverState, shownOf, type NumericLever } from './lever-state'

const SETTING_PATH: Path = ['programme', 'counselling', 'setting']

const round4 = (x: number) => Number(x.toPrecision(4))

export class Levers {
  private readonly refreshers: ((origin: string) => void)[] = []
  private readonly messages = new Map<string, (text: string | null) => void>()

  constructor(
    private readonly container: HTMLElement,
    private readonly host: EditorHost,
  ) {}

  /** The paths the levers show. */
  static readonly paths: string[] = [...LEVERS.map((l) => pathKey(l.path)), pathKey(SETTING_PATH)]

  render(): void {
    this.scheduled = LEVERS.map((l) => isSchedule(getAt(this.host.current(), l.path) as Schedule<unknown>))
    this.refreshers.length = 0
    this.messages.clear()
    const scenario = this.host.current()
    const heading = el('h3', { id: 'levers-heading' }, 'Key levers')
    if (scenario.programme === null || scenario.programme === undefined) {
      fill(
        this.container,
        heading,
        el(
          'p',
          { class: 'absent' },
          'This scenario has no assisted-return programme, so its levers do not apply. Add one under Programme ' +
            'below, or pick another preset.',
        ),
      )
      return
    }
    const currency = String(scenario.currency ?? '')
    fill(
      this.container,
      heading,
      el(
        'p',
        { class: 'section-note' },
        'Results follow within a moment. On an uncertain value a lever moves the centre of its distribution; ' +
          'the spread moves with it.',
      ),
      ...LEVERS.map((lever) => this.numeric(lever, currency)),
      this.setting(),
    )
  }

  /** Bring every lever to the current scenario, except the control a person is using. */
  refresh(origin: string): void {
    // a value that became a schedule (or one value again) changes the lever's form
    const scheduled = LEVERS.map((l) => isSchedule(getAt(this.host.current(), l.path) as Schedule<unknown>))
    if (scheduled.some((x, i) => x !== this.scheduled[i])) return this.render()
    for (const refresh of this.refreshers) refresh(origin)
  }

  private scheduled: boolean[] = []

  showProblems(problems: FieldProblem[]): void {
    for (const [key, show] of this.messages) {
      const problem = problems.find((p) => {
        const path = p.path.replace(/\[(\d+)\]/g, '.$1')
        return path === key || path.startsWith(key + '.')
      })
      show(problem ? problem.message : null)
    }
  }

  private numeric(lever: NumericLever, currency: string): HTMLElement {
    const host = this.host
    if (isSchedule(getAt(host.current(), lever.path) as Schedule<unknown>))
      return el(
        'div',
        { class: 'lever', id: `lever-${lever.id}-box` },
        el('p', { class: 'legend' }, lever.label),
        el('p', { class: 'lever-note' }, 'Changes by month in this scenario: see its schedule under the assumptions below.'),
      )
    const rangeId = `lever-${lever.id}-range`
    const inputId = `lever-${lever.id}`
    const noteId = `lever-${lever.id}-note`
    const messageId = `lever-${lever.id}-message`
    const unitLabel = { money: currency, percent: '%', times: '×', people: 'people', months: 'months' }[lever.unit]
    const raw = () => getAt(host.current(), lever.path) as Dist | undefined
    const centre = (): number | undefined => leverCentre(lever, raw())
    const shown = (x: number) => shownOf(lever, x)
    const state = new LeverState(lever)
    state.sync(raw(), host.original(lever.path))
    const top = lever.max(centre() ?? lever.fallback)
    const toSlider = (x: number) => (lever.log ? Math.log10(x) : x)
    const fromSlider = (x: number) => (lever.log ? round4(10 ** x) : x)
    const valueText = (x: number) => {
      if (lever.unit === 'money') return formatMoney(x, currency)
      if (lever.unit === 'percent') return `${shown(x)}%`
      if (lever.unit === 'times') return `${x}×`
      return `${formatCount(x)} ${unitLabel}`
    }

    const range = el('input', {
      id: rangeId,
      type: 'range',
      min: toSlider(lever.min),
      max: toSlider(top),
      step: lever.log ? 0.01 : lever.step,
      'aria-label': `${lever.label}, slider`,
      'aria-describedby': noteId,
    })
    const input = el('input', {
      id: inputId,
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      size: 8,
      'aria-describedby': noteId,
    })
    const note = el('p', { class: 'lever-note', id: noteId })
    const message = el('p', { class: 'field-message', id: messageId, hidden: true })
    const limit = lever.unlimited ? el('input', { id: `lever-${lever.id}-limit`, type: 'checkbox' }) : undefined

    const showMessage = (text: string | null) => {
      message.hidden = text === null
      message.textContent = text ?? ''
      if (text === null) {
        input.removeAttribute('aria-invalid')
        input.setAttribute('aria-describedby', noteId)
      } else {
        input.setAttribute('aria-invalid', 'true')
        input.setAttribute('aria-describedby', `${messageId} ${noteId}`)
      }
    }
    this.messages.set(pathKey(lever.path), showMessage)

    const write = (x: number, origin: string) => host.edit(lever.path, state.valueAt(x), origin)
    /** The slider's position at the lever's start: moved back there, the start is restored exactly. */
    let home = ''

    const refresh = (origin: string) => {
      const before = state.start
      state.sync(raw(), host.original(lever.path))
      const c = centre()
      const off = c === undefined && lever.unlimited !== undefined
      const value = c ?? lever.fallback
      if (limit) limit.checked = !off
      range.disabled = off
      input.disabled = off
      if (origin !== rangeId) {
        range.value = String(toSlider(Math.min(Math.max(value, lever.min), top)))
      }
      if (home === '' || state.start !== before) home = range.value
      range.setAttribute('aria-valuetext', off ? 'no limit' : valueText(value))
      if (origin !== inputId) {
        input.value = off ? '' : formatInput(shown(value))
        // the text was replaced: a "not a number" on it no longer holds
        if (input.getAttribute('aria-invalid') === 'true' && origin !== '') {
          showMessage(null)
          host.localError(inputId, null)
        }
      }
      const v = raw()
      note.textContent = off
        ? 'No limit.'
        : v === undefined
          ? `Not set: the model uses ${valueText(lever.fallback)}.`
          : lever.kind === 'dist' && typeof v !== 'number' && asSpec(v).dist !== 'point'
            ? `Distribution: ${describeDist(asSpec(v), (x) => (lever.unit === 'percent' ? `${shown(x)}%` : formatCount(x)))}.`
            : 'A fixed value.'
    }
    this.refreshers.push(refresh)

    range.addEventListener('input', () => {
      const x = fromSlider(Number(range.value))
      showMessage(null)
      host.localError(inputId, null)
      if (range.value === home) host.edit(lever.path, state.restore(), rangeId)
      else write(lever.kind === 'int' ? Math.round(x) : x, rangeId)
    })
    input.addEventListener('input', () => {
      const parsed = parseNumber(input.value)
      const problem = parsed.ok ? leverRefusal(lever, fromShown(lever, parsed.value)) : parsed.message
      host.localError(inputId, problem)
      showMessage(problem)
      if (!parsed.ok || problem) return
      write(fromShown(lever, parsed.value), inputId)
    })
    // a limit turned off and on again comes back as it was
    let limited = raw()
    limit?.addEventListener('change', () => {
      if (!limit.checked) limited = raw()
      host.edit(lever.path, limit.checked ? (limited ?? lever.unlimited!.start) : undefined, limit.id)
    })

    refresh('')
    return el(
      'div',
      { class: 'lever', id: `lever-${lever.id}-box` },
      el(
        'div',
        { class: 'lever-head' },
        el('label', { for: inputId }, lever.label, el('span', { class: 'unit' }, ` (${unitLabel})`)),
        input,
      ),
      limit ? el('div', { class: 'check' }, limit, el('label', { for: limit.id }, 'Limit the capacity (otherwise no limit)')) : null,
      range,
      note,
      message,
    )
  }

  private setting(): HTMLElement {
    const host = this.host
    const name = 'lever-setting'
    const current = () => (getAt(host.current(), SETTING_PATH) as string | undefined) ?? 'enforcement'
    const radios = COUNSELLING_SETTINGS.map((setting) => {
      const id = `${name}-${setting}`
      const radio = el('input', { type: 'radio', name, id, value: setting, checked: current() === setting })
      radio.addEventListener('change', () => {
        if (radio.checked) host.edit(SETTING_PATH, setting, id)
      })
      return el('div', { class: 'check' }, radio, el('label', { for: id }, SETTING_LABELS[setting]))
    })
    this.refreshers.push(() => {
      for (const box of radios) {
        const radio = box.querySelector('input')!
        radio.checked = radio.value === current()
      }
    })
    return el('fieldset', { class: 'lever lever-setting' }, el('legend', {}, 'Who counsels'), ...radios)
  }
}
