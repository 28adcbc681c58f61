// Why a reward was (or would be) issued, reduced or blocked, as data the UI and the Excel
// export render, and as plain sentences. Amounts are integers in the reward's unit.
import { formatAmount } from './money'

export interface ExplainedCondition {
  key: string
  description: string
  actual?: number | string
  expected: string
  passed: boolean
  unavailable: boolean
}

export interface Explanation {
  playerId: string
  ruleId: string
  ruleVersion: number
  currency: string
  /** Decimal digits of the reward's unit (2 for money, 0 for points). */
  digits: number
  /** Digits of money amounts (costs and margins). */
  moneyDigits: number
  conditions: ExplainedCondition[]
  eligible: boolean
  formula?: { source: string; inputs: { name: string; value?: number }[]; value: number }
  rounded?: number
  clamp?: { bound: 'max_amount' | 'min_amount'; to: number }
  abuse?: { score: number; reduceAt: number; blockAt: number; multiplier: number }
  safety?: { cost: number; margin: number; safetyFactor: number; allowed: number }
  /** The rule's hold-out control group and whether this player is in it. */
  holdout?: { share: number; heldOut: boolean }
  outcome?: 'issued' | 'reduced' | 'blocked'
  reason?: string
  amount?: number
}

const reasonSentences: Record<string, string> = {
  issued: 'issued in full',
  abuse_reduced: 'reduced because of the abuse score',
  profit_safety: 'reduced to what the expected margin can pay for',
  cap_player_day: "reduced by the player's daily cap",
  cap_player_week: "reduced by the player's weekly cap",
  cap_player_month: "reduced by the player's monthly cap",
  budget_rule: "reduced by the rule's budget",
  budget_global_day: 'reduced by the global daily budget',
  metric_unavailable: 'blocked: a metric the formula needs is unavailable for this player',
  formula_not_finite: 'blocked: the formula gave no finite number (division by zero?)',
  zero_amount: 'blocked: the formula gave nothing to pay',
  already_issued: 'blocked: already issued for this period',
  cooldown: 'blocked: the cooldown since the last reward has not passed',
  exclusive_group: 'blocked: a higher-priority rule in the same exclusive group already paid this player',
  abuse_blocked: 'blocked: the abuse score is too high',
  unprofitable: 'blocked: the expected cost exceeds what the expected margin allows',
  control_group: "held out: the player is in the rule's control group, so the reward is recorded but not paid",
}

/** For blocked decisions a cap reason means the cap was already used up. */
export function reasonText(outcome: string | undefined, reason: string): string {
  if (outcome === 'blocked' && reason.startsWith('cap_')) return `blocked: ${reasonSentences[reason]?.replace('reduced by ', '') ?? reason} is used up`
  if (outcome === 'blocked' && reason.startsWith('budget_')) return `blocked: ${reasonSentences[reason]?.replace('reduced by ', '') ?? reason} is used up`
  return reasonSentences[reason] ?? reason
}

export function explanationSentences(explanation: Explanation, locale = 'en-US'): string[] {
  const amount = (value: number) => formatAmount(value, explanation.digits, locale)
  const money = (value: number) => formatAmount(Math.round(value), explanation.moneyDigits, locale)
  const shown = (value: number | string | undefined) =>
    value === undefined ? 'unavailable' : typeof value === 'number' ? new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(value) : value
  const lines = [`${explanation.ruleId} v${explanation.ruleVersion} for player ${explanation.playerId}:`]
  for (const condition of explanation.conditions) {
    const mark = condition.passed ? '✓' : '✗'
    lines.push(`${mark} ${condition.description} ${condition.expected} (actual ${shown(condition.actual)})`)
  }
  if (!explanation.eligible) {
    lines.push('Not eligible: not every condition holds.')
    return lines
  }
  if (explanation.formula) {
    const inputs = explanation.formula.inputs.map((input) => `${input.name} = ${shown(input.value)}`).join(', ')
    lines.push(`Formula ${explanation.formula.source} = ${shown(explanation.formula.value)}${inputs ? ` (${inputs})` : ''}.`)
  }
  if (explanation.rounded !== undefined) lines.push(`Rounded to ${amount(explanation.rounded)} ${explanation.currency}.`)
  if (explanation.clamp) lines.push(`${explanation.clamp.bound === 'max_amount' ? 'Capped' : 'Raised'} to ${amount(explanation.clamp.to)} by ${explanation.clamp.bound}.`)
  if (explanation.abuse && explanation.abuse.score >= explanation.abuse.reduceAt) {
    lines.push(
      explanation.abuse.score >= explanation.abuse.blockAt
        ? `Abuse score ${explanation.abuse.score} ≥ ${explanation.abuse.blockAt}: blocked.`
        : `Abuse score ${explanation.abuse.score} ≥ ${explanation.abuse.reduceAt}: multiplied by ${explanation.abuse.multiplier}.`,
    )
  }
  if (explanation.safety) {
    const { cost, margin, safetyFactor, allowed } = explanation.safety
    const ok = cost <= allowed + 1e-9
    lines.push(
      `Profit safety: expected cost ${money(cost)} ${ok ? '≤' : '>'} ${Math.round(safetyFactor * 100)}% of expected margin ${money(margin)} (${money(allowed)}) ${ok ? '✓' : '✗'}.`,
    )
  }
  if (explanation.holdout) {
    const percent = `${Math.round(explanation.holdout.share * 1000) / 10}%`
    lines.push(
      explanation.holdout.heldOut
        ? `Control group: this player is in the ${percent} hold-out that measures the rule's effect; nothing is paid.`
        : `Control group: the rule holds out ${percent} of the players it rewards; this player is not one of them.`,
    )
  }
  if (explanation.outcome) {
    const reason = reasonText(explanation.outcome, explanation.reason ?? '')
    lines.push(
      explanation.outcome === 'blocked'
        ? `Outcome: ${reason}.`
        : `Outcome: ${explanation.outcome} ${amount(explanation.amount ?? 0)} ${explanation.currency} — ${reason}.`,
    )
  }
  return lines
}
