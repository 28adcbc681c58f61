// The `loyalty` command: batch runs, cron and scripting over the same API the app uses.
import { formatAmount } from '../../shared/money'
import { importedBefore } from '../jobs/file-refusal'
import { readFile } from 'node:fs/promises'
import { Command, CommanderError, Option } from 'commander'
import type { ProgressEvent } from '../../shared/api/progress'
import type { ImportSummary } from '../../shared/api/types'
import { ApiFailure } from '../../shared/api/result'
import type { MethodName, InputOf, ResultOf } from '../../shared/api/contract'
import { openBackend, type Backend } from '../backend'
import { defaultDataDir, productVersion, resolveDatabasePath } from '../paths'
import { errorJson, exitCodes, formatBytes, formatTable, processIo, type CliIo } from './output'
import { CliRefusal, type CliContext, type GlobalOptions } from './context'
import { registerSimulateCommand } from './simulate-command'
import { registerReportCommand } from './report-command'
import { calendarDateOption, segmentOption, type SegmentOption, dateOrderOption, wholeNumberOption } from './option-values'

interface ImportCliOptions {
  asOf?: string
  sheet?: string
  mapping?: string
  dateOrder?: 'DMY' | 'MDY'
  decimalComma?: boolean
}

const pageSize = 10_000

/** Every page of a paged list, in order. */
async function allPages<K extends string, T>(fetch: (offset: number) => Promise<{ total: number } & Record<K, T[]>>, key: K): Promise<T[]> {
  const all: T[] = []
  for (;;) {
    const page = await fetch(all.length)
    all.push(...page[key])
    if (page[key].length === 0 || all.length >= page.total) return all
  }
}

function describeImport(summary: ImportSummary): string {
  const head =
    summary.status === 'already_imported'
      ? `${summary.file}: already imported (import ${summary.importId}, same content); nothing added.\n`
      : `${summary.file} (import ${summary.importId}): ${summary.kind === 'events' ? 'activity events' : 'player summary'} as of ${summary.asOf}${summary.asOfSource === 'title' ? ' (from the title row)' : ''}` +
        `${summary.sheet ? `, sheet "${summary.sheet}"` : ''}${summary.headerRow ? `, header on row ${summary.headerRow}` : ''}\n` +
        `  ${summary.rows.toLocaleString('en-US')} rows: ${summary.accepted.toLocaleString('en-US')} imported, ${summary.rejected.toLocaleString('en-US')} quarantined` +
        `${summary.duplicates ? `, ${summary.duplicates.toLocaleString('en-US')} duplicate(s)` : ''}${summary.ambiguousDates ? `, ${summary.ambiguousDates} row(s) with ambiguous dates read by the date-order setting` : ''}\n`
  const errors = summary.errors.slice(0, 20).map((error) => `  - ${error.message}\n`).join('')
  const more = summary.errors.length > 20 || summary.rejected > 20 ? `  … and more: loyalty quarantine ${summary.importId} --out rows.xlsx lists every row\n` : ''
  // The row as the UI shows it ("Row 22: Skipped: …"); the messages do not repeat it.
  const warnings = summary.warnings.slice(0, 10).map((warning) => `  ! Row ${warning.row}: ${warning.message}\n`).join('')
  const unknown = summary.unknownColumns.length ? `  Columns not imported: ${summary.unknownColumns.join(', ')}\n` : ''
  return head + errors + more + warnings + unknown
}

/** A one-line progress bar on stderr, redrawn at most 10 times a second. */
function progressBar(io: CliIo): { update: (event: ProgressEvent) => void; done: () => void } {
  let last = 0
  let drawn = false
  const started = Date.now()
  return {
    update(event) {
      const now = Date.now()
      if (now - last < 100) return
      last = now
      const share = event.total ? Math.min(1, event.done / event.total) : undefined
      const width = 30
      const filled = share === undefined ? 0 : Math.round(share * width)
      const bar = share === undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(share * 100)}% `
      const elapsed = (now - started) / 1000
      const eta = share && share > 0.02 ? ` ETA ${Math.max(0, Math.round(elapsed / share - elapsed))} s` : ''
      io.stderr(`\r${bar}${event.message ?? ''}${eta}`.padEnd(80))
      drawn = true
    },
    done() {
      if (drawn) io.stderr('\r'.padEnd(81) + '\r')
    },
  }
}


export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let backend: Backend | undefined
  let exitCode: number = exitCodes.success

  const openFor = (options: GlobalOptions) => {
    backend ??= openBackend({ runtime: 'cli', databasePath: resolveDatabasePath(options.db), dataDir: defaultDataDir() })
    return backend
  }

  async function call<K extends MethodName>(options: GlobalOptions, name: K, input: InputOf<K>): Promise<ResultOf<K>> {
    // A progress bar on a terminal's stderr; nothing with --json or when piped.
    const bar = io.interactive && !options.json ? progressBar(io) : undefined
    try {
      const result = await openFor(options).dispatcher.dispatch(name, input, `cli-${process.pid}`, bar ? bar.update : () => undefined)
      if (result.error) throw new CliRefusal(result.error.message, result.error.code, result.error.details === undefined ? {} : { details: result.error.details })
      return result.data as ResultOf<K>
    } finally {
      bar?.done()
    }
  }

  /**
   * The stored rule id an operator means by `typed`: rule ids are upper-case codes typed in any
   * case, like segments. An exact match wins; an id no rule has is kept (it lists no decisions).
   */
  async function storedRuleId(options: GlobalOptions, typed: string): Promise<string> {
    const { rules } = await call(options, 'rules/list', { includeArchived: true })
    if (rules.some((rule) => rule.ruleId === typed)) return typed
    const matches = rules.filter((rule) => rule.ruleId.toUpperCase() === typed.toUpperCase()).map((rule) => rule.ruleId)
    if (matches.length > 1) program.error(`error: option '--rule <id>' argument '${typed}' names ${matches.length} rules that differ only in case: ${matches.join(', ')}; give the exact id.`)
    return matches[0] ?? typed
  }

  const program = new Command()
    .name('loyalty')
    .description('Loyalty Workstation: import player spreadsheets, evaluate reward rules, keep the reward ledger.')
    .version(productVersion(), '-v, --version', 'print the version')
    .addOption(new Option('--db <path>', 'database file (default: the desktop app\'s, or $LOYALTY_DB)'))
    .option('--json', 'machine-readable JSON on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()

  const db = program.command('db').description('the local database')
  db.command('info')
    .description('database path, schema version and row counts per table')
    .action(async () => {
      const options = program.opts<GlobalOptions>()
      const info = await call(options, 'db/info', {})
      if (options.json) return io.stdout(JSON.stringify(info, null, 2) + '\n')
      io.stdout(
        `Database:       ${info.path}\n` +
          `Size:           ${formatBytes(info.sizeBytes)} (journal: ${info.journalMode})\n` +
          `Schema version: ${info.schemaVersion} of ${info.latestSchemaVersion} (${info.schemaTag})\n\n` +
          formatTable(
            ['table', 'rows'],
            info.tables.map((table) => [table.name, table.rows.toLocaleString('en-US')]),
          ),
      )
    })

  program
    .command('verify')
    .description('recompute every balance and the hash chain from the transfers and run SQLite\'s integrity check (exit 1 if anything is wrong)')
    .action(async () => {
      const options = program.opts<GlobalOptions>()
      const report = await call(options, 'ledger/verify', {})
      if (options.json) io.stdout(JSON.stringify(report, null, 2) + '\n')
      else {
        io.stdout(
          `${report.ok ? 'Ledger verified: no discrepancies.' : `Ledger NOT verified: ${report.findings.length} finding(s).`}\n` +
            `Transfers: ${report.transfers.toLocaleString('en-US')}\n\n` +
            formatTable(['currency', 'player balances'], Object.entries(report.totals).map(([code, total]) => [code, total.toLocaleString('en-US')])) +
            report.findings.map((finding) => `\n- ${finding.message}`).join('') +
            (report.findings.length ? '\n' : ''),
        )
      }
      if (!report.ok) exitCode = exitCodes.refused
    })

  program
    .command('balances')
    .description("a player's balances in each currency (integer minor units / points)")
    .argument('<player-id>', 'the player id as in the imported sheet')
    .action(async (playerId: string) => {
      const options = program.opts<GlobalOptions>()
      const result = await call(options, 'ledger/balances', { playerId })
      if (options.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(`Player ${result.playerId}\n\n` + formatTable(['currency', 'balance'], Object.entries(result.balances).map(([code, balance]) => [code, balance.toLocaleString('en-US')])))
    })

  program
    .command('adjust')
    .description("adjust a player's balance by hand; the reason and your name go into the audit trail")
    .argument('<player-id>', 'the player id as in the imported sheet')
    .argument('<currency>', 'LP, RP, BONUS or TICKETS')
    .argument('<amount>', 'BONUS in money (12.50), points or tickets as whole numbers; negative takes away')
    .requiredOption('--reason <text>', 'why: what is being corrected')
    .requiredOption('--by <name>', 'the operator making the adjustment')
    .option('--action-id <id>', 'idempotency key of this action (default: a new one); repeat it to retry safely')
    .allowUnknownOption(false)
    .action(async (playerId: string, currency: string, amountText: string, options: { reason: string; by: string; actionId?: string }) => {
      const global = program.opts<GlobalOptions>()
      const amount = Number(amountText)
      if (amountText.trim() === '' || !Number.isFinite(amount)) throw new CliRefusal(`The amount must be a number, got "${amountText}".`)
      const upper = currency.toUpperCase()
      if (!['LP', 'RP', 'BONUS', 'TICKETS'].includes(upper)) throw new CliRefusal(`Unknown currency "${currency}"; expected LP, RP, BONUS or TICKETS.`)
      const result = await call(global, 'ledger/adjust', {
        playerId,
        currency: upper as 'LP',
        amount,
        reason: options.reason,
        actor: options.by,
        actionId: options.actionId,
      })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(`${result.alreadyPosted ? 'Already posted' : 'Posted'}: transfer ${result.transferId}, ${result.amount.toLocaleString('en-US')} ${result.currency} (integer units) for ${playerId}.\n`)
    })

  program
    .command('expire')
    .description('expire bonus lots, tickets and (if the settings say so) points due by the end of the as-of day (safe to run twice)')
    .requiredOption('--as-of <date>', 'business date, YYYY-MM-DD', calendarDateOption)
    .option('--ticket-expiry-days <days>', 'tickets expire this many days after they were credited (default 365)')
    .action(async (options: { asOf: string; ticketExpiryDays?: string }) => {
      const global = program.opts<GlobalOptions>()
      const days = options.ticketExpiryDays === undefined ? undefined : Number(options.ticketExpiryDays)
      const result = await call(global, 'ledger/expire', { asOf: options.asOf, ticketExpiryDays: days })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(
        `Expired by ${result.cutoff}: ${result.lotsExpired} bonus lot(s) (${result.bonusExpired.toLocaleString('en-US')} BONUS minor units), ${result.ticketsExpired} ticket(s), ` +
          `${result.pointsExpired.LP.toLocaleString('en-US')} LP and ${result.pointsExpired.RP.toLocaleString('en-US')} RP.\n`,
      )
    })

  const payouts = program.command('payouts').description('payout files for the gaming platform')
  payouts
    .command('export')
    .description('queue every reward not yet queued and write all pending payouts to FILE (.csv or .xlsx); they are then marked exported and never exported again as new')
    .requiredOption('--out <file>', 'the payout file to write (.csv or .xlsx)')
    .option('--batch <id>', 'batch id recorded on the exported items (default: generated)')
    .option('--overwrite', 'replace FILE if it exists')
    .action(async (options: { out: string; batch?: string; overwrite?: boolean }) => {
      const global = program.opts<GlobalOptions>()
      const result = await call(global, 'payouts/export', { path: options.out, batch: options.batch, overwrite: options.overwrite })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      const totals = Object.entries(result.totals).map(([code, total]) => `${code} ${total.toLocaleString('en-US')}`).join(', ')
      io.stdout(
        `Wrote ${result.rows.toLocaleString('en-US')} payout(s) to ${result.file} (batch ${result.batch}).\n` +
          (totals ? `Totals (integer minor units / points): ${totals}\n` : '') +
          (result.withheld ? `${result.withheld} pending item(s) withheld: their reward was reversed.\n` : ''),
      )
    })
  payouts
    .command('confirm')
    .description("apply the platform's confirmation file (columns reference, status, optional note): every row or none")
    .argument('<file>', 'confirmation file (.csv or .xlsx)')
    .action(async (file: string) => {
      const global = program.opts<GlobalOptions>()
      const result = await call(global, 'payouts/confirm', { path: file })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(`${result.file}: ${result.confirmed} confirmed, ${result.rejected} rejected, ${result.unchanged} unchanged (${result.rows} rows).\n`)
    })
  payouts
    .command('list')
    .description('payout items by status')
    .option('--status <status>', 'pending, exported, confirmed or rejected')
    .action(async (options: { status?: string }) => {
      const global = program.opts<GlobalOptions>()
      const result = await call(global, 'payouts/list', { status: options.status as 'pending' | undefined })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(
        formatTable(
          ['reference', 'player', 'currency', 'amount', 'status', 'batch'],
          result.items.map((item) => [item.reference, item.playerId, item.currency, item.amount.toLocaleString('en-US'), item.status, item.exportBatch ?? '']),
        ) + `\n${result.total} item(s); ${Object.entries(result.counts).map(([status, n]) => `${status} ${n}`).join(', ')}\n`,
      )
    })

  const importOptions = (command: Command) =>
    command
      .option('--as-of <date>', "the date the file's totals are as of, YYYY-MM-DD (default: a date in the file's title row, else today)", calendarDateOption)
      .option('--sheet <name>', 'the workbook sheet to read (default: the one whose header matches best)')
      .option('--mapping <file>', 'a JSON mapping profile: { "source header": "field name" or "ignore" }')
      .option('--date-order <order>', 'how to read ambiguous dates such as 03/04/2026: DMY (default) or MDY', dateOrderOption)
      .option('--decimal-comma', 'numbers are written 1.234,56')

  async function importInput(options: ImportCliOptions) {
    let mapping: Record<string, string> | undefined
    if (options.mapping) {
      let parsed: unknown
      try {
        parsed = JSON.parse(await readFile(options.mapping, 'utf8'))
      } catch (error) {
        throw new CliRefusal(`Cannot read the mapping profile ${options.mapping}: ${(error as Error).message}`)
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
        throw new CliRefusal(`The mapping profile ${options.mapping} must be a JSON object of "source header": "field name" pairs.`)
      }
      mapping = parsed as Record<string, string>
    }
    return { asOf: options.asOf, sheet: options.sheet, mapping, dateOrder: options.dateOrder, decimalSeparator: options.decimalComma ? (',' as const) : undefined }
  }

  importOptions(
    program
      .command('import')
      .description('import player summary or activity event files (XLSX, CSV, JSONL); each lands whole (valid rows + quarantine) or not at all')
      .argument('<files...>', 'the files to import'),
  ).action(async (files: string[], options: ImportCliOptions) => {
    const global = program.opts<GlobalOptions>()
    const input = await importInput(options)
    let imports: ImportSummary[]
    try {
      imports = (await call(global, 'import/files', { paths: files, ...input })).imports
    } catch (error) {
      // Each file lands whole or not at all: the refusal names its file (jobs/file-refusal.ts), and
      // the files imported before it stay imported, so they are reported as usual.
      if (!global.json && error instanceof CliRefusal) for (const summary of importedBefore(error.fields.details)) io.stdout(describeImport(summary))
      throw error
    }
    if (global.json) return io.stdout(JSON.stringify({ imports }, null, 2) + '\n')
    for (const summary of imports) io.stdout(describeImport(summary))
  })

  program
    .command('imports')
    .description('the files imported, newest first, with their row counts (the import id is what `quarantine` takes)')
    .option('--limit <n>', 'how many, 1 to 1,000 (default 50)', wholeNumberOption(1, 1_000))
    .action(async (options: { limit?: number }) => {
      const global = program.opts<GlobalOptions>()
      const limit = options.limit ?? 50
      const result = await call(global, 'import/list', { limit })
      if (global.json) return io.stdout(JSON.stringify(result.imports, null, 2) + '\n')
      io.stdout(
        formatTable(
          ['id', 'kind', 'file', 'as of', 'rows', 'imported', 'quarantined', 'at'],
          result.imports.map((row) => [row.importId, row.kind, row.file, row.asOf ?? '', row.rows.toLocaleString('en-US'), row.accepted.toLocaleString('en-US'), row.rejected.toLocaleString('en-US'), row.importedAt]),
        ),
      )
    })

  program
    .command('quarantine')
    .description("write an import's refused rows — row number, every problem, the original cells — to a file to fix and import again")
    .argument('<import-id>', 'the import number (shown by import and process; `db info` counts them)')
    .requiredOption('--out <file>', 'the file to write (.xlsx or .csv)')
    .option('--overwrite', 'replace FILE if it exists')
    .action(async (importIdText: string, options: { out: string; overwrite?: boolean }) => {
      const global = program.opts<GlobalOptions>()
      const importId = Number(importIdText)
      if (!Number.isSafeInteger(importId) || importId < 1) throw new CliRefusal(`The import id must be a whole number of 1 or more, got "${importIdText}".`)
      const result = await call(global, 'import/quarantine-export', { importId, path: options.out, overwrite: options.overwrite })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(`Wrote ${result.rows.toLocaleString('en-US')} refused row(s) to ${result.path}.\n`)
    })

  importOptions(
    program
      .command('process')
      .description('import FILE(s), then segments, abuse scores and reward rules over the whole base; store the decisions and post the rewards')
      .argument('[files...]', 'player summary / event files to import first (none: evaluate the players already imported)')
      .option('--rules <file>', 'a JSON array of reward rules (default: the rules saved in the database, else the default rule set)')
      .option('--out <report>', 'write an Excel report (.xlsx)')
      .option('--dry-run', 'decide and report, but store nothing and post nothing'),
  ).action(async (files: string[], options: ImportCliOptions & { rules?: string; out?: string; dryRun?: boolean }) => {
    const global = program.opts<GlobalOptions>()
    const result = await call(global, 'process/run', {
      paths: files,
      rulesPath: options.rules,
      reportPath: options.out,
      dryRun: options.dryRun ?? false,
      ...(await importInput(options)),
    })
    if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
    for (const summary of result.imports) io.stdout(describeImport(summary))
    const money = (minor: number) => formatAmount(minor, result.currency.minorDigits)
    // Counts in one style throughout (42,292 issued, 5,495 reduced).
    const count = (value: number) => value.toLocaleString('en-US')
    io.stdout(
      `\nEvaluated ${count(result.players)} player(s) as of ${result.asOf}${result.dryRun ? ' (dry run: nothing stored or posted)' : ''}.\n\n` +
        formatTable(['segment', 'players'], Object.entries(result.segments).map(([segment, players]) => [segment, count(players)])) +
        `\nRewards: ${count(result.rewards.issued)} issued (${count(result.rewards.reduced)} reduced); ` +
        `BONUS ${money(result.rewards.byCurrency.BONUS)}, LP ${count(result.rewards.byCurrency.LP)}, RP ${count(result.rewards.byCurrency.RP)}, TICKETS ${count(result.rewards.byCurrency.TICKETS)}\n` +
        (Object.keys(result.rewards.blocked).length
          ? `Blocked: ${Object.entries(result.rewards.blocked).map(([reason, blocked]) => `${reason.replaceAll('_', ' ')} ${count(blocked)}`).join(', ')}\n`
          : '') +
        `Abuse: ${count(result.abuse.flagged)} player(s) with a score, ${count(result.abuse.reviewOpened)} new review item(s)\n` +
        (result.dryRun ? '' : `Ledger: ${count(result.ledger.posted)} transfer(s) posted, ${count(result.ledger.alreadyPosted)} already posted\n`) +
        (result.report ? `Report: ${result.report.path}\n` : '') +
        (result.report?.decisionsCsv ? `Every decision (${count(result.report.decisionsCsv.rows)}): ${result.report.decisionsCsv.path}\n` : ''),
    )
  })

  program
    .command('players')
    .description('every player: segment, tier, risk and abuse scores, balances (integer minor units / points)')
    .option('--segment <segment>', 'only this segment: NEW, VIP, WINNING, BREAKEVEN or LOSING', segmentOption)
    .action(async (options: { segment?: SegmentOption }) => {
      const global = program.opts<GlobalOptions>()
      const players = await allPages((offset) => call(global, 'players/list', { segment: options.segment, limit: pageSize, offset }), 'players')
      if (global.json) return io.stdout(JSON.stringify(players, null, 2) + '\n')
      io.stdout(
        formatTable(
          ['player_id', 'segment', 'tier', 'risk', 'abuse', 'LP', 'RP', 'BONUS', 'TICKETS'],
          players.map((p) => [p.player_id, p.segment ?? '', p.tier ?? '', p.risk_score ?? '', p.abuse_score ?? '', p.balances.LP, p.balances.RP, p.balances.BONUS, p.balances.TICKETS]),
        ) + `${players.length.toLocaleString('en-US')} player(s)\n`,
      )
    })

  program
    .command('decisions')
    .description('every reward decision: player, rule and version, outcome (issued|reduced|blocked), amount (integer units), currency, reason')
    .option('--player <id>', 'only this player')
    .option('--rule <id>', 'only this rule (any case)')
    .action(async (options: { player?: string; rule?: string }) => {
      const global = program.opts<GlobalOptions>()
      const ruleId = options.rule === undefined ? undefined : await storedRuleId(global, options.rule)
      const decisions = await allPages((offset) => call(global, 'decisions/list', { playerId: options.player, ruleId, limit: pageSize, offset }), 'decisions')
      if (global.json) return io.stdout(JSON.stringify(decisions, null, 2) + '\n')
      io.stdout(
        formatTable(
          ['player_id', 'rule_id', 'version', 'outcome', 'amount', 'currency', 'reason', 'as_of'],
          decisions.map((d) => [d.player_id, d.rule_id, d.rule_version, d.outcome, d.amount, d.currency, d.reason, d.as_of]),
        ) + `${decisions.length.toLocaleString('en-US')} decision(s)\n`,
      )
    })

  const context: CliContext = { program, io, call, global: () => program.opts<GlobalOptions>() }
  registerSimulateCommand(context)
  registerReportCommand(context)

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    exitCode = exitCodeFor(error, io, program.opts<GlobalOptions>().json === true)
  } finally {
    backend?.close()
  }
  return exitCode
}

/** The exit code of a failed run; with --json the failure is also one error object on stdout. */
function exitCodeFor(error: unknown, io: CliIo, json: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, successfully.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
      return exitCodes.success
    }
    // Commander has already printed the message and the usage hint on stderr.
    if (json) io.stdout(errorJson('usage', error.message.replace(/^error: /, '')))
    return exitCodes.usage
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr(`loyalty: ${message}\n`)
  if (json) io.stdout(errorJson(error instanceof CliRefusal || error instanceof ApiFailure ? error.code : 'internal', message, error instanceof CliRefusal ? error.fields : {}))
  return exitCodes.refused
}
