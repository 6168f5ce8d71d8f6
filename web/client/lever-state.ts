/**
 * The key levers as data, and what a lever writes, kept reversible: every move is derived from the value the
 * lever started from (its anchor), never from its own last output, so that moving back restores the value
 * exactly and a lever never changes what it does not show.
 */
import type { Dist } from '../../models/engine/distributions'
import { MAX_HORIZON_MONTHS } from '../../models/engine/scenario'
import { asSpec, centreOf, DOMAIN_BOUNDS, recentre, type DomainName } from './dists'
import type { Path } from './edits'

export interface NumericLever {
  id: string
  label: string
  path: Path
  kind: 'dist' | 'number' | 'int'
  domain: DomainName
  unit: 'money' | 'percent' | 'times' | 'people' | 'months'
  min: number
  /** The slider's top, from the value when the page opens. */
  max: (centre: number) => number
  /** The largest value the scenario accepts, where it is below the domain's. */
  limit?: number
  step: number
  /** Slider position is log10 of the value. */
  log?: boolean
  /** Absent means no limit: a checkbox turns the limit on and off. */
  unlimited?: { start: number }
  fallback: number
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to

const money = { kind: 'dist', domain: 'nonNegative', unit: 'money', min: 0, step: 50, fallback: 0 } as const
const upTo = (floor: number) => (centre: number) => Math.max(floor, roundUp(2 * centre, 1000))

export const LEVERS: NumericLever[] = [
  { id: 'cash', label: 'Cash per adult', path: ['programme', 'cashPerAdult'], ...money, max: upTo(10_000) },
  { id: 'in-kind', label: 'In-kind support per case', path: ['programme', 'inKindPerCase'], ...money, max: upTo(10_000) },
  {
    id: 'reach',
    label: 'Outreach reach',
    path: ['programme', 'outreach', 'reach'],
    kind: 'dist',
    domain: 'probability',
    unit: 'percent',
    min: 0,
    max: () => 1,
    step: 0.01,
    fallback: 1,
  },
  {
    id: 'scale',
    label: 'Scale of the programme',
    path: ['programme', 'scale'],
    kind: 'number',
    domain: 'nonNegative',
    unit: 'times',
    min: 0.1,
    max: () => 10,
    limit: 10,
    step: 0.01,
    // a log slider cannot reach 0; a scale of 0 (suspended) is typed or set under the assumptions
    log: true,
    fallback: 1,
  },
  {
    id: 'capacity',
    label: 'Capacity per month (at scale 1)',
    path: ['programme', 'capacityPerMonth'],
    kind: 'dist',
    domain: 'nonNegative',
    unit: 'people',
    min: 0,
    max: upTo(5_000),
    step: 10,
    unlimited: { start: 1_000 },
    fallback: 0,
  },
  {
    id: 'ramp-up',
    label: 'Ramp-up',
    path: ['programme', 'rampUpMonths'],
    kind: 'int',
    domain: 'nonNegative',
    unit: 'months',
    min: 0,
    max: () => 36,
    limit: MAX_HORIZON_MONTHS,
    step: 1,
    fallback: 0,
  },
]

const round4 = (x: number) => Number(x.toPrecision(4))

/** The number a lever's text field shows for a value (a share as a percentage), four significant figures. */
export const shownOf = (lever: NumericLever, x: number): number => (lever.unit === 'percent' ? round4(x * 100) : round4(x))
export const fromShown = (lever: NumericLever, x: number): number => (lever.unit === 'percent' ? x / 100 : x)

/** The centre a lever shows of a value (a plain number is its own centre). */
export const leverCentre = (lever: NumericLever, v: unknown): number | undefined =>
  v === undefined ? undefined : lever.kind === 'dist' && typeof v !== 'number' ? centreOf(asSpec(v as Dist)) : (v as number)

/** Why a lever refuses a value (outside what the quantity can be, a fraction of a month), or null. */
export const leverRefusal = (lever: NumericLever, x: number): string | null => {
  const [lo, hi] = DOMAIN_BOUNDS[lever.domain]
  const top = Math.min(hi, lever.limit ?? Infinity)
  const text = (v: number) => (lever.unit === 'percent' ? `${shownOf(lever, v)}%` : String(v))
  if (lever.kind === 'int' && !Number.isInteger(x)) return 'must be a whole number'
  if (x < lo || x > top)
    return top === Infinity ? `must be ${text(lo)} or more` : `must be from ${text(lo)} to ${text(top)}`
  return null
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const NOTHING = Symbol('nothing written')

/** One lever's memory: the value its moves derive from, and what it wrote last. */
export class LeverState {
  private anchor: unknown
  private written: unknown = NOTHING

  constructor(private readonly lever: NumericLever) {}

  /**
   * Take the value at the lever's path as it stands, unless it is what this lever wrote: a value the lever
   * derived from the original (a link's edit, a reload) is read as that original moved, so it can go back.
   */
  sync(current: unknown, original: unknown): void {
    if (this.written !== NOTHING && sameJson(current, this.written)) return
    this.anchor = this.derivedFrom(original, current) ? original : current
    this.written = current
  }

  /** The value the lever started from. */
  get start(): unknown {
    return this.anchor
  }

  /** The value to write for a centre of x: the start itself where x shows as its centre, else the start moved. */
  valueAt(x: number): unknown {
    const next = this.moved(this.anchor, x)
    this.written = next
    return next
  }

  /** The start again (the slider back at its starting position, a limit turned back on). */
  restore(): unknown {
    this.written = this.anchor
    return this.anchor
  }

  private moved(start: unknown, x: number): unknown {
    const c = leverCentre(this.lever, start) ?? (this.lever.unlimited ? undefined : this.lever.fallback)
    // back where it started: the start itself (absent stays absent: the model's fallback)
    if (c !== undefined && shownOf(this.lever, x) === shownOf(this.lever, c)) return start
    if (this.lever.kind === 'dist' && typeof start === 'object' && start !== null)
      return recentre(asSpec(start as Dist), x, this.lever.domain)
    return x
  }

  private derivedFrom(original: unknown, current: unknown): boolean {
    if (original === undefined || current === undefined) return false
    if (sameJson(original, current)) return true
    const c = leverCentre(this.lever, current)
    return c !== undefined && sameJson(this.moved(original, c), current)
  }
}
