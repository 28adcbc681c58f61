// One rule: a form for conditions and reward terms with a JSON view kept in sync, the formula
// checked as it is typed, "Test against player", versions with a diff, and activate/pause/archive.
// #/rules/new opens an empty rule; #/rules/<id> a saved one.
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Grid, Group, NumberInput, Select, Stack, Tabs, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import type { ApiError } from '../../../../shared/api/result'
import type { RuleDetailView, RuleProblemView, RuleStatus } from '../../../../shared/api/types-desk'
import { metricNames } from '../../../../shared/metric-catalogue'
import { api } from '../../api/client'
import { useApiQuery } from '../../api/use-query'
import { ErrorState, LoadingState } from '../../components/states'
import { useNavigation } from '../../stores/navigation'
import { FormulaField } from './FormulaField'
import { conditionsFromRows, newRowId, operatorLabels, rowsFromConditions, scenarioForRule, type ConditionOperator, type ConditionRow } from './rule-form'
import { useScenarioDraft } from '../../stores/scenario-draft'
import { RuleTester } from './RuleTester'
import { RuleVersions } from './RuleVersions'
import { StatusBadge } from './StatusBadge'

type Definition = Record<string, unknown>

const newRuleTemplate: Definition = {
  priority: 0,
  conditions: { segment: 'LOSING', net_loss: { min: 100 } },
  reward: { type: 'LP', formula: 'net_loss * 0.10', max_amount: 500 },
  frequency: 'once',
}

const conditionKeys = ['segment', 'tier', ...metricNames].map((name) => ({ value: name, label: name }))
const operatorOptions = (Object.keys(operatorLabels) as ConditionOperator[]).map((operator) => ({ value: operator, label: operatorLabels[operator] }))

export function RuleEditor({ ruleId }: { ruleId?: string }) {
  const go = useNavigation((state) => state.go)
  const back = (
    <Anchor
      href="#/rules"
      size="sm"
      onClick={(event) => {
        event.preventDefault()
        go('rules')
      }}
    >
      ← All rules
    </Anchor>
  )
  return (
    <Stack gap="lg" p="lg" component="section" aria-label={ruleId ? `Rule ${ruleId}` : 'New rule'}>
      {ruleId === undefined ? <EditorBody back={back} initialDefinition={newRuleTemplate} /> : <SavedRule ruleId={ruleId} back={back} />}
    </Stack>
  )
}

function SavedRule({ ruleId, back }: { ruleId: string; back: ReactNode }) {
  const query = useApiQuery('rules/get', { ruleId })
  if (query.error) {
    return (
      <>
        {back}
        <ErrorState error={query.error} onRetry={query.reload} />
      </>
    )
  }
  if (!query.data) return <LoadingState rows={10} />
  return <EditorBody key={`${query.data.currentVersion}:${query.data.status}`} back={back} rule={query.data} reload={query.reload} />
}

function withoutStatus(definition: Definition): Definition {
  const { status: _status, ...rest } = definition
  return rest
}

function EditorBody({ back, rule, reload, initialDefinition }: { back: ReactNode; rule?: RuleDetailView; reload?: () => void; initialDefinition?: Definition }) {
  const go = useNavigation((state) => state.go)
  const setScenarioDraft = useScenarioDraft((state) => state.setDraft)
  const start = rule ? withoutStatus(rule.versions[0]!.definition) : initialDefinition!
  const [draft, setDraft] = useState<Definition>(start)
  const [rows, setRows] = useState<ConditionRow[]>(() => rowsFromConditions(start.conditions))
  const [jsonText, setJsonText] = useState(() => JSON.stringify(start, null, 2))
  const [jsonError, setJsonError] = useState<string | undefined>()
  const [problems, setProblems] = useState<RuleProblemView[]>([])
  const [failure, setFailure] = useState<ApiError | undefined>()
  const [notice, setNotice] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  const reward = (draft.reward ?? {}) as Record<string, unknown>
  const update = (next: Definition) => {
    setDraft(next)
    setJsonText(JSON.stringify(next, null, 2))
    setJsonError(undefined)
    setNotice(undefined)
  }
  const setField = (key: string, value: unknown) => {
    const next = { ...draft }
    if (value === undefined || value === '') delete next[key]
    else next[key] = value
    update(next)
  }
  const setReward = (key: string, value: unknown) => {
    const next = { ...reward }
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[key]
    else next[key] = value
    update({ ...draft, reward: next })
  }
  const setConditionRows = (next: ConditionRow[]) => {
    setRows(next)
    update({ ...draft, conditions: conditionsFromRows(next) })
  }
  const onJson = (text: string) => {
    setJsonText(text)
    setNotice(undefined)
    try {
      const parsed = JSON.parse(text) as unknown
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected one rule: a JSON object { "rule_id": …, "reward": … }')
      setDraft(parsed as Definition)
      setRows(rowsFromConditions((parsed as Definition).conditions))
      setJsonError(undefined)
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error))
    }
  }

  const save = async () => {
    setBusy(true)
    setFailure(undefined)
    setProblems([])
    const reply = await api.call('rules/save', { definition: draft })
    setBusy(false)
    if (reply.error) {
      const details = reply.error.details as { problems?: RuleProblemView[] } | undefined
      if (details?.problems?.length) setProblems(details.problems)
      else setFailure(reply.error)
      return
    }
    const saved = reply.data
    if (!rule) {
      go('rules', saved.ruleId)
      return
    }
    if (saved.created) reload?.()
    else setNotice(`Nothing changed: this is version ${saved.version}.`)
  }
  const setStatus = async (status: Exclude<RuleStatus, 'draft'>) => {
    if (!rule) return
    setBusy(true)
    setFailure(undefined)
    const reply = await api.call('rules/set-status', { ruleId: rule.ruleId, status })
    setBusy(false)
    if (reply.error) setFailure(reply.error)
    else reload?.()
  }

  const formulaProblem = problems.find((problem) => problem.path === 'reward.formula')
  const frequency = typeof draft.frequency === 'string' ? draft.frequency : draft.frequency === undefined ? 'once' : null
  const title = rule ? rule.ruleId : 'New rule'

  return (
    <Stack gap="lg">
      <div>
        {back}
        <Group justify="space-between" align="flex-end" wrap="wrap">
          <Group gap="sm" align="center">
            <Title order={2}>{title}</Title>
            {rule ? <StatusBadge status={rule.status} /> : <Badge variant="outline">unsaved</Badge>}
            {rule ? (
              <Text size="sm" c="dimmed">
                version {rule.currentVersion}
              </Text>
            ) : null}
          </Group>
          <Group gap="xs">
            {rule && rule.status !== 'active' ? (
              <Button variant="light" color="teal" onClick={() => void setStatus('active')} disabled={busy}>
                Activate
              </Button>
            ) : null}
            {rule && rule.status === 'active' ? (
              <Button variant="light" color="yellow" onClick={() => void setStatus('paused')} disabled={busy}>
                Pause
              </Button>
            ) : null}
            {rule && rule.status !== 'archived' ? (
              <Button variant="subtle" color="gray" onClick={() => void setStatus('archived')} disabled={busy}>
                Archive
              </Button>
            ) : null}
            <Button
              variant="default"
              disabled={Boolean(jsonError)}
              onClick={() => {
                setScenarioDraft(scenarioForRule(draft, Boolean(rule)))
                go('simulation')
              }}
            >
              Simulate this change
            </Button>
            <Button onClick={() => void save()} loading={busy} disabled={Boolean(jsonError)}>
              {rule ? 'Save as new version' : 'Save as draft'}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {rule
            ? 'Saving makes a new, immutable version; rewards already issued keep pointing at the version that issued them. Only active rules issue.'
            : 'A new rule is saved as a draft and issues nothing until it is activated.'}
        </Text>
      </div>
      {failure ? <ErrorState error={failure} /> : null}
      {notice ? (
        <Alert color="blue" variant="light">
          {notice}
        </Alert>
      ) : null}
      {problems.length > 0 ? (
        <Alert color="red" title={`The rule was not saved: ${problems.length} problem(s)`} role="alert" data-testid="rule-problems">
          <Stack gap={2}>
            {problems.map((problem, index) => (
              <Text size="sm" key={index}>
                <b>{problem.path}</b>: {problem.message.length > 300 ? `${problem.message.slice(0, 300)}…` : problem.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      ) : null}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder>
            <Tabs defaultValue="form" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="form">Form</Tabs.Tab>
                <Tabs.Tab value="json">JSON</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="form" pt="md">
                <Stack gap="md">
                  <Group grow align="flex-start">
                    <TextInput
                      label="Rule id"
                      description="Letters, digits, _ . -"
                      value={String(draft.rule_id ?? '')}
                      disabled={Boolean(rule)}
                      onChange={(event) => setField('rule_id', event.currentTarget.value)}
                      data-testid="rule-id-input"
                    />
                    <TextInput label="Name" description="Shown to operators" value={String(draft.name ?? '')} onChange={(event) => setField('name', event.currentTarget.value)} />
                  </Group>
                  <Group grow align="flex-start">
                    <NumberInput label="Priority" description="Higher runs first" value={typeof draft.priority === 'number' ? draft.priority : ''} min={0} onChange={(value) => setField('priority', typeof value === 'number' ? value : undefined)} />
                    <Select
                      label="Frequency"
                      description={frequency === null ? 'Custom (edit in JSON)' : 'How often a player can get it'}
                      data={['once', 'daily', 'weekly', 'monthly']}
                      value={frequency}
                      allowDeselect={false}
                      onChange={(value) => setField('frequency', value ?? 'once')}
                    />
                  </Group>
                  <Stack gap={6}>
                    <Text fw={600} size="sm">
                      Conditions (all must hold)
                    </Text>
                    {rows.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        No conditions: every player qualifies.
                      </Text>
                    ) : null}
                    {rows.map((row, index) => (
                      <Group key={row.id} gap="xs" wrap="nowrap" data-testid="condition-row">
                        <Select
                          aria-label={`Condition ${index + 1} metric`}
                          data={conditionKeys}
                          searchable
                          value={row.metric || null}
                          onChange={(value) => setConditionRows(rows.map((each) => (each.id === row.id ? { ...each, metric: value ?? '' } : each)))}
                          w={230}
                          placeholder="metric"
                        />
                        <Select
                          aria-label={`Condition ${index + 1} comparison`}
                          data={operatorOptions}
                          value={row.operator}
                          allowDeselect={false}
                          onChange={(value) => setConditionRows(rows.map((each) => (each.id === row.id ? { ...each, operator: (value ?? 'min') as ConditionOperator } : each)))}
                          w={100}
                        />
                        <TextInput
                          aria-label={`Condition ${index + 1} value`}
                          value={row.value}
                          onChange={(event) => {
                            const value = event.currentTarget.value
                            setConditionRows(rows.map((each) => (each.id === row.id ? { ...each, value } : each)))
                          }}
                          style={{ flex: 1 }}
                          placeholder={row.operator === 'in' ? 'GOLD, PLATINUM' : 'value'}
                        />
                        <ActionIcon variant="subtle" color="gray" aria-label={`Remove condition ${index + 1}`} onClick={() => setConditionRows(rows.filter((each) => each.id !== row.id))}>
                          ✕
                        </ActionIcon>
                      </Group>
                    ))}
                    <Group>
                      <Button size="xs" variant="light" onClick={() => setConditionRows([...rows, { id: newRowId(), metric: '', operator: 'min', value: '' }])}>
                        Add condition
                      </Button>
                    </Group>
                  </Stack>
                  <Text fw={600} size="sm">
                    Reward
                  </Text>
                  <Group grow align="flex-start">
                    <Select
                      label="Type"
                      data={[
                        { value: 'BONUS', label: 'BONUS (money to wager)' },
                        { value: 'LP', label: 'LP (loyalty points)' },
                        { value: 'RP', label: 'RP (reward points)' },
                        { value: 'TICKETS', label: 'TICKETS' },
                      ]}
                      value={typeof reward.type === 'string' ? canonicalType(reward.type) : null}
                      allowDeselect={false}
                      onChange={(value) => setReward('type', value)}
                    />
                    <NumberInput label="Max amount" description="Cap per reward, major units" value={numberOrEmpty(reward.max_amount)} min={0} onChange={(value) => setReward('max_amount', typeof value === 'number' ? value : undefined)} />
                    <NumberInput label="Min amount" description="Raise small rewards to" value={numberOrEmpty(reward.min_amount)} min={0} onChange={(value) => setReward('min_amount', typeof value === 'number' ? value : undefined)} />
                  </Group>
                  <FormulaField
                    value={typeof reward.formula === 'number' ? String(reward.formula) : String(reward.formula ?? '')}
                    onChange={(text) => setReward('formula', text.trim() !== '' && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text)}
                    savedError={formulaProblem}
                  />
                  <Group grow align="flex-start">
                    <NumberInput label="Wagering requirement" description="× the bonus (BONUS only)" value={numberOrEmpty(reward.wagering_requirement)} min={0} onChange={(value) => setReward('wagering_requirement', typeof value === 'number' ? value : undefined)} />
                    <NumberInput label="Expiry (hours)" value={numberOrEmpty(reward.expiry_hours)} min={1} onChange={(value) => setReward('expiry_hours', typeof value === 'number' ? value : undefined)} />
                    <NumberInput label="Max bet" description="While wagering" value={numberOrEmpty(reward.max_bet)} min={0} onChange={(value) => setReward('max_bet', typeof value === 'number' ? value : undefined)} />
                  </Group>
                  <TagsInput
                    label="Eligible games"
                    description="Game types whose bets count toward the wagering requirement"
                    value={Array.isArray(reward.eligible_games) ? (reward.eligible_games as string[]) : []}
                    onChange={(value) => setReward('eligible_games', value)}
                  />
                  <Group grow align="flex-start">
                    <TextInput label="Active from" placeholder="YYYY-MM-DD" value={String(draft.active_from ?? '')} onChange={(event) => setField('active_from', event.currentTarget.value)} />
                    <TextInput label="Active to" placeholder="YYYY-MM-DD" value={String(draft.active_to ?? '')} onChange={(event) => setField('active_to', event.currentTarget.value)} />
                    <TextInput label="Exclusive group" description="One reward per group" value={String(draft.exclusive_group ?? '')} onChange={(event) => setField('exclusive_group', event.currentTarget.value)} />
                  </Group>
                  <Text size="xs" c="dimmed">
                    Budgets and cooldowns are edited in the JSON view.
                  </Text>
                </Stack>
              </Tabs.Panel>
              <Tabs.Panel value="json" pt="md">
                <Textarea
                  aria-label="Rule JSON"
                  value={jsonText}
                  onChange={(event) => onJson(event.currentTarget.value)}
                  autosize
                  minRows={16}
                  maxRows={40}
                  styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
                  error={jsonError ? `Not valid JSON yet: ${jsonError}` : undefined}
                  data-testid="rule-json"
                />
              </Tabs.Panel>
            </Tabs>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <RuleTester definition={draft} />
            {rule ? <RuleVersions rule={rule} onLoad={(definition) => {
              const next = withoutStatus(definition)
              setRows(rowsFromConditions(next.conditions))
              update(next)
            }} /> : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

function numberOrEmpty(value: unknown): number | '' {
  return typeof value === 'number' ? value : ''
}

function canonicalType(type: string): string {
  const key = type.trim().toUpperCase()
  if (key.includes('BONUS') || key === 'CASHBACK') return 'BONUS'
  if (key === 'LOYALTY_POINTS') return 'LP'
  if (key === 'REWARD_POINTS') return 'RP'
  if (key.includes('TICKET')) return 'TICKETS'
  return key
}
