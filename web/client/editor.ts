/**
 * The assumptions editor: every field of the scenario by section (docs/model.md), each distribution with
 * its kind, parameters and source; a message by the field when a value is not accepted.
 */
import type { Dist, DistSpec } from '../../models/engine/distributions'
import type { FieldProblem } from '../../models/engine/scenario'
import { isSchedule, type Schedule, type ScheduleEntry } from '../../models/engine/schedule'
import { asSpec, centreOf, convertKind, describeDist, KIND_LABELS, kindsFor, meanOf, PARAMS, recentre, type DistKindName } from './dists'
import { el, fill, idFrom } from './dom'
import { getAt, pathKey, type Path } from './edits'
import { canUnset, fieldPath, REQUIRED_IN, SECTIONS, SETTING_LABELS, type FieldSpec, type SectionId, type Unit } from './fields'
import { formatCount, formatInput, formatMoney, formatPercent, parseNumber } from './format'

/** What the editor needs from its page. */
export interface EditorHost {
  current(): Record<string, unknown>
  isEdited(path: Path): boolean
  /** The value at `path` in the scenario before any edit. */
  original(path: Path): unknown
  /** A new value (undefined removes an optional field); `origin` is the control it came from. */
  edit(path: Path, value: unknown, origin: string): void
  revert(path: Path): void
  /** The calendar year the horizon starts in (schedules are edited by year). */
  startYear(): number
  /** A text that is not a number, by control id; null clears it. */
  localError(controlId: string, message: string | null): void
}

export const unitText = (unit: Unit | undefined, currency: string): string => {
  switch (unit) {
    case 'money':
      return currency
    case 'people':
      return 'people'
    case 'share':
      return 'share, 0 to 1'
    case 'coefficient':
      return 'logit scale'
    case 'months':
      return 'months'
    default:
      return ''
  }
}

interface FieldView {
  key: string
  path: Path
  section: SectionId
  spec: FieldSpec
  root: HTMLElement
  render(): void
  /** The changed badge and the undo button only (keeps the control a person is typing in). */
  renderChrome(): void
  showMessage(message: string | null, param?: string): void
}

export class AssumptionEditor {
  private readonly views = new Map<string, FieldView>()
  private readonly openSections = new Set<string>()

  constructor(
    private readonly container: HTMLElement,
    private readonly host: EditorHost,
  ) {}

  /** Build every section and field from the current scenario. */
  render(): void {
    for (const d of this.container.querySelectorAll<HTMLDetailsElement>('details.section'))
      if (d.open) this.openSections.add(d.dataset.section!)
    this.views.clear()
    const scenario = this.host.current()
    const sections = SECTIONS.map((section) => {
      const details = el('details', { class: 'section', 'data-section': section.id, open: this.openSections.has(section.id) })
      const summary = el('summary', {}, el('h3', {}, section.title), el('span', { class: 'section-count' }))
      details.append(summary, el('p', { class: 'section-intro' }, section.intro))
      if (section.id === 'groups') {
        const groups = Array.isArray(scenario.groups) ? (scenario.groups as Record<string, unknown>[]) : []
        groups.forEach((group, index) => {
          const headingId = `group-${index}-heading`
          const box = el(
            'div',
            { class: 'group', role: 'group', 'aria-labelledby': headingId },
            el('h4', { id: headingId }, `Group ${index + 1}: ${typeof group.label === 'string' ? group.label : ''}`),
          )
          for (const spec of section.fields) box.appendChild(this.field(section.id, spec, fieldPath('groups', spec.key, index)))
          details.appendChild(box)
        })
      } else if (section.id === 'programme' && scenario.programme === null) {
        const add = el('button', { type: 'button' }, 'Add an assisted-return programme')
        add.addEventListener('click', () => {
          this.openSections.add('programme')
          this.host.edit(['programme'], {}, 'programme-add')
        })
        const none = 'This scenario has no assisted-return programme: it is a removal-only comparator.'
        details.append(el('p', { class: 'absent' }, none), add)
      } else {
        for (const spec of section.fields) details.appendChild(this.field(section.id, spec, fieldPath(section.id, spec.key)))
      }
      return details
    })
    fill(this.container, ...sections)
    this.updateCounts()
  }

  /**
   * Redraw the field at `path` and its siblings (an edit may have created their object), except the control a
   * person is using, whose field only updates its badge and buttons.
   */
  refresh(path: Path, origin: string): void {
    // only an optional object with required fields is created by an edit of one of its fields
    const parent = pathKey(path.slice(0, -1))
    const created = parent in REQUIRED_IN
    for (const view of this.views.values()) {
      if (view.key !== pathKey(path) && !(created && view.key.startsWith(parent + '.'))) continue
      if (view.root.contains(document.getElementById(origin))) view.renderChrome()
      else view.render()
    }
    this.updateCounts()
  }

  /** Show the schema's problems by their fields; a problem with no field here is returned. */
  showProblems(problems: FieldProblem[]): FieldProblem[] {
    for (const view of this.views.values()) view.showMessage(null)
    const unplaced: FieldProblem[] = []
    for (const problem of problems) {
      const view = this.viewFor(problem.path)
      if (!view) {
        unplaced.push(problem)
        continue
      }
      const rest = problem.path.slice(view.key.length + 1)
      view.showMessage(problem.message, rest || undefined)
      const section = view.root.closest('details')
      if (section) section.open = true
    }
    return unplaced
  }

  /** The field a problem path (dotted, with [i]) belongs to: the longest field path it starts with. */
  private viewFor(problemPath: string): FieldView | undefined {
    const key = problemPath.replace(/\[(\d+)\]/g, '.$1')
    let best: FieldView | undefined
    for (const view of this.views.values())
      if ((key === view.key || key.startsWith(view.key + '.')) && (!best || view.key.length > best.key.length)) best = view
    return best
  }

  private updateCounts(): void {
    for (const details of this.container.querySelectorAll<HTMLDetailsElement>('details.section')) {
      const id = details.dataset.section
      const views = [...this.views.values()].filter((v) => v.section === id)
      const changed = views.filter((v) => this.host.isEdited(v.path)).length
      const count = details.querySelector('.section-count')
      if (count) count.textContent = views.length ? `${views.length} fields${changed ? `, ${changed} changed` : ''}` : ''
    }
  }

  private field(section: SectionId, spec: FieldSpec, path: Path): HTMLElement {
    const key = pathKey(path)
    const id = `f-${idFrom(key)}`
    // a div with role group, not a fieldset: Chromium leaves a fieldset refilled inside a closed <details> at zero size
    const legendId = `${id}-legend`
    const root = el('div', { class: `field field-${spec.kind}`, 'data-path': key, id })
    if (spec.kind === 'dist') {
      root.setAttribute('role', 'group')
      root.setAttribute('aria-labelledby', legendId)
    }
    const messageId = `${id}-message`
    const host = this.host
    /** Texts that are not numbers, by control (shown first, kept until fixed), and the schema's problem. */
    const local = new Map<string, { text: string; param?: string }>()
    let schema: { text: string; param?: string } | null = null

    const currency = () => String(host.current().currency ?? '')
    const value = () => getAt(host.current(), path)
    const chrome = el('div', { class: 'field-actions' })
    const messageBox = el('p', { class: 'field-message', id: messageId, hidden: true })

    /** The mean of the distribution as it stands (a fixed value needs none). */
    const meanBox = el('p', { class: 'dist-mean' })
    const updateMean = () => {
      const v = value()
      const d = v === undefined ? undefined : asSpec(v as Dist)
      const mean = d ? meanOf(d) : NaN
      meanBox.hidden = !d || d.dist === 'point' || !Number.isFinite(mean)
      if (meanBox.hidden) return
      // a truncated normal's mean moves with its bounds
      const about = d!.dist === 'normal' && (d!.min !== undefined || d!.max !== undefined) ? 'about ' : ''
      const text =
        spec.unit === 'share' ? formatPercent(mean) : spec.unit === 'money' ? formatMoney(mean, currency()) : formatCount(mean)
      meanBox.textContent = `Mean ${about}${text}`
    }

    const renderChrome = () => {
      if (spec.kind === 'dist' && !isSchedule(value() as Schedule<unknown>)) updateMean()
      const edited = host.isEdited(path)
      root.classList.toggle('edited', edited)
      const buttons: HTMLElement[] = []
      if (edited) {
        const undo = el('button', { type: 'button', class: 'link-button' }, 'Undo change')
        undo.setAttribute('aria-label', `Undo change: ${spec.label}`)
        undo.addEventListener('click', () => {
          host.revert(path)
          root.querySelector<HTMLElement>('input, select, textarea, button')?.focus()
        })
        buttons.push(undo)
      }
      if (canUnset(section, spec) && value() !== undefined && spec.kind === 'dist') {
        const remove = el('button', { type: 'button', class: 'link-button' }, 'Remove')
        const then = spec.absent ?? formatInput(spec.fallback as number)
        remove.setAttribute('aria-label', `Remove: ${spec.label} (the model then uses ${then})`)
        remove.addEventListener('click', () => {
          host.edit(path, undefined, 'remove')
          root.querySelector<HTMLElement>('button')?.focus()
        })
        buttons.push(remove)
      }
      fill(chrome, edited ? el('span', { class: 'badge' }, 'changed') : null, ...buttons)
    }

    const applyMessage = () => {
      const shown = local.values().next().value ?? schema
      messageBox.hidden = shown === null
      messageBox.textContent = shown?.text ?? ''
      root.classList.toggle('has-error', shown !== null)
      for (const control of root.querySelectorAll<HTMLElement>('input, select, textarea')) {
        // a problem of one parameter flags its control; one of the whole value flags them all
        const all = shown?.param === undefined || !PARAM_KEYS.has(shown.param)
        const flagged = shown !== null && (all || control.dataset.param === shown.param)
        if (flagged) {
          control.setAttribute('aria-invalid', 'true')
          control.setAttribute('aria-describedby', messageId)
        } else {
          control.removeAttribute('aria-invalid')
          if (control.dataset.help) control.setAttribute('aria-describedby', control.dataset.help)
          else control.removeAttribute('aria-describedby')
        }
      }
    }

    /** A text control whose content is checked as a number before it reaches the scenario. */
    const numberInput = (
      controlId: string,
      text: string,
      param: string | undefined,
      onNumber: (x: number | undefined) => void,
      allowEmpty: boolean,
    ) => {
      const input = el('input', {
        id: controlId,
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        spellcheck: 'false',
        value: text,
        'data-param': param,
      })
      input.addEventListener('input', () => {
        const empty = allowEmpty && input.value.trim() === ''
        const parsed = empty ? ({ ok: true, value: undefined } as const) : parseNumber(input.value)
        if (!parsed.ok) {
          setLocal(controlId, parsed.message, param)
          return
        }
        setLocal(controlId, null, param)
        onNumber(parsed.value)
      })
      return input
    }

    const setLocal = (controlId: string, text: string | null, param: string | undefined) => {
      if (text === null) local.delete(controlId)
      else local.set(controlId, { text, param })
      host.localError(controlId, text)
      applyMessage()
    }

    const clearLocal = () => {
      for (const controlId of local.keys()) host.localError(controlId, null)
      local.clear()
    }

    const heading = () => {
      const unit = unitText(spec.unit, currency())
      return [spec.label, unit ? el('span', { class: 'unit' }, ` (${unit})`) : null]
    }

    const renderDist = () => {
      const current = value() as Dist | undefined
      const legend = el('p', { class: 'legend', id: legendId }, ...heading())
      if (current === undefined) {
        const set = el('button', { type: 'button', id: `${id}-set` }, 'Set a value')
        set.setAttribute('aria-label', `Set a value: ${spec.label}`)
        set.addEventListener('click', () => {
          host.edit(path, spec.start ?? spec.fallback ?? 0, `${id}-set`)
          render()
          root.querySelector<HTMLElement>('select, input')?.focus()
        })
        const meaning = spec.absent ?? `the model uses ${formatInput(spec.fallback as number)}`
        fill(root, legend, el('p', { class: 'absent' }, `Not set: ${meaning}.`), set, chrome, messageBox)
        return
      }
      const d = asSpec(current)
      const kindId = `${id}-kind`
      // the kinds this quantity can take, and the one it has (a file may hold any valid kind)
      const kinds = [...new Set([...kindsFor(spec.domain ?? 'real'), d.dist])]
      const options = kinds.map((k) => el('option', { value: k, selected: k === d.dist }, KIND_LABELS[k]))
      const kind = el('select', { id: kindId, 'data-param': 'dist' }, ...options)
      kind.addEventListener('change', () => {
        const next = convertKind(asSpec(value() as Dist), kind.value as DistKindName, spec.domain ?? 'real')
        host.edit(path, next, kindId)
        render()
        document.getElementById(kindId)?.focus()
      })
      const params = PARAMS[d.dist].map((p) => {
        const controlId = `${id}-${p.key}`
        const raw = (d as unknown as Record<string, number | undefined>)[p.key]
        const input = numberInput(
          controlId,
          formatInput(raw),
          p.key,
          (x) => {
            const base = asSpec(value() as Dist) as unknown as Record<string, unknown>
            const next = { ...base }
            if (x === undefined) delete next[p.key]
            else next[p.key] = x
            // a plain number stays a plain number while it is a point without a source
            const plain = typeof current === 'number' && next.dist === 'point' && next.source === undefined
            const written = plain ? (next.value as number) : (next as unknown as DistSpec)
            host.edit(path, written, controlId)
          },
          p.optional === true,
        )
        return el('div', { class: 'control' }, el('label', { for: controlId }, p.label), input)
      })
      fill(
        root,
        legend,
        el(
          'div',
          { class: 'dist-row' },
          el('div', { class: 'control control-kind' }, el('label', { for: kindId }, 'Distribution'), kind),
          ...params,
        ),
        meanBox,
        d.source ? el('p', { class: 'source' }, el('span', { class: 'source-label' }, 'Source: '), d.source) : null,
        byYearButton(),
        chrome,
        messageBox,
      )
    }

    /**
     * A value that changes by year (`Schedule<T>`, docs/scenario-format.md): one row per change, from a calendar
     * year (month 12k of the horizon), the value from then on; a change added or removed; or one value again.
     */
    const renderSchedule = (schedule: ScheduleEntry<unknown>[]) => {
      const legend = el('p', { class: 'legend', id: legendId }, ...heading())
      const first = host.startYear()
      const horizon = Number(host.current().horizonMonths ?? 12)
      const yearName = (month: number) =>
        month % 12 === 0 ? `${first + month / 12}` : `${first + Math.floor(month / 12)}, month ${month + 1} of the horizon`
      const write = (entries: ScheduleEntry<unknown>[], origin: string) => host.edit(path, { schedule: entries }, origin)
      // the schedule as it stands now: several changes are made before the field is drawn again
      const now = () => (value() as { schedule: ScheduleEntry<unknown>[] }).schedule
      const rows = schedule.map((entry, k) => {
        const fromId = `${id}-from-${k}`
        const valueId = `${id}-value-${k}`
        const months = new Set([entry.fromMonth, ...Array.from({ length: Math.ceil(horizon / 12) }, (_, y) => y * 12)])
        const from =
          k === 0
            ? el('span', { class: 'schedule-from', id: fromId }, `From ${first} (the start)`)
            : el(
                'select',
                { id: fromId, 'aria-label': `Change ${k}: from` },
                ...[...months]
                  .filter((m) => m > 0)
                  .sort((a, b) => a - b)
                  .map((m) => el('option', { value: m, selected: m === entry.fromMonth }, `From ${yearName(m)}`)),
              )
        if (from instanceof HTMLSelectElement)
          from.addEventListener('change', () =>
            write(now().map((e, j) => (j === k ? { ...e, fromMonth: Number(from.value) } : e)), fromId),
          )
        // an uncertain value moves its centre from the value as it stood when drawn, so typing back restores it
        const start = entry.value
        const shownValue = typeof start === 'number' ? start : centreOf(asSpec(start as Dist))
        const input = numberInput(
          valueId,
          formatInput(shownValue),
          undefined,
          (x) => {
            if (x === undefined) return
            const next = typeof start === 'number' || x === shownValue ? (x === shownValue ? start : x) : recentre(asSpec(start as Dist), x, spec.domain ?? 'real')
            write(now().map((e, j) => (j === k ? { ...e, value: next } : e)), valueId)
          },
          false,
        )
        input.setAttribute('aria-label', `${spec.label}, ${k === 0 ? `from ${first}` : `change ${k}`}: value`)
        const remove = el('button', { type: 'button', class: 'link-button', id: `${id}-remove-${k}` }, 'Remove')
        remove.setAttribute('aria-label', `Remove: change ${k} of ${spec.label}`)
        remove.addEventListener('click', () => {
          write(now().filter((_, j) => j !== k), 'remove')
          render()
        })
        const note = typeof start === 'number' ? null : el('span', { class: 'help' }, describeDist(asSpec(start as Dist), formatInput))
        return el('li', { class: 'schedule-row', 'data-entry': k }, from, input, note, k > 0 ? remove : null)
      })
      const add = el('button', { type: 'button', class: 'secondary', id: `${id}-add` }, 'Add a change')
      const nextMonthAfter = (entries: ScheduleEntry<unknown>[]) => (Math.floor(entries[entries.length - 1].fromMonth / 12) + 1) * 12
      add.disabled = nextMonthAfter(schedule) >= horizon
      add.addEventListener('click', () => {
        const entries = now()
        const last = entries[entries.length - 1]
        write([...entries, { fromMonth: nextMonthAfter(entries), value: structuredClone(last.value) }], `${id}-add`)
        render()
        document.getElementById(`${id}-value-${entries.length}`)?.focus()
      })
      const flatten = el('button', { type: 'button', class: 'link-button', id: `${id}-flatten` }, 'Use the first value for every month')
      flatten.addEventListener('click', () => {
        host.edit(path, now()[0].value, `${id}-flatten`)
        render()
      })
      fill(
        root,
        legend,
        el('p', { class: 'help' }, `Changes by year: each value holds from the start of its year (the budget's first year is ${first}).`),
        el('ul', { class: 'schedule' }, ...rows),
        el('div', { class: 'button-row' }, add, flatten),
        chrome,
        messageBox,
      )
    }

    /** A plain value of a field that may change by year: the way to a schedule. */
    const byYearButton = (): HTMLElement | null => {
      if (!SCHEDULE_FIELDS.test(key.replace(/\.\d+\./g, '.*.'))) return null
      const button = el('button', { type: 'button', class: 'link-button', id: `${id}-by-year` }, 'Change by year')
      button.setAttribute('aria-label', `Change by year: ${spec.label}`)
      button.addEventListener('click', () => {
        const v = value() ?? spec.start ?? spec.fallback ?? 0
        const horizon = Number(host.current().horizonMonths ?? 12)
        const entries = [{ fromMonth: 0, value: v }, ...(horizon > 12 ? [{ fromMonth: 12, value: structuredClone(v) }] : [])]
        host.edit(path, { schedule: entries }, `${id}-by-year`)
        render()
        document.getElementById(`${id}-value-1`)?.focus()
      })
      return button
    }

    const renderSimple = () => {
      const controlId = `${id}-input`
      const current = value()
      const helpId = spec.help ? `${id}-help` : undefined
      const help = spec.help ? el('span', { class: 'help', id: helpId }, spec.help) : null
      let control: HTMLElement
      if (spec.kind === 'bool') {
        const checked = typeof current === 'boolean' ? current : spec.fallback === true
        const box = el('input', { id: controlId, type: 'checkbox', checked })
        box.addEventListener('change', () => host.edit(path, box.checked, controlId))
        fill(root, el('div', { class: 'check' }, box, el('label', { for: controlId }, spec.label)), chrome, messageBox)
        return
      }
      if (spec.kind === 'choice') {
        const selected = typeof current === 'string' ? current : String(spec.fallback ?? '')
        const options = (spec.options ?? []).map((o) => el('option', { value: o, selected: o === selected }, SETTING_LABELS[o] ?? o))
        const select = el('select', { id: controlId }, ...options)
        select.addEventListener('change', () => host.edit(path, select.value, controlId))
        control = select
      } else if (spec.kind === 'text' || spec.kind === 'textarea') {
        const text = typeof current === 'string' ? current : ''
        const input =
          spec.kind === 'textarea'
            ? el('textarea', { id: controlId, rows: 4, maxlength: spec.max })
            : el('input', { id: controlId, type: 'text', value: text, maxlength: spec.max, autocomplete: 'off' })
        if (input instanceof HTMLTextAreaElement) input.value = text
        input.addEventListener('input', () =>
          host.edit(path, input.value === '' && spec.optional ? undefined : input.value, controlId),
        )
        control = input
      } else {
        const number = typeof current === 'number' ? current : undefined
        const input = numberInput(
          controlId,
          formatInput(number),
          undefined,
          (x) => {
            if (x !== undefined && spec.kind === 'int' && !Number.isInteger(x)) {
              setLocal(controlId, 'must be a whole number', undefined)
              return
            }
            host.edit(path, x, controlId)
          },
          spec.optional === true,
        )
        if (number === undefined && spec.fallback !== undefined)
          input.setAttribute('placeholder', `${formatInput(spec.fallback as number)} if empty`)
        control = input
      }
      if (helpId) {
        control.dataset.help = helpId
        control.setAttribute('aria-describedby', helpId)
      }
      const unit = spec.kind === 'int' || spec.kind === 'number' ? unitText(spec.unit, currency()) : ''
      const label = el('label', { for: controlId }, spec.label, unit && !spec.help ? el('span', { class: 'unit' }, ` (${unit})`) : null)
      fill(root, label, control, help, byYearButton(), chrome, messageBox)
    }

    const render = () => {
      clearLocal()
      const v = value()
      if (isSchedule(v as Schedule<unknown>)) renderSchedule((v as { schedule: ScheduleEntry<unknown>[] }).schedule)
      else if (spec.kind === 'dist') renderDist()
      else renderSimple()
      renderChrome()
      applyMessage()
    }

    const view: FieldView = {
      key,
      path,
      section,
      spec,
      root,
      render,
      renderChrome,
      showMessage: (text, param) => {
        schema = text === null ? null : { text, param }
        applyMessage()
      },
    }
    this.views.set(key, view)
    render()
    return root
  }
}

/** The fields a scenario may change by month (`Schedule<T>` in docs/scenario-format.md), group indices as `*`. */
const SCHEDULE_FIELDS = /^(groups\.\*\.inflowPerMonth|groups\.\*\.removal\.attemptMonthly|programme\.capacityPerMonth|programme\.scale|removal\.attemptMonthly|removal\.maxAttemptsPerMonth)$/

/** Parameter names of any kind: a problem under one of them flags that control only. */
const PARAM_KEYS = new Set(['dist', ...Object.values(PARAMS).flatMap((ps) => ps.map((p) => p.key))])
