import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import {
  parseTimestamp,
  summariseActivity,
  wageringWindowDays,
  type ActivityEvent,
  type ActivityEventType,
} from '../../../src/main/engine/activity'

let sequence = 0
function event(playerId: string, timestamp: string, type: ActivityEventType, amount?: number, extra: Partial<ActivityEvent> = {}): ActivityEvent {
  sequence += 1
  return { eventId: `e${sequence}`, playerId, timestamp, type, ...(amount === undefined ? {} : { amount }), ...extra }
}

function only(events: ActivityEvent[], playerId = 'P1') {
  const result = summariseActivity(events)
  const summary = result.summaries.get(playerId)
  if (!summary) throw new Error(`no summary for ${playerId}`)
  return summary
}

describe('summariseActivity: betting totals, game mix, volatility', () => {
  it('adds up bets per game and computes the daily volatility by hand', () => {
    const summary = only([
      // Day 1: bets 100 + 300, win 200 → net −200, bets 400
      event('P1', '2026-03-01T09:00:00Z', 'bet', 100, { gameType: 'slots', ip: '10.0.0.2', deviceId: 'phone' }),
      event('P1', '2026-03-01T09:05:00Z', 'bet', 300, { gameType: 'slots', ip: '10.0.0.1' }),
      event('P1', '2026-03-01T09:06:00Z', 'win', 200, { gameType: 'slots', ip: '10.0.0.2' }),
      // Day 2: bet 200 with no game type, win 600 → net +400, bets 200
      event('P1', '2026-03-02T20:00:00Z', 'bet', 200, { deviceId: 'laptop' }),
      event('P1', '2026-03-02T21:00:00Z', 'win', 600),
      // A deposit on day 3 is activity but not play: it is no "active day" for volatility
      event('P1', '2026-03-03T08:00:00Z', 'deposit', 5000, { ip: '10.0.0.1' }),
    ])
    expect(summary.betCount).toBe(3)
    expect(summary.betTotal).toBe(600)
    expect(summary.wagerByGame).toEqual({ slots: 400, unknown: 200 })
    // daily nets −200 and +400: mean 100, population sd 300; mean daily bets 600 / 2 = 300 → 1
    expect(summary.volatility).toBeCloseTo(1, 12)
    expect(summary.lastEventDate).toBe('2026-03-03')
    expect(summary.ips).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(summary.devices).toEqual(['laptop', 'phone'])
    expect(summary.betsWhileWagering).toBe(0)
    expect(summary.minBetShareWhileWagering).toBeUndefined()
    expect(summary.depositsAfterFirstBonus).toBeUndefined()
    expect(summary.hoursFromBonusToWithdrawal).toBeUndefined()
  })

  it('leaves volatility undefined with a single active day or no wagering', () => {
    const oneDay = only([event('P1', '2026-03-01T09:00:00Z', 'bet', 100), event('P1', '2026-03-01T23:59:59Z', 'win', 50)])
    expect(oneDay.volatility).toBeUndefined()
    const winsOnly = only([event('P1', '2026-03-01T09:00:00Z', 'win', 100), event('P1', '2026-03-02T09:00:00Z', 'win', 50)])
    expect(winsOnly.volatility).toBeUndefined()
    expect(winsOnly.betCount).toBe(0)
  })

  it('splits days in UTC, converting offsets', () => {
    // 01:30 at +02:00 is 23:30 UTC the day before
    const summary = only([event('P1', '2026-03-01T01:30:00+02:00', 'bet', 100)])
    expect(summary.lastEventDate).toBe('2026-02-28')
  })
})

describe('summariseActivity: bonus behaviour', () => {
  it('finds the shortest gap from a bonus credit to the first withdrawal after it', () => {
    const summary = only([
      event('P1', '2026-03-01T08:00:00Z', 'withdrawal', 1000), // before any bonus: ignored
      event('P1', '2026-03-01T10:00:00Z', 'bonus_credit', 500),
      event('P1', '2026-03-01T13:30:00Z', 'withdrawal', 1000), // 3.5 h after the first bonus
      event('P1', '2026-03-01T20:00:00Z', 'withdrawal', 1000), // not the first withdrawal after it
      event('P1', '2026-03-05T00:00:00Z', 'bonus_credit', 500),
      event('P1', '2026-03-05T05:00:00Z', 'withdrawal', 1000), // 5 h
    ])
    expect(summary.hoursFromBonusToWithdrawal).toBe(3.5)
  })

  it('counts bets after a bonus and within the wagering window, and the share at the minimum bet', () => {
    expect(wageringWindowDays).toBe(7)
    const summary = only([
      event('P1', '2026-03-01T09:00:00Z', 'bet', 10), // the smallest bet, before the bonus
      event('P1', '2026-03-01T10:00:00Z', 'bet', 10), // the same instant as the bonus: not after it
      event('P1', '2026-03-01T10:00:00Z', 'bonus_credit', 1000),
      event('P1', '2026-03-01T11:00:00Z', 'bet', 11), // within 1 minor unit of the minimum
      event('P1', '2026-03-04T10:00:00Z', 'bet', 50),
      event('P1', '2026-03-08T10:00:00Z', 'bet', 10), // exactly 7 days after: still wagering
      event('P1', '2026-03-08T10:01:00Z', 'bet', 10), // 7 days and a minute: no longer
    ])
    expect(summary.betCount).toBe(6)
    expect(summary.betsWhileWagering).toBe(3)
    expect(summary.minBetShareWhileWagering).toBeCloseTo(2 / 3, 12)
  })

  it('sums deposits strictly after the first bonus credit', () => {
    const summary = only([
      event('P1', '2026-03-01T09:00:00Z', 'deposit', 1000),
      event('P1', '2026-03-01T10:00:00Z', 'deposit', 500), // same instant as the bonus: not after it
      event('P1', '2026-03-01T10:00:00Z', 'bonus_credit', 2000),
      event('P1', '2026-03-02T10:00:00Z', 'deposit', 250),
      event('P1', '2026-03-03T10:00:00Z', 'bonus_credit', 2000),
      event('P1', '2026-03-04T10:00:00Z', 'deposit', 125),
    ])
    expect(summary.depositsAfterFirstBonus).toBe(375)
  })

  it('reports 0 for bonus-only play and undefined for a player who never had a bonus', () => {
    const { summaries } = summariseActivity([
      event('BONUS', '2026-03-01T09:00:00Z', 'deposit', 1000),
      event('BONUS', '2026-03-01T10:00:00Z', 'bonus_credit', 2000),
      event('BONUS', '2026-03-01T11:00:00Z', 'bet', 100),
      event('PLAIN', '2026-03-01T09:00:00Z', 'deposit', 1000),
    ])
    expect(summaries.get('BONUS')!.depositsAfterFirstBonus).toBe(0)
    expect(summaries.get('PLAIN')!.depositsAfterFirstBonus).toBeUndefined()
  })
})

describe('summariseActivity: messy input', () => {
  it('counts each event id once', () => {
    const bet = event('P1', '2026-03-01T09:00:00Z', 'bet', 100)
    const result = summariseActivity([bet, { ...bet }, event('P1', '2026-03-01T09:01:00Z', 'bet', 40), { ...bet }])
    expect(result.summaries.get('P1')!.betCount).toBe(2)
    expect(result.summaries.get('P1')!.betTotal).toBe(140)
    expect(result.duplicates).toBe(2)
    expect(result.skipped).toEqual([])
  })

  it('deduplicates at volume (many ids, many re-sent events)', () => {
    const events: ActivityEvent[] = []
    for (let index = 0; index < 60_000; index += 1) {
      const day = String(1 + (index % 28)).padStart(2, '0')
      events.push({ eventId: `bet-${index}`, playerId: `P${index % 500}`, timestamp: `2026-02-${day}T12:00:00Z`, type: 'bet', amount: 100 })
    }
    // every third event is sent again, some of them twice
    for (let index = 0; index < 60_000; index += 3) events.push({ ...events[index]! })
    for (let index = 0; index < 60_000; index += 9) events.push({ ...events[index]! })
    const result = summariseActivity(events)
    expect(result.duplicates).toBe(20_000 + 6_667)
    expect(result.summaries.size).toBe(500)
    let bets = 0
    for (const summary of result.summaries.values()) bets += summary.betCount
    expect(bets).toBe(60_000)
    expect(result.summaries.get('P7')!.betTotal).toBe(120 * 100)
  })

  it('skips and reports an event with a bad timestamp without losing the others', () => {
    const events = [
      event('P1', '2026-03-01T09:00:00Z', 'bet', 100),
      { ...event('P1', 'yesterday', 'bet', 999), eventId: 'bad-text' },
      { ...event('P1', '2026-02-30T09:00:00Z', 'bet', 999), eventId: 'bad-day' },
      { ...event('P1', '2026-03-01T24:00:00Z', 'bet', 999), eventId: 'bad-hour' },
      event('P1', '2026-03-02T09:00:00Z', 'win', 300),
    ]
    const result = summariseActivity(events)
    expect(result.skipped.map((each) => [each.index, each.eventId])).toEqual([
      [1, 'bad-text'],
      [2, 'bad-day'],
      [3, 'bad-hour'],
    ])
    for (const each of result.skipped) expect(each.reason).toMatch(/timestamp/)
    const summary = result.summaries.get('P1')!
    expect(summary.betCount).toBe(1)
    expect(summary.betTotal).toBe(100)
    expect(summary.lastEventDate).toBe('2026-03-02')
  })

  it('skips events with an unknown type or an unusable amount, with the reason', () => {
    const result = summariseActivity([
      { eventId: 'x1', playerId: 'P1', timestamp: '2026-03-01T09:00:00Z', type: 'refund' as ActivityEventType, amount: 5 },
      { eventId: 'x2', playerId: 'P1', timestamp: '2026-03-01T09:00:00Z', type: 'bet', amount: -5 },
      { eventId: 'x3', playerId: 'P1', timestamp: '2026-03-01T09:00:00Z', type: 'bet' },
      { eventId: 'x4', playerId: 'P1', timestamp: '2026-03-01T09:00:00Z', type: 'deposit', amount: 12.5 },
      { eventId: 'x5', playerId: 'P1', timestamp: '2026-03-01T09:00:00Z', type: 'session_start' },
    ])
    expect(result.skipped.map((each) => each.eventId)).toEqual(['x1', 'x2', 'x3', 'x4'])
    expect(result.skipped[0]!.reason).toMatch(/unknown event type/)
    expect(result.skipped[2]!.reason).toMatch(/needs an amount/)
    expect(result.summaries.get('P1')!.betCount).toBe(0)
    expect(result.summaries.get('P1')!.lastEventDate).toBe('2026-03-01')
  })

  it('gives the same summaries whatever the order of the events (and with duplicates mixed in)', () => {
    const events = [
      event('A', '2026-03-01T09:00:00Z', 'deposit', 1000, { ip: '1.1.1.1' }),
      event('A', '2026-03-01T10:00:00Z', 'bonus_credit', 500),
      event('A', '2026-03-01T10:00:00Z', 'bet', 20, { gameType: 'slots' }),
      event('A', '2026-03-01T11:00:00Z', 'bet', 20, { gameType: 'roulette', deviceId: 'd1' }),
      event('A', '2026-03-02T11:00:00Z', 'win', 90),
      event('A', '2026-03-02T12:00:00Z', 'withdrawal', 90),
      event('A', '2026-03-03T12:00:00Z', 'bet', 25, { gameType: 'slots', ip: '2.2.2.2' }),
      event('B', '2026-03-01T12:00:00Z', 'bet', 5),
      event('B', '2026-03-05T12:00:00Z', 'win', 50),
      event('B', '2026-03-05T12:00:00Z', 'deposit', 70),
    ]
    const expected = summariseActivity(events)
    expect([...expected.summaries.keys()]).toEqual(['A', 'B'])
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), fc.array(fc.nat(events.length - 1), { maxLength: 5 }), (shuffled, duplicated) => {
        const input = [...shuffled, ...duplicated.map((index) => ({ ...events[index]! }))]
        const actual = summariseActivity(input)
        expect([...actual.summaries.keys()]).toEqual([...expected.summaries.keys()])
        expect(actual.summaries).toEqual(expected.summaries)
        expect(actual.duplicates).toBe(duplicated.length)
      }),
      { numRuns: 200 },
    )
  })
})

describe('parseTimestamp', () => {
  it('reads ISO 8601 in UTC, never in the local time zone', () => {
    expect(parseTimestamp('2026-03-01T10:15:00Z')).toBe(Date.UTC(2026, 2, 1, 10, 15))
    expect(parseTimestamp('2026-03-01T10:15:00')).toBe(Date.UTC(2026, 2, 1, 10, 15))
    expect(parseTimestamp('2026-03-01 10:15')).toBe(Date.UTC(2026, 2, 1, 10, 15))
    expect(parseTimestamp('2026-03-01')).toBe(Date.UTC(2026, 2, 1))
    expect(parseTimestamp('2026-03-01T10:15:00.5Z')).toBe(Date.UTC(2026, 2, 1, 10, 15, 0, 500))
    expect(parseTimestamp('2026-03-01T10:15:00.123456Z')).toBe(Date.UTC(2026, 2, 1, 10, 15, 0, 123))
    expect(parseTimestamp('2026-03-01T10:15:00-05:30')).toBe(Date.UTC(2026, 2, 1, 15, 45))
    expect(parseTimestamp('2026-03-01T10:15:00+0100')).toBe(Date.UTC(2026, 2, 1, 9, 15))
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29))
  })

  it('refuses text that is not a real date-time', () => {
    for (const text of ['', 'yesterday', '2026-3-1', '2025-02-29', '2026-13-01', '2026-03-01T10', '2026-03-01T10:60', '2026-03-01T10:15:00Q', '2026-03-01T10:15:00Zjunk', '2026-03-01T10:15:00.Z']) {
      expect(parseTimestamp(text), text).toBeNaN()
    }
  })

  it('agrees with Date.parse on every UTC instant it prints', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }), (milliseconds) => {
        const text = new Date(milliseconds).toISOString()
        expect(parseTimestamp(text)).toBe(Date.parse(text))
      }),
    )
  })
})
