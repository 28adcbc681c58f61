import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { LedgerDatabase } from '../../src/main/ledger/database'
import { players } from '../../src/main/ledger/schema'
import { LedgerConflict, postBatchTransfersMax, postTransfers, postWithin, type TransferRequest } from '../../src/main/ledger/transfers'
import { verifyLedger } from '../../src/main/ledger/verify'
import { useTempDir } from '../helpers/temp'

const now = '2026-01-31T12:00:00.000Z'

function openWithPlayers(path: string, ids: string[]): LedgerDatabase {
  const database = LedgerDatabase.open({ path })
  database.write((tx) => {
    for (const externalId of ids) tx.insert(players).values({ externalId, firstSeenAt: now, updatedAt: now }).run()
  })
  return database
}

const reward = (player: string, amount: number, key = `reward:R1:v1:${player}:once`, currency: TransferRequest['currency'] = 'BONUS'): TransferRequest => ({
  idempotencyKey: key,
  from: { system: 'issuance' },
  to: { player },
  currency,
  amount,
  kind: 'reward',
  reason: 'R1 v1',
  sourceType: 'rule_version',
  sourceId: 'R1:v1',
})

describe('ledger transfers', () => {
  const tempDir = useTempDir()

  it('posts double-entry transfers, keeps balances in step and the books balanced', () => {
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ['P1', 'P2'])
    const result = postTransfers(database, [reward('P1', 5000), reward('P2', 700), reward('P1', 30, 'lp:P1', 'LP')], now)
    expect(result).toEqual({ posted: 3, alreadyPosted: 0 })
    const report = verifyLedger(database)
    expect(report).toEqual({ ok: true, transfers: 3, totals: { LP: 30, RP: 0, BONUS: 5700, TICKETS: 0 }, findings: [] })
  })

  it('posting the same transfers again adds nothing and says so', () => {
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ['P1', 'P2'])
    const batch = [reward('P1', 5000), reward('P2', 700)]
    postTransfers(database, batch, now)
    expect(postTransfers(database, batch, '2026-02-01T00:00:00.000Z')).toEqual({ posted: 0, alreadyPosted: 2 })
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: 2, totals: { BONUS: 5700 } })
  })

  it('fails loudly on the same key with a different amount, and writes nothing of that batch', () => {
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ['P1', 'P2'])
    postTransfers(database, [reward('P1', 5000)], now)
    expect(() => postTransfers(database, [reward('P2', 100), reward('P1', 5001)], now)).toThrow(LedgerConflict)
    expect(() => postTransfers(database, [reward('P1', 5001)], now)).toThrow(/already posted with different content \(amount 5000 then, 5001 now\)/)
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: 1, totals: { BONUS: 5000 } })
  })

  it('refuses to take a player below zero, atomically', () => {
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ['P1'])
    postTransfers(database, [reward('P1', 100)], now)
    const spend: TransferRequest = { ...reward('P1', 151, 'redeem:1'), from: { player: 'P1' }, to: { system: 'redemption' }, kind: 'redemption' }
    expect(() => postTransfers(database, [reward('P1', 50, 'k2'), spend], now)).toThrow(/has 150 BONUS, less than the 151/)
    expect(verifyLedger(database)).toMatchObject({ ok: true, transfers: 1, totals: { BONUS: 100 } })
  })

  it('refuses bad transfers with the position and the reason', () => {
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ['P1'])
    expect(() => postTransfers(database, [reward('P1', 10), reward('P1', 1.5, 'k2')], now)).toThrow(/transfer 2 \(k2\): the amount must be a positive whole number/)
    expect(() => postTransfers(database, [reward('P1', 0, 'k3')], now)).toThrow(/positive whole number/)
    expect(() => postTransfers(database, [reward('NOBODY', 10, 'k4')], now)).toThrow(/Player NOBODY is not in the database/)
    expect(() => postTransfers(database, [{ ...reward('P1', 10, 'k5'), reason: ' ' }], now)).toThrow(/a reason/)
    expect(() => postTransfers(database, [reward('P1', 10, 'k6\uD800')], now)).toThrow(/not valid Unicode text/)
    expect(postTransfers(database, [reward('P1', 10, 'k7 😀')], now)).toEqual({ posted: 1, alreadyPosted: 0 })
    expect(postTransfers(database, [reward('P1', 10, 'k7 😀')], now)).toEqual({ posted: 0, alreadyPosted: 1 })
    expect(verifyLedger(database).transfers).toBe(1)
  })

  it('posts more than one transaction worth of transfers, each batch whole', () => {
    const ids = Array.from({ length: 3 }, (_, i) => `P${i}`)
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ids)
    const many = Array.from({ length: postBatchTransfersMax + 10 }, (_, i) => reward(ids[i % 3]!, 1, `k${String(i).padStart(7, '0')}`, 'LP'))
    expect(postTransfers(database, many, now)).toEqual({ posted: postBatchTransfersMax + 10, alreadyPosted: 0 })
    expect(verifyLedger(database)).toMatchObject({ ok: true, totals: { LP: postBatchTransfersMax + 10 } })
  })

  it('posts a batch mixing old keys, new keys and a key repeated within it: only the new ones land, chained', () => {
    const ids = ['P0', 'P1', 'P2']
    const database = openWithPlayers(join(tempDir(), 'l.sqlite'), ids)
    // More than one insert chunk of rows, so old keys fall inside, between and across chunks.
    const all = Array.from({ length: 300 }, (_, i) => reward(ids[i % 3]!, i + 1, `k${String(i).padStart(4, '0')}`, i % 2 ? 'LP' : 'BONUS'))
    const old = all.filter((_, i) => i % 7 === 3 || (i >= 100 && i < 180))
    expect(postTransfers(database, old, now)).toEqual({ posted: old.length, alreadyPosted: 0 })
    const repeated = [...all.slice(0, 150), all[120]!, all[5]!, ...all.slice(150)]
    expect(postTransfers(database, repeated, now)).toEqual({ posted: all.length - old.length, alreadyPosted: old.length + 2 })
    const report = verifyLedger(database)
    expect(report.ok).toBe(true)
    expect(report.transfers).toBe(all.length)
    const sum = (currency: string) => all.filter((each) => each.currency === currency).reduce((total, each) => total + each.amount, 0)
    expect(report.totals).toEqual({ LP: sum('LP'), RP: 0, BONUS: sum('BONUS'), TICKETS: 0 })
    // A repeated key with different content in the same batch is a conflict, and nothing of the batch lands.
    expect(() => postTransfers(database, [reward('P0', 1, 'fresh:1'), reward('P0', 2, 'fresh:1')], now)).toThrow(/fresh:1 was already posted with different content \(amount 1 then, 2 now\)/)
    expect(verifyLedger(database).transfers).toBe(all.length)
    // postWithin reports each request's transfer id, the earlier one for an old or repeated key.
    const mixed = [reward('P1', 7, 'within:1'), all[3]!, reward('P2', 8, 'within:2'), reward('P1', 7, 'within:1'), ...all.slice(10, 80)]
    const within = database.write((_tx, statements) => postWithin(statements, mixed, now))
    const idOf = (key: string) => (database.readRaw('SELECT id FROM ledger_transfers WHERE idempotency_key = ?').get(key) as { id: number }).id
    expect(within).toEqual({ posted: 2, alreadyPosted: mixed.length - 2, transferIds: mixed.map((each) => idOf(each.idempotencyKey)) })
  })

  it('verify finds tampering: a changed amount breaks the hash chain and the balance', () => {
    const path = join(tempDir(), 'l.sqlite')
    const database = openWithPlayers(path, ['P1', 'P2'])
    postTransfers(database, [reward('P1', 5000), reward('P2', 700), reward('P1', 9, 'k3')], now)
    database.close()
    const raw = new BetterSqlite3(path)
    raw.exec('DROP TRIGGER ledger_transfers_no_update')
    raw.prepare('UPDATE ledger_transfers SET amount = 50000 WHERE id = 1').run()
    raw.close()
    const reopened = LedgerDatabase.open({ path })
    const report = verifyLedger(reopened)
    expect(report.ok).toBe(false)
    expect(report.findings.map((finding) => finding.kind).sort()).toEqual(['balance', 'balance', 'hash_chain'])
    expect(report.findings.find((finding) => finding.kind === 'hash_chain')?.message).toMatch(/Transfer 1 .* does not match the hash chain/)
  })
})
