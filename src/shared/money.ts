// Money and points are integers below the UI: money in minor units (cents), points whole.
// One rounding rule everywhere a fractional amount becomes an integer: the value is first snapped
// to a millionth of a unit (to absorb binary floating-point noise such as 123.45 * 0.1 =
// 12.344999…), then rounded half away from zero. It is applied once, at the point of issue.

export const currencyCodes = ['LP', 'RP', 'BONUS', 'TICKETS'] as const
export type Currency = (typeof currencyCodes)[number]

/** Money currencies have minor units; points and tickets are whole numbers. */
export function isMoneyCurrency(currency: Currency): boolean {
  return currency === 'BONUS'
}

const noiseSnap = 1e6

/** The project's one rounding rule: snap to 1e-6, then half away from zero. */
export function roundToInteger(value: number): number {
  if (!Number.isFinite(value)) return Number.NaN
  const snapped = Math.round(value * noiseSnap) / noiseSnap
  const rounded = Math.sign(snapped) * Math.floor(Math.abs(snapped) + 0.5)
  return rounded === 0 ? 0 : rounded // no -0 in the ledger
}

/** Major units as operators write them (500 = 500.00) to integer minor units. */
export function majorToMinor(major: number, minorDigits: number): number {
  return roundToInteger(major * 10 ** minorDigits)
}

export function minorToMajor(minor: number, minorDigits: number): number {
  return minor / 10 ** minorDigits
}

/** Units of an amount in a currency: minor digits for money, none for points and tickets. */
export function unitDigits(currency: Currency, moneyMinorDigits: number): number {
  return isMoneyCurrency(currency) ? moneyMinorDigits : 0
}

/** Plain text amount, e.g. 124000 minor with 2 digits → "1,240.00"; points → "1,240". */
export function formatAmount(amount: number, digits: number, locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits)
}

export const maxSafeAmount = Number.MAX_SAFE_INTEGER
