// Applying a scenario: its rule changes become new rule versions and its settings the live engine
// settings, in one transaction with an audit_log row listing exactly what changed. The preview
// shows the same list without writing, so what the operator confirms is what is applied.
import { ApiFailure } from '../../shared/api/result'
import type { ApplyPreview, ApplyResult } from '../../shared/api/types-simulation'
import { describeChanges } from '../engine/simulation/scenario-config'
import type { LedgerDatabase } from '../ledger/database'
import { engineSettingsKey, writeSetting } from '../ledger/settings-store'
import { saveRuleVersions } from './rule-store'
import { getScenario, liveConfiguration, scenarioConfiguration } from './scenario-store'

export function previewApply(database: LedgerDatabase, scenarioId: number): ApplyPreview {
  const scenario = getScenario(database, scenarioId)
  const live = liveConfiguration(database)
  return { scenario: { id: scenario.id, name: scenario.name }, changes: describeChanges(live, scenarioConfiguration(live, scenario.changes)) }
}

export function applyScenario(database: LedgerDatabase, scenarioId: number, options: { actor: string; now: string; reason?: string }): ApplyResult {
  const record = getScenario(database, scenarioId)
  const live = liveConfiguration(database)
  const configured = scenarioConfiguration(live, record.changes)
  const changes = describeChanges(live, configured)
  if (changes.length === 0) throw new ApiFailure('refused', `Scenario "${record.name}" changes nothing in the live configuration.`)
  const changedRules = new Set(changes.flatMap((change) => (change.area === 'rule' ? [change.ruleId] : [])))
  const settingsChanged = changes.some((change) => change.area === 'setting')
  const minorDigits = live.settings.currency.minorDigits
  return database.write((transaction, statements) => {
    const saved = saveRuleVersions(
      statements,
      configured.rules.filter((rule) => changedRules.has(rule.ruleId)),
      { minorDigits, actor: options.actor, now: options.now },
    )
    if (settingsChanged) writeSetting(transaction, engineSettingsKey, configured.settings, options.now)
    const audit = statements
      .prepare('INSERT INTO audit_log (action, actor, subject, reason, details, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
      .get(
        'scenario.apply',
        options.actor,
        `scenario:${record.id}`,
        options.reason ?? `Applied what-if scenario "${record.name}"`,
        JSON.stringify({ scenario: record.name, changes, rules: saved.map((each) => ({ ruleId: each.rule.ruleId, version: each.rule.version })) }),
        options.now,
      ) as { id: number }
    return {
      scenario: { id: record.id, name: record.name },
      changes,
      rules: saved.map((each) => ({ ruleId: each.rule.ruleId, version: each.rule.version })),
      settingsChanged,
      auditId: audit.id,
    }
  })
}
