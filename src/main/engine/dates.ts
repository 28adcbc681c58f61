// Business dates as whole day numbers (days since 1970-01-01, UTC). Pure: no clock.
const millisecondsPerDay = 86_400_000
const isoDate = /^(\d{4})-(\d{2})-(\d{2})/

export function dayNumber(date: string): number {
  const match = isoDate.exec(date)
  if (!match) return Number.NaN
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / millisecondsPerDay
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
