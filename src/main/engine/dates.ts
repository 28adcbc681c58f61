// Business dates as whole day numbers (days since 1970-01-01, UTC). Pure: no clock.
const millisecondsPerDay = 86_400_000
const isoDate = /^(\d{4})-(\d{2})-(\d{2})/

export function dayNumber(date: string): number {
  // Fast path for the usual well-formed YYYY-MM-DD…: digits read directly and the civil-date
  // arithmetic done inline (the regex + Date.UTC below cost ~150 ns a call, three calls a player
  // when the base is built). Anything unusual takes the general path, so results are identical.
  const fast = civilDayNumber(date)
  if (fast === fast) return fast
  const match = isoDate.exec(date)
  if (!match) return Number.NaN
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / millisecondsPerDay
}

/** Days since 1970-01-01 of a plain YYYY-MM-DD prefix (year 1000–9999, month 1–12, day 1–31); NaN otherwise. */
function civilDayNumber(date: string): number {
  if (date.length < 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return Number.NaN
  const y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3)
  const m = digit(date, 5) * 10 + digit(date, 6)
  const d = digit(date, 8) * 10 + digit(date, 9)
  // digit() gives NaN or a large number for a non-digit, which fails these checks.
  if (!(y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return Number.NaN
  // Days from civil (H. Hinnant's algorithm): March-based years make February the last month, so
  // a day past a month's end rolls over exactly as Date.UTC does.
  const year = m <= 2 ? y - 1 : y
  const era = Math.floor(year / 400)
  const yearOfEra = year - era * 400
  const monthFromMarch = m > 2 ? m - 3 : m + 9
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + d - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48
  return code >= 0 && code <= 9 ? code : Number.NaN
}

export function dateOfDay(day: number): string {
  return new Date(day * millisecondsPerDay).toISOString().slice(0, 10)
}

/** ISO-8601 week key, e.g. 2026-W48: the period key of per-week rewards and caps. */
export function isoWeekKey(date: string): string {
  const day = dayNumber(date)
  const weekday = (new Date(day * millisecondsPerDay).getUTCDay() + 6) % 7 // Monday = 0
  const thursday = day - weekday + 3
  const year = new Date(thursday * millisecondsPerDay).getUTCFullYear()
  const firstThursday = dayNumber(`${year}-01-04`)
  const firstWeekday = (new Date(firstThursday * millisecondsPerDay).getUTCDay() + 6) % 7
  const week = 1 + Math.round((thursday - (firstThursday - firstWeekday + 3)) / 7)
  return `${year}-W${String(week).padStart(2, '0')}`
}

export function monthKey(date: string): string {
  return date.slice(0, 7)
}
