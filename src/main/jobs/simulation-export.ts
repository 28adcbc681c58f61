// The workbook of a simulation: one sheet per view (overview with cost vs margin, segments and their
// movement, rewards by rule, segment and reason, who gains or loses rewards — every player, not the
// first page — caps and budgets, the Monte Carlo distribution, the changes) and a Summary sheet
// with the parameters used.
import type { EngineSettings } from '../../shared/engine-settings'
import type { SimulationRunResult } from '../../shared/api/types-simulation'
import type { Scenario } from '../../shared/scenario-schema'
import type { SimulationDetail } from '../engine/simulation/compare'
import { volumeSpread } from '../engine/simulation/monte-carlo'
import { segmentNames } from '../engine/segments-types'
import { writeReportWorkbook, type ReportView, type WrittenReport } from '../io/export'

export interface SimulationWorkbookInput {
  path: string
  scenario: Scenario
  result: SimulationRunResult
  detail: SimulationDetail
  settings: { live: EngineSettings; scenario: EngineSettings }
  generatedAt: Date
  signal?: AbortSignal
}

const sentence = (value: string) => value.replaceAll('_', ' ')

export async function writeSimulationWorkbook(input: SimulationWorkbookInput): Promise<WrittenReport> {
  const { comparison, monteCarlo } = input.result
  const { live, scenario } = comparison
  const currency = input.settings.live.currency.code
  const money = (key: string, header: string) => ({ key, header, kind: 'money' as const, currency })
  const major = (minor: number) => minor / 10 ** comparison.minorDigits

  const overview = [
    { measure: 'Expected future margin', live: live.margin, scenario: scenario.margin },
    { measure: 'Expected reward cost', live: live.cost, scenario: scenario.cost },
    { measure: 'Net expected (margin − cost)', live: live.net, scenario: scenario.net },
    ...(['BONUS', 'RP', 'LP', 'TICKETS'] as const).map((code) => ({ measure: `Cost of ${code}`, live: live.costByCurrency[code], scenario: scenario.costByCurrency[code] })),
  ].map((row) => ({ ...row, difference: row.scenario - row.live }))

  const ruleIds = [...new Set([...live.byRule, ...scenario.byRule].map((row) => row.ruleId))].sort()
  const ruleRows = ruleIds.map((ruleId) => {
    const a = live.byRule.find((row) => row.ruleId === ruleId)
    const b = scenario.byRule.find((row) => row.ruleId === ruleId)
    const currencyOf = (b ?? a)!.currency
    const isMoney = currencyOf === 'BONUS'
    return {
      rule_id: ruleId,
      currency: currencyOf,
      live_issued: a?.issued ?? 0,
      scenario_issued: b?.issued ?? 0,
      live_blocked: a?.blocked ?? 0,
      scenario_blocked: b?.blocked ?? 0,
      live_bonus: isMoney ? (a?.amount ?? 0) : null,
      scenario_bonus: isMoney ? (b?.amount ?? 0) : null,
      live_points: isMoney ? null : (a?.amount ?? 0),
      scenario_points: isMoney ? null : (b?.amount ?? 0),
      live_cost: a?.cost ?? 0,
      scenario_cost: b?.cost ?? 0,
      cost_change: (b?.cost ?? 0) - (a?.cost ?? 0),
    }
  })
  const reasons = [...new Set([...Object.keys(live.byReason), ...Object.keys(scenario.byReason)])].sort()
  const eligibilityColumns = [
    { key: 'player_id', header: 'Player', kind: 'text' as const },
    { key: 'segment', header: 'Segment', kind: 'text' as const },
    { key: 'rules', header: 'Rewarded by', kind: 'text' as const },
    money('cost', 'Expected cost'),
  ]
  const eligibilityRows = (list: SimulationDetail['newlyEligible']) => list.map((each) => ({ player_id: each.playerId, segment: each.segment, rules: each.rules.join(', '), cost: each.cost }))

  const views: ReportView[] = [
    {
      name: 'Overview',
      description: 'Expected margin, reward cost and net, live vs scenario',
      columns: [{ key: 'measure', header: 'Measure', kind: 'text' }, money('live', 'Live'), money('scenario', 'Scenario'), money('difference', 'Difference')],
      rows: overview,
      charts: [
        {
          title: 'Expected cost vs margin',
          option: {
            legend: { top: 30 },
            xAxis: { type: 'category', data: ['Live', 'Scenario'] },
            yAxis: { type: 'value', name: currency },
            series: [
              // The screen's colours: margin green, cost red, net blue.
              { name: 'Expected margin', type: 'bar', data: [major(live.margin), major(scenario.margin)], itemStyle: { color: '#40c057' } },
              { name: 'Expected cost', type: 'bar', data: [major(live.cost), major(scenario.cost)], itemStyle: { color: '#fa5252' } },
              { name: 'Net', type: 'bar', data: [major(live.net), major(scenario.net)], itemStyle: { color: '#228be6' } },
            ],
          },
        },
      ],
    },
    {
      name: 'Segments',
      description: 'Players per segment, live vs scenario',
      columns: [
        { key: 'segment', header: 'Segment', kind: 'text' },
        { key: 'live', header: 'Live', kind: 'integer' },
        { key: 'scenario', header: 'Scenario', kind: 'integer' },
        { key: 'change', header: 'Change', kind: 'integer' },
      ],
      rows: segmentNames.map((segment) => ({ segment, live: live.segments[segment], scenario: scenario.segments[segment], change: scenario.segments[segment] - live.segments[segment] })),
      charts: [
        {
          title: 'Players per segment',
          option: {
            legend: { top: 30 },
            xAxis: { type: 'category', data: [...segmentNames] },
            yAxis: { type: 'value' },
            series: [
              { name: 'Live', type: 'bar', data: segmentNames.map((segment) => live.segments[segment]), itemStyle: { color: '#868e96' } },
              { name: 'Scenario', type: 'bar', data: segmentNames.map((segment) => scenario.segments[segment]), itemStyle: { color: '#228be6' } },
            ],
          },
        },
      ],
    },
    {
      name: 'Segment movement',
      description: 'Players by live segment (rows) and scenario segment (columns)',
      columns: [{ key: 'from', header: 'Live segment', kind: 'text' }, ...segmentNames.map((segment) => ({ key: segment, header: `→ ${segment}`, kind: 'integer' as const }))],
      rows: segmentNames.map((from, f) => ({ from, ...Object.fromEntries(segmentNames.map((to, t) => [to, comparison.movement[f]![t]!])) })),
    },
    {
      name: 'Rewards by rule',
      description: 'Rewards issued (reduced included) and blocked, amounts and expected cost per rule',
      frozenColumns: 1,
      columns: [
        { key: 'rule_id', header: 'Rule', kind: 'text' },
        { key: 'currency', header: 'Currency', kind: 'text' },
        { key: 'live_issued', header: 'Issued (live)', kind: 'integer' },
        { key: 'scenario_issued', header: 'Issued (scenario)', kind: 'integer' },
        { key: 'live_blocked', header: 'Blocked (live)', kind: 'integer' },
        { key: 'scenario_blocked', header: 'Blocked (scenario)', kind: 'integer' },
        money('live_bonus', 'Bonus (live)'),
        money('scenario_bonus', 'Bonus (scenario)'),
        { key: 'live_points', header: 'Points (live)', kind: 'points' },
        { key: 'scenario_points', header: 'Points (scenario)', kind: 'points' },
        money('live_cost', 'Cost (live)'),
        money('scenario_cost', 'Cost (scenario)'),
        money('cost_change', 'Cost change'),
      ],
      rows: ruleRows,
    },
    {
      name: 'Rewards by segment',
      description: 'Rewards and expected cost per segment',
      columns: [
        { key: 'segment', header: 'Segment', kind: 'text' },
        { key: 'live_issued', header: 'Issued (live)', kind: 'integer' },
        { key: 'scenario_issued', header: 'Issued (scenario)', kind: 'integer' },
        { key: 'live_blocked', header: 'Blocked (live)', kind: 'integer' },
        { key: 'scenario_blocked', header: 'Blocked (scenario)', kind: 'integer' },
        money('live_cost', 'Cost (live)'),
        money('scenario_cost', 'Cost (scenario)'),
      ],
      rows: segmentNames.map((segment, s) => ({
        segment,
        live_issued: live.bySegment[s]!.issued,
        scenario_issued: scenario.bySegment[s]!.issued,
        live_blocked: live.bySegment[s]!.blocked,
        scenario_blocked: scenario.bySegment[s]!.blocked,
        live_cost: live.bySegment[s]!.cost,
        scenario_cost: scenario.bySegment[s]!.cost,
      })),
    },
    {
      name: 'Reasons',
      description: 'Decisions per reason (issued, reduced by a check, or blocked)',
      columns: [
        { key: 'reason', header: 'Reason', kind: 'text' },
        { key: 'live', header: 'Live', kind: 'integer' },
        { key: 'scenario', header: 'Scenario', kind: 'integer' },
      ],
      rows: reasons.map((reason) => ({ reason: sentence(reason), live: live.byReason[reason] ?? 0, scenario: scenario.byReason[reason] ?? 0 })),
    },
    {
      name: 'Newly eligible',
      description: 'Players rewarded under the scenario and not under the live configuration',
      frozenColumns: 1,
      columns: eligibilityColumns,
      rows: eligibilityRows(input.detail.newlyEligible),
    },
    {
      name: 'No longer eligible',
      description: 'Players rewarded under the live configuration and not under the scenario',
      frozenColumns: 1,
      columns: eligibilityColumns,
      rows: eligibilityRows(input.detail.noLongerEligible),
    },
    {
      name: 'Caps and budgets',
      description: 'Rewards reduced or blocked because a cap or budget ran out',
      columns: [
        { key: 'reason', header: 'Cap or budget', kind: 'text' },
        { key: 'rule_id', header: 'Rule', kind: 'text' },
        { key: 'live_reduced', header: 'Reduced (live)', kind: 'integer' },
        { key: 'live_blocked', header: 'Blocked (live)', kind: 'integer' },
        { key: 'scenario_reduced', header: 'Reduced (scenario)', kind: 'integer' },
        { key: 'scenario_blocked', header: 'Blocked (scenario)', kind: 'integer' },
      ],
      rows: comparison.exhaustion.map((each) => ({
        reason: sentence(each.reason),
        rule_id: each.ruleId ?? '',
        live_reduced: each.live.reduced,
        live_blocked: each.live.blocked,
        scenario_reduced: each.scenario.reduced,
        scenario_blocked: each.scenario.blocked,
      })),
    },
  ]
  if (monteCarlo) {
    views.push({
      name: 'Monte Carlo',
      description: `Operator net revenue over ${monteCarlo.trials} seeded trials (seed ${monteCarlo.seed})`,
      columns: [{ key: 'side', header: 'Configuration', kind: 'text' }, money('p5', 'P5'), money('p50', 'P50'), money('p95', 'P95'), money('mean', 'Mean')],
      rows: [
        { side: 'Live', ...monteCarlo.live },
        { side: 'Scenario', ...monteCarlo.scenario },
      ],
      charts: [
        {
          title: 'Distribution of operator net revenue',
          option: {
            legend: { top: 30 },
            xAxis: { type: 'category', data: monteCarlo.histogram.map((bin) => Math.round(major((bin.from + bin.to) / 2)).toLocaleString('en-US')), name: currency },
            yAxis: { type: 'value', name: 'trials' },
            series: [
              { name: 'Live', type: 'bar', data: monteCarlo.histogram.map((bin) => bin.live), itemStyle: { color: '#868e96' } },
              { name: 'Scenario', type: 'bar', data: monteCarlo.histogram.map((bin) => bin.scenario), itemStyle: { color: '#228be6' } },
            ],
          },
        },
      ],
    })
  }
  views.push({
    name: 'Changes',
    description: 'What the scenario changes in the live configuration',
    columns: [
      { key: 'area', header: 'Area', kind: 'text' },
      { key: 'subject', header: 'Setting or rule', kind: 'text' },
      { key: 'from', header: 'Live', kind: 'text' },
      { key: 'to', header: 'Scenario', kind: 'text' },
    ],
    rows: comparison.changes.map((change) =>
      change.area === 'setting'
        ? { area: 'setting', subject: change.path, from: JSON.stringify(change.from), to: JSON.stringify(change.to) }
        : { area: `rule ${change.action}`, subject: change.ruleId, from: change.fromVersion ? `v${change.fromVersion}` : '', to: `v${change.toVersion}${change.fields.length ? ` (${change.fields.join(', ')})` : ''}` },
    ),
  })

  return writeReportWorkbook(input.path, {
    summary: {
      title: `Loyalty Workstation — what-if simulation "${input.scenario.name}"`,
      parameters: [
        ['Scenario', input.scenario.name],
        ['Description', input.scenario.description || '—'],
        ['As of', comparison.asOf],
        ['Players', comparison.players],
        ['Changes', comparison.changes.length],
        ['Net expected impact', { kind: 'money', value: comparison.netImpact, currency }],
        ['Margin horizon (days)', input.settings.scenario.marginHorizonDays],
        ['Safety factor (live → scenario)', `${input.settings.live.safetyFactor} → ${input.settings.scenario.safetyFactor}`],
        ['Monte Carlo', monteCarlo ? `${monteCarlo.trials} trials, seed ${monteCarlo.seed}, wager spread σ = ${volumeSpread}` : 'not run'],
        ...(monteCarlo ? ([['Probability the scenario is worse', { kind: 'percent', value: monteCarlo.probabilityWorse }]] as const) : []),
      ],
    },
    views,
    minorDigits: comparison.minorDigits,
    generatedAt: input.generatedAt,
    overwrite: true,
    signal: input.signal,
  })
}
