// Header recognition for the player summary sheet (DESIGN.md "Data in").
// A header cell is matched against each field's synonyms after normalisation: case, spaces,
// underscores, hyphens and punctuation do not matter ("Player ID" = "player_id" = "PlayerId").
// A trailing currency code is ignored when nothing else matches ("Turnover EUR" = "Turnover").
// A saved per-source profile (source header → field) is applied first and wins over synonyms.
//
// Decisions:
// - Two columns for one field: the first (leftmost) is used, the others are reported in `duplicates`
//   and ignored.
// - Empty header cells are skipped (a merged header cell arrives as its text followed by empty cells).
// - Required: player_id, total_wagered, and one of total_won / net_pnl / ggr (each lets the row
//   derive total_won). When total_won is present the alternatives are not used.
// - Lookups use Maps, so hostile headers such as "__proto__" or "constructor" are just unknown text.

export const fieldNames = [
  'player_id',
  'total_deposited',
  'total_wagered',
  'total_won',
  'sessions',
  'playtime_hours',
  'last_deposit_date',
  'registration_date',
  'total_withdrawn',
  'bonus_received',
  'country',
  'ip',
  'device_id',
  'game_types',
  'last_active_date',
  'net_pnl',
  'ggr',
] as const
export type FieldName = (typeof fieldNames)[number]

export type FieldKind = 'id' | 'money' | 'signedMoney' | 'count' | 'hours' | 'date' | 'text' | 'list'

export interface FieldSpec {
  field: FieldName
  /** How the operator reads it in messages. */
  label: string
  kind: FieldKind
  /** Accepted header names as an operator would write them; matching normalises them. */
  synonyms: readonly string[]
}

export const fieldSpecs: readonly FieldSpec[] = [
  {
    field: 'player_id',
    label: 'player id',
    kind: 'id',
    synonyms: ['Player ID', 'PlayerId', 'Player', 'Player No', 'Player Number', 'UID', 'User ID', 'Customer ID', 'Customer No', 'Client ID', 'Account ID', 'Account No', 'Member ID', 'ID'],
  },
  {
    field: 'total_deposited',
    label: 'total deposited',
    kind: 'money',
    synonyms: ['Total Deposited', 'Total Deposits', 'Deposits', 'Deposited', 'Deposit Total', 'Deposit Amount', 'Lifetime Deposits', 'Sum of Deposits'],
  },
  {
    field: 'total_wagered',
    label: 'total wagered',
    kind: 'money',
    synonyms: ['Total Wagered', 'Wagered', 'Total Wager', 'Wager', 'Wagers', 'Turnover', 'Total Turnover', 'Total Bets', 'Bets', 'Total Bet', 'Bet Amount', 'Stakes', 'Total Stakes', 'Total Staked', 'Staked', 'Handle', 'Coin In'],
  },
  {
    field: 'total_won',
    label: 'total won',
    kind: 'money',
    synonyms: ['Total Won', 'Won', 'Winnings', 'Total Winnings', 'Wins', 'Total Wins', 'Win Amount', 'Coin Out'],
  },
  {
    field: 'sessions',
    label: 'sessions',
    kind: 'count',
    synonyms: ['Sessions', 'Session Count', 'Sessions Count', 'Number of Sessions', 'Total Sessions', 'Logins', 'Login Count', 'Visits'],
  },
  {
    field: 'playtime_hours',
    label: 'playtime (hours)',
    kind: 'hours',
    synonyms: ['Playtime Hours', 'Playtime', 'Play Time', 'Play Time Hours', 'Hours Played', 'Time Played', 'Total Playtime', 'Playtime (h)', 'Hours'],
  },
  {
    field: 'last_deposit_date',
    label: 'last deposit date',
    kind: 'date',
    synonyms: ['Last Deposit Date', 'Last Deposit', 'Last Deposited', 'Last Deposit On', 'Date of Last Deposit'],
  },
  {
    field: 'registration_date',
    label: 'registration date',
    kind: 'date',
    synonyms: ['Registration Date', 'Registered', 'Registered On', 'Registration', 'Reg Date', 'Signup Date', 'Sign-up Date', 'Sign Up', 'Join Date', 'Joined', 'Created', 'Created At', 'Account Created'],
  },
  {
    field: 'total_withdrawn',
    label: 'total withdrawn',
    kind: 'money',
    synonyms: ['Total Withdrawn', 'Withdrawn', 'Total Withdrawals', 'Withdrawals', 'Withdrawal Total', 'Cashouts', 'Cash Out', 'Total Cashout'],
  },
  {
    field: 'bonus_received',
    label: 'bonus received',
    kind: 'money',
    synonyms: ['Bonus Received', 'Bonuses Received', 'Total Bonus', 'Total Bonuses', 'Bonus', 'Bonuses', 'Bonus Amount', 'Bonus Total'],
  },
  { field: 'country', label: 'country', kind: 'text', synonyms: ['Country', 'Country Code', 'Nation'] },
  { field: 'ip', label: 'IP address', kind: 'text', synonyms: ['IP', 'IP Address', 'Last IP', 'Login IP', 'Last Login IP'] },
  { field: 'device_id', label: 'device id', kind: 'text', synonyms: ['Device ID', 'Device', 'Device Fingerprint', 'Fingerprint', 'Last Device'] },
  {
    field: 'game_types',
    label: 'game types',
    kind: 'list',
    synonyms: ['Game Types', 'Game Type', 'Games', 'Games Played', 'Game Categories', 'Verticals', 'Products'],
  },
  {
    field: 'last_active_date',
    label: 'last active date',
    kind: 'date',
    synonyms: ['Last Active Date', 'Last Active', 'Last Activity', 'Last Activity Date', 'Last Login', 'Last Login Date', 'Last Seen', 'Last Played'],
  },
  {
    field: 'net_pnl',
    label: 'net result (player)',
    kind: 'signedMoney',
    synonyms: ['Net Result', 'Net PnL', 'PnL', 'P&L', 'Profit and Loss', 'Player Result', 'Player Net', 'Net Player Result', 'Net Win Loss', 'Player Win Loss'],
  },
  {
    field: 'ggr',
    label: 'GGR (operator revenue)',
    kind: 'signedMoney',
    synonyms: ['GGR', 'Gross Gaming Revenue', 'Gross Revenue', 'House Win', 'Operator Win'],
  },
]

const specByField = new Map<string, FieldSpec>(fieldSpecs.map((spec) => [spec.field, spec]))

export function fieldSpec(field: FieldName): FieldSpec {
  return specByField.get(field)!
}

export function isFieldName(value: unknown): value is FieldName {
  return typeof value === 'string' && specByField.has(value)
}

/** Lower case, no spaces, underscores, hyphens or punctuation: "Player-ID " → "playerid". */
export function normalizeHeader(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

const fieldBySynonym = new Map<string, FieldName>()
for (const spec of fieldSpecs) {
  for (const name of [spec.field, ...spec.synonyms]) {
    const key = normalizeHeader(name)
    const existing = fieldBySynonym.get(key)
    if (existing !== undefined && existing !== spec.field) throw new Error(`header synonym "${name}" is claimed by ${existing} and ${spec.field}`)
    fieldBySynonym.set(key, spec.field)
  }
}

const currencyCodeSuffix = /(?:eur|usd|gbp|chf|cad|aud)$/

/** The field a header names by its synonyms, if any. */
export function matchField(header: string): FieldName | undefined {
  const key = normalizeHeader(header)
  if (key === '') return undefined
  const direct = fieldBySynonym.get(key)
  if (direct !== undefined) return direct
  const withoutCurrency = key.replace(currencyCodeSuffix, '')
  return withoutCurrency !== key && withoutCurrency !== '' ? fieldBySynonym.get(withoutCurrency) : undefined
}

/** Header text of a cell: strings trimmed, numbers as digits, rich text joined; anything else empty. */
export function headerText(cell: unknown): string {
  try {
    if (typeof cell === 'string') return cell.trim()
    if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell)
    if (typeof cell === 'object' && cell !== null && !Array.isArray(cell) && !(cell instanceof Date)) {
      const record = cell as Record<string, unknown>
      if (Array.isArray(record.richText)) {
        return (record.richText as unknown[])
          .map((run) => (typeof run === 'object' && run !== null && typeof (run as Record<string, unknown>).text === 'string' ? (run as { text: string }).text : ''))
          .join('')
          .trim()
      }
      if (typeof record.text === 'string') return record.text.trim()
      if ('result' in record && typeof record.result === 'string') return record.result.trim()
    }
  } catch {
    // an unreadable cell is an empty header
  }
  return ''
}

export interface MappedColumn {
  field: FieldName
  index: number
  header: string
}

export interface HeaderMapping {
  columns: MappedColumn[]
  /** Non-empty headers that name no field (candidates for the interactive mapping). */
  unknown: { index: number; header: string }[]
  missingRequired: FieldName[]
  /** Later columns naming a field already taken by an earlier column; they are ignored. */
  duplicates: { field: FieldName; index: number; header: string; usedIndex: number }[]
}

/** A saved mapping's value that means "do not import this column". */
export const ignoreColumn = 'ignore'

const maxHeaderLength = 1_000

/**
 * Recognises a header row. `mapping` is a saved profile, source header → field name (or "ignore");
 * its keys are compared normalised, like synonyms. Invalid field names in it are ignored.
 */
export function mapHeader(cells: readonly unknown[], mapping?: Readonly<Record<string, string>>): HeaderMapping {
  const profile = new Map<string, string>()
  if (mapping) {
    for (const [source, target] of Object.entries(mapping)) {
      if (typeof target === 'string' && (target === ignoreColumn || isFieldName(target))) profile.set(normalizeHeader(source.slice(0, maxHeaderLength)), target)
    }
  }
  const columns: MappedColumn[] = []
  const unknown: HeaderMapping['unknown'] = []
  const duplicates: HeaderMapping['duplicates'] = []
  const used = new Map<FieldName, MappedColumn>()
  for (let index = 0; index < cells.length; index += 1) {
    const full = headerText(cells[index])
    if (full === '') continue
    const header = full.slice(0, maxHeaderLength)
    const key = normalizeHeader(header)
    const saved = profile.get(key)
    if (saved === ignoreColumn) continue
    const field = saved !== undefined && isFieldName(saved) ? saved : matchField(header)
    if (field === undefined) {
      unknown.push({ index, header })
      continue
    }
    const earlier = used.get(field)
    if (earlier) {
      duplicates.push({ field, index, header, usedIndex: earlier.index })
      continue
    }
    const column = { field, index, header }
    used.set(field, column)
    columns.push(column)
  }
  const missingRequired: FieldName[] = []
  if (!used.has('player_id')) missingRequired.push('player_id')
  if (!used.has('total_wagered')) missingRequired.push('total_wagered')
  if (!used.has('total_won') && !used.has('net_pnl') && !used.has('ggr')) missingRequired.push('total_won')
  return { columns, unknown, missingRequired, duplicates }
}

function quoteHeader(header: string): string {
  return header.length > 40 ? `"${header.slice(0, 40)}…"` : `"${header}"`
}

function acceptedNames(field: FieldName): string {
  return fieldSpec(field).synonyms.join(', ')
}

/**
 * The one-paragraph refusal for a header that lacks a required column: what is missing, the names
 * accepted for it, and every column found. Undefined when nothing required is missing.
 */
export function refusalMessage(result: HeaderMapping): string | undefined {
  if (result.missingRequired.length === 0) return undefined
  const missing = result.missingRequired.map((field) => {
    if (field === 'total_won') {
      return `a ${fieldSpec('total_won').label} column (accepted names: ${acceptedNames('total_won')}), or instead a ${fieldSpec('net_pnl').label} column (${acceptedNames('net_pnl')}) or a ${fieldSpec('ggr').label} column (${acceptedNames('ggr')})`
    }
    return `a ${fieldSpec(field).label} column (accepted names: ${acceptedNames(field)})`
  })
  const found = [
    ...result.columns.map((column) => ({ index: column.index, text: `${quoteHeader(column.header)} (${column.field})` })),
    ...result.duplicates.map((column) => ({ index: column.index, text: `${quoteHeader(column.header)} (second ${column.field}, ignored)` })),
    ...result.unknown.map((column) => ({ index: column.index, text: `${quoteHeader(column.header)} (not recognised)` })),
  ].sort((a, b) => a.index - b.index)
  const shown = found.slice(0, 50).map((each) => each.text)
  if (found.length > 50) shown.push(`and ${found.length - 50} more`)
  const foundText = found.length === 0 ? 'No column headers were found.' : `Columns found: ${shown.join(', ')}.`
  return (
    `This sheet cannot be imported: it needs ${missing.join('; and ')}. ${foundText} ` +
    'Rename the column in the sheet or map it to a field, then import again.'
  )
}

/**
 * Why a sheet's header cannot be imported, given what `findHeaderRow` found in its first rows:
 * the refusal for that header, or, when no row names any field, for the widest of the first
 * `maxScan` rows (the first on a tie: a header above its data, not a one-cell title) read as the
 * header, so the operator always sees the names accepted for each missing column. Undefined when
 * the header found has every required column.
 */
export function headerRefusal(
  found: { header: HeaderMapping } | undefined,
  rows: readonly (readonly unknown[])[],
  maxScan = 20,
  mapping?: Readonly<Record<string, string>>,
): string | undefined {
  if (found) return refusalMessage(found.header)
  return refusalMessage(mapHeader(widestRow(rows.slice(0, maxScan)), mapping))
}

/** The row with the most non-empty cells, the first on a tie: read as the header when no row names a field. */
export function widestRow(rows: readonly (readonly unknown[])[]): readonly unknown[] {
  let widest: readonly unknown[] = []
  let widestCount = 0
  for (const row of rows) {
    const count = Array.isArray(row) ? row.filter((cell) => headerText(cell) !== '').length : 0
    if (count > widestCount) [widest, widestCount] = [row, count]
  }
  return widest
}

/**
 * The header row among the first `maxScan` rows (title rows above it are skipped): the row that
 * recognises the most required fields, then the most fields; the first such row on a tie.
 * Undefined when no row names any field.
 */
export function findHeaderRow(
  rows: readonly (readonly unknown[])[],
  maxScan = 20,
  mapping?: Readonly<Record<string, string>>,
): { rowIndex: number; header: HeaderMapping; cells: readonly unknown[] } | undefined {
  let best: { rowIndex: number; header: HeaderMapping; cells: readonly unknown[]; required: number; fields: number } | undefined
  const consider = (rowIndex: number, cells: readonly unknown[]) => {
    const header = mapHeader(cells, mapping)
    const fields = header.columns.length
    if (fields === 0) return
    const required = 3 - header.missingRequired.length
    if (!best || required > best.required || (required === best.required && fields > best.fields)) best = { rowIndex, header, cells, required, fields }
  }
  const limit = Math.min(rows.length, maxScan)
  for (let rowIndex = 0; rowIndex < limit; rowIndex += 1) {
    const row = rows[rowIndex]
    if (!Array.isArray(row)) continue
    consider(rowIndex, row)
    const above = rowIndex > 0 ? rows[rowIndex - 1] : undefined
    if (Array.isArray(above)) {
      const filled = headerFilledFromAbove(row, above)
      if (filled) consider(rowIndex, filled)
    }
  }
  return best && { rowIndex: best.rowIndex, header: best.header, cells: best.cells }
}

/**
 * A header over two rows, as spreadsheets lay out grouped columns: a cell merged down over both
 * rows ("Player ID" in A1:A2) keeps its text in the top row only, while the bottom row names the
 * columns under a group label ("Totals" over "Deposited | Wagered | Won"). Reading the bottom row
 * with its blank cells taken from the row above gives every column its name. Undefined when that
 * changes nothing (no blank cell in `row` has text above it).
 */
function headerFilledFromAbove(row: readonly unknown[], above: readonly unknown[]): unknown[] | undefined {
  let changed = false
  const width = Math.max(row.length, above.length)
  const filled: unknown[] = new Array(width)
  for (let index = 0; index < width; index += 1) {
    const own = row[index]
    if (headerText(own) === '' && headerText(above[index]) !== '') {
      filled[index] = above[index]
      changed = true
    } else {
      filled[index] = own
    }
  }
  return changed ? filled : undefined
}
