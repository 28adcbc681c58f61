// Reports: pick a report and a date range, read the chart and the table, export every report to
// one Excel workbook. #/reports/<kind> opens a report directly.
import { Button, Card, Group, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { reportDateSchema } from '../../../shared/api/domains/reports'
import type { ProfitGranularity } from '../../../shared/api/types-reports'
import { useApiQuery } from '../api/use-query'
import { EmptyState, ErrorState, LoadingState } from '../components/states'
import { ScreenFrame } from '../components/ScreenFrame'
import { useNavigation } from '../stores/navigation'
import { ExportPanel } from './reports/ExportPanel'
import { ChurnView, LiabilityView, ProfitView, RuleRoiView, SegmentsView } from './reports/ReportViews'

const kinds = [
  { value: 'rule-roi', label: 'ROI per rule', about: "What each rule earned beyond its hold-out control group, against what it cost." },
  { value: 'segments', label: 'Segments', about: 'Players, GGR, reward cost and NGR per segment.' },
  { value: 'profit', label: 'Profit', about: 'GGR, reward cost and NGR per day, week or month.' },
  { value: 'churn', label: 'Churn risk', about: 'Players who went quiet or wager far less than usual, most valuable first.' },
  { value: 'liability', label: 'Liability', about: 'What is still owed to players: points, bonus money and tickets, in money. Not tied to the date range.' },
] as const
type Kind = (typeof kinds)[number]['value']

const description = 'ROI against control groups, segment performance, profit, churn risk and liability — and all of them in one Excel workbook'

export function ReportsScreen() {
  const detail = useNavigation((state) => state.detail)
  const go = useNavigation((state) => state.go)
  const kind: Kind = kinds.some((each) => each.value === detail) ? (detail as Kind) : 'rule-roi'
  const [fromText, setFromText] = useState('')
  const [toText, setToText] = useState('')
  const [granularity, setGranularity] = useState<ProfitGranularity>('month')
  const info = useApiQuery('db/info', {})

  const fromError = dateError(fromText)
  const toError = dateError(toText) ?? (fromText && toText && !fromError && !dateError(toText) && fromText > toText ? 'the end is before the start' : undefined)
  const range = { ...(fromText && !fromError && !toError ? { from: fromText } : {}), ...(toText && !toError ? { to: toText } : {}) }

  if (info.error) {
    return (
      <ScreenFrame title="Reports" description={description}>
        <ErrorState error={info.error} onRetry={info.reload} />
      </ScreenFrame>
    )
  }
  if (!info.data) {
    return (
      <ScreenFrame title="Reports" description={description}>
        <LoadingState />
      </ScreenFrame>
    )
  }
  if ((info.data.tables.find((table) => table.name === 'players')?.rows ?? 0) === 0) {
    return (
      <ScreenFrame title="Reports" description={description}>
        <EmptyState title="Nothing to report yet" action={<Button onClick={() => go('import')}>Import a spreadsheet</Button>}>
          Reports are made from imported players and processed rewards. Import a player summary and process it first.
        </EmptyState>
      </ScreenFrame>
    )
  }

  const about = kinds.find((each) => each.value === kind)!.about
  return (
    <ScreenFrame title="Reports" description={description}>
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between" align="flex-end" wrap="wrap">
            <SegmentedControl
              value={kind}
              onChange={(value) => go('reports', value)}
              data={kinds.map((each) => ({ value: each.value, label: each.label }))}
              aria-label="Report"
              data-testid="report-picker"
            />
            <Group gap="sm" align="flex-start" wrap="wrap">
              <TextInput type="date" label="From" value={fromText} onChange={(event) => setFromText(event.currentTarget.value)} error={fromError} disabled={kind === 'liability'} w={160} data-testid="report-from" />
              <TextInput type="date" label="To" value={toText} onChange={(event) => setToText(event.currentTarget.value)} error={toError} disabled={kind === 'liability'} w={160} data-testid="report-to" />
              {kind === 'profit' ? (
                <Select
                  label="Per"
                  value={granularity}
                  onChange={(value) => value && setGranularity(value as ProfitGranularity)}
                  data={[
                    { value: 'day', label: 'Day' },
                    { value: 'week', label: 'Week' },
                    { value: 'month', label: 'Month' },
                  ]}
                  allowDeselect={false}
                  w={110}
                />
              ) : null}
            </Group>
          </Group>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Text size="sm" c="dimmed">
              {about} {kind !== 'liability' && !fromText && !toText ? 'Leave the dates empty to cover all the data.' : ''}
            </Text>
            <ExportPanel range={range} granularity={granularity} />
          </Group>
        </Stack>
      </Card>
      <div data-testid={`report-${kind}`}>
        {kind === 'rule-roi' ? <RuleRoiView range={range} /> : null}
        {kind === 'segments' ? <SegmentsView range={range} /> : null}
        {kind === 'profit' ? <ProfitView range={range} granularity={granularity} /> : null}
        {kind === 'churn' ? <ChurnView range={range} onPlayer={(playerId) => go('players', playerId)} /> : null}
        {kind === 'liability' ? <LiabilityView /> : null}
      </div>
    </ScreenFrame>
  )
}

/** The same date rule as the API's, checked as the operator types. */
function dateError(text: string): string | undefined {
  if (!text) return undefined
  const parsed = reportDateSchema.safeParse(text)
  return parsed.success ? undefined : parsed.error.issues[0]!.message
}
