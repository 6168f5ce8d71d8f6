/** `Schedule<T>` of docs/model.md: a value, or a piecewise-constant value over months, and its schema. */
import { z } from 'zod'

export interface ScheduleEntry<T> {
  fromMonth: number
  value: T
}
/** As written in a scenario file: a plain value holds for every month. */
export type Schedule<T> = T | { schedule: ScheduleEntry<T>[] }

/** At most one entry per month of the longest horizon. */
export const MAX_SCHEDULE_ENTRIES = 120

export const isSchedule = <T>(s: Schedule<T> | undefined): s is { schedule: ScheduleEntry<T>[] } =>
  typeof s === 'object' && s !== null && 'schedule' in s

/** The entries of a schedule; a plain value is one entry from month 0. */
export const scheduleEntries = <T>(s: Schedule<T>): ScheduleEntry<T>[] =>
  isSchedule(s) ? s.schedule : [{ fromMonth: 0, value: s }]

/** The value of month t: the entry with the largest fromMonth <= t. */
export const scheduleValueAt = <T>(s: Schedule<T>, t: number): T => {
  const entries = scheduleEntries(s)
  let value = entries[0].value
  for (const e of entries) if (e.fromMonth <= t) value = e.value
  return value
}

/** The parameter path of schedule entry k of a field: the field's own path when it is a plain value. */
export const schedulePath = (path: string, s: Schedule<unknown> | undefined, k: number): string =>
  isSchedule(s) ? `${path}.schedule[${k}]` : path

const month = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number of months' })
  .min(0, { error: 'must be >= 0 (months from the start)' })

/**
 * A field that takes a `T` or `{ schedule: [{ fromMonth, value }] }`: entries in strictly increasing fromMonth, the
 * first at month 0. That every fromMonth lies within the horizon is checked by the scenario, which knows it.
 */
export const scheduleSchema = <T extends z.ZodType>(value: T) => {
  const entries = z
    .strictObject({
      schedule: z
        .array(z.strictObject({ fromMonth: month, value }), { error: 'must be a list of { fromMonth, value }' })
        .min(1, { error: 'needs at least one entry, the first from month 0' })
        .max(MAX_SCHEDULE_ENTRIES, { error: `may have at most ${MAX_SCHEDULE_ENTRIES} entries` }),
    })
    .superRefine((s, ctx) => {
      // an empty list has its own problem already (min 1), and no first entry to check
      if (s.schedule.length === 0) return
      if (s.schedule[0].fromMonth !== 0)
        ctx.addIssue({
          code: 'custom',
          path: ['schedule', 0, 'fromMonth'],
          message: 'the first entry must start at month 0',
        })
      for (let k = 1; k < s.schedule.length; k++)
        if (s.schedule[k].fromMonth <= s.schedule[k - 1].fromMonth)
          ctx.addIssue({
            code: 'custom',
            path: ['schedule', k, 'fromMonth'],
            message: `must be after the previous entry's month ${s.schedule[k - 1].fromMonth} (entries in order)`,
          })
    })
  // a union, so that openapi.json shows both forms; toFieldProblems (scenario.ts) reports the branch the input
  // chose (an object with a "schedule" key is a schedule) rather than zod's "invalid input"
  return z.union([entries, value], { error: SCHEDULE_UNION })
}

/** The message of a Schedule field's union: toFieldProblems reads the branch the input chose instead. */
export const SCHEDULE_UNION = 'a value, or { schedule: [{ fromMonth, value }] }'
