// Number formatting in the operator's locale. Money formatting joins when amounts reach the UI.
const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })

export function formatCount(value: number): string {
  return countFormat.format(value)
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`
}

/** The money currency of the workstation (Settings); amounts arrive in its integer minor units. */
export interface MoneySettings {
  code: string
  minorDigits: number
}

export const defaultMoney: MoneySettings = { code: 'EUR', minorDigits: 2 }

const moneyFormats = new Map<string, Intl.NumberFormat>()

/** Integer minor units → "€1,234.56" in the operator's locale; the only place money becomes a decimal. */
export function formatMoney(minorUnits: number, money: MoneySettings = defaultMoney): string {
  const key = `${money.code}:${money.minorDigits}`
  let format = moneyFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.code, minimumFractionDigits: money.minorDigits, maximumFractionDigits: money.minorDigits })
    moneyFormats.set(key, format)
  }
  return format.format(minorUnits / 10 ** money.minorDigits)
}

/** An amount in a reward currency: BONUS is money, LP/RP are points, TICKETS are tickets. */
export function formatAmount(amount: number, currency: string, money: MoneySettings = defaultMoney): string {
  if (currency === 'BONUS') return formatMoney(amount, money)
  return `${formatCount(amount)} ${currency}`
}

/** Seconds as "1 min 05 s" / "12 s", for an ETA. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—'
  const whole = Math.round(seconds)
  if (whole < 60) return `${whole} s`
  const minutes = Math.floor(whole / 60)
  return `${minutes} min ${String(whole % 60).padStart(2, '0')} s`
}
