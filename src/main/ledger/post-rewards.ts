// Issuing an evaluation's rewards: every issued or reduced decision becomes one transfer from the
// issuance account to the player, keyed by the decision's idempotency key (rule version + player +
// period). A BONUS reward whose rule sets wagering terms opens a bonus lot in the same transaction
// (its eligible games count 100%, the rule's max bet and expiry apply). Posted in large
// transactions; a run interrupted at any instant and run again ends with exactly the transfers an
// uninterrupted run posts, because already-posted keys are no-ops.
import { keyMakers } from '../engine/decision-keys'
import { outcomeNames, reasonNames, type EvaluationResult } from '../engine/evaluate'
import type { LedgerDatabase } from './database'
import { issueBonusesWithin, type IssueBonusRequest } from './lots'
import { postBatchTransfersMax, postTransfers, type PostResult, type TransferRequest } from './transfers'

const fullContributionBasisPoints = 10_000
const millisecondsPerHour = 3_600_000

export interface RewardPostings {
  transfers: TransferRequest[]
  bonuses: IssueBonusRequest[]
}

export function rewardPostings(result: EvaluationResult, issuedAt: string): RewardPostings {
  const transfers: TransferRequest[] = []
  const bonuses: IssueBonusRequest[] = []
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
  for (let index = 0; index < decisions.count; index += 1) {
    const amount = decisions.amount[index]!
    if (amount === 0) continue // blocked
    const ruleIndex = decisions.rule[index]!
    const rule = rules[ruleIndex]!
    const playerId = table.playerIds[decisions.player[index]!]!
    const reason = reasonOf(ruleIndex, decisions.outcome[index]!, decisions.reason[index]!)
    const idempotencyKey = keys[ruleIndex]!(playerId)
    const eligibleGames = contributions[ruleIndex]
    if (rule.currency === 'BONUS' && eligibleGames) {
      bonuses.push({
        idempotencyKey,
        playerId,
        amount,
        wageringMultiple: rule.wageringRequirement,
        maxBet: rule.maxBet ?? null,
        eligibleGames,
        expiresAt: expiries[ruleIndex]!,
        reason,
        sourceType: 'rule_version',
        sourceId: sourceIds[ruleIndex]!,
      })
      continue
    }
    transfers.push({
      idempotencyKey,
      from: { system: 'issuance' },
      to: { player: playerId },
      currency: rule.currency,
      amount,
      kind: 'reward',
      reason,
      sourceType: 'rule_version',
      sourceId: sourceIds[ruleIndex]!,
    })
  }
  // Keys in order: the unique index then only appends, which is what keeps large posts fast.
  const byKey = (a: { idempotencyKey: string }, b: { idempotencyKey: string }) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0)
  transfers.sort(byKey)
  bonuses.sort(byKey)
  return { transfers, bonuses }
}

export function postRewards(database: LedgerDatabase, result: EvaluationResult, issuedAt: string, batchSize = postBatchTransfersMax): PostResult {
  const { transfers, bonuses } = rewardPostings(result, issuedAt)
  const total: PostResult = postTransfers(database, transfers, issuedAt, batchSize)
  for (let start = 0; start < bonuses.length; start += batchSize) {
    const batch = bonuses.slice(start, start + batchSize)
    const issued = database.write((_transaction, statements) => issueBonusesWithin(statements, batch, issuedAt))
    total.posted += issued.issued
    total.alreadyPosted += issued.alreadyIssued
  }
  return total
}
