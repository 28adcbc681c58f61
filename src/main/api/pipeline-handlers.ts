// Import, process and the read models they feed (players, decisions).
import type { CurrencyCode, DecisionListRow, PlayerListRow, SegmentCode } from '../../shared/api/types'
import { resolve } from 'node:path'
import { loadEngineSettings } from '../jobs/engine-settings'
import { exportQuarantine } from '../jobs/quarantine-export'
import { jobBodies, type JobInput, type JobName, type JobResult } from '../jobs/job-bodies'
import type { HandlerContext, HandlerGroup } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

const currencyCodes: readonly CurrencyCode[] = ['LP', 'RP', 'BONUS', 'TICKETS']

export function pipelineHandlers(services: Services) {
  const { database } = services
  // In a worker thread when the host provides one (desktop, web), else here (CLI, tests).
  const runJob = <K extends JobName>(job: K, input: JobInput<K>, context: HandlerContext): Promise<JobResult<K>> => {
    const jobContext = { signal: context.signal, progress: context.progress, actor: operatorName() }
    if (services.jobs) return services.jobs.run(job, input, jobContext)
    return (jobBodies[job] as (db: typeof database, input: JobInput<K>, context: typeof jobContext) => Promise<JobResult<K>>)(database, input, jobContext)
  }
  return {
    'import/files': (input, context) => runJob('import/files', input, context),
    'process/run': (input, context) => runJob('process/run', input, context),
    'import/quarantine-export': ({ importId, path, overwrite }, context) =>
      exportQuarantine(database, { importId, path: resolve(path), overwrite, minorDigits: loadEngineSettings(database).currency.minorDigits, signal: context.signal }),
    'players/list': ({ segment, search, limit, offset }) => {
      const where: string[] = ['p.deleted_at IS NULL']
      const parameters: unknown[] = []
      if (segment) {
        where.push('p.segment = ?')
        parameters.push(segment)
      }
      if (search) {
        where.push("p.external_id LIKE ? ESCAPE '\\'")
        parameters.push(`${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`)
      }
      const clause = where.join(' AND ')
      const total = (database.readRaw(`SELECT count(*) AS n FROM players p WHERE ${clause}`).get(...parameters) as { n: number }).n
      const rows = database
        .readRaw(
          `SELECT p.id, p.external_id AS playerId, p.segment, t.code AS tier, p.risk_score AS riskScore, p.abuse_score AS abuseScore FROM players p ` +
            `LEFT JOIN tiers t ON t.id = p.tier_id WHERE ${clause} ORDER BY p.external_id LIMIT ? OFFSET ?`,
        )
        .all(...parameters, limit, offset) as { id: number; playerId: string; segment: SegmentCode | null; tier: string | null; riskScore: number | null; abuseScore: number | null }[]
      const balanceOf = database.readRaw('SELECT currency, balance FROM ledger_accounts WHERE player_id = ?')
      const players: PlayerListRow[] = rows.map((row) => {
        const balances = Object.fromEntries(currencyCodes.map((code) => [code, 0])) as Record<CurrencyCode, number>
        for (const account of balanceOf.all(row.id) as { currency: CurrencyCode; balance: number }[]) balances[account.currency] = account.balance
        return { player_id: row.playerId, segment: row.segment, tier: row.tier, risk_score: row.riskScore, abuse_score: row.abuseScore, balances }
      })
      return { total, players }
    },
    'decisions/list': ({ playerId, ruleId, limit, offset }) => {
      const where: string[] = []
      const parameters: unknown[] = []
      if (playerId) {
        where.push('p.external_id = ?')
        parameters.push(playerId)
      }
      if (ruleId) {
        where.push('r.code = ?')
        parameters.push(ruleId)
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const from =
        'FROM reward_decisions d JOIN players p ON p.id = d.player_id JOIN reward_rule_versions v ON v.id = d.rule_version_id ' +
        `JOIN reward_rules r ON r.id = v.rule_id JOIN evaluations e ON e.id = d.evaluation_id ${clause}`
      const total = (database.readRaw(`SELECT count(*) AS n ${from}`).get(...parameters) as { n: number }).n
      const decisions = database
        .readRaw(
          `SELECT p.external_id AS player_id, r.code AS rule_id, v.version AS rule_version, d.outcome, d.amount, d.currency, d.reason, e.as_of ${from} ` +
            'ORDER BY p.external_id, r.code, d.id LIMIT ? OFFSET ?',
        )
        .all(...parameters, limit, offset) as DecisionListRow[]
      return { total, decisions }
    },
  } satisfies HandlerGroup
}
