// Excel refuses a workbook whose sheet names break its rules (it "repairs" the file and drops
// content), so every name is made legal before it reaches exceljs: at most 31 characters, none
// of []:*?/\, no control characters, not starting or ending with an apostrophe, not the reserved
// "History", and unique without regard to case.

export const maxSheetNameLength = 31

const forbiddenCharacters = /[[\]:*?/\\]/g
const reservedNames = new Set(['history'])

/** A legal sheet name close to `requested` (uniqueness is SheetNames' job). */
export function sanitiseSheetName(requested: string): string {
  let name = requested
    .replace(/\p{Cc}/gu, ' ')
    .replace(forbiddenCharacters, '_')
    .replace(/\s+/g, ' ')
    .trim()
  name = trimApostrophes(truncate(name, maxSheetNameLength))
  if (name === '') name = 'Sheet'
  if (reservedNames.has(name.toLowerCase())) name = `${name}_`
  return name
}

/** Hands out unique sheet names for one workbook: a taken name gets " (2)", " (3)"… within 31 characters. */
export class SheetNames {
  private readonly taken = new Set<string>()

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.taken.add(name.toLowerCase())
  }

  take(requested: string): string {
    const base = sanitiseSheetName(requested)
    let name = base
    for (let copy = 2; this.taken.has(name.toLowerCase()); copy += 1) {
      const suffix = ` (${copy})`
      name = trimApostrophes(truncate(base, maxSheetNameLength - suffix.length)) + suffix
    }
    this.taken.add(name.toLowerCase())
    return name
  }
}

/** At most `length` UTF-16 units without splitting a surrogate pair, and no trailing space. */
function truncate(text: string, length: number): string {
  if (text.length <= length) return text
  let out = ''
  for (const character of text) {
    if (out.length + character.length > length) break
    out += character
  }
  return out.trimEnd()
}

function trimApostrophes(text: string): string {
  return text.replace(/^'+/, '').replace(/'+$/, '').trim()
}
