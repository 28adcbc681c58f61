// The rule editor's form ↔ JSON mapping and the version diff: what the operator edits in the form
// must land in the rule JSON the engine validates, and the diff must show exactly what changed.
import { describe, expect, it } from 'vitest'
import { scenarioInputSchema } from '../../../../shared/scenario-schema'
import { closestName, conditionsFromRows, diffLines, rowsFromConditions, scenarioForRule, stableJson, wordAt } from './rule-form'

describe('rule editor form rows', () => {
  it('reads ranges, lists, scalars and suffix keys as rows and writes them back as ranges', () => {
    const rows = rowsFromConditions({ net_loss_min: 100, days_since_last_deposit: { max: 7, gt: 0 }, tier: ['GOLD', 'PLATINUM'], segment: 'LOSING' })
    expect(rows.map(({ metric, operator, value }) => [metric, operator, value])).toEqual([
      ['net_loss', 'min', '100'],
      ['days_since_last_deposit', 'max', '7'],
      ['days_since_last_deposit', 'gt', '0'],
      ['tier', 'in', 'GOLD, PLATINUM'],
      ['segment', 'eq', 'LOSING'],
    ])
    expect(conditionsFromRows(rows)).toEqual({ net_loss: { min: 100 }, days_since_last_deposit: { max: 7, gt: 0 }, tier: ['GOLD', 'PLATINUM'], segment: 'LOSING' })
  })

  it('leaves out rows still being typed and reads thousands separators', () => {
    expect(
      conditionsFromRows([
        { id: 1, metric: '', operator: 'min', value: '5' },
        { id: 2, metric: 'total_wagered', operator: 'gt', value: '100,000' },
        { id: 3, metric: 'sessions', operator: 'eq', value: '12' },
      ]),
    ).toEqual({ total_wagered: { gt: 100_000 }, sessions: { eq: 12 } })
  })

  it('finds the word at the cursor for completion', () => {
    expect(wordAt('min(net_lo', 10)).toEqual({ start: 4, word: 'net_lo' })
    expect(wordAt('net_loss * ', 11)).toEqual({ start: 11, word: '' })
  })
})

describe('version diff', () => {
  it('compares definitions by meaning, not key order, and marks changed lines', () => {
    const before = stableJson({ reward: { type: 'LP', formula: 'net_loss * 0.1' }, rule_id: 'A' })
    const after = stableJson({ rule_id: 'A', reward: { formula: 'net_loss * 0.2', type: 'LP' } })
    const lines = diffLines(before, after)
    expect(lines.filter((line) => line.kind === 'removed').map((line) => line.text.trim())).toEqual(['"formula": "net_loss * 0.1",'])
    expect(lines.filter((line) => line.kind === 'added').map((line) => line.text.trim())).toEqual(['"formula": "net_loss * 0.2",'])
    expect(diffLines(before, before).every((line) => line.kind === 'same')).toBe(true)
  })
})

describe('did you mean', () => {
  it('offers the nearest valid name for a misspelt metric, and nothing for a wild guess', () => {
    const names = ['net_loss', 'net_pnl', 'total_wagered', 'sessions']
    expect(closestName('net_los', names)).toBe('net_loss')
    expect(closestName('Total_Wagerd', names)).toBe('total_wagered')
    expect(closestName('banana_split', names)).toBeUndefined()
  })
})

describe('simulate this change', () => {
  const rule = { rule_id: 'LOSING_PLAYER_CASHBACK', conditions: { segment: 'LOSING', net_loss_min: 100 }, reward: { type: 'BONUS_BALANCE', formula: 'net_loss * 0.15', max_amount: 500 } }

  it('hands a saved rule over as its next version, and a new one as an added rule, in a scenario the Simulation screen accepts', () => {
    const edited = scenarioInputSchema.parse(scenarioForRule(rule, true))
    expect(edited.changes.rules).toEqual({ edit: [expect.objectContaining({ rule_id: 'LOSING_PLAYER_CASHBACK' })], add: [], disable: [] })
    expect(edited.name).toBe('Edited rule LOSING_PLAYER_CASHBACK')
    const added = scenarioInputSchema.parse(scenarioForRule({ ...rule, rule_id: 'NEW_CASHBACK' }, false))
    expect(added.changes.rules).toEqual({ edit: [], add: [expect.objectContaining({ rule_id: 'NEW_CASHBACK' })], disable: [] })
  })
})
