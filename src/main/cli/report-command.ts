// `loyalty report`: the reports (rule ROI, segments, profit, churn risk, liability) on the
// terminal, as JSON, or as an Excel workbook with --out.
import { formatAmount } from '../../shared/money'
import type { ChurnReport, LiabilityReport, ProfitReport, RuleRoiReport, SegmentPerformanceReport } from '../../shared/api/types-reports'
import { formatTable } from './output'
import type { CliContext } from './context'
import { calendarDateOption, choiceOption } from './option-values'

interface ReportOptions {
  from?: string
  to?: string
  period: 'day' | 'week' | 'month'
  out?: string
  overwrite?: boolean
}

export function registerReportCommand(cli: CliContext): void {
  cli.program
    .command('report')
    .description('rule ROI (against hold-out control groups), segment performance, profit per period, churn risk and outstanding liability; --out writes them to an Excel workbook')
    .option('--from <date>', 'first day included, YYYY-MM-DD (default: the earliest day in the data)', calendarDateOption)
    .option('--to <date>', 'last day included, YYYY-MM-DD (default: the latest day in the data)', calendarDateOption)
    .option('--period <period>', 'profit per day, week or month', choiceOption(['day', 'week', 'month'] as const), 'month')
    .option('--out <file>', 'write the reports to an Excel workbook (.xlsx)')
    .option('--overwrite', 'replace FILE if it exists')
    .action(async (options: ReportOptions) => {
      const global = cli.global()
      const granularity = options.period
      const range = { ...(options.from !== undefined ? { from: options.from } : {}), ...(options.to !== undefined ? { to: options.to } : {}) }
      const ruleRoi = await cli.call(global, 'reports/rule-roi', range)
      const segments = await cli.call(global, 'reports/segments', range)
      const profit = await cli.call(global, 'reports/profit', { ...range, granularity })
      const churn = await cli.call(global, 'reports/churn', range)
      const liability = await cli.call(global, 'reports/liability', {})
      const written = options.out
        ? await cli.call(global, 'reports/export', { ...range, granularity, path: options.out, overwrite: options.overwrite })
        : undefined
      if (global.json) {
        cli.io.stdout(JSON.stringify({ range: ruleRoi.range, ruleRoi, segments, profit, churn, liability, ...(written ? { export: written } : {}) }, null, 2) + '\n')
        return
      }
      cli.io.stdout(describe(ruleRoi, segments, profit, churn, liability))
      if (written) cli.io.stdout(`Wrote ${written.path} (${written.sheets.map((sheet) => sheet.name).join(', ')}).\n`)
    })
}

function describe(ruleRoi: RuleRoiReport, segments: SegmentPerformanceReport, profit: ProfitReport, churn: ChurnReport, liability: LiabilityReport): string {
  const { code, minorDigits } = ruleRoi.currency
  const money = (minor: number) => formatAmount(minor, minorDigits)
  const percent = (share: number | undefined) => (share === undefined ? '' : `${(share * 100).toFixed(1)}%`)
  const parts = [
    `Reports ${ruleRoi.range.from} to ${ruleRoi.range.to} (money in ${code})\n`,
    '\nRule ROI\n',
    formatTable(
      ['rule', 'rewarded', 'control', 'cost', 'incremental margin', 'ROI', 'note'],
      ruleRoi.rows.map((row) => [row.ruleId, row.rewarded, row.control, money(row.cost), row.incrementalMargin === undefined ? '' : money(row.incrementalMargin), percent(row.roi), row.note]),
    ),
    '\nSegments\n',
    formatTable(
      ['segment', 'players', 'GGR', 'reward cost', 'NGR', 'cost/GGR'],
      [...segments.rows, { segment: 'Total', ...segments.total }].map((row) => [row.segment, row.players, money(row.ggr), money(row.rewardCost), money(row.ngr), percent(row.costToGgr)]),
    ),
    `\nProfit per ${profit.granularity}\n`,
    formatTable(
      ['period', 'GGR', 'reward cost', 'NGR'],
      profit.rows.filter((row) => row.ggr !== 0 || row.rewardCost !== 0).map((row) => [row.label, money(row.ggr), money(row.rewardCost), money(row.ngr)]),
    ),
    `Total: GGR ${money(profit.total.ggr)}, reward cost ${money(profit.total.rewardCost)}, NGR ${money(profit.total.ngr)}\n`,
    `\nChurn risk: ${churn.total} player(s) inactive ${churn.inactiveDays}+ days or wagering ${Math.round(churn.activityDrop * 100)}%+ below usual; ${money(churn.valueAtRisk)} GGR per 30 days at risk\n`,
    formatTable(
      ['player', 'segment', 'risk', 'last active', 'GGR / 30 days', 'why'],
      churn.rows.slice(0, 10).map((row) => [row.playerId, row.segment ?? '', row.risk, row.lastActive ?? '', money(row.monthlyValue), row.why]),
    ),
    '\nOutstanding liability\n',
    formatTable(
      ['currency', 'players', 'outstanding', 'face value', 'expected'],
      liability.rows.map((row) => [row.currency, row.holders, row.currency === 'BONUS' ? money(row.outstanding) : row.outstanding.toLocaleString('en-US'), money(row.value), money(row.expectedValue)]),
    ),
    `Total: ${money(liability.total.value)} at face value, ${money(liability.total.expectedValue)} expected; ${liability.lots.open} open bonus lot(s) with ${money(liability.lots.remainingWagering)} wagering to go\n`,
  ]
  return parts.join('')
}
