// The manual review queue: items the abuse score opened, the signals behind them in plain words,
// and the operator's decision (recorded once, with who, when and the note, in the audit log too).
import { ApiFailure } from '../../shared/api/result'
import type { ReviewItemView, ReviewListResult, ReviewSignalView } from '../../shared/api/types-desk'
import type { LedgerDatabase } from '../ledger/database'
import { auditLog } from '../ledger/schema'

type Details = Record<string, number | string>

const figure = (value: unknown, digits = 0) =>
  typeof value === 'number' ? new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(value) : String(value ?? '?')
const percent = (value: unknown) => (typeof value === 'number' ? `${Math.round(value * 100)}%` : '?')

/** One sentence per signal. Money in details is in minor units; shown in major units. */
export function describeSignal(signal: string, details: Details, currency: { code: string; minorDigits: number }): string {
  const money = (value: unknown) =>
    typeof value === 'number'
      ? new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.code, minimumFractionDigits: currency.minorDigits, maximumFractionDigits: currency.minorDigits }).format(value / 10 ** currency.minorDigits)
      : '?'
  switch (signal) {
    case 'bonus_only_play':
      return details.depositsAfterFirstBonus !== undefined
        ? `Plays on bonus money: deposited ${money(details.depositsAfterFirstBonus)} after the first bonus (bonus received ${money(details.bonusReceived)}).`
        : `Plays on bonus money: bonus received ${money(details.bonusReceived)} against deposits of ${money(details.totalDeposited)}.`
    case 'withdrawal_after_bonus':
      return `Withdrew ${figure(details.hoursFromBonusToWithdrawal, 1)} h after a bonus credit (suspicious under ${figure(details.withdrawalAfterBonusHours)} h).`
    case 'min_bets_while_wagering':
      return `${percent(details.minBetShareWhileWagering)} of ${figure(details.betsWhileWagering)} bets while wagering a bonus were minimum bets (suspicious from ${percent(details.minBetShareThreshold)}).`
    case 'shared_identity':
      return `Part of a cluster of ${figure(details.clusterSize)} accounts sharing ${figure(details.sharedIps)} IP address(es) and ${figure(details.sharedDevices)} device(s)${details.suspiciousSharedInfrastructure === 'yes' ? ' (possibly a shared network, weighted down)' : ''}.`
    case 'improbable_win_rate':
      return `Won ${money(details.netResult)} on ${money(details.totalWagered)} wagered where about ${money(details.expectedNetResult)} was expected; chance under fair play p = ${typeof details.pValue === 'number' ? details.pValue.toExponential(1) : '?'} (${String(details.betCountSource ?? '')}).`
    default:
      return `${signal.replace(/_/g, ' ')}: ${Object.entries(details).map(([key, value]) => `${key} ${value}`).join(', ')}.`
  }
}

interface ItemRow {
  id: number
  playerRowId: number
  playerId: string
  abuseScore: number
  reason: string
  status: ReviewItemView['status']
  openedAt: string
  decidedAt: string | null
  decidedBy: string | null
  note: string | null
  segment: string | null
}

const itemSelect =
  'SELECT i.id, i.player_id AS playerRowId, p.external_id AS playerId, i.abuse_score AS abuseScore, i.reason, i.status, i.opened_at AS openedAt, ' +
  'i.decided_at AS decidedAt, i.decided_by AS decidedBy, i.note, p.segment FROM review_items i JOIN players p ON p.id = i.player_id'

function withSignals(database: LedgerDatabase, rows: ItemRow[], currency: { code: string; minorDigits: number }): ReviewItemView[] {
  // The signals of the newest evaluation that found any for the player: what the score stands on now.
  const signals = database.readRaw(
    'SELECT signal, score, details FROM abuse_signals WHERE player_id = ? AND evaluation_id = (SELECT max(evaluation_id) FROM abuse_signals WHERE player_id = ?) ORDER BY score DESC, signal',
  )
  return rows.map(({ playerRowId, ...row }) => ({
    ...row,
    signals: (signals.all(playerRowId, playerRowId) as { signal: string; score: number; details: string | null }[]).map((each): ReviewSignalView => {
      const details = (each.details ? JSON.parse(each.details) : {}) as Details
      return { signal: each.signal, score: each.score, details, description: describeSignal(each.signal, details, currency) }
    }),
  }))
}

export function listReview(database: LedgerDatabase, input: { status: 'open' | 'approved' | 'rejected' | 'all'; limit: number; offset: number }, currency: { code: string; minorDigits: number }): ReviewListResult {
  const where = input.status === 'all' ? '' : 'WHERE i.status = ?'
  const parameters = input.status === 'all' ? [] : [input.status]
  const order = input.status === 'open' ? 'i.abuse_score DESC, i.id' : 'coalesce(i.decided_at, i.opened_at) DESC, i.id DESC'
  const total = (database.readRaw(`SELECT count(*) AS n FROM review_items i ${where}`).get(...parameters) as { n: number }).n
  const open = (database.readRaw("SELECT count(*) AS n FROM review_items WHERE status = 'open'").get() as { n: number }).n
  const rows = database.readRaw(`${itemSelect} ${where} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...parameters, input.limit, input.offset) as ItemRow[]
  return { total, open, items: withSignals(database, rows, currency) }
}

export function decideReview(
  database: LedgerDatabase,
  input: { id: number; decision: 'approve' | 'reject'; note?: string; actor: string; now: string },
  currency: { code: string; minorDigits: number },
): ReviewItemView {
  const status = input.decision === 'approve' ? 'approved' : 'rejected'
  const note = input.note ? input.note : null
  database.write((transaction, statements) => {
    const item = statements.prepare(`${itemSelect} WHERE i.id = ?`).get(input.id) as ItemRow | undefined
    if (!item) throw new ApiFailure('not_found', `There is no review item ${input.id}.`)
    if (item.status !== 'open') {
      throw new ApiFailure('conflict', `Review item ${input.id} (player ${item.playerId}) was already ${item.status} by ${item.decidedBy ?? 'someone'} at ${item.decidedAt ?? 'an unknown time'}; a decision is not changed.`)
    }
    statements.prepare("UPDATE review_items SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ? AND status = 'open'").run(status, input.now, input.actor, note, input.id)
    transaction
      .insert(auditLog)
      .values({ action: `review.${input.decision}`, actor: input.actor, subject: `player:${item.playerId}`, reason: note ?? `review item ${input.id} ${status}`, details: { reviewItemId: input.id, abuseScore: item.abuseScore }, at: input.now })
      .run()
  })
  const row = database.readRaw(`${itemSelect} WHERE i.id = ?`).get(input.id) as ItemRow
  return withSignals(database, [row], currency)[0]!
}
