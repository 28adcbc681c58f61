// Rewards already in the ledger, as the engine's frequency, cooldown, cap and budget checks need
// them. process and the simulation both read them here, so a simulation sees exactly the history a
// real run would.
import { currencyCodes } from '../../shared/money'
import { distinctTexts, type PriorIssueColumns } from '../engine/evaluate'
import type { LedgerDatabase } from '../ledger/database'
import type { LoadedPlayers } from './player-loader'

/** The players as loaded (player-loader.ts). */
export type LoadedPlayerIds = Pick<LoadedPlayers, 'records' | 'positionOf'>

const playerIdsPerQuery = 20_000

/** What process also reads of the ledger's rewards, beside what the engine does. */
export interface LedgerPriorIssues extends PriorIssueColumns {
  /** Per reward: the version of its rule that issued it. */
  version: Uint32Array
  /** Per reward: the player's position among the loaded players, -1 = not loaded. */
  loadedPosition: Int32Array
}

/**
 * Every issued reward, as columns (see PriorIssueColumns). A re-run at a million players reads
 * ~1.4M: each row is read as integers and one short text (its period), and a player's id is the
 * loaded record's own string, so the engine finds the player without hashing a copy of it; only
 * players that were not loaded (deleted ones, whose rewards still count towards budgets and caps)
 * are looked up by row id.
 */
export function priorIssues(database: LedgerDatabase, players?: LoadedPlayerIds): LedgerPriorIssues {
  const ruleOfVersion = new Map<number, string>()
  const versionNumber = new Map<number, number>()
  for (const [versionId, code, version] of database.iterateRows('SELECT v.id, r.code, v.version FROM reward_rule_versions v JOIN reward_rules r ON r.id = v.rule_id') as IterableIterator<
    [number, string, number]
  >) {
    ruleOfVersion.set(versionId, code)
    versionNumber.set(versionId, version)
  }
  const dayOfEvaluation = new Map<number, string>()
  for (const [id, asOf] of database.iterateRows('SELECT id, as_of FROM evaluations') as IterableIterator<[number, string]>) dayOfEvaluation.set(id, asOf)

  // Room for every reward: each is one transfer (by the shared unique key), and ids only grow.
  const count = (database.readRaw('SELECT coalesce(max(id), 0) AS bound FROM ledger_transfers').get() as { bound: number }).bound
  const rules = distinctTexts<number>()
  const days = distinctTexts<number>()
  const periods = distinctTexts()
  const columns = {
    count,
    playerIds: new Array<string>(count),
    rule: new Uint32Array(count),
    day: new Uint32Array(count),
    period: new Uint32Array(count),
    currency: new Uint8Array(count),
    amount: new Float64Array(count),
    version: new Uint32Array(count),
    loadedPosition: new Int32Array(count),
  }

  /** Rewards whose player was not loaded, by that player's row id. */
  const unloaded = new Map<number, number[]>()

  // Keys end in the period (see idempotencyKey in engine/rules.ts); periods never contain ':'.
  // rtrim(key, <the key's characters other than ':'>) is the key up to its last ':'.
  const currencyCase = `CASE d.currency ${currencyCodes.map((code, index) => `WHEN '${code}' THEN ${index}`).join(' ')} END`
  const rows = database.iterateRows(
    `SELECT d.rule_version_id, d.player_id, d.evaluation_id, substr(d.idempotency_key, length(rtrim(d.idempotency_key, replace(d.idempotency_key, ':', ''))) + 1), ${currencyCase}, d.amount ` +
      'FROM reward_decisions d JOIN ledger_transfers t ON t.idempotency_key = d.idempotency_key',
  ) as IterableIterator<[versionId: number, playerRowId: number, evaluationId: number, period: string, currency: number, amount: number]>
  let k = 0
  for (const [versionId, playerRowId, evaluationId, period, currency, amount] of rows) {
    if (k === count) break // posted meanwhile by another connection: not part of this read
    columns.rule[k] = rules.of(versionId, () => ruleOfVersion.get(versionId)!)
    columns.day[k] = days.of(evaluationId, () => dayOfEvaluation.get(evaluationId)!)
    columns.period[k] = periods.of(period)
    columns.currency[k] = currency
    columns.amount[k] = amount
    columns.version[k] = versionNumber.get(versionId)!
    const position = players ? players.positionOf(playerRowId) : -1
    columns.loadedPosition[k] = position
    if (position >= 0) columns.playerIds[k] = players!.records[position]!.playerId
    else {
      const waiting = unloaded.get(playerRowId)
      if (waiting) waiting.push(k)
      else unloaded.set(playerRowId, [k])
    }
    k += 1
  }
  const rowIds = [...unloaded.keys()]
  for (let start = 0; start < rowIds.length; start += playerIdsPerQuery) {
    const chunk = rowIds.slice(start, start + playerIdsPerQuery)
    for (const [rowId, externalId] of database.iterateRows('SELECT p.id, p.external_id FROM json_each(?) j JOIN players p ON p.id = j.value', JSON.stringify(chunk)) as IterableIterator<[number, string]>) {
      for (const at of unloaded.get(rowId)!) columns.playerIds[at] = externalId
    }
  }
  return {
    ...columns,
    count: k,
    ruleIds: rules.values,
    days: days.values,
    periods: periods.values,
  }
}
