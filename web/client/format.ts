/** How numbers read on the page: people rounded to what the uncertainty allows, money compact with its currency. */

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const GROUPED = [grouped(0), grouped(1), grouped(2), grouped(3)]
const UP_TO_2 = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })

/** Digits after the point that keep about three significant figures, at most three. */
const decimalsFor = (x: number): number => {
  const a = Math.abs(x)
  if (a >= 100 || a === 0) return 0
  if (a >= 10) return 1
  if (a >= 1) return 2
  return 3
}

const MINUS = '\u2212'
const sign = (x: number): string => (x < 0 ? MINUS : '')

/** A count of people (or any plain quantity): 12,345 · 12.3 · 0.123. */
export const formatCount = (x: number | null | undefined): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  return sign(x) + GROUPED[decimalsFor(x)].format(Math.abs(x))
}

/** Three significant figures of a positive number, trailing zeros dropped. */
const sig3 = (a: number): string => String(Number(a.toPrecision(3)))

/** Money: EUR 3,712 · EUR 12.3 m · EUR 1.23 bn. */
export const formatMoney = (x: number | null | undefined, currency: string): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  const a = Math.abs(x)
  const body = a >= 1e9 ? `${sig3(a / 1e9)} bn` : a >= 1e6 ? `${sig3(a / 1e6)} m` : (a >= 100 ? GROUPED[0] : UP_TO_2).format(a)
  return `${sign(x)}${currency} ${body}`
}

/** A Monte Carlo error: two significant figures, in the metric's unit. */
export const formatError = (x: number | null | undefined, money: boolean, currency: string): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–'
  const two = Number(Math.abs(x).toPrecision(2))
  if (money) return formatMoney(two, currency)
  return new Intl.NumberFormat('en-GB', { maximumSignificantDigits: 2 }).format(two)
}

/** A probability as a percentage: 63% · 99.6% · 0.4%. */
export const formatPercent = (p: number | null | undefined): string => {
  if (p === null || p === undefined || !Number.isFinite(p)) return '–'
  const pct = p * 100
  const digits = pct !== 0 && pct !== 100 && (pct < 1 || pct > 99) ? 1 : 0
  return `${GROUPED[digits].format(pct)}%`
}

/** A number as typed into a field: no grouping, full precision, no exponent for everyday sizes. */
export const formatInput = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '' : String(x))

/** The text a person typed as a number: digits with an optional point and exponent; commas are refused. */
export const parseNumber = (text: string): { ok: true; value: number } | { ok: false; message: string } => {
  const t = text.trim().replace(/[\s_\u00a0]/g, '').replace(MINUS, '-')
  if (t === '') return { ok: false, message: 'enter a number' }
  if (t.includes(',')) return { ok: false, message: 'use a point for decimals and no thousands separators (2400.5)' }
  const value = Number(t)
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) || !Number.isFinite(value))
    return { ok: false, message: `"${text.trim()}" is not a number` }
  return { ok: true, value }
}

/** An iteration count for prose: 10,000 iterations. */
export const formatIterations = (n: number): string => `${GROUPED[0].format(n)} iteration${n === 1 ? '' : 's'}`

/** Milliseconds for a status line: 180 ms · 1.4 s. */
export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
