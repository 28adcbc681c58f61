// The sections of the Settings form. Each edits its part of the draft through `edit(path, value)`.
import { ActionIcon, Button, Card, Group, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { segmentNameList } from '../../../../shared/engine-settings'
import type { SettingsDraft } from './draft'
import { NumberField, OptionalNumberField, PercentField } from './fields'
import type { FieldErrors } from './validation'

export interface SectionProps {
  draft: SettingsDraft
  errors: FieldErrors
  edit: (path: string[], value: unknown) => void
}

const rewardCurrencies = ['BONUS', 'RP', 'LP', 'TICKETS'] as const

export function Section({ title, description, children, testId }: { title: string; description: string; children: ReactNode; testId?: string }) {
  return (
    <Card withBorder data-testid={testId}>
      <Stack gap="sm">
        <div>
          <Title order={4}>{title}</Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        {children}
      </Stack>
    </Card>
  )
}

export function CurrencySection({ draft, errors, edit }: SectionProps) {
  return (
    <Section title="Currency" description="The money of rewards, caps and reports. Amounts are stored as whole minor units (cents).">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Currency code"
          description="ISO 4217, e.g. EUR, GBP, USD"
          value={draft.currency.code}
          maxLength={3}
          onChange={(event) => edit(['currency', 'code'], event.currentTarget.value.toUpperCase())}
          error={errors['currency.code']}
        />
        <NumberField
          label="Minor unit digits"
          description="2 for cents; 0 for currencies without minor units"
          min={0}
          max={4}
          allowDecimal={false}
          value={draft.currency.minorDigits}
          onChange={(value) => edit(['currency', 'minorDigits'], value)}
          error={errors['currency.minorDigits']}
        />
      </SimpleGrid>
    </Section>
  )
}

export function HouseEdgeSection({ draft, errors, edit }: SectionProps) {
  const [newType, setNewType] = useState('')
  const types = Object.keys(draft.houseEdges).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)))
  const trimmed = newType.trim().toLowerCase()
  const duplicate = trimmed !== '' && Object.hasOwn(draft.houseEdges, trimmed)
  return (
    <Section title="House edges" description="Expected margin per game type: a bonus wagered on a game with a higher edge costs the operator less. “default” applies to any other game type.">
      {errors.houseEdges ? (
        <Text c="red" size="sm" role="alert">
          {errors.houseEdges}
        </Text>
      ) : null}
      <Table withRowBorders={false} verticalSpacing={4} data-testid="house-edges">
        <Table.Tbody>
          {types.map((type) => (
            <Table.Tr key={type}>
              <Table.Td w={180}>
                <Text size="sm" fw={type === 'default' ? 600 : 400}>
                  {type}
                </Text>
              </Table.Td>
              <Table.Td>
                <PercentField
                  aria-label={`House edge ${type}`}
                  min={0}
                  max={100}
                  w={160}
                  value={draft.houseEdges[type]}
                  onChange={(value) => edit(['houseEdges', type], value)}
                  error={errors[`houseEdges.${type}`]}
                />
              </Table.Td>
              <Table.Td w={40}>
                {type === 'default' ? null : (
                  <Tooltip label={`Remove ${type}`}>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${type}`} onClick={() => edit(['houseEdges', type], undefined)}>
                      ✕
                    </ActionIcon>
                  </Tooltip>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-start">
        <TextInput
          aria-label="New game type"
          placeholder="New game type, e.g. keno"
          value={newType}
          onChange={(event) => setNewType(event.currentTarget.value)}
          error={duplicate ? 'This game type is already listed.' : undefined}
          w={220}
        />
        <Button
          variant="light"
          disabled={trimmed === '' || duplicate}
          onClick={() => {
            edit(['houseEdges', trimmed], draft.houseEdges.default ?? 0.03)
            setNewType('')
          }}
        >
          Add game type
        </Button>
      </Group>
    </Section>
  )
}

export function SafetySection({ draft, errors, edit }: SectionProps) {
  return (
    <Section title="Profit safety" description="A reward is issued only if its expected cost is at most this share of the player's expected future margin.">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <PercentField
          label="Safety factor"
          description="Share of the expected margin a reward may cost"
          min={0}
          max={100}
          value={draft.safetyFactor}
          onChange={(value) => edit(['safetyFactor'], value)}
          error={errors.safetyFactor}
        />
        <NumberField
          label="Margin horizon (days)"
          description="Days of future play the expected margin counts"
          min={1}
          max={365}
          allowDecimal={false}
          value={draft.marginHorizonDays}
          onChange={(value) => edit(['marginHorizonDays'], value)}
          error={errors.marginHorizonDays}
        />
      </SimpleGrid>
    </Section>
  )
}

const capRows = [
  { key: 'perPlayerDay', label: 'Per player, per day' },
  { key: 'perPlayerWeek', label: 'Per player, per week' },
  { key: 'perPlayerMonth', label: 'Per player, per month' },
  { key: 'globalDay', label: 'Whole base, per day (budget)' },
] as const

export function CapsSection({ draft, errors, edit }: SectionProps) {
  return (
    <Section title="Caps and budgets" description={`Most a player (or the whole base) may receive. BONUS in ${draft.currency.code || 'the currency'}, points and tickets whole. Empty = no cap.`}>
      <Table.ScrollContainer minWidth={640}>
        <Table withRowBorders={false} verticalSpacing={4} data-testid="caps">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {rewardCurrencies.map((currency) => (
                <Table.Th key={currency}>{currency}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {capRows.map((row) => (
              <Table.Tr key={row.key}>
                <Table.Td>
                  <Text size="sm">{row.label}</Text>
                </Table.Td>
                {rewardCurrencies.map((currency) => (
                  <Table.Td key={currency}>
                    <OptionalNumberField
                      aria-label={`${row.label} cap ${currency}`}
                      placeholder="no cap"
                      min={0}
                      thousandSeparator=","
                      decimalScale={currency === 'BONUS' ? draft.currency.minorDigits : 0}
                      value={draft.caps[row.key][currency]}
                      onChange={(value) => edit(['caps', row.key, currency], value)}
                      error={errors[`caps.${row.key}.${currency}`]}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Section>
  )
}

export function RetentionSection({ draft, errors, edit }: SectionProps) {
  return (
    <Section title="Retention multipliers" description="How much longer a player is expected to keep playing, by segment and by the kind of reward (1 = no change). They scale the expected future margin.">
      <SimpleGrid cols={{ base: 2, sm: 5 }}>
        {segmentNameList.map((segment) => (
          <NumberField
            key={segment}
            label={segment}
            min={0}
            max={10}
            step={0.05}
            decimalScale={3}
            value={draft.retention.bySegment[segment]}
            onChange={(value) => edit(['retention', 'bySegment', segment], value)}
            error={errors[`retention.bySegment.${segment}`]}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {rewardCurrencies.map((currency) => (
          <NumberField
            key={currency}
            label={`${currency} rewards`}
            min={0}
            max={10}
            step={0.05}
            decimalScale={3}
            value={draft.retention.byCurrency[currency]}
            onChange={(value) => edit(['retention', 'byCurrency', currency], value)}
            error={errors[`retention.byCurrency.${currency}`]}
          />
        ))}
      </SimpleGrid>
    </Section>
  )
}

export function ExpirySection({ draft, errors, edit }: SectionProps) {
  return (
    <Section title="Points expiry" description="Points still held this many days after they were credited expire, oldest first, when expiry runs. Empty = never expire.">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {(['LP', 'RP'] as const).map((currency) => (
          <OptionalNumberField
            key={currency}
            label={currency === 'LP' ? 'Loyalty points (LP) expire after days' : 'Reward points (RP) expire after days'}
            placeholder="never"
            min={1}
            max={36_500}
            allowDecimal={false}
            value={draft.pointsExpiry[currency]?.afterDays}
            onChange={(value) => edit(['pointsExpiry', currency], value === undefined ? undefined : { afterDays: value })}
            error={errors[`pointsExpiry.${currency}.afterDays`] ?? errors[`pointsExpiry.${currency}`]}
          />
        ))}
      </SimpleGrid>
    </Section>
  )
}
