// The Settings draft is checked with the same zod schema the backend uses, so a problem is shown
// beside its field before Save, and the backend's answer (if it still refuses) lands in the same place.
import { engineSettingsSchema, type EngineSettings } from '../../../../shared/engine-settings'

/** Field path ("houseEdges.slots") → what is wrong there, in words. */
export type FieldErrors = Record<string, string>

function readable(message: string): string {
  if (/received (null|undefined|NaN)/i.test(message)) return 'A value is required.'
  const small = /Too small: expected number to be >=?(-?[\d.e+]+)/i.exec(message)
  if (small) return `Must be at least ${small[1]}.`
  const big = /Too big: expected number to be <=?(-?[\d.e+]+)/i.exec(message)
  if (big) return `Must be at most ${big[1]}.`
  if (/expected int/i.test(message)) return 'Must be a whole number.'
  if (/expected number/i.test(message)) return 'Enter a number.'
  const sentence = message.charAt(0).toUpperCase() + message.slice(1)
  return sentence.endsWith('.') ? sentence : `${sentence}.`
}

export function validateSettings(draft: unknown): { settings?: EngineSettings; errors: FieldErrors } {
  const parsed = engineSettingsSchema.safeParse(draft)
  if (parsed.success) return { settings: parsed.data, errors: {} }
  return { errors: issuesToErrors(parsed.error.issues) }
}

export function issuesToErrors(issues: readonly { path: readonly PropertyKey[] | string; message: string }[], dropPrefix = ''): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    let path = typeof issue.path === 'string' ? issue.path : issue.path.map(String).join('.')
    if (dropPrefix && path.startsWith(dropPrefix)) path = path.slice(dropPrefix.length)
    errors[path] ??= readable(issue.message)
  }
  return errors
}

/** 0.027 → 2.7 (percent), without binary noise. */
export function toPercent(share: number | null | undefined): number | '' {
  if (share === null || share === undefined || Number.isNaN(share)) return ''
  return Math.round(share * 1e8) / 1e6
}

export function fromPercent(percent: number | string): number | null {
  if (typeof percent !== 'number') return null
  return Math.round(percent * 1e6) / 1e8
}

/** "Must be at most 1." about a share → "Must be at most 100 %." for a field edited in percent. */
export function percentError(error: string | undefined): string | undefined {
  return error?.replace(/^Must be at (most|least) (-?[\d.e+]+)\.$/, (_, bound: string, value: string) => `Must be at ${bound} ${toPercent(Number(value))} %.`)
}
