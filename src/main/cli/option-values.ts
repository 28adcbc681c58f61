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
