// The metrics operators may use in segment conditions, rule conditions and formulas: the name,
// its unit and one line the UI can show. Money metrics are stored in minor units and appear in
// rules and formulas in major units (1240.00), as operators write them.

export type MetricUnit = 'money' | 'count' | 'ratio' | 'days' | 'hours' | 'minutes' | 'score' | 'points'

export interface MetricDescription {
  name: string
  unit: MetricUnit
  description: string
  /** Needs per-transaction activity events; unavailable from a summary sheet alone. */
  needsEvents?: boolean
}

export const metricCatalogue = [
  { name: 'total_deposited', unit: 'money', description: 'Lifetime deposits.' },
  { name: 'total_withdrawn', unit: 'money', description: 'Lifetime withdrawals.' },
  { name: 'total_wagered', unit: 'money', description: 'Lifetime amount wagered (turnover).' },
  { name: 'total_won', unit: 'money', description: 'Lifetime winnings paid to the player.' },
  { name: 'bonus_received', unit: 'money', description: 'Lifetime bonus money credited.' },
  { name: 'net_pnl', unit: 'money', description: "The player's result: total_won − total_wagered (positive = the player is up)." },
  { name: 'net_loss', unit: 'money', description: "What the player has lost: max(0, −net_pnl)." },
  { name: 'ggr', unit: 'money', description: "The operator's gross gaming revenue from the player: total_wagered − total_won." },
  { name: 'hold', unit: 'ratio', description: 'GGR as a share of wagered: ggr / total_wagered.' },
  { name: 'win_loss_ratio', unit: 'ratio', description: 'total_won / total_wagered (above 1 = the player is up).' },
  { name: 'net_deposits', unit: 'money', description: 'total_deposited − total_withdrawn.' },
  { name: 'sessions', unit: 'count', description: 'Number of sessions played.' },
  { name: 'playtime_hours', unit: 'hours', description: 'Total time played.' },
  { name: 'avg_session_minutes', unit: 'minutes', description: 'Average session length: playtime / sessions.' },
  { name: 'avg_wager_per_session', unit: 'money', description: 'total_wagered / sessions.' },
  { name: 'days_since_last_deposit', unit: 'days', description: 'Days from the last deposit to the as-of date.' },
  { name: 'days_since_last_activity', unit: 'days', description: 'Days from the last activity to the as-of date.' },
  { name: 'tenure_days', unit: 'days', description: 'Days from registration to the as-of date.' },
  { name: 'game_diversity', unit: 'count', description: 'Number of distinct game types played.' },
  { name: 'bet_count', unit: 'count', description: 'Number of bets placed.', needsEvents: true },
  { name: 'avg_bet', unit: 'money', description: 'Average bet size.', needsEvents: true },
  { name: 'bet_frequency', unit: 'count', description: 'Bets per session.', needsEvents: true },
  { name: 'volatility', unit: 'ratio', description: 'Standard deviation of daily net results relative to average daily wager.', needsEvents: true },
  { name: 'lp_in_window', unit: 'points', description: 'Loyalty points earned in the tier qualification window.' },
  { name: 'abuse_score', unit: 'score', description: 'Bonus-abuse score 0–100 from the abuse signals.' },
  { name: 'risk_score', unit: 'score', description: 'Operator risk 0–100: how much the player is up, how volatile, how abusive.' },
] as const satisfies readonly MetricDescription[]

export type MetricName = (typeof metricCatalogue)[number]['name']

export const metricNames: readonly MetricName[] = metricCatalogue.map((metric) => metric.name)

/** Names the seed's rule JSON uses for metrics, mapped to ours. */
export const metricAliases: Readonly<Record<string, MetricName>> = {
  session_count: 'sessions',
  deposits: 'total_deposited',
  wagered: 'total_wagered',
  won: 'total_won',
  turnover: 'total_wagered',
  net_result: 'net_pnl',
  days_inactive: 'days_since_last_activity',
}

export function isMetricName(name: string): name is MetricName {
  return (metricNames as readonly string[]).includes(name)
}

export function resolveMetricName(name: string): MetricName | undefined {
  if (isMetricName(name)) return name
  return Object.hasOwn(metricAliases, name) ? metricAliases[name] : undefined
}

export function metricUnit(name: MetricName): MetricUnit {
  return metricCatalogue.find((metric) => metric.name === name)?.unit ?? 'count'
}
