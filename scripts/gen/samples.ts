// Regenerates resources/samples/: players.xlsx, events.jsonl, events.csv and README.md (whose
// "Expected results" are computed here by running the files through the engine, see sample-run.ts).
// rules.json is hand-written and only read. Run with `npm run gen -- --samples`.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatAmount } from '../../src/shared/money'
import { segmentNames } from '../../src/main/engine/segments-types'
import { generateSample, malformedEventLine, sampleAsOf, sampleHeaders, writeSampleEvents, writeSampleWorkbook, type Sample } from './sample-workbook'
import { runSample, type SampleOutcome } from './sample-run'

export const samplesDir = join(import.meta.dirname, '..', '..', 'resources', 'samples')

export function samplePaths(dir = samplesDir) {
  return {
    players: join(dir, 'players.xlsx'),
    events: join(dir, 'events.jsonl'),
    eventsCsv: join(dir, 'events.csv'),
    rules: join(dir, 'rules.json'),
    readme: join(dir, 'README.md'),
  }
}

/** Every player must land in the segment it was designed for; anything else is a design error. */
export function checkDesign(sample: Sample, outcome: SampleOutcome): string[] {
  const problems: string[] = []
  for (const player of sample.players) {
    const segment = outcome.segmentOf.get(player.id!)
    if (segment !== player.segment) problems.push(`${player.key} (${player.id}) was designed as ${player.segment} but is ${segment ?? 'not imported'}`)
  }
  return problems
}

function money(cents: number): string {
  return `€${formatAmount(cents, 2)}`
}

function units(currency: string, amount: number): string {
  return currency === 'BONUS' ? money(amount) : `${formatAmount(amount, 0)} ${currency}`
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

const signalWords: Record<string, string> = {
  bonus_only_play: 'bonus-only play',
  withdrawal_after_bonus: 'withdrawal after bonus',
  min_bets_while_wagering: 'minimum bets while wagering',
  shared_identity: 'shared IP/device',
  improbable_win_rate: 'improbable win rate',
}

/** The README's "Expected results" section, from an outcome. The samples test checks the README holds it. */
export function expectedResultsMarkdown(sample: Sample, outcome: SampleOutcome): string {
  const s = outcome.summary
  const sheet = outcome.sheet
  const byId = new Map(sample.players.map((player) => [player.id!, player]))
  const out: string[] = []
  out.push(`## Expected results (as of ${outcome.asOf})`)
  out.push('')
  out.push(
    `Default engine settings, an empty ledger, \`events.jsonl\` loaded, \`rules.json\` as the rule set, as-of date ${outcome.asOf}, ` +
      'day-first dates. Computed by the engine and pinned in `tests/integration/samples.test.ts`; regenerated with the files.',
  )
  out.push('')
  out.push('This is what the command line gives on a new database (`tests/integration/cli-process.test.ts` checks it):')
  out.push('')
  out.push('```sh')
  out.push('npx loyalty --db ./sample.sqlite process resources/samples/players.xlsx resources/samples/events.jsonl --out report.xlsx --json')
  out.push('```')
  out.push('')
  out.push(
    'The as-of date comes from the workbook\'s title row. Without `events.jsonl` the segments are the same, but the signals only events ' +
      'reveal (bonus-only play, withdrawals after a bonus, minimum bets, the ring\'s shared device) are missing, so fewer rewards are ' +
      'blocked or reduced and the review queue stays empty. Running the command again adds nothing: both files are recognised by their ' +
      'content and every reward is already in the ledger.',
  )
  out.push('')
  out.push('### Import')
  out.push('')
  out.push(
    table(
      ['', 'count', 'rows'],
      [
        ['sheet used', `"${sheet.sheetName}" (of ${sheet.sheetNames.map((name) => `"${name}"`).join(', ')})`, `header on row ${sheet.headerRow}`],
        ['data rows', s.rows, `${sheet.headerRow + 1}–${Math.max(...sheet.totalRows) - 1}, without the blank row`],
        ['blank rows skipped', sheet.blankRows.length, sheet.blankRows.join(', ')],
        ['total rows skipped', sheet.totalRows.length, sheet.totalRows.join(', ')],
        ['accepted (valid rows)', s.accepted, ''],
        ['rejected', s.rejected, sheet.rejected.map((entry) => entry.row).join(', ')],
        ['duplicate rows dropped (last wins)', s.duplicatesDropped, sheet.duplicates.map((d) => `${d.droppedRow} (kept ${d.keptRow})`).join(', ')],
        ['players imported', s.players, ''],
      ],
    ),
  )
  out.push('')
  out.push('Rejected rows and the messages they get:')
  out.push('')
  for (const entry of sheet.rejected) for (const error of entry.errors) out.push(`- ${error.message}`)
  for (const warning of sheet.duplicates) out.push(`- duplicate: ${warning.message}`)
  out.push('')
  const events = outcome.events
  out.push(
    `Events: ${events.lines} lines; line ${events.malformedLines.join(', ')} is not JSON (skipped); ${events.duplicates} duplicate event ids ` +
      `(${sample.duplicateEventIds.join(', ')}) counted once; ${events.skipped} invalid events; ${events.used} events used, for ${events.players} players.`,
  )
  out.push('')
  out.push('### Segments')
  out.push('')
  out.push(table(['segment', 'players'], segmentNames.map((segment) => [segment, s.segments[segment]])))
  out.push('')
  out.push('### Tiers')
  out.push('')
  out.push(
    `Tiers are decided at the start of an evaluation from the LP already in the ledger, so on an empty ledger the first run places all ${s.players} players in BRONZE. ` +
      'The LP this run issues (`LP_EARN_TURNOVER`, 1 LP per €10 of lifetime turnover) puts them, at the next evaluation within 90 days, in these tiers ' +
      '(default ladder: Silver 1,000 LP, Gold 5,000, Platinum 20,000 in 90 days):',
  )
  out.push('')
  out.push(table(['tier', 'players'], Object.entries(s.tiers).map(([tier, count]) => [tier, count])))
  out.push('')
  out.push('### Abuse')
  out.push('')
  out.push('Score = sum of weight × strength (weights: bonus-only 30, withdrawal after bonus 25, minimum bets 25, shared IP/device 30, improbable win rate 35); reduce at 40, review at 60, block at 70.')
  out.push('')
  out.push(
    table(
      ['player', 'designed as', 'score', 'signals (points)', 'action'],
      [...s.abuse]
        .sort((a, b) => b.score - a.score || (a.playerId < b.playerId ? -1 : 1))
        .map((row) => [
          row.playerId,
          byId.get(row.playerId)?.key ?? '?',
          row.score,
          row.signals.map((signal) => `${signalWords[signal.signal] ?? signal.signal} ${signal.points}`).join(', '),
          `${row.action === 'none' ? '—' : row.action}${row.review ? ', review' : ''}`,
        ]),
    ),
  )
  out.push('')
  out.push(`Flagged: ${s.abuse.length} players; reduced ${s.abuse.filter((row) => row.action === 'reduce').length}, blocked ${s.abuse.filter((row) => row.action === 'block').length}; review queue: ${s.review.join(', ')}.`)
  out.push('')
  out.push('Shared IP/device clusters:')
  out.push('')
  for (const cluster of s.clusters) {
    const keys = cluster.playerIds.map((id) => `${id} (${byId.get(id)?.key ?? '?'})`).join(', ')
    const shared = [...cluster.sharedIps.map((ip) => `IP ${ip}`), ...cluster.sharedDevices.map((device) => `device ${device}`)].join(', ')
    out.push(`- cluster ${cluster.clusterId}: ${keys} — ${shared}`)
  }
  out.push('')
  out.push('### Rewards per rule')
  out.push('')
  out.push(
    table(
      ['rule', 'currency', 'decisions', 'issued', 'reduced', 'blocked', 'amount', 'reasons'],
      s.rules.map((rule) => [
        rule.ruleId,
        rule.currency,
        rule.decisions,
        rule.issued,
        rule.reduced,
        rule.blocked,
        units(rule.currency, rule.amount),
        Object.entries(rule.reasons)
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
          .map(([reason, count]) => `${reason} ${count}`)
          .join(', ') || `(${rule.inactive ?? 'no player matched'})`,
      ]),
    ),
  )
  out.push('')
  out.push(`Decisions: ${s.outcomes.issued} issued, ${s.outcomes.reduced} reduced, ${s.outcomes.blocked} blocked.`)
  out.push('')
  out.push('### What `loyalty process --json` reports')
  out.push('')
  out.push('The same run in the CLI\'s terms (its `accepted` counts players after duplicates; `rewards.issued` counts issued and reduced decisions):')
  out.push('')
  out.push('```json')
  out.push(
    JSON.stringify(
      {
        import: { rows: s.rows, accepted: s.players, rejected: s.rejected },
        segments: s.segments,
        tiers: Object.fromEntries(Object.keys(s.tiers).map((tier, index) => [tier, index === 0 ? s.players : 0])),
        rewards: { issued: s.outcomes.issued! + s.outcomes.reduced!, reduced: s.outcomes.reduced, byCurrency: s.issuedByCurrency, blocked: s.blockedByReason },
        abuse: { flagged: s.abuse.length, reviewOpened: s.review.length },
      },
      null,
      2,
    ),
  )
  out.push('```')
  out.push('')
  out.push('### Totals per currency (issued + reduced; integer units)')
  out.push('')
  out.push(
    table(
      ['currency', 'amount', 'integer units'],
      Object.entries(s.issuedByCurrency).map(([currency, amount]) => [currency, units(currency, amount), `${amount}${currency === 'BONUS' ? ' cents' : ''}`]),
    ),
  )
  return out.join('\n')
}

/** Purposes of plain filler players, left out of the README's list of designed players. */
const fillerPurposes = new Set([
  'new player, first weeks',
  'VIP, deposited in the last two weeks (reload)',
  'winning regular',
  'breakeven regular',
  'losing regular',
  'losing regular, deposited in the last week (cashback)',
  'losing regular, lapsed (reactivation tickets)',
])

function readmeText(sample: Sample, outcome: SampleOutcome): string {
  const rowsByKind = (kind: string) => {
    let row = 3
    const found: { row: number; problem: string; id: string }[] = []
    for (const entry of sample.rows) {
      row += 1
      if (entry.kind === kind && entry.kind !== 'blank' && entry.kind !== 'player') found.push({ row, problem: entry.problem, id: entry.player.id! })
    }
    return found
  }
  const bad = [...rowsByKind('bad'), ...rowsByKind('stale')].sort((a, b) => a.row - b.row)
  const designed = sample.players
    .filter((player) => !fillerPurposes.has(player.purpose))
    .sort((a, b) => Number(a.id) - Number(b.id))
  return `# Sample data

A small, realistic operator export for trying the workstation end to end (the seed plan's manual test:
"a sample Excel with 100 players across all segments"), with the results it was designed to give.

| file | what it is |
| --- | --- |
| \`players.xlsx\` | Player summary workbook: 100 players covering every segment, every tier and every abuse signal the engine detects, plus ${bad.length} deliberately bad rows. |
| \`events.jsonl\` | Activity events for ${outcome.events.players} of those players (deposits, bets, wins, bonus credits, withdrawals, sessions), amounts in EUR. One object per line. |
| \`events.csv\` | The same events as CSV (same columns, same duplicate lines and the same cut-short line). |
| \`rules.json\` | A default rule set (a JSON array in the shape of \`src/shared/rule-schema.ts\`): the seed's cashback, a welcome bonus, a VIP reload, LP earn, RP, tickets, one ended and one paused rule. |

Regenerate \`players.xlsx\`, the events and this README with \`npm run gen -- --samples\`
(\`scripts/gen/sample-workbook.ts\` builds the data from a fixed seed, \`scripts/gen/sample-run.ts\` computes
the expected results below with the engine). \`rules.json\` is written by hand.

## players.xlsx

Looks like a back-office export, to exercise the importer:

- Sheet **Players**: row 1 is a title ("${'Player summary — exported ' + sampleAsOf}", merged across the
  columns), row 2 a note, row 3 the header, data from row 4, one blank row in the middle, a trailing
  **Total** row of \`SUM\` formulas. Frozen header, filter buttons.
- Sheet **Notes**: text about the export (a column glossary), not data.
- Headers in the platform's own words, all recognised synonyms: ${sampleHeaders.map((header) => `"${header}"`).join(', ')}.
  "Turnover" is total_wagered, "Winnings" total_won, "Last Seen" last_active_date, "Last Login IP" ip, "Device Fingerprint" device_id.
- Money: number cells formatted \`#,##0.00\`, except a few rows where deposits and turnover are text with
  thousands separators ("12,345.67"). **GGR** is a formula (\`=Turnover − Winnings\`) with its cached value;
  one player's GGR is exactly 0 (see the engine and importer notes).
- Dates are real Excel dates (\`dd/mm/yyyy\`). Player ids are numbers, except the stale duplicate row, whose id is text.
  One row has sessions as text. Some optional cells are empty (no registration date, no IP/device, no game types, no withdrawals/bonus).

Deliberately bad rows (sheet row numbers):

${table(['row', 'player id', 'problem'], bad.map((entry) => [entry.row, entry.id, entry.problem]))}

## events.jsonl / events.csv

Columns \`event_id, player_id, timestamp, type, amount, game_type, ip, device_id\`; timestamps in UTC
(ISO 8601), amounts in EUR. They unlock what a summary cannot show: the ring's shared device (joining two
halves of one cluster), bonus-only play and withdrawals right after a bonus, minimum bets while wagering,
bet counts, volatility and each player's game mix. Two events appear twice (an overlapping export:
${sample.duplicateEventIds.join(', ')}); line ${malformedEventLine} is cut short (not JSON in the .jsonl,
three fields and a broken timestamp in the .csv).

## The designed players

Besides fillers with seeded-random amounts inside their segment's band, these players are there for a reason:

${table(['player id', 'name', 'segment', 'purpose'], designed.map((player) => [player.id!, player.key, player.segment, player.purpose]))}

${expectedResultsMarkdown(sample, outcome)}

## Engine and importer notes found while building the sample

- **Tiers lag one evaluation, and LP is dated by the wall clock**: the process job decides tiers at the start of
  an evaluation from ledger LP (src/main/jobs/tier-step.ts), so a rule conditioned on \`tier\` never matches on a
  first run. LP is dated by the transfer's \`created_at\` (when it was posted), not by the evaluation's as-of date:
  re-processing this file as of ${sampleAsOf} after posting it on a later day still finds no LP in the window
  (everyone stays BRONZE); an evaluation as of the posting day or later gives the tiers above.
- **No per-period turnover metric**: the summary holds lifetime totals and the metric catalogue has no
  "wagered since the last evaluation", so an LP earn rule can only be a once-per-player grant on lifetime
  turnover (\`LP_EARN_TURNOVER\`); a recurring monthly earn rule on lifetime totals would pay the same turnover again.
- **Activity-based bonus-only play ignores lifetime deposits**: a player with events, a bonus credit and no
  deposit after it scores the full 30 points even with years of deposits before (vip02, a VIP who took a reload
  bonus right after a deposit). The summary test (deposits ≤ 0.5 × bonus) would not flag them.
- **Improbable win rate from summaries** estimates bets as sessions × 100 for every game type; for sports
  bettors (few bets per session) that overstates the evidence. With the estimate, most long-history winners are
  flagged, which is why the sample's winners are mostly short, high-stake histories.
- **exceljs drops a formula's cached value when it is 0**: \`cell.value\` of a formula cell goes through
  \`FormulaValue._copyModel\`, which copies only truthy fields, so GGR \`=F−G\` with a saved 0 reads as
  \`{ formula }\` and the importer refuses the row ("a formula with no saved result"). \`sample-run.ts\` reads
  \`cell.formula\`/\`cell.result\` instead; any importer path built on exceljs cells must do the same.
`
}

/** Writes the sample files and README; returns the outcome (throws when a player misses its design). */
export async function writeSamples(dir = samplesDir): Promise<{ sample: Sample; outcome: SampleOutcome }> {
  const paths = samplePaths(dir)
  const sample = generateSample()
  await writeSampleWorkbook(sample, paths.players)
  writeSampleEvents(sample, paths.events, paths.eventsCsv)
  // rules.json is hand-written; the outcome reads it from the samples directory.
  const rules = dir === samplesDir ? paths.rules : join(samplesDir, 'rules.json')
  const outcome = await runSample({ players: paths.players, events: paths.events, rules }, sampleAsOf)
  const problems = checkDesign(sample, outcome)
  if (problems.length > 0) throw new Error(`The sample no longer matches its design:\n${problems.join('\n')}`)
  writeFileSync(paths.readme, readmeText(sample, outcome))
  return { sample, outcome }
}
