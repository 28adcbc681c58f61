// A deliberately plain in-memory model of the wallet and bonus lots, for the model-based property
// test. It is written from the rules (DESIGN.md and the comments at the top of lots.ts and
// wallet.ts), not from the implementation: ticket expiry here is a queue consumed as debits happen,
// where the ledger computes FIFO from aggregates; lot choice is a sort, where the ledger uses SQL.
// Every action runs on a copy of the state that is kept only if nothing was refused, which is
// how the ledger's one-transaction-per-call behaves.
import { roundToInteger } from '../../src/shared/money'

export const currencies = ['LP', 'RP', 'BONUS', 'TICKETS'] as const
export type Currency = (typeof currencies)[number]
export type Account = { player: string } | { system: string }
export type LotStatus = 'open' | 'completed' | 'expired' | 'forfeited'

export class Refused extends Error {}

export interface ModelLot {
  id: number
  /** The issuing transfer's key; the closing transfer's key is derived from it. */
  key: string
  player: string
  amount: number
  target: number
  progress: number
  maxBet: number | null
  contributions: Record<string, number>
  expiresAt: number | null
  issuedAt: number
  status: LotStatus
  closedAt: number | null
}

export interface ModelTransfer {
  id: number
  key: string
  from: Account
  to: Account
  currency: Currency
  amount: number
  kind: string
  lotId: number | null
  reversesId: number | null
}

export interface ModelState {
  nextTransferId: number
  nextLotId: number
  balances: Record<string, Record<Currency, number>>
  lots: ModelLot[]
  transfers: ModelTransfer[]
  keys: Record<string, number>
  events: string[]
  /** Per player: ticket batches still held, oldest first. */
  tickets: Record<string, { time: number; remaining: number }[]>
  audit: number
}

export type Action =
  | { type: 'grant'; key: string; player: string; currency: Currency; amount: number; at: number }
  | { type: 'issue'; key: string; player: string; amount: number; multiple: number; maxBet: number | null; games: Record<string, number>; expiresAt: number | null; at: number }
  | { type: 'wager'; bets: { eventId: string; player: string; amount: number; game: string | null; at: number }[]; at: number }
  | { type: 'expireLots'; at: number }
  | { type: 'forfeit'; lotId: number; at: number }
  | { type: 'redeem'; key: string; player: string; points: number; rate: number; at: number }
  | { type: 'consume'; key: string; player: string; tickets: number; at: number }
  | { type: 'adjust'; actionId: string; player: string; currency: Currency; amount: number; at: number }
  | { type: 'reverse'; transferId: number; at: number }
  | { type: 'expireTickets'; days: number; at: number }

export type WagerOutcome = 'counted' | 'not_eligible' | 'over_max_bet' | 'already_applied' | 'no_open_lot'

/** What an action returned, in a shape both the model and the ledger's results map onto. */
export type Outcome =
  | { refused: true }
  | { type: 'grant'; transferId: number }
  | { type: 'issue'; lotId: number; alreadyIssued: boolean; completedTransferId: number | null }
  | { type: 'wager'; results: { eventId: string; lotId: number | null; outcome: WagerOutcome; counted: number }[]; completed: [number, number][]; flagged: string[] }
  | { type: 'expireLots'; expired: [number, number][] }
  | { type: 'forfeit'; transferId: number; alreadyForfeited: boolean }
  | { type: 'redeem'; bonus: number; transferIds: [number, number]; alreadyRedeemed: boolean }
  | { type: 'consume'; transferId: number; alreadyPosted: boolean }
  | { type: 'adjust'; transferId: number; alreadyPosted: boolean }
  | { type: 'reverse'; reversalTransferId: number; alreadyReversed: boolean }
  | { type: 'expireTickets'; expired: [string, number, number][] }

const dayMilliseconds = 86_400_000

export function newState(players: string[], nextTransferId: number, nextLotId: number): ModelState {
  return {
    nextTransferId,
    nextLotId,
    balances: Object.fromEntries(players.map((player) => [player, { LP: 0, RP: 0, BONUS: 0, TICKETS: 0 }])),
    lots: [],
    transfers: [],
    keys: {},
    events: [],
    tickets: Object.fromEntries(players.map((player) => [player, []])),
    audit: 0,
  }
}

/** A deep copy (faster than structuredClone for these small, flat shapes). */
function copyState(state: ModelState): ModelState {
  return {
    nextTransferId: state.nextTransferId,
    nextLotId: state.nextLotId,
    balances: Object.fromEntries(Object.entries(state.balances).map(([player, balances]) => [player, { ...balances }])),
    lots: state.lots.map((lot) => ({ ...lot })),
    transfers: state.transfers.slice(), // a transfer object is never changed once posted
    keys: { ...state.keys },
    events: state.events.slice(),
    tickets: Object.fromEntries(Object.entries(state.tickets).map(([player, batches]) => [player, batches.map((batch) => ({ ...batch }))])),
    audit: state.audit,
  }
}

export class LedgerModel {
  state: ModelState
  private draft!: ModelState

  constructor(state: ModelState) {
    this.state = state
  }

  /** Runs an action on a copy; commits it unless something was refused. */
  apply(action: Action): Outcome {
    this.draft = copyState(this.state)
    try {
      const outcome = this.run(action)
      this.state = this.draft
      return outcome
    } catch (error) {
      if (error instanceof Refused) return { refused: true }
      throw error
    }
  }

  private run(action: Action): Outcome {
    switch (action.type) {
      case 'grant':
        return { type: 'grant', transferId: this.post({ key: action.key, from: { system: 'issuance' }, to: { player: action.player }, currency: action.currency, amount: action.amount, kind: 'reward' }, action.at).id }
      case 'issue':
        return this.issue(action)
      case 'wager':
        return this.wager(action)
      case 'expireLots': {
        const due = this.draft.lots
          .filter((lot) => lot.status === 'open' && lot.expiresAt !== null && lot.expiresAt <= action.at)
          .sort((a, b) => a.expiresAt! - b.expiresAt! || a.id - b.id)
        return { type: 'expireLots', expired: due.map((lot) => [lot.id, this.close(lot, 'expired', lot.expiresAt!, action.at)]) }
      }
      case 'forfeit': {
        const lot = this.draft.lots.find((candidate) => candidate.id === action.lotId)!
        if (lot.status === 'forfeited') return { type: 'forfeit', transferId: this.draft.keys[`bonus-lot:${lot.key}:forfeit`]!, alreadyForfeited: true }
        if (lot.status !== 'open') throw new Refused()
        const transferId = this.close(lot, 'forfeited', action.at, action.at)
        this.draft.audit += 1
        return { type: 'forfeit', transferId, alreadyForfeited: false }
      }
      case 'redeem': {
        const bonus = roundToInteger(action.points * action.rate)
        if (bonus < 1) throw new Refused()
        const already = this.draft.keys[`${action.key}:rp`] !== undefined
        if (!already && this.balance(action.player, 'RP') < action.points) throw new Refused()
        const rp = this.post({ key: `${action.key}:rp`, from: { player: action.player }, to: { system: 'redemption' }, currency: 'RP', amount: action.points, kind: 'redemption' }, action.at)
        const credit = this.post({ key: `${action.key}:bonus`, from: { system: 'conversion' }, to: { player: action.player }, currency: 'BONUS', amount: bonus, kind: 'redemption' }, action.at)
        return { type: 'redeem', bonus, transferIds: [rp.id, credit.id], alreadyRedeemed: already }
      }
      case 'consume': {
        const posted = this.post({ key: action.key, from: { player: action.player }, to: { system: 'redemption' }, currency: 'TICKETS', amount: action.tickets, kind: 'redemption' }, action.at)
        return { type: 'consume', transferId: posted.id, alreadyPosted: posted.already }
      }
      case 'adjust': {
        const player = { player: action.player }
        const system = { system: 'adjustment' }
        const posted = this.post(
          { key: `adjust:${action.actionId}`, from: action.amount > 0 ? system : player, to: action.amount > 0 ? player : system, currency: action.currency, amount: Math.abs(action.amount), kind: 'adjustment' },
          action.at,
        )
        if (!posted.already) {
          if (action.currency === 'BONUS' && action.amount < 0) this.requireLotsCovered(action.player)
          this.draft.audit += 1
        }
        return { type: 'adjust', transferId: posted.id, alreadyPosted: posted.already }
      }
      case 'reverse':
        return this.reverse(action)
      case 'expireTickets':
        return this.expireTickets(action)
    }
  }

  private balance(player: string, currency: Currency): number {
    return this.draft.balances[player]![currency]
  }

  private openLotTotal(player: string): number {
    return this.draft.lots.filter((lot) => lot.player === player && lot.status === 'open').reduce((sum, lot) => sum + lot.amount, 0)
  }

  private requireLotsCovered(player: string): void {
    if (this.balance(player, 'BONUS') < this.openLotTotal(player)) throw new Refused()
  }

  /** One transfer, as the ledger posts it: a known key is a no-op; a player never goes below zero. */
  private post(request: Omit<ModelTransfer, 'id' | 'lotId' | 'reversesId'> & { lotId?: number; reversesId?: number }, at: number): { id: number; already: boolean } {
    const known = this.draft.keys[request.key]
    if (known !== undefined) {
      const earlier = this.draft.transfers.find((transfer) => transfer.id === known)!
      if (earlier.amount !== request.amount || earlier.currency !== request.currency) throw new Error(`model: key ${request.key} reused with other content`)
      return { id: known, already: true }
    }
    const transfer: ModelTransfer = { ...request, id: this.draft.nextTransferId, lotId: request.lotId ?? null, reversesId: request.reversesId ?? null }
    if ('player' in request.from) {
      const balances = this.draft.balances[request.from.player]!
      if (balances[request.currency] < request.amount) throw new Refused()
      balances[request.currency] -= request.amount
      if (request.currency === 'TICKETS') this.useTickets(request.from.player, request.amount)
    }
    if ('player' in request.to) {
      this.draft.balances[request.to.player]![request.currency] += request.amount
      if (request.currency === 'TICKETS') this.draft.tickets[request.to.player]!.push({ time: at, remaining: request.amount })
    }
    this.draft.nextTransferId += 1
    this.draft.transfers.push(transfer)
    this.draft.keys[request.key] = transfer.id
    return { id: transfer.id, already: false }
  }

  /** Tickets leave oldest first, as each debit happens. */
  private useTickets(player: string, amount: number): void {
    const queue = this.draft.tickets[player]!
    let left = amount
    while (left > 0) {
      const head = queue[0]!
      const used = Math.min(head.remaining, left)
      head.remaining -= used
      left -= used
      if (head.remaining === 0) queue.shift()
    }
  }

  private close(lot: ModelLot, status: Exclude<LotStatus, 'open'>, closedAt: number, at: number): number {
    if (this.balance(lot.player, 'BONUS') < lot.amount) throw new Refused()
    lot.status = status
    lot.closedAt = closedAt
    const [to, kind, suffix] = status === 'completed' ? ['conversion', 'conversion', 'conversion'] : status === 'expired' ? ['expiry', 'expiry', 'expiry'] : ['forfeit', 'forfeit', 'forfeit']
    return this.post({ key: `bonus-lot:${lot.key}:${suffix}`, from: { player: lot.player }, to: { system: to }, currency: 'BONUS', amount: lot.amount, kind, lotId: lot.id }, at).id
  }

  private issue(action: Extract<Action, { type: 'issue' }>): Outcome {
    const known = this.draft.keys[action.key]
    if (known !== undefined) {
      const lot = this.draft.lots.find((candidate) => this.draft.transfers.find((transfer) => transfer.id === known)!.lotId === candidate.id)!
      return { type: 'issue', lotId: lot.id, alreadyIssued: true, completedTransferId: null }
    }
    const contributions: Record<string, number> = {}
    for (const [game, basisPoints] of Object.entries(action.games)) contributions[game.trim().toLowerCase()] = basisPoints
    const lot: ModelLot = {
      id: this.draft.nextLotId,
      key: action.key,
      player: action.player,
      amount: action.amount,
      target: roundToInteger(action.multiple * action.amount),
      progress: 0,
      maxBet: action.maxBet,
      contributions,
      expiresAt: action.expiresAt,
      issuedAt: action.at,
      status: 'open',
      closedAt: null,
    }
    this.draft.nextLotId += 1
    this.post({ key: action.key, from: { system: 'issuance' }, to: { player: action.player }, currency: 'BONUS', amount: action.amount, kind: 'reward', lotId: lot.id }, action.at)
    this.draft.lots.push(lot)
    const completedTransferId = lot.target === 0 ? this.close(lot, 'completed', action.at, action.at) : null
    return { type: 'issue', lotId: lot.id, alreadyIssued: false, completedTransferId }
  }

  private wager(action: Extract<Action, { type: 'wager' }>): Outcome {
    const results = new Array<{ eventId: string; lotId: number | null; outcome: WagerOutcome; counted: number }>(action.bets.length)
    const completed: [number, number][] = []
    const seen = new Set<string>()
    const order = action.bets.map((bet, index) => ({ ...bet, index })).sort((a, b) => a.at - b.at || a.index - b.index)
    for (const bet of order) {
      if (seen.has(bet.eventId) || this.draft.events.includes(bet.eventId)) {
        results[bet.index] = { eventId: bet.eventId, lotId: null, outcome: 'already_applied', counted: 0 }
        continue
      }
      seen.add(bet.eventId)
      const lot = this.draft.lots
        .filter((candidate) => candidate.player === bet.player && candidate.status === 'open' && candidate.issuedAt <= bet.at && (candidate.expiresAt === null || candidate.expiresAt > bet.at))
        .sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity) || a.id - b.id)[0]
      if (!lot) {
        results[bet.index] = { eventId: bet.eventId, lotId: null, outcome: 'no_open_lot', counted: 0 }
        continue
      }
      this.draft.events.push(bet.eventId)
      const game = bet.game === null ? null : bet.game.trim().toLowerCase()
      const contribution = game !== null && Object.hasOwn(lot.contributions, game) ? lot.contributions[game]! : 0
      const over = lot.maxBet !== null && bet.amount > lot.maxBet
      const counted = over ? 0 : Math.min(Math.floor((bet.amount * contribution) / 10_000), lot.target - lot.progress)
      results[bet.index] = { eventId: bet.eventId, lotId: lot.id, outcome: over ? 'over_max_bet' : contribution === 0 ? 'not_eligible' : 'counted', counted }
      lot.progress += counted
      if (counted > 0 && lot.progress === lot.target) completed.push([lot.id, this.close(lot, 'completed', bet.at, action.at)])
    }
    return { type: 'wager', results, completed, flagged: results.filter((result) => result.outcome === 'over_max_bet').map((result) => result.eventId) }
  }

  private reverse(action: Extract<Action, { type: 'reverse' }>): Outcome {
    const original = this.draft.transfers.find((transfer) => transfer.id === action.transferId)!
    if (original.kind === 'reversal') throw new Refused()
    const earlier = this.draft.transfers.find((transfer) => transfer.reversesId === original.id)
    if (earlier) return { type: 'reverse', reversalTransferId: earlier.id, alreadyReversed: true }
    if (original.lotId !== null) throw new Refused()
    const posted = this.post(
      { key: `reverse:${original.id}`, from: original.to, to: original.from, currency: original.currency, amount: original.amount, kind: 'reversal', reversesId: original.id },
      action.at,
    )
    if (original.currency === 'BONUS' && 'player' in original.to) this.requireLotsCovered(original.to.player)
    this.draft.audit += 1
    return { type: 'reverse', reversalTransferId: posted.id, alreadyReversed: false }
  }

  private expireTickets(action: Extract<Action, { type: 'expireTickets' }>): Outcome {
    const cutoff = action.at - action.days * dayMilliseconds
    const expired: [string, number, number][] = []
    for (const player of Object.keys(this.draft.tickets).sort()) {
      const due = this.draft.tickets[player]!.filter((batch) => batch.time <= cutoff).reduce((sum, batch) => sum + batch.remaining, 0)
      if (due === 0) continue
      const { id } = this.post({ key: `tickets-expiry:${player}:${this.draft.nextTransferId}`, from: { player }, to: { system: 'expiry' }, currency: 'TICKETS', amount: due, kind: 'expiry' }, action.at)
      expired.push([player, due, id])
    }
    return { type: 'expireTickets', expired }
  }
}
