// Option values checked while commander parses them: a bad one is a usage error (exit 2) whose
// message commander prefixes with the option and the value ("option '--as-of <date>' argument
// '2026-13-01' is invalid."), so nothing has been opened or written when it is refused.
import { InvalidArgumentError } from 'commander'
import { calendarDateProblem } from '../../shared/calendar-date'
import { segmentNameList } from '../../shared/engine-settings'

export type SegmentOption = (typeof segmentNameList)[number]

/** A real calendar day, YYYY-MM-DD: the same rule as the API's input schemas. */
export function calendarDateOption(value: string): string {
  const problem = calendarDateProblem(value)
  if (problem === 'expected a real calendar date') throw new InvalidArgumentError(`It must be a real calendar date as YYYY-MM-DD: there is no day ${value}.`)
  if (problem) throw new InvalidArgumentError('It must be a real calendar date: expected a date as YYYY-MM-DD, e.g. 2026-11-20.')
  return value
}

/** A segment code in any case, returned upper-case. */
export function segmentOption(value: string): SegmentOption {
  const segment = segmentNameList.find((name) => name === value.toUpperCase())
  if (!segment) throw new InvalidArgumentError(`Expected a segment: ${segmentNameList.join(', ')} (in any case).`)
  return segment
}

/** DMY or MDY, in any case, returned upper-case. */
export function dateOrderOption(value: string): 'DMY' | 'MDY' {
  const order = value.toUpperCase()
  if (order !== 'DMY' && order !== 'MDY') throw new InvalidArgumentError('Expected DMY (day first) or MDY (month first).')
  return order
}

/** A whole number from `min` to `max`. */
export function wholeNumberOption(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value)
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`)
    }
    return number
  }
}

/** One of `choices`, in any case, returned lower-case. */
export function choiceOption<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    const choice = choices.find((each) => each === value.toLowerCase())
    if (!choice) throw new InvalidArgumentError(`Expected one of ${choices.join(', ')}.`)
    return choice
  }
}
