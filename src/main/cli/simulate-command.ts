// `loyalty simulate --scenario FILE`: the live configuration vs the scenario over the whole base,
// nothing written to the ledger; optionally a seeded Monte Carlo and an Excel workbook.
import { readFile } from 'node:fs/promises'
import { Option } from 'commander'
import type { SimulationRunResult } from '../../shared/api/types-simulation'
import { scenarioInputSchema, type ScenarioInput } from '../../shared/scenario-schema'
import { CliRefusal, type CliContext } from './context'
import { formatTable } from './output'
import { calendarDateOption } from './option-values'

async function readScenarioFile(path: string): Promise<ScenarioInput> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new CliRefusal(`Cannot read the scenario file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new CliRefusal(`The scenario file ${path} is not valid JSON: ${(error as Error).message}.`)
  }
  const checked = scenarioInputSchema.safeParse(parsed)
  if (!checked.success) {
    const lines = checked.error.issues.slice(0, 10).map((issue) => `  ${issue.path.join('.') || '(scenario)'}: ${issue.message}`)
    throw new CliRefusal(`The scenario file ${path} is invalid:\n${lines.join('\n')}`)
  }
  return parsed as ScenarioInput
}

function integerOption(name: string, min: number, max: number) {
  return (value: string) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < min || number > max) throw new CliRefusal(`${name} must be a whole number from ${min} to ${max}, got "${value}".`)
    return number
  }
}

function describe(result: SimulationRunResult): string {
  const { comparison, monteCarlo } = result
  const digits = comparison.minorDigits
  const money = (minor: number) => (minor / 10 ** digits).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
  const signed = (minor: number) => `${minor > 0 ? '+' : ''}${money(minor)}`
  const count = (value: number) => value.toLocaleString('en-US')
  const { live, scenario } = comparison
  const segments = Object.keys(live.segments) as (keyof typeof live.segments)[]
  const rules = [...new Set([...live.byRule, ...scenario.byRule].map((row) => row.ruleId))].sort()
  let text =
    `Scenario "${result.scenario.name}" vs the live configuration, ${count(comparison.players)} player(s) as of ${comparison.asOf}; ${comparison.changes.length} change(s).\n\n` +
    formatTable(
      ['', 'live', 'scenario', 'difference'],
      [
        ['expected margin', money(live.margin), money(scenario.margin), signed(scenario.margin - live.margin)],
        ['expected cost', money(live.cost), money(scenario.cost), signed(scenario.cost - live.cost)],
        ['net expected', money(live.net), money(scenario.net), signed(comparison.netImpact)],
        ['rewards issued', count(live.rewards.issued), count(scenario.rewards.issued), signed(scenario.rewards.issued - live.rewards.issued).replace(/\.0+$/, '')],
        ['rewards blocked', count(live.rewards.blocked), count(scenario.rewards.blocked), ''],
      ],
    ) +
    '\n' +
    formatTable(['segment', 'live', 'scenario'], segments.map((segment) => [segment, count(live.segments[segment]), count(scenario.segments[segment])])) +
    '\n' +
    formatTable(
      ['rule', 'issued (live)', 'issued (scenario)', 'cost (live)', 'cost (scenario)'],
      rules.map((ruleId) => {
        const a = live.byRule.find((row) => row.ruleId === ruleId)
        const b = scenario.byRule.find((row) => row.ruleId === ruleId)
        return [ruleId, count(a?.issued ?? 0), count(b?.issued ?? 0), money(a?.cost ?? 0), money(b?.cost ?? 0)]
      }),
    ) +
    `\nNewly eligible: ${count(comparison.newlyEligible.total)} player(s); no longer eligible: ${count(comparison.noLongerEligible.total)}.\n`
  if (monteCarlo) {
    text +=
      `\nMonte Carlo, ${count(monteCarlo.trials)} trials (seed ${monteCarlo.seed}), operator net revenue:\n` +
      formatTable(
        ['', 'P5', 'P50', 'P95'],
        [
          ['live', money(monteCarlo.live.p5), money(monteCarlo.live.p50), money(monteCarlo.live.p95)],
          ['scenario', money(monteCarlo.scenario.p5), money(monteCarlo.scenario.p50), money(monteCarlo.scenario.p95)],
        ],
      ) +
      `P(scenario worse) = ${(monteCarlo.probabilityWorse * 100).toFixed(1)}%\n`
  }
  if (result.export) text += `\nWorkbook: ${result.export.path}\n`
  // Right after a run, every once-per-period reward is already in the ledger, so both sides issue
  // nothing and the comparison says nothing: say why, and how to compare the designs instead.
  const alreadyIssued = live.byReason.already_issued ?? 0
  if (live.rewards.issued + live.rewards.reduced === 0 && scenario.rewards.issued + scenario.rewards.reduced === 0 && alreadyIssued > 0) {
    text += `\nNothing would be issued on either side: the rewards of this period are already in the ledger (${count(alreadyIssued)} decision(s) blocked as already issued). Add --ignore-history to compare the configurations as if nothing had been issued yet.\n`
  }
  return text
}

export function registerSimulateCommand(cli: CliContext): void {
  cli.program
    .command('simulate')
    .description('what-if: the live configuration vs a scenario over the whole base (nothing is written to the ledger)')
    .requiredOption('--scenario <file>', 'a JSON scenario: {"name", "description", "changes": {segments, rules: {edit, add, disable}, caps, houseEdges, retention, safetyFactor}}')
    .option('--monte-carlo <trials>', 'also run this many seeded Monte Carlo trials (P5/P50/P95 of net revenue)', integerOption('--monte-carlo', 1, 100_000))
    .option('--seed <seed>', 'Monte Carlo seed (default 1): the same seed gives the same numbers', integerOption('--seed', 0, 2 ** 32 - 1))
    .addOption(new Option('--as-of <date>', 'evaluate the base as of this date, YYYY-MM-DD (default: the newest player summary imported)').argParser(calendarDateOption))
    .option('--ignore-history', 'evaluate as if no reward had been issued yet (frequency, caps and budgets start empty)')
    .option('--out <file.xlsx>', 'write the comparison as an Excel workbook')
    .action(async (options: { scenario: string; monteCarlo?: number; seed?: number; asOf?: string; out?: string; ignoreHistory?: boolean }) => {
      const global = cli.global()
      if (options.seed !== undefined && options.monteCarlo === undefined) throw new CliRefusal('--seed needs --monte-carlo N.')
      const scenario = await readScenarioFile(options.scenario)
      const result = await cli.call(global, 'simulation/run', {
        scenario,
        asOf: options.asOf,
        ignoreHistory: options.ignoreHistory ?? false,
        monteCarlo: options.monteCarlo === undefined ? undefined : { trials: options.monteCarlo, seed: options.seed ?? 1 },
        exportPath: options.out,
      })
      if (global.json) return cli.io.stdout(JSON.stringify(result, null, 2) + '\n')
      cli.io.stdout(describe(result))
    })
}
