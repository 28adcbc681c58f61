import { engineSettingsSchema, type EngineSettingsInput } from '../../../src/shared/engine-settings'
import { decisionAt, evaluate, type PriorIssue } from '../../../src/main/engine/evaluate'
import { PlayerTable, type PlayerRecord } from '../../../src/main/engine/player-table'
import { compileRuleSet } from '../../../src/main/engine/rules'
import { classifySegments, compileSegments } from '../../../src/main/engine/segments'

export const seedRule = {
  rule_id: 'LOSING_PLAYER_CASHBACK',
  priority: 10,
  conditions: { segment: 'LOSING', net_loss_min: 100, session_count_min: 3, days_since_last_deposit: { max: 7 } },
  reward: {
    type: 'BONUS_BALANCE',
    formula: 'net_loss * 0.10',
    max_amount: 500,
    wagering_requirement: 10,
    expiry_hours: 48,
    eligible_games: ['slots', 'roulette'],
  },
}

export function runEngine(options: {
  players: PlayerRecord[]
  rules: unknown[]
  asOf?: string
  settings?: EngineSettingsInput
  abuseScores?: number[]
  history?: PriorIssue[]
}) {
  const asOf = options.asOf ?? '2026-01-31'
  const settings = engineSettingsSchema.parse(options.settings ?? {})
  const table = new PlayerTable(options.players, asOf)
  const compiledSegments = compileSegments(settings.segments, settings.currency.minorDigits)
  if (!compiledSegments.segments) throw new Error(JSON.stringify(compiledSegments.errors))
  const segments = classifySegments(compiledSegments.segments, table)
  const { rules, problems } = compileRuleSet(options.rules, { minorDigits: settings.currency.minorDigits })
  if (problems.length) throw new Error(JSON.stringify(problems))
  const abuseScores = options.abuseScores
    ? Float64Array.from(table.playerIds, (id) => options.abuseScores![options.players.findIndex((p) => p.playerId === id)] ?? 0)
    : undefined
  const result = evaluate({ table, rules, settings, asOf, segments, abuseScores, history: options.history })
  const decisions = Array.from({ length: result.decisions.count }, (_, index) => decisionAt(result, index))
  return { result, decisions, table, segments, settings, rules }
}

/** A player whose history easily pays for any reward in these tests (safety does not bind). */
export function wealthyLoser(playerId: string, overrides: Partial<PlayerRecord> = {}): PlayerRecord {
  return {
    playerId,
    totalDeposited: 5_000_000,
    totalWagered: 10_000_000,
    totalWon: 9_000_000,
    sessions: 40,
    lastDepositDate: '2026-01-28',
    registrationDate: '2025-12-01',
    ...overrides,
  }
}
