// The process report written on a thread of its own, while the main thread posts the ledger. At a
// million players the report (workbook + every decision as CSV) took ~10 s and the ledger ~20 s,
// one after the other on one core; the report reads nothing the ledger writes, so the two overlap
// on the machine's second core.
//
// The thread gets what the report reads (report ReportedRun): the decision columns and the safety
// inputs, which are views into the run's arena — shared, not copied, when the arena's chunks are
// SharedArrayBuffers (prefaulted-chunks.ts) — the players' ids, and each rule's definition, which it
// compiles again (a compiled rule holds functions, which cannot cross threads; compiling the same
// definition at the same version gives the same rule).
import { existsSync } from 'node:fs'
import { parentPort, Worker, workerData } from 'node:worker_threads'
import { ApiFailure } from '../../shared/api/result'
import { compactColumn } from '../engine/column-arena'
import type { DecisionBatch } from '../engine/evaluate'
import type { RuleDefinition } from '../../shared/rule-schema'
import { compileRule, type CompiledRule } from '../engine/rules'
import { writeProcessReport, type ProcessReportInput, type ReportedRun, type WrittenProcessReport } from './process-report'
import { workerScriptPath } from './worker-runner'

type Settings = ProcessReportInput['settings']

interface ReportThreadData {
  kind: 'process-report'
  input: Omit<ProcessReportInput, 'result' | 'rules' | 'signal'>
  /** The run's rules, in evaluation order. */
  rules: { definition: RuleDefinition; version: number }[]
  /** The rules the Summary sheet lists. */
  listed: { ruleId: string; version: number }[]
  run: {
    players: number
    segmentCounts: ReportedRun['segmentCounts']
    review: ReportedRun['review']
    asOf: string
    decisions: DecisionBatch
    playerIds: readonly string[]
    safety: { settings: Settings; segments: Uint8Array; houseEdges: Float64Array; margins: Float64Array; abuseScores?: Float64Array }
  }
}

type ReportReply = { type: 'result'; written: WrittenProcessReport } | { type: 'error'; code: string; message: string; details?: unknown; internal?: boolean }

export interface ReportOnThread {
  /** Settles with the report written, or its error. */
  done: Promise<WrittenProcessReport>
  /** Stops the report; `done` then rejects, and no file is left half-written. */
  cancel(): void
}

/** The built worker exists (a run from the sources without a build writes the report inline). */
export function canWriteReportOnThread(): boolean {
  return existsSync(workerScriptPath())
}

export function writeProcessReportOnThread(input: ProcessReportInput): ReportOnThread {
  const { result, rules, signal: _signal, ...rest } = input
  const { evaluation } = result
  const decisions = evaluation.decisions
  const { safety } = evaluation
  const data: ReportThreadData = {
    kind: 'process-report',
    input: rest,
    rules: evaluation.rules.map((rule) => ({ definition: rule.definition, version: rule.version })),
    listed: rules.map((each) => ({ ruleId: each.rule.ruleId, version: each.rule.version })),
    run: {
      players: result.table.count,
      segmentCounts: result.segmentCounts,
      review: result.review,
      asOf: evaluation.asOf,
      // Cut to their counts, and each its own buffer unless shared: posting a view copies its whole buffer.
      decisions: {
        count: decisions.count,
        player: compactColumn(decisions.player.subarray(0, decisions.count)),
        rule: compactColumn(decisions.rule.subarray(0, decisions.count)),
        outcome: compactColumn(decisions.outcome.subarray(0, decisions.count)),
        reason: compactColumn(decisions.reason.subarray(0, decisions.count)),
        amount: compactColumn(decisions.amount.subarray(0, decisions.count)),
        requested: compactColumn(decisions.requested.subarray(0, decisions.count)),
      },
      playerIds: evaluation.table.playerIds,
      safety: {
        settings: safety.settings,
        segments: compactColumn(safety.segments),
        houseEdges: compactColumn(safety.houseEdges),
        margins: compactColumn(safety.margins),
        ...(safety.abuseScores ? { abuseScores: compactColumn(safety.abuseScores) } : {}),
      },
    },
  }
  const worker = new Worker(workerScriptPath(), { workerData: data })
  const done = new Promise<WrittenProcessReport>((resolve, reject) => {
    let settled = false
    worker.on('message', (reply: ReportReply) => {
      settled = true
      if (reply.type === 'result') resolve(reply.written)
      else if (reply.internal) reject(new Error(`The report thread failed: ${reply.message}`))
      else reject(new ApiFailure(reply.code as ApiFailure['code'], reply.message, reply.details))
    })
    worker.on('error', (error) => {
      settled = true
      reject(new Error(`The report thread failed: ${error.message}`))
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`The report thread stopped unexpectedly (exit code ${code}).`))
    })
  })
  return { done, cancel: () => worker.postMessage('cancel') }
}

export function isProcessReportWorker(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'process-report'
}

/** The worker side: rebuilds what the report reads and writes it. */
export function serveProcessReport(): void {
  const port = parentPort
  if (!port) throw new Error('serveProcessReport must run in a worker thread')
  const data = workerData as ReportThreadData
  const controller = new AbortController()
  port.on('message', (message: unknown) => {
    if (message === 'cancel') controller.abort()
  })
  const reply = (message: ReportReply) => {
    port.postMessage(message)
    port.close()
  }
  const minorDigits = data.input.settings.currency.minorDigits
  const rules = data.rules.map(({ definition, version }): CompiledRule => {
    const compiled = compileRule(definition, { minorDigits }, version)
    if (!compiled.ok) throw new Error(`rule ${definition.rule_id} v${version} does not compile again`)
    return compiled.rule
  })
  const { run } = data
  const result: ReportedRun = {
    table: { count: run.players },
    segmentCounts: run.segmentCounts,
    review: run.review,
    evaluation: { asOf: run.asOf, rules, decisions: run.decisions, safety: run.safety, table: { playerIds: run.playerIds as string[] } },
  }
  writeProcessReport({ ...data.input, result, rules: data.listed.map((rule) => ({ rule })), signal: controller.signal }).then(
    (written) => reply({ type: 'result', written }),
    (error: unknown) =>
      reply(
        error instanceof ApiFailure
          ? { type: 'error', code: error.code, message: error.message, details: error.details }
          : { type: 'error', code: 'internal', message: error instanceof Error ? error.message : String(error), internal: true },
      ),
  )
}
