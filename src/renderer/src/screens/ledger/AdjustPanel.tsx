// Manual adjustment of a player's balance: a mandatory reason and the operator's name go into the
// audit trail, and nothing is posted before the operator confirms what will happen.
import { Alert, Button, Card, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core'
import { useState } from 'react'
import type { AdjustResult } from '../../../../shared/api/types'
import type { ApiError } from '../../../../shared/api/result'
import { api } from '../../api/client'
import { ErrorState } from '../../components/states'
import { formatAmount, type MoneySettings } from '../../format'
import { useLedgerStore } from './ledger-store'

const currencies = ['BONUS', 'RP', 'LP', 'TICKETS'] as const
type Currency = (typeof currencies)[number]
const operatorKey = 'loyalty.operatorName'

interface Form {
  playerId: string
  currency: Currency
  amount: number | ''
  reason: string
  actor: string
}

function problems(form: Form): Partial<Record<keyof Form, string>> {
  const found: Partial<Record<keyof Form, string>> = {}
  if (!form.playerId.trim()) found.playerId = 'Enter the player id.'
  if (form.amount === '' || form.amount === 0) found.amount = 'Enter an amount other than 0 (negative takes away).'
  else if (form.currency !== 'BONUS' && !Number.isInteger(form.amount)) found.amount = `${form.currency} are whole units.`
  if (!form.reason.trim()) found.reason = 'A reason is required: it is kept in the audit trail.'
  if (!form.actor.trim()) found.actor = 'Enter your name for the audit trail.'
  return found
}

export function AdjustPanel({ money }: { money: MoneySettings }) {
  const bump = useLedgerStore((state) => state.bump)
  const [form, setForm] = useState<Form>(() => ({ playerId: '', currency: 'BONUS', amount: '', reason: '', actor: localStorage.getItem(operatorKey) ?? '' }))
  const [touched, setTouched] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [posting, setPosting] = useState(false)
  const [outcome, setOutcome] = useState<{ result: AdjustResult; playerId: string } | { error: ApiError } | undefined>()
  const found = problems(form)
  const shownProblems = touched ? found : {}
  const edit = (change: Partial<Form>) => {
    setForm((current) => ({ ...current, ...change }))
    setOutcome(undefined)
  }
  const units = form.amount === '' ? 0 : form.currency === 'BONUS' ? Math.round(form.amount * 10 ** money.minorDigits) : form.amount
  const described = `${units > 0 ? 'Credit' : 'Debit'} ${formatAmount(Math.abs(units), form.currency, money)} ${units > 0 ? 'to' : 'from'} player ${form.playerId.trim()}`

  const post = async () => {
    setPosting(true)
    localStorage.setItem(operatorKey, form.actor.trim())
    const result = await api.call('ledger/adjust', {
      actionId: `ui-${crypto.randomUUID()}`,
      playerId: form.playerId.trim(),
      currency: form.currency,
      amount: form.amount === '' ? 0 : form.amount,
      reason: form.reason.trim(),
      actor: form.actor.trim(),
    })
    setPosting(false)
    setConfirming(false)
    if (result.error) {
      setOutcome({ error: result.error })
      return
    }
    setOutcome({ result: result.data, playerId: form.playerId.trim() })
    setForm((current) => ({ ...current, amount: '', reason: '' }))
    setTouched(false)
    bump()
  }

  return (
    <Card withBorder data-testid="adjust-panel" h="100%">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Manual adjustment</Text>
          <Text size="sm" c="dimmed">
            Credit or debit a player’s balance outside the rules — a goodwill gesture, a correction. Recorded with its reason and your name.
          </Text>
        </div>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Player id" value={form.playerId} onChange={(event) => edit({ playerId: event.currentTarget.value })} error={shownProblems.playerId} />
          <Select label="Currency" data={[...currencies]} value={form.currency} onChange={(value) => value && edit({ currency: value as Currency })} allowDeselect={false} />
          <NumberInput
            label={form.currency === 'BONUS' ? `Amount (${money.code})` : `Amount (${form.currency})`}
            description="Negative takes away"
            value={form.amount}
            decimalScale={form.currency === 'BONUS' ? money.minorDigits : 0}
            onChange={(value) => edit({ amount: typeof value === 'number' ? value : '' })}
            error={shownProblems.amount}
          />
        </SimpleGrid>
        <Textarea label="Reason" placeholder="e.g. goodwill after the outage on 12 Nov" autosize minRows={2} maxLength={500} value={form.reason} onChange={(event) => edit({ reason: event.currentTarget.value })} error={shownProblems.reason} withAsterisk />
        <Group align="flex-end" justify="space-between">
          <TextInput label="Your name" value={form.actor} onChange={(event) => edit({ actor: event.currentTarget.value })} error={shownProblems.actor} w={240} withAsterisk />
          <Button
            onClick={() => {
              setTouched(true)
              if (Object.keys(found).length === 0) setConfirming(true)
            }}
          >
            Adjust balance…
          </Button>
        </Group>
        {outcome && 'error' in outcome ? <ErrorState error={outcome.error} /> : null}
        {outcome && 'result' in outcome ? (
          <Alert color="teal" title="Adjustment posted" data-testid="adjust-posted">
            Transfer {outcome.result.transferId}: {formatAmount(Math.abs(outcome.result.amount), outcome.result.currency, money)} {outcome.result.amount > 0 ? 'credited to' : 'debited from'} player {outcome.playerId}.
          </Alert>
        ) : null}
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Confirm the adjustment" centered>
        <Stack gap="sm">
          <Text data-testid="adjust-summary">{described}?</Text>
          <Text size="sm" c="dimmed">
            Reason: {form.reason.trim()}
          </Text>
          <Text size="sm" c="dimmed">
            Recorded as done by {form.actor.trim()}. A posted adjustment cannot be deleted; a mistake is corrected by an opposite adjustment.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="orange" loading={posting} onClick={() => void post()}>
              Post adjustment
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  )
}
