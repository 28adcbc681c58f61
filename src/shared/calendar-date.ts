// One rule for a date that comes in from outside (an as-of date, a report or list range): YYYY-MM-DD
// naming a real calendar day. 2026-13-01 and 2026-02-30 are refused, never rolled over into another
// day, so the ledger never records a day that does not exist. The CLI, the API schemas (and so the
// desktop and web UI) all check dates with this module.
import { z } from 'zod'

const shape = /^(\d{4})-(\d{2})-(\d{2})$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** What is wrong with `text` as a calendar date; undefined when it is one. */
export function calendarDateProblem(text: string): 'expected a date as YYYY-MM-DD' | 'expected a real calendar date' | undefined {
  const match = shape.exec(text)
  if (!match) return 'expected a date as YYYY-MM-DD'
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return 'expected a real calendar date'
  return undefined
}

export function isCalendarDate(text: string): boolean {
  return calendarDateProblem(text) === undefined
}

/** The rule as a zod schema, for the API's input schemas. */
export const calendarDateSchema = z.string().superRefine((value, context) => {
  const problem = calendarDateProblem(value)
  if (problem) context.addIssue({ code: 'custom', message: problem })
})
