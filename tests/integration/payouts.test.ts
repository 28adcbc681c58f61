import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/shared/api/result'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { bonusLots, players } from '../../src/main/ledger/schema'
import { postTransfers, type TransferRequest } from '../../src/main/ledger/transfers'
import { confirmPayouts, exportPayouts, listPayouts, queuePayouts } from '../../src/main/ledger/payouts'
import { csvRecords } from '../../src/main/io/payout-file'
import { reverseTransfer } from '../../src/main/ledger/wallet'
import { csvField, neutraliseCell, restoreNeutralised } from '../../src/main/io/spreadsheet-safety'
import { useTempDir } from '../helpers/temp'

const now = '2026-01-31T12:00:00.000Z'
const later = '2026-02-01T09:30:00.000Z'
const evil = '=HYPERLINK("http://x","y")'

const keys = {
  bonus: 'reward:R1:v1:P1:2026-01',
  points: 'reward:R2:v1:P2:2026-01',
  tickets: 'reward:R3:v1:EVIL:2026-01',
  loyalty: 'reward:R4:v1:P1:2026-01',
  adjustment: 'adjust:P2:1',
}

const transfer = (key: string, player: string, currency: TransferRequest['currency'], amount: number, kind: TransferRequest['kind'] = 'reward'): TransferRequest => ({
  idempotencyKey: key,
  from: { system: kind === 'reward' ? 'issuance' : 'adjustment' },
  to: { player },
  currency,
  amount,
  kind,
  reason: `${kind} for ${player}`,
  sourceType: kind === 'reward' ? 'rule_version' : 'operator',
  sourceId: 'R:v1',
})

/** A ledger with one BONUS reward (with a wagering lot), one RP, one TICKETS, one LP reward and an adjustment. */
function seededLedger(folder: string): LedgerDatabase {
  const database = LedgerDatabase.open({ path: join(folder, 'ledger.sqlite') })
  database.write((tx) => {
    for (const externalId of ['P1', 'P2', evil]) tx.insert(players).values({ externalId, firstSeenAt: now, updatedAt: now }).run()
  })
  postTransfers(
    database,
    [
      transfer(keys.bonus, 'P1', 'BONUS', 5000),
      transfer(keys.points, 'P2', 'RP', 250),
      transfer(keys.tickets, evil, 'TICKETS', 3),
      transfer(keys.loyalty, 'P1', 'LP', 30),
      transfer(keys.adjustment, 'P2', 'BONUS', 100, 'adjustment'),
    ],
    now,
  )
  const bonusTransferId = transferId(database, keys.bonus)
  database.write((tx) => {
    tx.insert(bonusLots)
      .values({
        playerId: 1,
        issueTransferId: bonusTransferId,
        amount: 5000,
        wageringTarget: 175_000,
        maxBet: 500,
        contributions: { slots: 10_000, table: 1000, live: 0 },
        expiresAt: '2026-02-28',
        status: 'open',
      })
      .run()
  })
  return database
}

function transferId(database: LedgerDatabase, key: string): number {
  return (database.readRaw('SELECT id FROM ledger_transfers WHERE idempotency_key = ?').get(key) as { id: number }).id
}

function statuses(database: LedgerDatabase): Record<string, string> {
  const rows = database.readRaw('SELECT reference, status FROM payout_items ORDER BY id').all() as { reference: string; status: string }[]
  return Object.fromEntries(rows.map((row) => [row.reference, row.status]))
}

async function parseCsv(text: string, delimiter = ','): Promise<string[][]> {
  const records: string[][] = []
  async function* chunks() {
    yield text.replace(/^\uFEFF/, '')
  }
  for await (const record of csvRecords(chunks(), delimiter)) records.push(record)
  return records
}

async function caught(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiFailure) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

const header = ['player_id', 'currency', 'amount', 'amount_minor', 'wagering_multiple', 'max_bet', 'expires_at', 'eligible_games', 'reference']

describe('spreadsheet safety', () => {
  it('neutralises every formula-leading character and leaves other text alone', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', evil]) expect(neutraliseCell(text)).toBe(`'${text}`)
    for (const text of ['P1', '', "'quoted", '1=1', ' =1']) expect(neutraliseCell(text)).toBe(text)
    expect(restoreNeutralised(neutraliseCell(evil))).toBe(evil)
    expect(restoreNeutralised("'plain")).toBe("'plain")
  })

  it('quotes CSV fields per RFC 4180 and keeps numbers as numbers', () => {
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"')
    expect(csvField(evil)).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(csvField(-12.5, { decimals: 2 })).toBe('-12.50')
    expect(csvField(-3)).toBe('-3')
    expect(csvField(1e21)).toBe('1000000000000000000000')
    expect(csvField(null)).toBe('')
    expect(csvField('x;y', { delimiter: ';' })).toBe('"x;y"')
    expect(() => csvField(Number.NaN)).toThrow(RangeError)
  })
})

describe('payouts', () => {
  const tempDir = useTempDir()

  it('queues reward credits in BONUS, RP and TICKETS only, once', () => {
    const database = seededLedger(tempDir())
    expect(queuePayouts(database, 'all-rewards', now)).toEqual({ queued: 3, alreadyQueued: 0 })
    expect(queuePayouts(database, 'all-rewards', later)).toEqual({ queued: 0, alreadyQueued: 3 })
    expect(statuses(database)).toEqual({ [keys.bonus]: 'pending', [keys.points]: 'pending', [keys.tickets]: 'pending' })
    const item = listPayouts(database, { status: 'pending' }).items[0]
    expect(item).toMatchObject({ playerId: 'P1', currency: 'BONUS', amount: 5000, reference: keys.bonus, status: 'pending', exportBatch: null })
    expect(queuePayouts(database, [transferId(database, keys.bonus)], later)).toEqual({ queued: 0, alreadyQueued: 1 })
  })

  it('refuses an explicit list with an LP, non-reward, reversed or unknown transfer, queuing none of it', () => {
    const database = seededLedger(tempDir())
    const points = transferId(database, keys.points)
    postTransfers(
      database,
      [{ ...transfer('reverse:R2:P2', 'P2', 'RP', 250, 'reversal'), from: { player: 'P2' }, to: { system: 'issuance' }, sourceType: 'reversal', reversesTransferId: points }],
      now,
    )
    const ids = [transferId(database, keys.bonus), transferId(database, keys.loyalty), transferId(database, keys.adjustment), points, 999]
    expect(() => queuePayouts(database, ids, now)).toThrow(/Nothing was queued: 4 transfer\(s\) cannot be paid out \(transfer \d+ has been reversed; transfer \d+ is in LP, .*; transfer \d+ is of kind adjustment, not a reward; transfer 999 does not exist\)/)
    expect(listPayouts(database).total).toBe(0)
    // 'all-rewards' skips the reversed reward instead.
    expect(queuePayouts(database, 'all-rewards', now)).toEqual({ queued: 2, alreadyQueued: 0 })
    expect(Object.keys(statuses(database))).toEqual([keys.bonus, keys.tickets])
  })

  it('exports exactly the pending items to XLSX with typed, formatted cells, marks them exported, and never again as new', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    queuePayouts(database, 'all-rewards', now)
    const path = join(folder, 'payouts.xlsx')
    const result = await exportPayouts(database, { format: 'xlsx', path, batch: 'B-1' }, later)
    expect(result).toMatchObject({ file: path, rows: 3, batch: 'B-1', totals: { BONUS: 5000, RP: 250, TICKETS: 3 }, withheld: 0 })

    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(path)
    const sheet = workbook.worksheets[0]!
    expect(sheet.rowCount).toBe(4)
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(header)
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(sheet.autoFilter).toBeTruthy()
    expect(sheet.getColumn(9).width).toBeGreaterThan(20)

    const bonus = sheet.getRow(2)
    expect(bonus.getCell(1).value).toBe('P1')
    expect(bonus.getCell(2).value).toBe('BONUS')
    expect(bonus.getCell(3).type).toBe(ExcelJS.ValueType.Number)
    expect(bonus.getCell(3).value).toBe(50)
    expect(bonus.getCell(3).numFmt).toBe('#,##0.00')
    expect(bonus.getCell(4).value).toBe(5000)
    expect(bonus.getCell(5).value).toBe(35)
    expect(bonus.getCell(6).value).toBe(5)
    expect(bonus.getCell(6).numFmt).toBe('#,##0.00')
    expect(bonus.getCell(7).type).toBe(ExcelJS.ValueType.Date)
    expect((bonus.getCell(7).value as Date).toISOString()).toBe('2026-02-28T00:00:00.000Z')
    expect(bonus.getCell(8).value).toBe('slots|table')
    expect(bonus.getCell(9).value).toBe(keys.bonus)

    const points = sheet.getRow(3)
    expect(points.getCell(2).value).toBe('RP')
    expect(points.getCell(3).value).toBe(250)
    expect(points.getCell(3).numFmt).toBe('0')
    expect(points.getCell(5).value).toBeNull()

    const tickets = sheet.getRow(4)
    expect(tickets.getCell(1).type).toBe(ExcelJS.ValueType.String)
    expect(tickets.getCell(1).value).toBe(`'${evil}`)
    expect(tickets.getCell(3).value).toBe(3)

    expect(Object.values(statuses(database))).toEqual(['exported', 'exported', 'exported'])
    expect(listPayouts(database, { batch: 'B-1' }).items.every((item) => item.exportedAt === later)).toBe(true)

    const again = await exportPayouts(database, { format: 'xlsx', path: join(folder, 'again.xlsx') }, later)
    expect(again.rows).toBe(0)
    const empty = new ExcelJS.Workbook()
    await empty.xlsx.readFile(join(folder, 'again.xlsx'))
    expect(empty.worksheets[0]!.rowCount).toBe(1)
    expect(listPayouts(database).counts).toEqual({ pending: 0, exported: 3, confirmed: 0, rejected: 0 })
  })

  it('exports CSV with a BOM, CRLF, exact amounts and inert text; a new item goes out alone in the next file', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    queuePayouts(database, 'all-rewards', now)
    const path = join(folder, 'payouts.csv')
    expect((await exportPayouts(database, { format: 'csv', path }, later)).rows).toBe(3)
    const text = readFileSync(path, 'utf8')
    expect(text.startsWith('\uFEFFplayer_id,currency,amount,')).toBe(true)
    expect(text.split('\r\n')).toHaveLength(5) // header, 3 rows, and the empty string after the last CRLF
    expect(text.replaceAll('\r\n', '')).not.toMatch(/\n/)
    const records = await parseCsv(text)
    expect(records[0]).toEqual(header)
    expect(records[1]).toEqual(['P1', 'BONUS', '50.00', '5000', '35', '5.00', '2026-02-28', 'slots|table', keys.bonus])
    expect(records[2]).toEqual(['P2', 'RP', '250', '250', '', '', '', '', keys.points])
    expect(records[3]![0]).toBe(`'${evil}`)
    expect(records[3]!.slice(1)).toEqual(['TICKETS', '3', '3', '', '', '', '', keys.tickets])

    postTransfers(database, [transfer('reward:R2:v1:P1:2026-02', 'P1', 'RP', 40)], later)
    queuePayouts(database, 'all-rewards', later)
    const next = await exportPayouts(database, { format: 'csv', path: join(folder, 'next.csv') }, later)
    expect(next.rows).toBe(1)
    expect((await parseCsv(readFileSync(join(folder, 'next.csv'), 'utf8')))[1]![8]).toBe('reward:R2:v1:P1:2026-02')
    const empty = await exportPayouts(database, { format: 'csv', path: join(folder, 'empty.csv') }, later)
    expect(empty.rows).toBe(0)
    expect(readFileSync(join(folder, 'empty.csv'), 'utf8')).toBe('\uFEFF' + header.join(',') + '\r\n')
  })

  it('marks nothing exported when the file cannot be written, and leaves no temp file behind', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    queuePayouts(database, 'all-rewards', now)
    const missing = await caught(exportPayouts(database, { format: 'csv', path: join(folder, 'no-such-folder', 'p.csv') }, later))
    expect(missing.message).toMatch(/does not exist\. Nothing was marked exported/)
    expect(Object.values(statuses(database))).toEqual(['pending', 'pending', 'pending'])

    // The write succeeds but putting it in place fails (the target is a folder).
    const blocked = join(folder, 'blocked.xlsx')
    mkdirSync(blocked)
    await expect(exportPayouts(database, { format: 'xlsx', path: blocked, overwrite: true }, later)).rejects.toThrow(/Could not write the payout file/)
    expect(Object.values(statuses(database))).toEqual(['pending', 'pending', 'pending'])
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([])

    // An existing file is not replaced unless asked.
    writeFileSync(join(folder, 'old.csv'), 'keep me')
    await expect(exportPayouts(database, { format: 'csv', path: join(folder, 'old.csv') }, later)).rejects.toThrow(/already exists/)
    expect(readFileSync(join(folder, 'old.csv'), 'utf8')).toBe('keep me')
    expect(Object.values(statuses(database))).toEqual(['pending', 'pending', 'pending'])
    expect(database.readRaw("SELECT count(*) AS n FROM audit_log WHERE action = 'payouts.export'").get()).toEqual({ n: 0 })
  })

  it('applies a CSV confirmation file (BOM, semicolons, quotes, CRLF, synonyms) and is idempotent', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    queuePayouts(database, 'all-rewards', now)
    await exportPayouts(database, { format: 'csv', path: join(folder, 'out.csv') }, now)
    const confirmation = join(folder, 'confirm.csv')
    writeFileSync(
      confirmation,
      '\uFEFFReference;Status;Note\r\n' +
        `"${keys.bonus}";OK;"paid; ref ""77"""\r\n` +
        '\r\n' +
        `${keys.points};Failed;account closed\r\n` +
        `${keys.tickets};PAID;\r\n`,
    )
    const first = await confirmPayouts(database, { path: confirmation }, later)
    expect(first).toMatchObject({ rows: 3, confirmed: 2, rejected: 1, unchanged: 0 })
    expect(statuses(database)).toEqual({ [keys.bonus]: 'confirmed', [keys.points]: 'rejected', [keys.tickets]: 'confirmed' })
    const items = listPayouts(database).items
    expect(items[0]).toMatchObject({ confirmedAt: later, note: 'paid; ref "77"' })
    expect(items[1]).toMatchObject({ note: 'account closed' })

    const second = await confirmPayouts(database, { path: confirmation }, '2026-02-02T00:00:00.000Z')
    expect(second).toMatchObject({ rows: 3, confirmed: 0, rejected: 0, unchanged: 3 })
    expect(listPayouts(database).items.map((item) => item.confirmedAt)).toEqual([later, later, later])
    const audits = database.readRaw("SELECT subject, details FROM audit_log WHERE action = 'payouts.confirm' ORDER BY id").all() as { subject: string; details: string }[]
    expect(audits).toHaveLength(2)
    expect(audits[0]!.subject).toBe('payout-confirmation:confirm.csv')
    expect(JSON.parse(audits[0]!.details)).toMatchObject({ confirmed: 2, rejected: 1 })
  })

  it('applies an XLSX confirmation (header below a title row, on the second sheet), matching a neutralised reference', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    postTransfers(database, [transfer('-2+3', 'P2', 'RP', 7)], now)
    queuePayouts(database, 'all-rewards', now)
    await exportPayouts(database, { format: 'xlsx', path: join(folder, 'out.xlsx') }, now)
    const exported = new ExcelJS.Workbook()
    await exported.xlsx.readFile(join(folder, 'out.xlsx'))
    const echoed = exported.worksheets[0]!.getRow(5).getCell(9).value
    expect(echoed).toBe("'-2+3")

    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Cover').addRow(['nothing to see here'])
    const sheet = workbook.addWorksheet('Results')
    sheet.addRow(['Payout results, January'])
    sheet.addRow([])
    sheet.addRow(['Player', 'Reference', 'Status', 'Note'])
    sheet.addRow(['P1', keys.bonus, 'confirmed', null])
    sheet.addRow(['P2', keys.points, 'Rejected', 'limit reached'])
    sheet.addRow([])
    sheet.addRow(['P2', echoed, 'paid', null])
    await workbook.xlsx.writeFile(join(folder, 'confirm.xlsx'))
    expect(await confirmPayouts(database, { path: join(folder, 'confirm.xlsx') }, later)).toMatchObject({ rows: 3, confirmed: 2, rejected: 1 })
    expect(statuses(database)).toMatchObject({ [keys.tickets]: 'exported', '-2+3': 'confirmed', [keys.points]: 'rejected' })

    // A bad row in an XLSX file is named by its Excel row number.
    const bad = new ExcelJS.Workbook()
    const badSheet = bad.addWorksheet('Results')
    badSheet.addRow(['reference', 'status'])
    badSheet.addRow([keys.tickets, 'confirmed'])
    badSheet.addRow([keys.bonus, 'rejected'])
    await bad.xlsx.writeFile(join(folder, 'bad.xlsx'))
    await expect(confirmPayouts(database, { path: join(folder, 'bad.xlsx') }, later)).rejects.toThrow(/row 3: reference "reward:R1:v1:P1:2026-01" was already confirmed/)
    expect(statuses(database)[keys.tickets]).toBe('exported')

    const noStatus = new ExcelJS.Workbook()
    noStatus.addWorksheet('x').addRow(['Reference', 'Amount'])
    await noStatus.xlsx.writeFile(join(folder, 'no-status.xlsx'))
    await expect(confirmPayouts(database, { path: join(folder, 'no-status.xlsx') }, later)).rejects.toThrow(/no status column/)
    writeFileSync(join(folder, 'fake.xlsx'), 'reference,status\n')
    await expect(confirmPayouts(database, { path: join(folder, 'fake.xlsx') }, later)).rejects.toThrow(/could not be read as an XLSX workbook/)
  })

  it('refuses a confirmation file with a bad row, changes nothing, and names every problem by row', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    queuePayouts(database, 'all-rewards', now)
    await exportPayouts(database, { format: 'csv', path: join(folder, 'out.csv') }, now)
    postTransfers(database, [transfer('reward:late', 'P2', 'RP', 5)], now)
    queuePayouts(database, 'all-rewards', now) // pending, never exported
    const before = statuses(database)

    const oneBad = join(folder, 'one-bad.csv')
    writeFileSync(oneBad, `reference,status\r\n${keys.bonus},confirmed\r\n${keys.points},confirmed\r\nnope,confirmed\r\n`)
    const failure = await caught(confirmPayouts(database, { path: oneBad }, later))
    expect(failure.code).toBe('refused')
    expect(failure.message).toMatch(/one-bad\.csv was not applied: 1 row problem/)
    expect(failure.message).toMatch(/row 4: reference "nope" is not a payout in this ledger/)
    expect(statuses(database)).toEqual(before)

    const many = join(folder, 'many.csv')
    writeFileSync(
      many,
      'reference,status\n' +
        `${keys.bonus},maybe\n` +
        'reward:late,confirmed\n' +
        `${keys.points},ok\n` +
        `${keys.points},failed\n` +
        ',confirmed\n' +
        Array.from({ length: 60 }, (_, i) => `missing-${i},ok`).join('\n'),
    )
    const problems = await caught(confirmPayouts(database, { path: many }, later))
    expect(problems.message).toMatch(/64 row problem/)
    expect(problems.message).toMatch(/row 2: status "maybe" .* is not recognised/)
    expect(problems.message).toMatch(/row 3: reference "reward:late" has not been exported yet/)
    expect(problems.message).toMatch(/row 5: reference ".*" is also on row 4 as confirmed; here it says rejected/)
    expect(problems.message).toMatch(/row 6: the reference is empty/)
    expect(problems.message).toMatch(/… and 14 more/)
    expect((problems.details as { total: number; problems: unknown[] }).problems).toHaveLength(50)
    expect(statuses(database)).toEqual(before)

    // A payout already confirmed cannot be rejected later.
    const ok = join(folder, 'ok.csv')
    writeFileSync(ok, `reference,status\n${keys.bonus},confirmed\n`)
    await confirmPayouts(database, { path: ok }, later)
    const flip = join(folder, 'flip.csv')
    writeFileSync(flip, `reference,status\n${keys.bonus},rejected\n`)
    expect((await caught(confirmPayouts(database, { path: flip }, later))).message).toMatch(
      new RegExp(`row 2: reference "${keys.bonus}" was already confirmed on ${later.replaceAll('.', '\\.')}; the file says rejected`),
    )
    expect(statuses(database)[keys.bonus]).toBe('confirmed')
  })

  it('refuses a confirmation file without a reference or status column, saying what it found', async () => {
    const folder = tempDir()
    const database = seededLedger(folder)
    const noReference = join(folder, 'a.csv')
    writeFileSync(noReference, 'id,result\n1,ok\n')
    await expect(confirmPayouts(database, { path: noReference }, later)).rejects.toThrow(/no "reference" column .*\(the first row has: id, result\)/)
    const noStatus = join(folder, 'b.csv')
    writeFileSync(noStatus, 'reference,amount\nx,1\n')
    await expect(confirmPayouts(database, { path: noStatus }, later)).rejects.toThrow(/reference column but no status column/)
    await expect(confirmPayouts(database, { path: join(folder, 'none.csv') }, later)).rejects.toThrow(/does not exist/)
    expect(existsSync(join(folder, 'none.csv'))).toBe(false)
  })
})

describe('reversals and payouts', () => {
  const tempDirectory = useTempDir()

  it('refuses to reverse a reward that was already exported to the platform', async () => {
    const folder = tempDirectory()
    const database = LedgerDatabase.open({ path: join(folder, 'r.sqlite') })
    database.write((_tx, statements) => statements.prepare("INSERT INTO players (external_id, first_seen_at, updated_at) VALUES ('P1', 'x', 'x')").run())
    const at = '2026-01-31T12:00:00.000Z'
    postTransfers(database, [
      { idempotencyKey: 'reward:R:v1:P1:once', from: { system: 'issuance' }, to: { player: 'P1' }, currency: 'RP', amount: 300, kind: 'reward', reason: 'R v1', sourceType: 'rule_version', sourceId: 'R:v1' },
    ], at)
    queuePayouts(database, 'all-rewards', at)
    await exportPayouts(database, { format: 'csv', path: join(folder, 'out.csv') }, at)
    expect(() => reverseTransfer(database, { transferId: 1, reason: 'mistake', actor: 'alice' }, at)).toThrow(/was exported to the platform in payout batch/)
    database.close()
  })
})
