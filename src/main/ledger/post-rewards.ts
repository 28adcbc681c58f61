// Issuing an evaluation's rewards: every issued or reduced decision becomes one transfer from the
// issuance account to the player, keyed by the decision's idempotency key (rule version + player +
// period). A BONUS reward whose rule sets wagering terms opens a bonus lot in the same transaction
// (its eligible games count 100%, the rule's max bet and expiry apply). Posted in large
// transactions; a run interrupted at any instant and run again ends with exactly the transfers an
// uninterrupted run posts, because already-posted keys are no-ops.
// A million decisions' requests are built one batch at a time: built all at once, they outlived
// the young generation and the collector's full passes over them cost seconds.
import { keyMakers, keyOrder } from '../engine/decision-keys'
import { outcomeNames, reasonNames, type EvaluationResult } from '../engine/evaluate'
import { AccountDirectory } from './account-directory'
import type { LedgerDatabase } from './database'
import { issueBonusesWithin, type IssueBonusRequest } from './lots'
import { postBatchTransfersMax, postTransfers, type PostResult, type TransferRequest } from './transfers'

const fullContributionBasisPoints = 10_000
const millisecondsPerHour = 3_600_000

export interface RewardPostings {
  transfers: TransferRequest[]
  bonuses: IssueBonusRequest[]
}

export interface PostRewardsOptions {
  /** Transfers (or bonus lots) per transaction. */
  batchSize?: number
  /**
   * players.id by external id, when the caller has loaded the players: accounts are then resolved
   * once for the whole post (account-directory.ts) instead of looked up batch by batch.
   */
  playerRowIds?: ReadonlyMap<string, number>
}

interface Postings {
  /** Decision indexes of plain transfers, then of bonus lots, each in posting order. */
  transferOrder: Int32Array
  bonusOrder: Int32Array
  transfer(decision: number): TransferRequest
  bonus(decision: number): IssueBonusRequest
}

/** What each issued or reduced decision posts, in the order of their keys (keyOrder). */
function postingsOf(result: EvaluationResult, issuedAt: string): Postings {
  const { decisions, rules, table } = result
  // What is the same for every decision of a rule is built once per rule, not per decision.
  const keys = keyMakers(result)
  const sourceIds = rules.map((rule) => `${rule.ruleId}:v${rule.version}`)
  const reasons = new Map<number, string>()
  const reasonOf = (ruleIndex: number, outcomeCode: number, reasonCode: number): string => {
    const code = (ruleIndex * outcomeNames.length + outcomeCode) * reasonNames.length + reasonCode
    let text = reasons.get(code)
    if (text === undefined) {
      const rule = rules[ruleIndex]!
      const outcome = outcomeNames[outcomeCode]!
      text = `${rule.ruleId} v${rule.version}: ${outcome}${outcome === 'reduced' ? ` (${reasonNames[reasonCode]!})` : ''}`
      reasons.set(code, text)
    }
    return text
  }
  const expiries = rules.map((rule) => (rule.expiryHours ? new Date(Date.parse(issuedAt) + rule.expiryHours * millisecondsPerHour).toISOString() : null))
  const contributions = rules.map((rule) => (rule.eligibleGames?.length ? Object.fromEntries(rule.eligibleGames.map((game) => [game, fullContributionBasisPoints])) : undefined))
  const opensLot = rules.map((rule, index) => rule.currency === 'BONUS' && contributions[index] !== undefined)

  const ordered = keyOrder(result, (index) => decisions.amount[index] !== 0)
  let lots = 0
  for (const index of ordered) if (opensLot[decisions.rule[index]!]) lots += 1
  const transferOrder = new Int32Array(ordered.length - lots)
  const bonusOrder = new Int32Array(lots)
  let transfers = 0
  lots = 0
  for (const index of ordered) {
    if (opensLot[decisions.rule[index]!]) bonusOrder[lots++] = index
    else transferOrder[transfers++] = index
  }

  return {
    transferOrder,
    bonusOrder,
    transfer(index) {
      const ruleIndex = decisions.rule[index]!
      const playerId = table.playerIds[decisions.player[index]!]!
      return {
        idempotencyKey: keys[ruleIndex]!(playerId),
        from: { system: 'issuance' },
        to: { player: playerId },
        currency: rules[ruleIndex]!.currency,
        amount: decisions.amount[index]!,
        kind: 'reward',
        reason: reasonOf(ruleIndex, decisions.outcome[index]!, decisions.reason[index]!),
        sourceType: 'rule_version',
        sourceId: sourceIds[ruleIndex]!,
      }
    },
    bonus(index) {
      const ruleIndex = decisions.rule[index]!
      const rule = rules[ruleIndex]!
      const playerId = table.playerIds[decisions.player[index]!]!
      return {
        idempotencyKey: keys[ruleIndex]!(playerId),
        playerId,
        amount: decisions.amount[index]!,
        wageringMultiple: rule.wageringRequirement,
        maxBet: rule.maxBet ?? null,
        eligibleGames: contributions[ruleIndex]!,
        expiresAt: expiries[ruleIndex]!,
        reason: reasonOf(ruleIndex, decisions.outcome[index]!, decisions.reason[index]!),
        sourceType: 'rule_version',
        sourceId: sourceIds[ruleIndex]!,
      }
    },
  }
}

/** Every posting of an evaluation at once, in posting order (for tests and small evaluations). */
export function rewardPostings(result: EvaluationResult, issuedAt: string): RewardPostings {
  const postings = postingsOf(result, issuedAt)
  return { transfers: Array.from(postings.transferOrder, (index) => postings.transfer(index)), bonuses: Array.from(postings.bonusOrder, (index) => postings.bonus(index)) }
}

export function postRewards(database: LedgerDatabase, result: EvaluationResult, issuedAt: string, options: PostRewardsOptions = {}): PostResult {
  const batchSize = options.batchSize ?? postBatchTransfersMax
  const postings = postingsOf(result, issuedAt)
  const known = options.playerRowIds ? AccountDirectory.load(database, options.playerRowIds) : undefined
  const total: PostResult = { posted: 0, alreadyPosted: 0 }
  const { transferOrder, bonusOrder } = postings
  for (let start = 0; start < transferOrder.length; start += batchSize) {
    const batch = Array.from(transferOrder.subarray(start, start + batchSize), (index) => postings.transfer(index))
    const posted = postTransfers(database, batch, issuedAt, batchSize, known)
    total.posted += posted.posted
    total.alreadyPosted += posted.alreadyPosted
  }
  for (let start = 0; start < bonusOrder.length; start += batchSize) {
    const batch = Array.from(bonusOrder.subarray(start, start + batchSize), (index) => postings.bonus(index))
    const issued = database.write((_transaction, statements) => issueBonusesWithin(statements, batch, issuedAt, known))
    total.posted += issued.issued
    total.alreadyPosted += issued.alreadyIssued
  }
  return total
}

