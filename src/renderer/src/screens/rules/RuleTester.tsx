// "Test against player": the rule as it stands in the editor (saved or not), evaluated for one
// player by the engine and explained in sentences. Nothing is written.
import { Button, Card, Group, List, Stack, Text, TextInput, Title } from '@mantine/core'
import { useState } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import type { RuleTestResult } from '../../../../shared/api/types-desk'
import { api } from '../../api/client'
import { formatAmount } from '../../format'
import { OutcomeBadge } from '../players/badges'

export function RuleTester({ definition }: { definition: Record<string, unknown> }) {
  const [playerId, setPlayerId] = useState('')
  const [result, setResult] = useState<RuleTestResult | undefined>()
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState(false)

  const run = async () => {
    setBusy(true)
    setError(undefined)
    const reply = await api.call('rules/test', { definition, playerId: playerId.trim() })
    setBusy(false)
    if (reply.error) {
      setResult(undefined)
      setError(reply.error)
    } else setResult(reply.data)
  }

  return (
    <Card withBorder data-testid="rule-tester">
      <Stack gap="sm">
        <Title order={4}>Test against a player</Title>
        <Text size="sm" c="dimmed">
          Runs the rule as it is in the editor — saved or not — for one player, with their current figures. Nothing is issued or recorded.
        </Text>
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Player id"
            placeholder="e.g. 1005516"
            value={playerId}
            onChange={(event) => setPlayerId(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && playerId.trim()) void run()
            }}
            style={{ flex: 1 }}
          />
          <Button onClick={() => void run()} loading={busy} disabled={!playerId.trim()}>
            Test
          </Button>
        </Group>
        {error ? (
          <Text size="sm" c="red" role="alert">
            {error.message.length > 400 ? `${error.message.slice(0, 400)}…` : error.message}
          </Text>
        ) : null}
        {result ? (
          <Stack gap={6} data-testid="rule-test-result">
            <Group gap="xs">
              {result.outcome ? <OutcomeBadge outcome={result.outcome} /> : <Text fw={600}>{result.eligible ? 'Eligible' : 'Not eligible'}</Text>}
              {result.amount !== undefined && result.outcome !== 'blocked' ? <Text fw={600}>{formatAmount(result.amount, result.currency, result.money)}</Text> : null}
              <Text size="xs" c="dimmed">
                figures as of {result.asOf}
              </Text>
            </Group>
            <List size="sm" spacing={2}>
              {result.sentences.map((sentence, index) => (
                <List.Item key={index}>{sentence}</List.Item>
              ))}
            </List>
          </Stack>
        ) : null}
      </Stack>
    </Card>
  )
}
