// Reward rules in the database: every saved definition is an immutable version, and a reward
// points at the version that issued it (DESIGN.md: "explain every decision"). Registering the same
// definition again reuses its version, so re-running `process --rules` with an unchanged file
// keeps the idempotency keys (which include the version) and adds nothing.
import { ApiFailure } from '../../shared/api/result'
import { compileRule, compileRuleSet, sortRules, type CompiledRule } from '../engine/rules'
import type { LedgerDatabase, StatementCache } from '../ledger/database'

export interface StoredRule {
  rule: CompiledRule
  /** reward_rule_versions.id */
  versionId: number
  /** A new version was saved by this call. */
  created: boolean
}

/** JSON with sorted keys: two definitions that differ only in key order are the same version. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

/** Validates a rule set and saves each changed rule as a new version; returns them compiled at their versions. */
export function registerRules(database: LedgerDatabase, inputs: readonly unknown[], options: { minorDigits: number; actor: string; now: string }): StoredRule[] {
  const rules = checkedRuleSet(inputs, options.minorDigits)
  return database.write((_transaction, statements) => saveRuleVersions(statements, rules, options))
}

/** The rule set compiled, or a refusal listing its problems (path and message each). */
export function checkedRuleSet(inputs: readonly unknown[], minorDigits: number): CompiledRule[] {
  const { rules, problems } = compileRuleSet(inputs, { minorDigits })
  if (problems.length > 0) {
    throw new ApiFailure(
      'invalid_input',
      `The rule set has ${problems.length} problem(s): ${problems.slice(0, 10).map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`,
      { problems },
    )
  }
  return rules
}

/**
 * Saves each compiled rule whose definition changed as the rule's next version, inside the caller's
 * transaction (applying a scenario writes rules and settings as one unit).
 */
export function saveRuleVersions(statements: StatementCache, rules: readonly CompiledRule[], options: { minorDigits: number; actor: string; now: string }): StoredRule[] {
  const findRule = statements.prepare('SELECT id, current_version AS version, status FROM reward_rules WHERE code = ?')
  const findVersion = statements.prepare('SELECT id, definition FROM reward_rule_versions WHERE rule_id = ? AND version = ?')
  const insertRule = statements.prepare('INSERT INTO reward_rules (code, status, current_version, created_at, updated_at) VALUES (?, ?, 1, ?, ?) RETURNING id')
  const insertVersion = statements.prepare('INSERT INTO reward_rule_versions (rule_id, version, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
  const updateRule = statements.prepare('UPDATE reward_rules SET status = ?, current_version = ?, updated_at = ? WHERE id = ?')
  return rules.map((compiled) => {
    const definition = canonicalJson(compiled.definition)
    const existing = findRule.get(compiled.ruleId) as { id: number; version: number; status: CompiledRule['status'] } | undefined
    let ruleRowId: number
    let version = 1
    if (existing) {
      ruleRowId = existing.id
      const current = findVersion.get(existing.id, existing.version) as { id: number; definition: string } | undefined
      if (current && canonicalJson(JSON.parse(current.definition)) === definition) {
        const again = compileRule(compiled.definition, { minorDigits: options.minorDigits }, existing.version)
        if (!again.ok) throw new Error(`stored rule ${compiled.ruleId} v${existing.version} no longer compiles`)
        // Unchanged: the rule keeps the status the operator gave it since (paused in the Rules screen
        // stays paused when the same rules file is passed again).
        return { rule: { ...again.rule, status: existing.status }, versionId: current.id, created: false }
      }
      version = existing.version + 1
    } else {
      ruleRowId = (insertRule.get(compiled.ruleId, compiled.status, options.now, options.now) as { id: number }).id
    }
    const inserted = insertVersion.get(ruleRowId, version, definition, options.actor, options.now) as { id: number }
    updateRule.run(compiled.status, version, options.now, ruleRowId)
    const again = compileRule(compiled.definition, { minorDigits: options.minorDigits }, version)
    if (!again.ok) throw new Error(`rule ${compiled.ruleId} did not compile twice the same way`)
    return { rule: again.rule, versionId: inserted.id, created: true }
  })
}

/**
 * The current version of every rule that is not archived, in evaluation order. The rule's status
 * (draft / active / paused, changed by rules/set-status without a new version) overrides the one
 * in the version's definition, so a paused or draft rule issues nothing.
 */
export function loadRules(database: LedgerDatabase, minorDigits: number): StoredRule[] {
  const rows = database
    .readRaw(
      "SELECT v.id AS versionId, v.version AS version, v.definition AS definition, r.code AS code, r.status AS status FROM reward_rules r " +
        "JOIN reward_rule_versions v ON v.rule_id = r.id AND v.version = r.current_version WHERE r.status <> 'archived' ORDER BY r.code",
    )
    .all() as { versionId: number; version: number; definition: string; code: string; status: CompiledRule['status'] }[]
  const stored = rows.map((row) => {
    const compiled = compileRule(JSON.parse(row.definition), { minorDigits }, row.version)
    if (!compiled.ok) {
      throw new ApiFailure('invalid_input', `Stored rule ${row.code} v${row.version} is invalid: ${compiled.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`)
    }
    return { rule: { ...compiled.rule, status: row.status }, versionId: row.versionId, created: false }
  })
  const order = sortRules(stored.map((each) => each.rule))
  return order.map((rule) => stored.find((each) => each.rule === rule)!)
}
