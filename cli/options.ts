/** Parsers of the options commands share: whole numbers within a range, and seeds. */
import { InvalidArgumentError } from 'commander'

/** The most iterations any command runs. */
export const MAX_ITERATIONS = 10_000_000

/** A whole number in [min, max]; the error names the option and the range. */
export const wholeNumber = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value)
  const whole = /^\d+$/.test(value.trim()) && Number.isSafeInteger(n)
  if (!whole || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max.toLocaleString('en-GB')}`)
  return n
}

/** A seed is any text; one that looks like an integer is kept as a number (the same stream either way). */
export const parseSeed = (value: string): string | number => (/^-?\d{1,15}$/.test(value) ? Number(value) : value)
