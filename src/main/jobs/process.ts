// `loyalty process`: import → metrics → segments → rules → safety → ledger → report, as one call.
// Each step's output is stored where the next run and the UI read it: the evaluation and every
// decision (with the rule version that made it), each player's segment and scores, segment
// transitions, abuse signals and review items, then the rewards posted to the ledger in large,
// resumable transactions. Re-running with the same data adds nothing: the frequency check sees
// what was issued, decisions that issued are never rewritten, and ledger keys are idempotent.
import { createHash } from 'node:crypto'
import { ApiFailure } from '../../shared/api/result'
import type { ProcessSummary } from '../../shared/api/types'
import type { EngineSettings } from '../../shared/engine-settings'
import type { Currency } from '../../shared/money'
import { decisionAt, reasonNames } from '../engine/evaluate'
import { runPipeline, type PipelineResult } from '../engine/pipeline'
import { segmentNames } from '../engine/segments-types'
import type { LedgerDatabase, StatementCache } from '../ledger/database'
import { bulkRun, valuesList, withIndexesRebuilt } from '../ledger/bulk-write'
import { keyMakers, keyOrder } from '../engine/decision-keys'
import { postRewards } from '../ledger/post-rewards'
import type { PostResult } from '../ledger/transfers'
import { readEngineSettings } from '../ledger/settings-store'
import { importFile, type ImportFileOptions, type ImportSummary } from './import-file'
export type { ProcessSummary }
import { loadPlayers, type StoredPlayerState } from './player-loader'
import { prefaultedChunks } from './prefaulted-chunks'
import { writeProcessReport, type ProcessReportInput, type WrittenProcessReport } from './process-report'
import { canWriteReportOnThread, writeProcessReportOnThread, type ReportOnThread } from './process-report-thread'
import { decideTiers, loadTierLadder, saveTierLadder, storeTierHistory } from './tier-step'
import { storePlayerState } from './player-state-store'
import { storeAbuseSignals } from './abuse-signal-store'
import type { PlayerRecord } from '../engine/player-table'
import type { TierDecision, TierLadder } from '../engine/tiers'
import { checkedRuleSet, loadRules, registerRules, type StoredRule } from './rule-store'
import { priorIssues, type LedgerPriorIssues } from './prior-issues'
import { fileRefusal } from './file-refusal'

export interface ProcessOptions {
  files: readonly string[]
  /** Rule definitions (the seed's JSON shape); absent = the rules saved in the database. */
  rules?: readonly unknown[]
  /** Rules to install when neither `rules` nor the database has any (the default rule set). */
  defaultRules?: () => readonly unknown[]
  asOf?: string
  /** Today, for files without an as-of date. */
  defaultAsOf: string
  now: string
  actor: string
  dryRun: boolean
  /** Write the run's Excel report here (replacing a file of that name). */
  reportPath?: string
  import?: Partial<Pick<ImportFileOptions, 'sheet' | 'mapping' | 'mappingProfile' | 'dateOrder' | 'decimalSeparator'>>
  signal?: AbortSignal
  onProgress?: (step: string, done: number, total?: number) => void
  /** Decisions from which the report is written on its own thread while the ledger posts (tests lower it). */
  reportOnThreadFrom?: number
}

/**
 * From this many decisions the report is worth a thread: starting one and handing it the run costs
 * a fraction of a second, writing the report at a million players ~10 s.
 */
const reportOnThreadFromDecisions = 50_000

const currencies: readonly Currency[] = ['BONUS', 'LP', 'RP', 'TICKETS']
/** Decisions added, relative to those stored, from which the decisions' other indexes are rebuilt rather than updated. */
const bulkIndexShare = 0.5

export async function processFiles(database: LedgerDatabase, options: ProcessOptions): Promise<ProcessSummary> {
  // A dry run stores nothing at all: its imports and rule versions are rolled back with the rest.
  if (options.dryRun) return database.rolledBack(() => processWithin(database, options))
  return database.withDeferredCheckpoint(() => processWithin(database, options))
}

async function processWithin(database: LedgerDatabase, options: ProcessOptions): Promise<ProcessSummary> {
  const settings = readEngineSettings(database)
  const minorDigits = settings.currency.minorDigits
  // Refusals that need no file come first, so a refused run imports nothing either.
  if (options.rules) checkedRuleSet(options.rules, minorDigits)
  refuseEarlierAsOf(database, options.asOf)
  const imports: ImportSummary[] = []
  for (const [index, path] of options.files.entries()) {
    options.onProgress?.(`import ${index + 1}/${options.files.length}`, 0)
    try {
      imports.push(
        await importFile(database, {
          path,
          asOf: options.asOf,
          // An events file without a date of its own belongs with the summary imported before it.
          defaultAsOf: imports.filter((each) => each.kind === 'summary').at(-1)?.asOf ?? options.defaultAsOf,
          now: options.now,
          minorDigits,
          dateOrder: options.import?.dateOrder ?? 'DMY',
          decimalSeparator: options.import?.decimalSeparator,
          sheet: options.import?.sheet,
          mapping: options.import?.mapping,
          mappingProfile: options.import?.mappingProfile,
          signal: options.signal,
          onProgress: (progress) => options.onProgress?.(`import ${index + 1}/${options.files.length}`, progress.bytes, progress.totalBytes),
        }),
      )
    } catch (error) {
      // A dry run keeps none of them.
      throw fileRefusal(error, path, options.dryRun ? [] : imports)
    }
  }
  if (options.signal?.aborted) throw new ApiFailure('cancelled', 'Processing was cancelled after the import.')
  // The evaluation is as of the explicit date, else the newest summary file's date, else today.
  const asOf = options.asOf ?? imports.filter((each) => each.kind === 'summary').map((each) => each.asOf).sort().at(-1) ?? options.defaultAsOf
  refuseEarlierAsOf(database, asOf)

  const stored = rulesFor(database, options, minorDigits)
  options.onProgress?.('evaluate', 0)
  const loaded = loadPlayers(database)
  if (loaded.records.length === 0) throw new ApiFailure('invalid_input', 'There are no players to evaluate: import a player summary file first.')
  const ladder = loadTierLadder(database)
  const tierDecisions = decideTiers(database, loaded, ladder, asOf)
  const history = priorIssues(database, loaded)
  const result = runPipeline({ players: loaded.records, rules: stored.map((each) => each.rule), settings, asOf, history, chunks: prefaultedChunks() })
  if (options.signal?.aborted) throw new ApiFailure('cancelled', 'Processing was cancelled before anything was stored.')

  let evaluationId: number | null = null
  let ledger: PostResult = { posted: 0, alreadyPosted: 0 }
  let reviewOpened = 0
  const reportPath = options.reportPath
  const reportInput = (id: number | null): ProcessReportInput | undefined =>
    reportPath ? { path: reportPath, result, rules: stored, imports, settings, asOf, dryRun: options.dryRun, evaluationId: id, generatedAt: new Date(options.now), signal: options.signal } : undefined
  let written: WrittenProcessReport | undefined
  if (!options.dryRun) {
    options.onProgress?.('store', 0)
    // The report reads nothing the store or the ledger writes: a large one is written on the other
    // core meanwhile, from the moment the evaluation has its id (the first row the store writes).
    let onThread: ReportOnThread | undefined
    const startReport = (id: number) => {
      const input = reportInput(id)
      if (input && result.evaluation.decisions.count >= (options.reportOnThreadFrom ?? reportOnThreadFromDecisions) && canWriteReportOnThread()) onThread = writeProcessReportOnThread(input)
    }
    const stopReport = async () => {
      onThread?.cancel()
      await onThread?.done.catch(() => undefined)
    }
    let storedRun: { evaluationId: number; reviewOpened: number }
    try {
      storedRun = storeEvaluation(database, result, {
        stored, rowIds: loaded.rowIds, settings, asOf, now: options.now, tiers: { ladder, records: loaded.records, rowIdOf: loaded.rowIdOf, decisions: tierDecisions },
        storedState: loaded.stored, history, onEvaluationId: startReport,
      })
    } catch (error) {
      await stopReport()
      throw error
    }
    evaluationId = storedRun.evaluationId
    reviewOpened = storedRun.reviewOpened
    options.onProgress?.('ledger', 0)
    try {
      ledger = postRewards(database, result.evaluation, options.now, { playerRowIds: loaded.rowIds })
    } catch (error) {
      await stopReport()
      throw error
    }
    const reportThread = onThread as ReportOnThread | undefined
    if (reportThread) {
      options.onProgress?.('report', 0)
      const cancel = () => reportThread.cancel()
      options.signal?.addEventListener('abort', cancel, { once: true })
      // The ledger's pages go to the database file while the thread finishes the report.
      database.checkpoint()
      try {
        written = await reportThread.done
      } finally {
        options.signal?.removeEventListener('abort', cancel)
      }
    }
  }
  const input = reportInput(evaluationId)
  if (input && !written) {
    options.onProgress?.('report', 0)
    written = await writeProcessReport(input)
  }
  const report: ProcessSummary['report'] = written ? { path: written.path, bytes: written.bytes, ...(written.decisionsCsv ? { decisionsCsv: written.decisionsCsv } : {}) } : undefined

  const { evaluation } = result
  const byCurrency = Object.fromEntries(currencies.map((currency) => [currency, evaluation.issuedByCurrency[currency] ?? 0])) as Record<Currency, number>
  const blocked: Record<string, number> = {}
  const { decisions } = evaluation
  for (let index = 0; index < decisions.count; index += 1) {
    if (decisions.amount[index] !== 0) continue
    const reason = reasonNames[decisions.reason[index]!]!
    blocked[reason] = (blocked[reason] ?? 0) + 1
  }
  const errors = imports.flatMap((each) => each.errors.map((error) => ({ row: error.row, column: error.column, message: error.message })))
  return {
    asOf,
    evaluationId,
    dryRun: options.dryRun,
    currency: settings.currency,
    imports,
    import: {
      rows: sum(imports.map((each) => each.rows)),
      accepted: sum(imports.map((each) => each.accepted)),
      rejected: sum(imports.map((each) => each.rejected)),
      errors,
    },
    players: result.table.count,
    segments: result.segmentCounts,
    tiers: countTiers(ladder, tierDecisions),
    transitions: result.transitions.length,
    rules: stored.map((each) => ({ ruleId: each.rule.ruleId, version: each.rule.version, newVersion: each.created })),
    rewards: { issued: evaluation.outcomes.issued + evaluation.outcomes.reduced, reduced: evaluation.outcomes.reduced, byCurrency, blocked },
    abuse: { flagged: countFlagged(result), reviewOpened },
    ledger,
    ...(report ? { report } : {}),
  }
}

function countTiers(ladder: TierLadder, decisions: readonly TierDecision[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(ladder.map((tier) => [tier.code, 0]))
  for (const decision of decisions) counts[decision.tier] = (counts[decision.tier] ?? 0) + 1
  return counts
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function countFlagged(result: PipelineResult): number {
  let flagged = 0
  for (const score of result.abuse.scores) if (score > 0) flagged += 1
  return flagged
}

function rulesFor(database: LedgerDatabase, options: ProcessOptions, minorDigits: number): StoredRule[] {
  if (options.rules) return registerRules(database, options.rules, { minorDigits, actor: options.actor, now: options.now })
  const saved = loadRules(database, minorDigits)
  // The default rule set is installed into an empty database only: rules the operator archived stay archived.
  if (saved.length > 0 || database.readRaw('SELECT 1 AS one FROM reward_rules LIMIT 1').get() !== undefined) return saved
  const defaults = options.defaultRules?.()
  if (!defaults) throw new ApiFailure('invalid_input', 'No reward rules are saved yet: pass a rule set (--rules RULES.json).')
  return registerRules(database, defaults, { minorDigits, actor: options.actor, now: options.now })
}

function configHash(stored: readonly StoredRule[], settings: EngineSettings): string {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(settings))
  for (const each of stored) hash.update(`${each.rule.ruleId}:v${each.rule.version};`)
  return hash.digest('hex')
}

interface StoreContext {
  stored: readonly StoredRule[]
  rowIds: Map<string, number>
  settings: EngineSettings
  asOf: string
  now: string
  /** As loaded: the records, their players.id and their tier decisions, by the same positions. */
  tiers: { ladder: TierLadder; records: readonly PlayerRecord[]; rowIdOf: Int32Array; decisions: readonly TierDecision[] }
  /** The players' state as stored before this run, by loaded position. */
  storedState: StoredPlayerState
  /** The rewards in the ledger before this run (as the evaluation read them). */
  history: LedgerPriorIssues
  /** Called inside the store's transaction as soon as the evaluation has its id, before the rest is written. */
  onEvaluationId?: (id: number) => void
}

/** Keys sampled to estimate how many of a run's decisions are new (a re-run of the same day adds none). */
const newKeySample = 1_000

/**
 * About how many of the run's decision keys are not stored yet, from an even sample of them: it
 * only decides whether rebuilding the other indexes pays, so an estimate is enough, and looking
 * every key up would cost what the rebuild saves.
 */
function estimatedNewKeys(statements: StatementCache, order: Int32Array, keyOf: (index: number) => string): number {
  if (order.length === 0) return 0
  const step = Math.max(1, Math.floor(order.length / newKeySample))
  const sample: string[] = []
  for (let position = 0; position < order.length; position += step) sample.push(keyOf(order[position]!))
  const found = (statements.prepare('SELECT count(*) AS found FROM json_each(?) j JOIN reward_decisions d ON d.idempotency_key = j.value').get(JSON.stringify(sample)) as { found: number }).found
  return Math.round(((sample.length - found) / sample.length) * order.length)
}

/** Each table position's position in `loaded`; undefined when the two orders are the same. */
function loadedPositions(tableRecords: readonly PlayerRecord[], loaded: readonly PlayerRecord[]): Int32Array | undefined {
  let same = tableRecords.length === loaded.length
  for (let index = 0; same && index < loaded.length; index += 1) same = tableRecords[index] === loaded[index]
  if (same) return undefined
  const position = new Map(loaded.map((record, index) => [record, index]))
  return Int32Array.from(tableRecords, (record) => position.get(record)!)
}

/**
 * Per rule of the run, by table position: 1 where the ledger already holds a reward with the very
 * key this run's decision has (same rule version, player and period). Such a decision's upsert
 * would change nothing — a decision that issued is never rewritten — so it is not sent: a re-run
 * in the same period otherwise asked SQLite to look up and refuse over a million of them.
 */
function postedDecisionKeys(evaluation: PipelineResult['evaluation'], history: LedgerPriorIssues, tableIndexOfLoaded: (position: number) => number): (Uint8Array | undefined)[] {
  const count = evaluation.table.count
  const probe = '\u0000'
  const ruleOfKey = new Map(keyMakers(evaluation).map((key, r) => [key(probe), r]))
  const posted: (Uint8Array | undefined)[] = evaluation.rules.map(() => undefined)
  // Rewards of a few rules, versions and periods: which rule of the run each combination is, once.
  const combinations = new Map<number, number>()
  const ruleCount = history.ruleIds.length
  const periodCount = history.periods.length
  for (let k = 0; k < history.count; k += 1) {
    const position = history.loadedPosition[k]!
    if (position < 0) continue
    const combination = history.rule[k]! + ruleCount * (history.period[k]! + periodCount * history.version[k]!)
    let r = combinations.get(combination)
    if (r === undefined) {
      const key = `reward:${history.ruleIds[history.rule[k]!]!}:v${history.version[k]!}:${probe}:${history.periods[history.period[k]!]!}`
      r = ruleOfKey.get(key) ?? -1
      combinations.set(combination, r)
    }
    if (r >= 0) (posted[r] ??= new Uint8Array(count))[tableIndexOfLoaded(position)] = 1
  }
  return posted
}

/**
 * Players are judged by their current totals, the newest summary's: an evaluation as of an earlier
 * date would pay by figures from after it (November's turnover for an October run). Refused before
 * anything is imported when the date is given, and again once the files have set it.
 */
function refuseEarlierAsOf(database: LedgerDatabase, asOf: string | undefined): void {
  if (asOf === undefined) return
  const newest = (database.readRaw("SELECT max(as_of) AS asOf FROM imports WHERE kind = 'summary' AND status = 'completed'").get() as { asOf: string | null }).asOf
  if (newest !== null && asOf < newest) {
    throw new ApiFailure(
      'invalid_input',
      `Cannot evaluate as of ${asOf}: the players' figures are as of ${newest}, and a run as of an earlier date would judge them by later figures. Process as of ${newest} or later.`,
    )
  }
}

function storeEvaluation(database: LedgerDatabase, result: PipelineResult, context: StoreContext): { evaluationId: number; reviewOpened: number } {
  const { evaluation, table } = result
  const versionIds = new Map(context.stored.map((each) => [`${each.rule.ruleId}:${each.rule.version}`, each.versionId]))
  return database.write((_transaction, statements) => {
    const evaluationId = (
      statements
        .prepare("INSERT INTO evaluations (as_of, config_hash, status, players_evaluated, started_at, finished_at) VALUES (?, ?, 'completed', ?, ?, ?) RETURNING id")
        .get(context.asOf, configHash(context.stored, context.settings), table.count, context.now, context.now) as { id: number }
    ).id
    context.onEvaluationId?.(evaluationId)

    // A decision that issued is history and is never rewritten; any other is replaced by the newest.
    const decisionSql = (rows: number) =>
      'INSERT INTO reward_decisions (evaluation_id, player_id, rule_version_id, outcome, currency, amount, reason, explanation, idempotency_key, created_at) VALUES ' +
      valuesList(rows, '(:evaluation, ?, ?, ?, ?, ?, ?, ?, ?, :now)') +
      ' ON CONFLICT (idempotency_key) DO UPDATE SET evaluation_id = excluded.evaluation_id, outcome = excluded.outcome, ' +
      'amount = excluded.amount, reason = excluded.reason, explanation = excluded.explanation, created_at = excluded.created_at ' +
      'WHERE NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.idempotency_key = reward_decisions.idempotency_key) ' +
      // A player held out as the rule's control group keeps the decision of the run that first held them out: ROI is measured from that date.
      "AND NOT (reward_decisions.reason = 'control_group' AND excluded.reason = 'control_group')"
    const { decisions } = evaluation
    const keys = keyMakers(evaluation)
    const ruleVersionIds = evaluation.rules.map((rule) => versionIds.get(`${rule.ruleId}:${rule.version}`)!)
    // The table's players by their loaded position (the same order unless the table had to sort them).
    const loadedAt = loadedPositions(table.records, context.tiers.records)
    const playerRowIds = loadedAt ? Int32Array.from(loadedAt, (position) => context.tiers.rowIdOf[position]!) : context.tiers.rowIdOf
    // In key order (the unique key index then appends); a run that adds many decisions to few
    // rebuilds the other indexes after, rather than inserting into them row by row.
    const tableIndexOf = loadedAt ? new Int32Array(loadedAt.length) : undefined
    if (loadedAt) loadedAt.forEach((position, index) => (tableIndexOf![position] = index))
    const posted = postedDecisionKeys(evaluation, context.history, (position) => (tableIndexOf ? tableIndexOf[position]! : position))
    const order = keyOrder(evaluation, (index) => posted[decisions.rule[index]!]?.[decisions.player[index]!] !== 1)
    const stored = (statements.prepare('SELECT count(*) AS stored FROM reward_decisions').get() as { stored: number }).stored
    const rebuild = stored === 0 || estimatedNewKeys(statements, order, (index) => keys[decisions.rule[index]!]!(table.playerIds[decisions.player[index]!]!)) >= stored * bulkIndexShare
    withIndexesRebuilt(statements, 'reward_decisions', () => rebuild, () => bulkRun(
      statements,
      decisionSql,
      8,
      order.length,
      (position, values, at) => {
        const index = order[position]!
        const decision = decisionAt(evaluation, index)
        const rule = decisions.rule[index]!
        const player = decisions.player[index]!
        values[at] = playerRowIds[player]
        values[at + 1] = ruleVersionIds[rule]
        values[at + 2] = decision.outcome
        values[at + 3] = decision.currency
        values[at + 4] = decision.amount
        values[at + 5] = decision.reason
        values[at + 6] = JSON.stringify({ requested: decision.requested, cost: Math.round(decision.cost), margin: Math.round(decision.margin) })
        values[at + 7] = keys[rule]!(table.playerIds[player]!)
      },
      { evaluation: evaluationId, now: context.now },
    ))

    // Segment, scores and tier state in one pass; only players whose state changed are rewritten,
    // and only those are sent: a re-run leaves most players as they were.
    const tiers = context.tiers
    const tierIds = saveTierLadder(statements, tiers.ladder, context.now)
    const risk = table.column('risk_score')
    const fillState = (index: number, values: unknown[], at: number) => {
      const riskScore = risk[index]!
      const tier = tiers.decisions[loadedAt ? loadedAt[index]! : index]!
      values[at] = playerRowIds[index]
      values[at + 1] = segmentNames[result.segments[index]!]!
      values[at + 2] = Math.round(result.abuse.scores[index]!)
      values[at + 3] = Number.isNaN(riskScore) ? null : Math.min(100, Math.max(0, Math.round(riskScore)))
      values[at + 4] = tierIds.get(tier.tier) ?? null
      values[at + 5] = tier.tierSince ?? null
      values[at + 6] = tier.lastQualifiedOn ?? null
    }
    const before = context.storedState
    // A number as stored (NaN = NULL) against the value fillState would write (null = NULL).
    const sameNumber = (value: unknown, stored: number) => (value === null ? Number.isNaN(stored) : value === stored)
    const state: unknown[] = []
    const changed = new Int32Array(table.count)
    let changes = 0
    for (let index = 0; index < table.count; index += 1) {
      fillState(index, state, 0)
      const at = loadedAt ? loadedAt[index]! : index
      if (
        result.segments[index] !== before.segment[at] ||
        !sameNumber(state[2], before.abuseScore[at]!) ||
        !sameNumber(state[3], before.riskScore[at]!) ||
        !sameNumber(state[4], before.tierId[at]!) ||
        state[5] !== (before.tierSince?.[at] ?? null) ||
        state[6] !== (before.tierQualifiedOn?.[at] ?? null)
      ) {
        changed[changes++] = index
      }
    }
    storePlayerState(statements, table.count, fillState, context.now, changes, changed.subarray(0, changes))
    storeTierHistory(statements, tierIds, tiers.decisions, tiers.rowIdOf, context.asOf)
    const { transitions } = result
    bulkRun(
      statements,
      (rows) => `INSERT INTO segment_history (player_id, evaluation_id, as_of, from_segment, to_segment) VALUES ${valuesList(rows, '(?, :evaluation, :asOf, ?, ?)')}`,
      3,
      transitions.length,
      (index, values, at) => {
        const transition = transitions[index]!
        values[at] = context.rowIds.get(transition.playerId)!
        values[at + 1] = transition.from
        values[at + 2] = transition.to
      },
      { evaluation: evaluationId, asOf: context.asOf },
    )
    storeAbuseSignals(statements, result.abuse.signals, context.rowIds, evaluationId, context.now)
    // One open review item per player: a later run does not pile up duplicates of an undecided one.
    const openReview = statements.prepare(
      "INSERT INTO review_items (player_id, abuse_score, reason, status, opened_at) SELECT ?, ?, ?, 'open', ? WHERE NOT EXISTS (SELECT 1 FROM review_items WHERE player_id = ? AND status = 'open')",
    )
    let reviewOpened = 0
    for (const item of result.review) {
      const playerRowId = context.rowIds.get(item.playerId)!
      reviewOpened += openReview.run(playerRowId, item.abuseScore, item.reason || 'abuse score at or above the review threshold', context.now, playerRowId).changes
    }
    return { evaluationId, reviewOpened }
  })
}
