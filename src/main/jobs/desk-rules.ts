// The Rules screen's backend: the rule list with each rule's last run, a rule's versions, saving a
// new version, status changes, formula checks as the operator types, and testing an unsaved rule
// against one player. Saving goes through registerRules, so the CLI, processing and this screen
// share one notion of "a version".
import { ApiFailure } from '../../shared/api/result'
import type { FormulaCheckResult, RuleDetailView, RuleLastRun, RuleListRow, RuleSaveResult, RuleStatus, RuleStatusResult, RuleTestResult } from '../../shared/api/types-desk'
import { explanationSentences } from '../../shared/explanation'
import type { Currency } from '../../shared/money'
import { explain } from '../engine/explain'
import { compileFormula } from '../engine/formula'
import { PlayerTable } from '../engine/player-table'
import { compileRule, type RuleProblem } from '../engine/rules'
import { segmentNames, type Segment } from '../engine/segments-types'
import type { PriorIssue } from '../engine/evaluate'
import type { LedgerDatabase } from '../ledger/database'
import { auditLog } from '../ledger/schema'
import { readEngineSettings } from '../ledger/settings-store'
import { loadPlayer } from './player-loader'
import { decisionTotals } from './desk-decision-totals'
import { canonicalJson, registerRules } from './rule-store'
import { loadTierLadder } from './tier-step'

interface RuleRow {
  id: number
  code: string
  status: RuleStatus
  version: number
  updatedAt: string
  definition: string
}

/**
 * The rules with each one's last run: the newest evaluation that recorded a decision for any of its
 * versions, with that run's counts, amount and cost — from the shared decision totals, so listing
 * the rules does not read every decision again.
 */
export async function listRules(database: LedgerDatabase, includeArchived: boolean): Promise<RuleListRow[]> {
  const totals = await decisionTotals(database).current()
  const rows = database
    .readRaw(
      'SELECT r.id, r.code, r.status, r.current_version AS version, r.updated_at AS updatedAt, v.definition FROM reward_rules r ' +
        `JOIN reward_rule_versions v ON v.rule_id = r.id AND v.version = r.current_version ${includeArchived ? '' : "WHERE r.status <> 'archived'"} ORDER BY r.code`,
    )
    .all() as RuleRow[]
  const ruleOfVersion = new Map((database.readRaw('SELECT id, rule_id AS ruleId FROM reward_rule_versions').all() as { id: number; ruleId: number }[]).map((row) => [row.id, row.ruleId]))
  const lastRuns = new Map<number, Omit<RuleLastRun, 'asOf'>>()
  for (const total of totals) {
    const ruleId = ruleOfVersion.get(total.ruleVersionId)
    if (ruleId === undefined) continue
    let run = lastRuns.get(ruleId)
    if (!run || run.evaluationId < total.evaluationId) {
      run = { evaluationId: total.evaluationId, issued: 0, reduced: 0, blocked: 0, amount: 0, cost: 0 }
      lastRuns.set(ruleId, run)
    } else if (run.evaluationId > total.evaluationId) continue
    run[total.outcome] += total.decisions
    if (total.outcome !== 'blocked') {
      run.amount += total.amount
      run.cost += total.cost
    }
  }
  const asOf = database.readRaw('SELECT as_of AS asOf FROM evaluations WHERE id = ?')
  return rows.map((row) => {
    const definition = JSON.parse(row.definition) as { name?: string; priority?: number; reward?: { type?: string } }
    const run = lastRuns.get(row.id)
    return {
      ruleId: row.code,
      name: definition.name ?? null,
      status: row.status,
      version: row.version,
      currency: String(definition.reward?.type ?? ''),
      priority: definition.priority ?? 0,
      updatedAt: row.updatedAt,
      lastRun: run ? { ...run, asOf: (asOf.get(run.evaluationId) as { asOf: string }).asOf } : null,
    }
  })
}

export function getRule(database: LedgerDatabase, ruleId: string): RuleDetailView {
  const rule = database.readRaw('SELECT id, status, current_version AS version FROM reward_rules WHERE code = ?').get(ruleId) as { id: number; status: RuleStatus; version: number } | undefined
  if (!rule) throw new ApiFailure('not_found', `There is no rule ${JSON.stringify(ruleId)}.`)
  const versions = database
    .readRaw('SELECT version, definition, created_by AS createdBy, created_at AS createdAt FROM reward_rule_versions WHERE rule_id = ? ORDER BY version DESC')
    .all(rule.id) as { version: number; definition: string; createdBy: string; createdAt: string }[]
  const settings = readEngineSettings(database)
  return {
    ruleId,
    status: rule.status,
    currentVersion: rule.version,
    versions: versions.map((each) => ({ ...each, definition: JSON.parse(each.definition) as Record<string, unknown> })),
    money: { code: settings.currency.code, minorDigits: settings.currency.minorDigits },
  }
}

function refuse(problems: RuleProblem[]): never {
  const first = problems[0]
  const where = first ? `${first.path}: ${first.message}` : 'rejected'
  throw new ApiFailure('invalid_input', `The rule has ${problems.length} problem(s). ${where}`, { problems })
}

/** Compiles with the tier ladder's codes, so a misspelt tier is caught when the rule is saved or tested. */
function compileChecked(database: LedgerDatabase, definition: Record<string, unknown>) {
  const settings = readEngineSettings(database)
  const knownTiers = loadTierLadder(database).map((tier) => tier.code)
  const result = compileRule(definition, { minorDigits: settings.currency.minorDigits, knownTiers })
  if (!result.ok) refuse(result.problems)
  return { rule: result.rule, settings }
}

/** Definitions compared without their status: the status lives on the rule, not in a version. */
function sameDefinition(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const { status: _a, ...restA } = a
  const { status: _b, ...restB } = b
  return canonicalJson(restA) === canonicalJson(restB)
}

export function saveRule(database: LedgerDatabase, definition: Record<string, unknown>, actor: string, now: string): RuleSaveResult {
  const { rule, settings } = compileChecked(database, definition)
  const existing = database
    .readRaw('SELECT r.status, r.current_version AS version, v.definition FROM reward_rules r JOIN reward_rule_versions v ON v.rule_id = r.id AND v.version = r.current_version WHERE r.code = ?')
    .get(rule.ruleId) as { status: RuleStatus; version: number; definition: string } | undefined
  // A new rule starts as a draft (it issues nothing until activated); an edit keeps the rule's status.
  const status: RuleStatus = existing?.status ?? 'draft'
  const normalised = { ...(rule.definition as unknown as Record<string, unknown>), status }
  if (existing && sameDefinition(JSON.parse(existing.definition) as Record<string, unknown>, normalised)) {
    return { ruleId: rule.ruleId, version: existing.version, created: false, status }
  }
  const [stored] = registerRules(database, [normalised], { minorDigits: settings.currency.minorDigits, actor, now })
  return { ruleId: rule.ruleId, version: stored!.rule.version, created: stored!.created, status }
}

export function setRuleStatus(database: LedgerDatabase, ruleId: string, status: Exclude<RuleStatus, 'draft'>, actor: string, now: string): RuleStatusResult {
  return database.write((transaction, statements) => {
    const rule = statements.prepare('SELECT id, status FROM reward_rules WHERE code = ?').get(ruleId) as { id: number; status: RuleStatus } | undefined
    if (!rule) throw new ApiFailure('not_found', `There is no rule ${JSON.stringify(ruleId)}.`)
    if (rule.status === status) return { ruleId, status, previous: rule.status }
    statements.prepare('UPDATE reward_rules SET status = ?, updated_at = ? WHERE id = ?').run(status, now, rule.id)
    transaction.insert(auditLog).values({ action: 'rule.status', actor, subject: `rule:${ruleId}`, reason: `${rule.status} → ${status}`, details: { from: rule.status, to: status }, at: now }).run()
    return { ruleId, status, previous: rule.status }
  })
}

export function checkFormula(formula: string): FormulaCheckResult {
  const result = compileFormula(formula)
  if (result.ok) return { ok: true, metrics: [...result.formula.metrics] }
  return { ok: false, message: result.error.message, position: result.error.position, ...(result.error.validNames ? { validNames: result.error.validNames } : {}) }
}

/** Runs an unsaved rule for one player through the same explanation the player's page shows; writes nothing. */
export function testRule(database: LedgerDatabase, definition: Record<string, unknown>, playerId: string): RuleTestResult {
  const { rule, settings } = compileChecked(database, { ...definition, status: 'active' })
  const player = database
    .readRaw('SELECT p.id, p.segment, t.code AS tier, p.abuse_score AS abuseScore, p.current_as_of AS asOf FROM players p LEFT JOIN tiers t ON t.id = p.tier_id WHERE p.external_id = ? AND p.deleted_at IS NULL')
    .get(playerId) as { id: number; segment: string | null; tier: string | null; abuseScore: number | null; asOf: string | null } | undefined
  const loaded = player ? loadPlayer(database, playerId) : undefined
  if (!player || !loaded) throw new ApiFailure('not_found', `There is no player ${JSON.stringify(playerId.slice(0, 80))}.`)
  if (!player.asOf) throw new ApiFailure('refused', `Player ${playerId} has no imported figures yet: import a player summary first.`)
  const record = { ...loaded.record, ...(player.tier ? { tier: player.tier } : {}) }
  const table = new PlayerTable([record], player.asOf)
  table.setAbuseScores(Float64Array.of(player.abuseScore ?? 0))
  const segment = (segmentNames as readonly string[]).includes(player.segment ?? '') ? (player.segment as Segment) : 'NEW'
  const explanation = explain({
    table,
    playerIndex: 0,
    rule,
    settings,
    asOf: player.asOf,
    segment,
    tier: player.tier ?? undefined,
    abuseScore: player.abuseScore ?? 0,
    history: priorIssuesOf(database, player.id, playerId, rule.ruleId),
  })
  return {
    playerId,
    asOf: player.asOf,
    eligible: explanation.eligible,
    ...(explanation.outcome ? { outcome: explanation.outcome } : {}),
    ...(explanation.amount !== undefined ? { amount: explanation.amount } : {}),
    currency: rule.currency,
    money: { code: settings.currency.code, minorDigits: settings.currency.minorDigits },
    sentences: explanationSentences(explanation),
  }
}

/** What this rule already issued to this player, so the test respects frequency and cooldown. */
function priorIssuesOf(database: LedgerDatabase, playerRowId: number, playerId: string, ruleId: string): PriorIssue[] {
  const rows = database
    .readRaw(
      'SELECT e.as_of AS day, d.idempotency_key AS key, d.currency, d.amount FROM reward_decisions d JOIN evaluations e ON e.id = d.evaluation_id ' +
        'JOIN reward_rule_versions v ON v.id = d.rule_version_id JOIN reward_rules r ON r.id = v.rule_id ' +
        'JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key WHERE d.player_id = ? AND r.code = ?',
    )
    .all(playerRowId, ruleId) as { day: string; key: string; currency: Currency; amount: number }[]
  return rows.map((row) => ({ ruleId, playerId, day: row.day, periodKey: row.key.slice(row.key.lastIndexOf(':') + 1), currency: row.currency, amount: row.amount }))
}
