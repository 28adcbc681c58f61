// The comparison, charts first (segment flow, cost vs margin, distribution of net revenue), then the
// tables an operator checks before applying: rewards by rule, eligibility changes, caps, changes.
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core'
import { useMemo, type ReactNode } from 'react'
import type { ConfigChange, EligibilityChange, SimulationRunResult } from '../../../../shared/api/types-simulation'
import { formatCount, formatMoney, type MoneySettings } from '../../format'
import { SegmentBadge } from '../players/badges'
import { EChart } from './EChart'
import { costMarginOption, distributionOption, segmentFlowOption, segmentOrder } from './charts'
import { SensitivityPanel } from './SensitivityPanel'
import { useSimulationStore } from './simulation-store'

function signedMoney(minor: number, money: MoneySettings): string {
  return `${minor > 0 ? '+' : ''}${formatMoney(minor, money)}`
}

function Kpi({ label, value, hint, tone, testId }: { label: string; value: string; hint?: string; tone?: 'good' | 'bad'; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="xl" c={tone === 'good' ? 'teal' : tone === 'bad' ? 'red' : undefined} data-testid={testId}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  )
}

function ChartCard({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Text fw={600}>{title}</Text>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
        {children}
      </Stack>
    </Card>
  )
}

export function describeChange(change: ConfigChange): string {
  if (change.area === 'setting') return `${change.path}: ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`
  if (change.action === 'add') return `Add rule ${change.ruleId} (version ${change.toVersion})`
  if (change.action === 'disable') return `Pause rule ${change.ruleId} (version ${change.fromVersion} → ${change.toVersion})`
  return `Edit rule ${change.ruleId}: ${change.fields.join(', ')} (version ${change.fromVersion} → ${change.toVersion})`
}

export function SimulationResults({ result }: { result: SimulationRunResult }) {
  const { comparison, monteCarlo } = result
  const money: MoneySettings = { code: comparison.currencyCode, minorDigits: comparison.minorDigits }
  const { live, scenario } = comparison
  const impactTone = comparison.netImpact > 0 ? 'good' : comparison.netImpact < 0 ? 'bad' : undefined
  const ruleIds = [...new Set([...live.byRule, ...scenario.byRule].map((row) => row.ruleId))].sort()
  // Stable options: a chart is redrawn only when its data changes.
  const charts = useMemo(
    () => ({
      flow: segmentFlowOption(comparison),
      costMargin: costMarginOption(comparison, comparison.currencyCode),
      distribution: monteCarlo ? distributionOption(monteCarlo, comparison.minorDigits) : undefined,
    }),
    [comparison, monteCarlo],
  )
  return (
    <Stack gap="md" data-testid="simulation-result">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={3}>{result.scenario.name}</Title>
          <Text size="sm" c="dimmed">
            {formatCount(comparison.players)} players as of {comparison.asOf} · {comparison.changes.length} change{comparison.changes.length === 1 ? '' : 's'} to the live configuration
          </Text>
        </div>
        <ExportButton />
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Kpi label="Net expected impact" value={signedMoney(comparison.netImpact, money)} tone={impactTone} hint="scenario − live, margin minus cost" testId="kpi-net-impact" />
        <Kpi label="Expected reward cost" value={formatMoney(scenario.cost, money)} hint={`live ${formatMoney(live.cost, money)}`} testId="kpi-cost" />
        <Kpi label="Expected future margin" value={formatMoney(scenario.margin, money)} hint={`live ${formatMoney(live.margin, money)}`} testId="kpi-margin" />
        <Kpi
          label="Scenario worse"
          value={monteCarlo ? `${(monteCarlo.probabilityWorse * 100).toFixed(1)}%` : '—'}
          hint={monteCarlo ? `of ${formatCount(monteCarlo.trials)} Monte Carlo trials` : 'run with Monte Carlo trials'}
          tone={monteCarlo ? (monteCarlo.probabilityWorse > 0.5 ? 'bad' : 'good') : undefined}
          testId="kpi-worse"
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <ChartCard title="Segment flow" description="Players from their live segment (left column) to their segment under the scenario (right column).">
          <EChart option={charts.flow} label="Segment flow from live to scenario" testId="chart-segment-flow" />
        </ChartCard>
        <ChartCard title="Cost vs margin" description={`Expected reward cost and future margin over the horizon, ${money.code}.`}>
          <EChart option={charts.costMargin} label="Expected cost and margin, live and scenario" testId="chart-cost-margin" />
        </ChartCard>
      </SimpleGrid>
      {monteCarlo ? (
        <ChartCard
          title="Distribution of operator net revenue"
          description={`${formatCount(monteCarlo.trials)} seeded trials (seed ${monteCarlo.seed}). Live P5 / P50 / P95: ${formatMoney(monteCarlo.live.p5, money)} / ${formatMoney(monteCarlo.live.p50, money)} / ${formatMoney(monteCarlo.live.p95, money)} · scenario: ${formatMoney(monteCarlo.scenario.p5, money)} / ${formatMoney(monteCarlo.scenario.p50, money)} / ${formatMoney(monteCarlo.scenario.p95, money)}`}
        >
          <EChart option={charts.distribution!} height={260} label="Histogram of net revenue over the trials" testId="chart-distribution" />
        </ChartCard>
      ) : null}
      <SensitivityPanel ruleIds={ruleIds} />

      <Card withBorder>
        <Tabs defaultValue="rules">
          <Tabs.List>
            <Tabs.Tab value="rules">Rewards by rule</Tabs.Tab>
            <Tabs.Tab value="segments">Segments</Tabs.Tab>
            <Tabs.Tab value="gained">Newly eligible ({formatCount(comparison.newlyEligible.total)})</Tabs.Tab>
            <Tabs.Tab value="lost">No longer eligible ({formatCount(comparison.noLongerEligible.total)})</Tabs.Tab>
            <Tabs.Tab value="caps">Caps and budgets</Tabs.Tab>
            <Tabs.Tab value="changes">Changes ({comparison.changes.length})</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="rules" pt="sm">
            <Table striped highlightOnHover data-testid="rules-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rule</Table.Th>
                  <Table.Th ta="right">Issued live</Table.Th>
                  <Table.Th ta="right">Issued scenario</Table.Th>
                  <Table.Th ta="right">Blocked live</Table.Th>
                  <Table.Th ta="right">Blocked scenario</Table.Th>
                  <Table.Th ta="right">Cost live</Table.Th>
                  <Table.Th ta="right">Cost scenario</Table.Th>
                  <Table.Th ta="right">Change</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {ruleIds.map((ruleId) => {
                  const a = live.byRule.find((row) => row.ruleId === ruleId)
                  const b = scenario.byRule.find((row) => row.ruleId === ruleId)
                  const change = (b?.cost ?? 0) - (a?.cost ?? 0)
                  return (
                    <Table.Tr key={ruleId}>
                      <Table.Td>
                        <Group gap={6}>
                          <Text size="sm">{ruleId}</Text>
                          <Badge size="xs" variant="light">
                            {(b ?? a)!.currency}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(a?.issued ?? 0)}</Table.Td>
                      <Table.Td ta="right">{formatCount(b?.issued ?? 0)}</Table.Td>
                      <Table.Td ta="right">{formatCount(a?.blocked ?? 0)}</Table.Td>
                      <Table.Td ta="right">{formatCount(b?.blocked ?? 0)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(a?.cost ?? 0, money)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(b?.cost ?? 0, money)}</Table.Td>
                      <Table.Td ta="right" c={change > 0 ? 'red' : change < 0 ? 'teal' : undefined} style={{ whiteSpace: 'nowrap' }}>
                        {change === 0 ? '—' : signedMoney(change, money)}
                      </Table.Td>
                    </Table.Tr>
                  )
                })}
              </Table.Tbody>
            </Table>
          </Tabs.Panel>
          <Tabs.Panel value="segments" pt="sm">
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Segment</Table.Th>
                  <Table.Th ta="right">Players live</Table.Th>
                  <Table.Th ta="right">Players scenario</Table.Th>
                  <Table.Th ta="right">Rewards live</Table.Th>
                  <Table.Th ta="right">Rewards scenario</Table.Th>
                  <Table.Th ta="right">Cost live</Table.Th>
                  <Table.Th ta="right">Cost scenario</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {segmentOrder.map((segment, s) => (
                  <Table.Tr key={segment}>
                    <Table.Td>
                      <SegmentBadge segment={segment} />
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(live.segments[segment])}</Table.Td>
                    <Table.Td ta="right">{formatCount(scenario.segments[segment])}</Table.Td>
                    <Table.Td ta="right">{formatCount(live.bySegment[s]!.issued)}</Table.Td>
                    <Table.Td ta="right">{formatCount(scenario.bySegment[s]!.issued)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(live.bySegment[s]!.cost, money)}</Table.Td>
                    <Table.Td ta="right">{formatMoney(scenario.bySegment[s]!.cost, money)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Tabs.Panel>
          <Tabs.Panel value="gained" pt="sm">
            <EligibilityTable list={comparison.newlyEligible} money={money} empty="No player gains a reward under this scenario." />
          </Tabs.Panel>
          <Tabs.Panel value="lost" pt="sm">
            <EligibilityTable list={comparison.noLongerEligible} money={money} empty="No player loses a reward under this scenario." />
          </Tabs.Panel>
          <Tabs.Panel value="caps" pt="sm">
            {comparison.exhaustion.length === 0 ? (
              <Text size="sm" c="dimmed">
                No cap or budget ran out, live or under the scenario.
              </Text>
            ) : (
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Cap or budget</Table.Th>
                    <Table.Th ta="right">Reduced live</Table.Th>
                    <Table.Th ta="right">Blocked live</Table.Th>
                    <Table.Th ta="right">Reduced scenario</Table.Th>
                    <Table.Th ta="right">Blocked scenario</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {comparison.exhaustion.map((each) => (
                    <Table.Tr key={`${each.reason}:${each.ruleId ?? ''}`}>
                      <Table.Td>
                        {each.reason.replaceAll('_', ' ')}
                        {each.ruleId ? ` (${each.ruleId})` : ''}
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(each.live.reduced)}</Table.Td>
                      <Table.Td ta="right">{formatCount(each.live.blocked)}</Table.Td>
                      <Table.Td ta="right">{formatCount(each.scenario.reduced)}</Table.Td>
                      <Table.Td ta="right">{formatCount(each.scenario.blocked)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Tabs.Panel>
          <Tabs.Panel value="changes" pt="sm">
            {comparison.changes.length === 0 ? (
              <Text size="sm" c="dimmed">
                The scenario is the live configuration: nothing changes.
              </Text>
            ) : (
              <Stack gap={4} component="ul" data-testid="changes-list">
                {comparison.changes.map((change) => (
                  <Text size="sm" component="li" key={describeChange(change)}>
                    {describeChange(change)}
                  </Text>
                ))}
              </Stack>
            )}
          </Tabs.Panel>
        </Tabs>
      </Card>
    </Stack>
  )
}

/** The whole comparison as an Excel workbook: every view, every newly / no longer eligible player. */
function ExportButton() {
  const exported = useSimulationStore((state) => state.exported)
  const exportWorkbook = useSimulationStore((state) => state.exportWorkbook)
  return (
    <Stack gap={4} align="flex-end" maw={420} style={{ flexShrink: 0 }}>
      <Button variant="default" onClick={() => void exportWorkbook()} loading={exported?.running}>
        Export workbook
      </Button>
      {exported?.path ? (
        <Text size="xs" c="dimmed" ta="right" style={{ wordBreak: 'break-all' }} data-testid="simulation-exported">
          Written to {exported.path}
          {exported.download ? (
            <>
              {' · '}
              <Anchor href={exported.download} size="xs">
                Download
              </Anchor>
            </>
          ) : null}
        </Text>
      ) : null}
      {exported?.error ? (
        <Text size="xs" c="red">
          {exported.error}
        </Text>
      ) : null}
    </Stack>
  )
}

function EligibilityTable({ list, money, empty }: { list: { total: number; players: EligibilityChange[] }; money: MoneySettings; empty: string }) {
  if (list.total === 0) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    )
  }
  return (
    <Stack gap="xs">
      {list.total > list.players.length ? (
        <Text size="xs" c="dimmed">
          The first {formatCount(list.players.length)} of {formatCount(list.total)}; the workbook (loyalty simulate --out) lists all.
        </Text>
      ) : null}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Player</Table.Th>
            <Table.Th>Segment</Table.Th>
            <Table.Th>Rewarded by</Table.Th>
            <Table.Th ta="right">Expected cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.players.map((each) => (
            <Table.Tr key={each.playerId}>
              <Table.Td>{each.playerId}</Table.Td>
              <Table.Td>
                <SegmentBadge segment={each.segment} />
              </Table.Td>
              <Table.Td>{each.rules.join(', ')}</Table.Td>
              <Table.Td ta="right">{formatMoney(each.cost, money)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  )
}
