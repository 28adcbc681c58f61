// Issuing an evaluation's rewards: every issued or reduced decision becomes one transfer from the
// issuance account to the player, keyed by the decision's idempotency key (rule version + player +
// period). A BONUS reward whose rule sets wagering terms opens a bonus lot in the same transaction
// (its eligible games count 100%, the rule's max bet and expiry apply). Posted in large
// transactions; a run interrupted at any instant and run again ends with exactly the transfers an
// uninterrupted run posts, because already-posted keys are no-ops.
import { decisionAt, type EvaluationResult } from '../engine/evaluate'
import type { LedgerDatabase } from './database'
import { issueBonusWithin, type IssueBonusRequest } from './lots'
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
  const { decisions, rules } = result
  for (let index = 0; index < decisions.count; index += 1) {
    if (decisions.amount[index] === 0) continue // blocked
    const decision = decisionAt(result, index)
    const rule = rules[decisions.rule[index]!]!
    const reason = `${decision.ruleId} v${decision.ruleVersion}: ${decision.outcome}${decision.outcome === 'reduced' ? ` (${decision.reason})` : ''}`
    const sourceId = `${decision.ruleId}:v${decision.ruleVersion}`
    if (rule.currency === 'BONUS' && rule.eligibleGames?.length) {
      bonuses.push({
        idempotencyKey: decision.idempotencyKey,
        playerId: decision.playerId,
        amount: decision.amount,
        wageringMultiple: rule.wageringRequirement,
        maxBet: rule.maxBet ?? null,
        eligibleGames: Object.fromEntries(rule.eligibleGames.map((game) => [game, fullContributionBasisPoints])),
        expiresAt: rule.expiryHours ? new Date(Date.parse(issuedAt) + rule.expiryHours * millisecondsPerHour).toISOString() : null,
        reason,
        sourceType: 'rule_version',
        sourceId,
      })
      continue
    }
    transfers.push({
      idempotencyKey: decision.idempotencyKey,
      from: { system: 'issuance' },
      to: { player: decision.playerId },
      currency: decision.currency,
      amount: decision.amount,
      kind: 'reward',
      reason,
      sourceType: 'rule_version',
      sourceId,
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
    database.write((_transaction, statements) => {
      for (const bonus of batch) {
        const issued = issueBonusWithin(statements, bonus, issuedAt)
        if (issued.alreadyIssued) total.alreadyPosted += 1
        else total.posted += 1
      }
    })
  }
  return total
}
