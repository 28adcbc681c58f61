// Import, process and the read models they feed (players, decisions).
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ApiFailure } from '../../shared/api/result'
import type { CurrencyCode, DecisionListRow, PlayerListRow, SegmentCode } from '../../shared/api/types'
import { importFile } from '../jobs/import-file'
import { loadEngineSettings } from '../jobs/engine-settings'
import { processFiles } from '../jobs/process'
import { resourcesDir } from '../paths'
import type { HandlerGroup } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

/** The rule set installed when `process` runs on a database with no rules yet. */
export function defaultRulesPath(): string {
  return join(resourcesDir(), 'samples', 'rules.json')
}

/** A rule file: a JSON array of rules in the seed's shape. Parse errors name the position. */
export async function readRulesFile(path: string): Promise<unknown[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ApiFailure('not_found', `Cannot read the rules file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ApiFailure('invalid_input', `The rules file ${path} is not valid JSON: ${(error as Error).message}.`)
  }
  if (!Array.isArray(parsed)) throw new ApiFailure('invalid_input', `The rules file ${path} must hold a JSON array of rules, found ${parsed === null ? 'null' : typeof parsed}.`)
  return parsed
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

const currencyCodes: readonly CurrencyCode[] = ['LP', 'RP', 'BONUS', 'TICKETS']

export function pipelineHandlers(services: Services) {
  const { database } = services
  return {
    'import/files': async (input, context) => {
      const settings = loadEngineSettings(database)
      const imports = []
      for (const path of input.paths) {
        imports.push(
          await importFile(database, {
            path: resolve(path),
            asOf: input.asOf,
            defaultAsOf: today(),
            now: new Date().toISOString(),
            minorDigits: settings.currency.minorDigits,
            dateOrder: input.dateOrder ?? 'DMY',
            decimalSeparator: input.decimalSeparator,
            sheet: input.sheet,
            mapping: input.mapping,
            signal: context.signal,
            onProgress: (progress) => context.progress({ done: progress.bytes, total: progress.totalBytes, unit: 'bytes', message: `${progress.rows.toLocaleString('en-US')} rows` }),
          }),
        )
      }
      return { imports }
    },
    'process/run': async (input, context) => {
      const rules = input.rulesPath ? await readRulesFile(resolve(input.rulesPath)) : undefined
      const defaults = defaultRulesPath()
      const defaultRules = existsSync(defaults) ? await readRulesFile(defaults) : undefined
      return processFiles(database, {
        files: input.paths.map((path) => resolve(path)),
        rules,
        defaultRules: defaultRules ? () => defaultRules : undefined,
        asOf: input.asOf,
        defaultAsOf: today(),
        now: new Date().toISOString(),
        actor: operatorName(),
        dryRun: input.dryRun,
        import: { sheet: input.sheet, mapping: input.mapping, dateOrder: input.dateOrder, decimalSeparator: input.decimalSeparator },
        signal: context.signal,
        onProgress: (step, done, total) => context.progress({ done, total, unit: step.startsWith('import') ? 'bytes' : 'steps', message: step }),
      })
    },
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
