// Issuing an evaluation's rewards: every issued or reduced decision becomes one transfer from the
// issuance account to the player, keyed by the decision's idempotency key (rule version + player +
// period). Posted in large transactions; a run interrupted at any instant and run again ends with
// exactly the transfers an uninterrupted run posts, because already-posted keys are no-ops.
import { decisionAt, type EvaluationResult } from '../engine/evaluate'
import type { LedgerDatabase } from './database'
import { postBatchTransfersMax, postTransfers, type PostResult, type TransferRequest } from './transfers'

export function rewardTransfers(result: EvaluationResult): TransferRequest[] {
  const requests: TransferRequest[] = []
  const { decisions } = result
  for (let index = 0; index < decisions.count; index += 1) {
    if (decisions.amount[index] === 0) continue // blocked
    const decision = decisionAt(result, index)
    requests.push({
      idempotencyKey: decision.idempotencyKey,
      from: { system: 'issuance' },
      to: { player: decision.playerId },
      currency: decision.currency,
      amount: decision.amount,
      kind: 'reward',
      reason: `${decision.ruleId} v${decision.ruleVersion}: ${decision.outcome}${decision.outcome === 'reduced' ? ` (${decision.reason})` : ''}`,
      sourceType: 'rule_version',
      sourceId: `${decision.ruleId}:v${decision.ruleVersion}`,
    })
  }
  // Keys in order: the unique index then only appends, which is what keeps large posts fast.
  return requests.sort((a, b) => (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0))
}

export function postRewards(database: LedgerDatabase, result: EvaluationResult, createdAt: string, batchSize = postBatchTransfersMax): PostResult {
  return postTransfers(database, rewardTransfers(result), createdAt, batchSize)
}
