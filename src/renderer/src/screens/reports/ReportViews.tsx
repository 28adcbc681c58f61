// Each report as a chart first, then its table with the exact figures.
import { Alert, Badge, Card, SimpleGrid, Table, Text } from '@mantine/core'
import { useMemo, type ReactNode } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import type { ProfitGranularity } from '../../../../shared/api/types-reports'
import { useApiQuery } from '../../api/use-query'
import { ErrorState, LoadingState } from '../../components/states'
import { formatCount, formatMoney, type MoneySettings } from '../../format'
import { Stat } from '../import/ImportResult'
import { churnOption, liabilityOption, profitOption, roiOption, segmentsOption } from './report-options'
import { ReportChart, type ChartOption } from './ReportChart'

export interface RangeInput {
  from?: string
  to?: string
}

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 })
const percent = (share: number | undefined) => (share === undefined ? '—' : percentFormat.format(share))

function ChartCard({ title, option, height, label }: { title: string; option: ChartOption; height?: number; label: string }) {
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <ReportChart option={option} height={height} label={label} />
    </Card>
  )
}

function TableCard({ children, caption, testId }: { children: ReactNode; caption?: ReactNode; testId: string }) {
  return (
    <Card withBorder p={0}>
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid={testId}>
          {children}
        </Table>
      </Table.ScrollContainer>
      {caption ? (
        <Text size="xs" c="dimmed" p="sm">
          {caption}
        </Text>
      ) : null}
    </Card>
  )
}

function Num({ children, strong }: { children: ReactNode; strong?: boolean }) {
  return (
    <Table.Td ta="right" fw={strong ? 600 : undefined} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {children}
    </Table.Td>
  )
}

function Th({ children, numeric }: { children: ReactNode; numeric?: boolean }) {
  return <Table.Th ta={numeric ? 'right' : undefined}>{children}</Table.Th>
}

function renderReport<T>(state: { data?: T; error?: ApiError; loading: boolean; reload: () => void }, render: (data: T) => ReactNode) {
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />
  if (!state.data) return <LoadingState rows={6} />
  return <div style={{ opacity: state.loading ? 0.6 : 1, transition: 'opacity 120ms' }}>{render(state.data)}</div>
}

export function RuleRoiView({ range }: { range: RangeInput }) {
  const query = useApiQuery('reports/rule-roi', range)
  const chart = useMemo(() => (query.data ? roiOption(query.data) : undefined), [query.data])
  return renderReport(query, (report) => {
    const money = (minor: number | undefined) => (minor === undefined ? '—' : formatMoney(minor, report.currency))
    return (
      <StackOf>
        {report.rows.some((row) => row.status === 'no_control_group') && !report.rows.some((row) => row.status === 'measured') ? (
          <Alert color="blue" variant="light" title="No rule has a control group yet" data-testid="roi-hint">
            ROI needs players who qualified but were held out, to compare with. Give a rule a hold-out (for example <code>{'"holdout": { "share": 0.1 }'}</code>): those players are
            recorded, not paid, and the next import after the rewards measures the difference. Until then the chart shows what each rule cost.
          </Alert>
        ) : null}
        {chart ? <ChartCard title={chart.title} option={chart.option} height={Math.min(520, 60 + chart.bars * 34)} label={chart.title} /> : null}
        <TableCard testId="report-table" caption="Extra margin = (average GGR change of rewarded players − average of the control group) × rewarded players. ROI = (extra margin − reward cost) / reward cost.">
          <Table.Thead>
            <Table.Tr>
              <Th>Rule</Th>
              <Th numeric>Hold-out</Th>
              <Th numeric>Rewarded</Th>
              <Th numeric>Control</Th>
              <Th numeric>Reward cost</Th>
              <Th numeric>Extra margin</Th>
              <Th numeric>ROI</Th>
              <Th>Note</Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((row) => (
              <Table.Tr key={row.ruleId}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {row.ruleId}
                  </Text>
                </Table.Td>
                <Num>{row.holdoutShare ? percent(row.holdoutShare) : '—'}</Num>
                <Num>{formatCount(row.rewarded)}</Num>
                <Num>{formatCount(row.control)}</Num>
                <Num>{money(row.cost)}</Num>
                <Num>{money(row.incrementalMargin)}</Num>
                <Num>
                  {row.roi === undefined ? (
                    '—'
                  ) : (
                    <Text span c={row.roi >= 0 ? 'teal' : 'red'} fw={600} size="sm">
                      {percent(row.roi)}
                    </Text>
                  )}
                </Num>
                <Table.Td>
                  <Text size="sm" c={row.status === 'measured' ? undefined : 'dimmed'}>
                    {row.note}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TableCard>
      </StackOf>
    )
  })
}

export function SegmentsView({ range }: { range: RangeInput }) {
  const query = useApiQuery('reports/segments', range)
  const option = useMemo(() => (query.data ? segmentsOption(query.data) : undefined), [query.data])
  return renderReport(query, (report) => {
    const money = (minor: number) => formatMoney(minor, report.currency)
    const rows = [...report.rows.map((row) => ({ ...row, total: false })), { segment: 'Total', ...report.total, total: true }]
    return (
      <StackOf>
        {option ? <ChartCard title={`GGR, reward cost and NGR by segment (${report.currency.code})`} option={option} label="GGR, reward cost and NGR by segment" /> : null}
        <TableCard testId="report-table" caption="GGR is what players earned the operator in the range (growth of their lifetime wagered − won); reward cost is the expected cost of the rewards paid; NGR = GGR − reward cost.">
          <Table.Thead>
            <Table.Tr>
              <Th>Segment</Th>
              <Th numeric>Players</Th>
              <Th numeric>GGR</Th>
              <Th numeric>Reward cost</Th>
              <Th numeric>NGR</Th>
              <Th numeric>Cost / GGR</Th>
              <Th numeric>Bonus paid</Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.segment} fw={row.total ? 600 : undefined}>
                <Table.Td>{row.segment}</Table.Td>
                <Num strong={row.total}>{formatCount(row.players)}</Num>
                <Num strong={row.total}>{money(row.ggr)}</Num>
                <Num strong={row.total}>{money(row.rewardCost)}</Num>
                <Num strong={row.total}>{money(row.ngr)}</Num>
                <Num strong={row.total}>{percent(row.costToGgr)}</Num>
                <Num strong={row.total}>{money(row.bonusPaid)}</Num>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TableCard>
      </StackOf>
    )
  })
}

export function ProfitView({ range, granularity }: { range: RangeInput; granularity: ProfitGranularity }) {
  const query = useApiQuery('reports/profit', { ...range, granularity })
  const option = useMemo(() => (query.data ? profitOption(query.data) : undefined), [query.data])
  return renderReport(query, (report) => {
    const money = (minor: number) => formatMoney(minor, report.currency)
    return (
      <StackOf>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stat label="GGR" value={money(report.total.ggr)} />
          <Stat label="Reward cost" value={money(report.total.rewardCost)} />
          <Stat label="NGR" value={money(report.total.ngr)} color={report.total.ngr >= 0 ? 'teal' : 'red'} />
        </SimpleGrid>
        {option ? <ChartCard title={`Profit per ${granularity} (${report.currency.code})`} option={option} label={`Profit per ${granularity}`} /> : null}
        <TableCard testId="report-table">
          <Table.Thead>
            <Table.Tr>
              <Th>Period</Th>
              <Th numeric>Players with new totals</Th>
              <Th numeric>GGR</Th>
              <Th numeric>Reward cost</Th>
              <Th numeric>NGR</Th>
              <Th numeric>Bonus paid</Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((row) => (
              <Table.Tr key={row.period}>
                <Table.Td>{row.label}</Table.Td>
                <Num>{formatCount(row.players)}</Num>
                <Num>{money(row.ggr)}</Num>
                <Num>{money(row.rewardCost)}</Num>
                <Num>{money(row.ngr)}</Num>
                <Num>{money(row.bonusPaid)}</Num>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TableCard>
      </StackOf>
    )
  })
}

export function ChurnView({ range, onPlayer }: { range: RangeInput; onPlayer: (playerId: string) => void }) {
  const query = useApiQuery('reports/churn', range)
  const option = useMemo(() => (query.data && query.data.rows.length > 0 ? churnOption(query.data) : undefined), [query.data])
  return renderReport(query, (report) => {
    const money = (minor: number) => formatMoney(minor, report.currency)
    return (
      <StackOf>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stat label="Players at risk" value={formatCount(report.total)} />
          <Stat label="GGR per 30 days at risk" value={money(report.valueAtRisk)} />
          <Stat label="Thresholds" value={`${report.inactiveDays}+ days · −${Math.round(report.activityDrop * 100)}%`} />
        </SimpleGrid>
        {option ? <ChartCard title={`Most valuable players at risk: GGR per 30 days (${report.currency.code})`} option={option} height={Math.min(520, 60 + Math.min(15, report.rows.length) * 30)} label="Most valuable players at risk" /> : null}
        {report.rows.length === 0 ? (
          <Card withBorder>
            <Text c="dimmed">No player is inactive for {report.inactiveDays}+ days or wagering far below usual at the end of this range.</Text>
          </Card>
        ) : (
          <TableCard testId="report-table" caption={report.total > report.rows.length ? `The ${formatCount(report.rows.length)} most valuable of ${formatCount(report.total)} players at risk; the Excel export lists them too.` : undefined}>
            <Table.Thead>
              <Table.Tr>
                <Th>Player</Th>
                <Th>Segment</Th>
                <Th>Risk</Th>
                <Th>Last active</Th>
                <Th numeric>Wager vs usual</Th>
                <Th numeric>GGR per 30 days</Th>
                <Th numeric>Lifetime GGR</Th>
                <Th>Why</Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rows.map((row) => (
                <Table.Tr key={row.playerId} style={{ cursor: 'pointer' }} onClick={() => onPlayer(row.playerId)}>
                  <Table.Td>
                    <Text size="sm" fw={500} c="blue">
                      {row.playerId}
                    </Text>
                  </Table.Td>
                  <Table.Td>{row.segment ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge color={row.risk === 'high' ? 'red' : 'yellow'} variant="light">
                      {row.risk}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{row.lastActive ?? '—'}</Table.Td>
                  <Num>{row.activityChange === undefined ? '—' : percent(row.activityChange)}</Num>
                  <Num>{money(row.monthlyValue)}</Num>
                  <Num>{money(row.lifetimeGgr)}</Num>
                  <Table.Td>
                    <Text size="sm">{row.why}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </TableCard>
        )}
      </StackOf>
    )
  })
}

export function LiabilityView() {
  const query = useApiQuery('reports/liability', {})
  const option = useMemo(() => (query.data ? liabilityOption(query.data) : undefined), [query.data])
  return renderReport(query, (report) => {
    const money = (minor: number) => formatMoney(minor, report.currency)
    const outstanding = (row: (typeof report.rows)[number]) => (row.currency === 'BONUS' ? money(row.outstanding) : `${formatCount(row.outstanding)} ${row.currency}`)
    return (
      <StackOf>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <Stat label="Liability at face value" value={money(report.total.value)} />
          <Stat label="Expected cost" value={money(report.total.expectedValue)} />
          <Stat label="Open bonus lots" value={formatCount(report.lots.open)} />
          <Stat label="Wagering still to do" value={money(report.lots.remainingWagering)} />
        </SimpleGrid>
        {option ? <ChartCard title={`Outstanding liability by currency (${report.currency.code})`} option={option} height={280} label="Outstanding liability by currency" /> : null}
        <TableCard testId="report-table" caption={`The ledger as it stands now. ${formatCount(report.lots.expiringSoon)} open lot(s) are due to expire within 7 days.`}>
          <Table.Thead>
            <Table.Tr>
              <Th>Currency</Th>
              <Th numeric>Players holding</Th>
              <Th numeric>Outstanding</Th>
              <Th numeric>Value per unit</Th>
              <Th numeric>Face value</Th>
              <Th numeric>Expected cost</Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.rows.map((row) => (
              <Table.Tr key={row.currency}>
                <Table.Td>{row.currency}</Table.Td>
                <Num>{formatCount(row.holders)}</Num>
                <Num>{outstanding(row)}</Num>
                <Num>{row.currency === 'BONUS' ? '—' : formatUnitValue(row.unitValue, report.currency)}</Num>
                <Num>{money(row.value)}</Num>
                <Num>{money(row.expectedValue)}</Num>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </TableCard>
      </StackOf>
    )
  })
}

/** A point can be worth a fraction of a cent: shown with the digits it needs. */
function formatUnitValue(minorPerUnit: number, currency: MoneySettings): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.code, maximumFractionDigits: currency.minorDigits + 4 }).format(minorPerUnit / 10 ** currency.minorDigits)
}

function StackOf({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexDirection: 'column', gap: 'var(--mantine-spacing-md)' }}>{children}</div>
}
