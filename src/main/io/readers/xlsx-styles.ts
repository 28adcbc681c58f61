// Which numeric cells are dates: a cell's style (s="N") indexes styles.xml's <cellXfs>, whose <xf>
// names a number format; the format decides.
//
// - Built-in formats (not written to the file, only their ids): 14–17 and 22 are dates (22 with a
//   time); 27–31, 36 and 50–58 are the East Asian locales' date formats and are read as dates too.
//   18–21 (h:mm AM/PM, h:mm:ss AM/PM, h:mm, h:mm:ss) and 45–47 (mm:ss, [h]:mm:ss, mm:ss.0) show
//   a time or an elapsed time only, see below.
// - Custom formats (<numFmt formatCode>): the first section (before ';') is scanned for tokens
//   outside "quoted text", \escaped characters, _ and * padding, and [brackets] (colours,
//   conditions, locales). d or y → date; m alone (no h or s) → a month, so a date; h, s, or m next
//   to them → a time of day; [h], [m] or [s] → an elapsed time. "General", AM/PM and A/P are not
//   tokens; e (era year) is ignored because it is also the exponent in 0.00E+00.
// - Dates become JS Dates (UTC). Formats with a time but no date part become
//   { durationDays: number }: an elapsed time ([h]:mm shows 36:00 for 1.5) is a number of days, and
//   so is a time of day (12:30 is 0.5208…): in an operator's sheet a clock-formatted cell is almost
//   always an amount of time typed as h:mm (a playtime), and as a Date on 1899-12-30 it would be
//   useless to the importer.
import { scanTags } from './xlsx-xml'

export const kindNumber = 0
export const kindDate = 1
export const kindDuration = 2
/** 0% and 0.00% (built-in 9 and 10) or a custom format with % outside quotes: the cell shows 10% for 0.1. */
export const kindPercent = 3
export type FormatKind = typeof kindNumber | typeof kindDate | typeof kindDuration | typeof kindPercent

function builtinKind(id: number): FormatKind {
  if ((id >= 14 && id <= 17) || id === 22 || (id >= 27 && id <= 31) || id === 36 || (id >= 50 && id <= 58)) return kindDate
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return kindDuration
  if (id === 9 || id === 10) return kindPercent
  return kindNumber
}

/** The kind of value a custom number format displays (see the header comment). */
export function formatKind(code: string): FormatKind {
  let date = false
  let time = false
  let month = false
  let elapsed = false
  let percent = false
  const lower = code.toLowerCase()
  const n = lower.length
  for (let i = 0; i < n; i++) {
    const c = lower[i]!
    if (c === ';') break // only the first section (positive numbers) matters
    if (c === '"') {
      const close = lower.indexOf('"', i + 1)
      if (close === -1) break
      i = close
    } else if (c === '\\' || c === '_' || c === '*') {
      i++
    } else if (c === '[') {
      const close = lower.indexOf(']', i + 1)
      if (close === -1) break
      if (/^(?:h+|m+|s+)$/.test(lower.slice(i + 1, close))) elapsed = true
      i = close
    } else if (lower.startsWith('general', i)) {
      i += 6
    } else if (lower.startsWith('am/pm', i)) {
      i += 4
      time = true
    } else if (lower.startsWith('a/p', i)) {
      i += 2
      time = true
    } else if (c === 'd' || c === 'y') {
      date = true
    } else if (c === 'h' || c === 's') {
      time = true
    } else if (c === 'm') {
      month = true
    } else if (c === '%') {
      percent = true
    }
  }
  if (elapsed) return kindDuration
  if (date) return kindDate
  if (time) return kindDuration
  if (month) return kindDate
  if (percent) return kindPercent
  return kindNumber
}

/** One kind per <cellXfs> entry, in order (a cell's s attribute indexes it). */
export function parseStyles(xml: string, part: string): Uint8Array {
  const custom = new Map<number, FormatKind>()
  const kinds: number[] = []
  let inCellXfs = false
  scanTags(xml, part, (tag) => {
    if (tag.name === 'numFmt' && tag.kind !== 'close') {
      const id = Number(tag.attrs.get('numFmtId'))
      const code = tag.attrs.get('formatCode')
      if (Number.isInteger(id) && code !== undefined) custom.set(id, formatKind(code))
    } else if (tag.name === 'cellXfs') {
      inCellXfs = tag.kind === 'open'
    } else if (tag.name === 'xf' && inCellXfs && tag.kind !== 'close') {
      const id = Number(tag.attrs.get('numFmtId') ?? '0')
      kinds.push(Number.isInteger(id) ? (custom.get(id) ?? builtinKind(id)) : kindNumber)
    }
  })
  return Uint8Array.from(kinds)
}
