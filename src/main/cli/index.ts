// The `loyalty` command: batch runs, cron and scripting over the same API the app uses.
import { Command, CommanderError, Option } from 'commander'
import type { MethodName, InputOf, ResultOf } from '../../shared/api/contract'
import { openBackend, type Backend } from '../backend'
import { defaultDataDir, productVersion, resolveDatabasePath } from '../paths'
import { exitCodes, formatBytes, formatTable, processIo, type CliIo } from './output'

interface GlobalOptions {
  db?: string
  json?: boolean
}

/** An expected failure: its message is printed as is and the exit code is 1. */
class CliRefusal extends Error {}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let backend: Backend | undefined
  let exitCode: number = exitCodes.success

  const openFor = (options: GlobalOptions) => {
    backend ??= openBackend({ runtime: 'cli', databasePath: resolveDatabasePath(options.db), dataDir: defaultDataDir() })
    return backend
  }

  async function call<K extends MethodName>(options: GlobalOptions, name: K, input: InputOf<K>): Promise<ResultOf<K>> {
    const result = await openFor(options).dispatcher.dispatch(name, input, `cli-${process.pid}`, () => undefined)
    if (result.error) throw new CliRefusal(result.error.message)
    return result.data as ResultOf<K>
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
    .description('expire bonus lots and tickets due by the end of the as-of day (safe to run twice)')
    .requiredOption('--as-of <date>', 'business date, YYYY-MM-DD')
    .option('--ticket-expiry-days <days>', 'tickets expire this many days after they were credited (default 365)')
    .action(async (options: { asOf: string; ticketExpiryDays?: string }) => {
      const global = program.opts<GlobalOptions>()
      const days = options.ticketExpiryDays === undefined ? undefined : Number(options.ticketExpiryDays)
      const result = await call(global, 'ledger/expire', { asOf: options.asOf, ticketExpiryDays: days })
      if (global.json) return io.stdout(JSON.stringify(result, null, 2) + '\n')
      io.stdout(`Expired by ${result.cutoff}: ${result.lotsExpired} bonus lot(s) (${result.bonusExpired.toLocaleString('en-US')} BONUS minor units), ${result.ticketsExpired} ticket(s).\n`)
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

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (error) {
    exitCode = exitCodeFor(error, io)
  } finally {
    backend?.close()
  }
  return exitCode
}

function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here too, successfully.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) {
      return exitCodes.success
    }
    return exitCodes.usage
  }
  const message = error instanceof Error ? error.message : String(error)
  io.stderr(`loyalty: ${message}\n`)
  return exitCodes.refused
}
