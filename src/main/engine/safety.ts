// Profit safety: a reward is worth issuing only if what it is expected to cost stays below the
// margin the player is expected to bring, times a safety factor. Both are in money minor units.
//
// Expected cost by reward type:
//   BONUS of B with wagering requirement W on games of house edge h: max(0, B − W·B·h) — the
//     player must wager W·B first, and the house expects to keep W·B·h of that;
//   RP: points × value of a point × share of points expected to be redeemed;
//   LP: points × value of a loyalty point (0 by default: they only count toward tiers);
//   TICKETS: tickets × value of a ticket.
// Expected future margin: the player's average daily wager (lifetime wagered / tenure, tenure at
// least 30 days and assumed 365 when unknown) × horizon days × retention multiplier (segment ×
// reward type) × house edge of the player's game mix.
import type { EngineSettings } from '../../shared/engine-settings'
import type { Currency } from '../../shared/money'
import type { PlayerTable } from './player-table'
import type { CompiledRule } from './rules'
import type { Segment } from './segments-types'

export const tenureDaysMin = 30
export const tenureDaysUnknown = 365

/** House edge of a set of game types (their average); unknown types use the default edge. */
export function houseEdgeOf(gameTypes: readonly string[] | undefined, edges: Readonly<Record<string, number>>): number {
  const fallback = edges.default ?? 0
  if (!gameTypes || gameTypes.length === 0) return fallback
  let sum = 0
  for (const game of gameTypes) sum += Object.hasOwn(edges, game) ? edges[game]! : fallback
  return sum / gameTypes.length
}

/** Each player's house edge, weighted by wager per game type when events give the mix. */
export function playerHouseEdges(table: PlayerTable, edges: Readonly<Record<string, number>>, result: Float64Array = new Float64Array(table.count)): Float64Array {
  const fallback = edges.default ?? 0
  table.records.forEach((record, index) => {
    const mix = record.activity?.wagerByGame
    if (mix) {
      let total = 0
      let weighted = 0
      for (const [game, wager] of Object.entries(mix)) {
        total += wager
        weighted += wager * (Object.hasOwn(edges, game) ? edges[game]! : fallback)
      }
      if (total > 0) {
        result[index] = weighted / total
        return
      }
    }
    result[index] = houseEdgeOf(record.gameTypes, edges)
  })
  return result
}

/** Expected cost of one unit (minor unit of bonus money, one point, one ticket), in money minor units. */
export function unitCost(rule: CompiledRule, playerEdge: number, settings: EngineSettings): number {
  const moneyScale = 10 ** settings.currency.minorDigits
  switch (rule.currency) {
    case 'BONUS': {
      const edge = rule.eligibleGames?.length ? houseEdgeOf(rule.eligibleGames, settings.houseEdges) : playerEdge
      return Math.max(0, 1 - rule.wageringRequirement * edge)
    }
    case 'RP':
      return settings.pointValues.rewardPoint * moneyScale * settings.pointValues.rewardPointRedemptionRate
    case 'LP':
      return settings.pointValues.loyaltyPoint * moneyScale
    case 'TICKETS':
      return settings.pointValues.ticket * moneyScale
  }
}

export function retentionMultiplier(segment: Segment, currency: Currency, settings: EngineSettings): number {
  return (settings.retention.bySegment[segment] ?? 1) * (settings.retention.byCurrency[currency] ?? 1)
}

/** Expected future margin before the retention multiplier, per player, minor units, into `result` (zeroed). */
export function baseMargins(table: PlayerTable, houseEdges: Float64Array, settings: EngineSettings, result: Float64Array = new Float64Array(table.count)): Float64Array {
  const wagered = table.column('total_wagered')
  const tenure = table.reader('tenure_days')
  for (let i = 0; i < table.count; i += 1) {
    const w = wagered[i]!
    if (!(w > 0)) continue // no wagering history: no expected margin
    const t = tenure(i)
    const days = t === t ? Math.max(tenureDaysMin, t) : tenureDaysUnknown
    result[i] = (w / days) * settings.marginHorizonDays * houseEdges[i]!
  }
  return result
}
