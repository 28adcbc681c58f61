// The rule list: status, current version and what the last run did (issued, reduced, blocked,
// the amount and its expected cost).
import { Anchor, Button, Card, Group, Switch, Table, Text } from '@mantine/core'
import { useState } from 'react'
import { useApiQuery } from '../../api/use-query'
import { EmptyState, ErrorState, LoadingState } from '../../components/states'
import { formatAmount, formatCount, formatMoney } from '../../format'
import { useNavigation } from '../../stores/navigation'
import { StatusBadge } from './StatusBadge'

export function RuleList() {
  const go = useNavigation((state) => state.go)
  const [includeArchived, setIncludeArchived] = useState(false)
  const query = useApiQuery('rules/list', { includeArchived })
  const newRule = <Button onClick={() => go('rules', 'new')}>New rule</Button>
  if (query.error) return <ErrorState error={query.error} onRetry={query.reload} />
  if (!query.data) return <LoadingState rows={8} />
  const { rules, money } = query.data
  if (rules.length === 0 && !includeArchived) {
    return (
      <EmptyState title="No reward rules yet" action={newRule}>
        Reward rules decide who gets which reward. Each rule is checked against profit safety and caps before anything is issued. Processing a file installs the default
        rule set; or write your own.
      </EmptyState>
    )
  }
  return (
    <>
      <Group justify="space-between">
        <Switch label="Show archived rules" checked={includeArchived} onChange={(event) => setIncludeArchived(event.currentTarget.checked)} />
        {newRule}
      </Group>
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover fz="sm" data-testid="rules-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Rule</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Version</Table.Th>
                <Table.Th>Reward</Table.Th>
                <Table.Th ta="right">Issued</Table.Th>
                <Table.Th ta="right">Reduced</Table.Th>
                <Table.Th ta="right">Blocked</Table.Th>
                <Table.Th ta="right">Amount (last run)</Table.Th>
                <Table.Th ta="right">Expected cost</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((rule) => (
                <Table.Tr key={rule.ruleId}>
                  <Table.Td>
                    <Anchor
                      href={`#/rules/${encodeURIComponent(rule.ruleId)}`}
                      onClick={(event) => {
                        event.preventDefault()
                        go('rules', rule.ruleId)
                      }}
                    >
                      {rule.ruleId}
                    </Anchor>
                    {rule.name ? (
                      <Text size="xs" c="dimmed">
                        {rule.name}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={rule.status} />
                  </Table.Td>
                  <Table.Td ta="right">v{rule.version}</Table.Td>
                  <Table.Td>{rule.currency}</Table.Td>
                  {rule.lastRun ? (
                    <>
                      <Table.Td ta="right">{formatCount(rule.lastRun.issued)}</Table.Td>
                      <Table.Td ta="right">{formatCount(rule.lastRun.reduced)}</Table.Td>
                      <Table.Td ta="right">{formatCount(rule.lastRun.blocked)}</Table.Td>
                      <Table.Td ta="right">{formatAmount(rule.lastRun.amount, rule.currency, money)}</Table.Td>
                      <Table.Td ta="right">{formatMoney(rule.lastRun.cost, money)}</Table.Td>
                    </>
                  ) : (
                    <Table.Td colSpan={5} ta="right" c="dimmed">
                      not run yet
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Text size="xs" c="dimmed">
        Last run: the newest processing that decided anything for the rule. Expected cost is what the issued rewards are expected to cost the operator (a bonus with a wagering
        requirement costs less than its face value).
      </Text>
    </>
  )
}
