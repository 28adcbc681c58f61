// Handlers for the methods in src/shared/api/domains/desk.ts (Rules, Segments, Tiers, Review).
import { readEngineSettings } from '../ledger/settings-store'
import { checkFormula, getRule, listRules, saveRule, setRuleStatus, testRule } from '../jobs/desk-rules'
import { saveSegments, SegmentPreviewer } from '../jobs/desk-segments'
import { SegmentPreviewThread, segmentPreviewWorkerKind } from '../jobs/segment-preview-thread'
import { saveTierLadder, tierLadderView } from '../jobs/desk-tiers'
import { decideReview, listReview } from '../jobs/desk-review'
import type { HandlerGroup } from './dispatcher'
import { operatorName } from './ledger-handlers'
import type { Services } from './services'

export function deskHandlers(services: Services) {
  const { database } = services
  // The UI hosts keep the loaded base in a thread of its own, so loading it freezes nothing;
  // the CLI and tests keep it here.
  const jobs = services.jobs
  const previewer = jobs?.startThread ? new SegmentPreviewThread(() => jobs.startThread!({ kind: segmentPreviewWorkerKind })) : new SegmentPreviewer(database)
  const now = () => new Date().toISOString()
  const currency = () => readEngineSettings(database).currency
  return {
    'rules/list': async ({ includeArchived }) => {
      const rules = await listRules(database, includeArchived)
      const { code, minorDigits } = currency()
      return { rules, money: { code, minorDigits } }
    },
    'rules/get': ({ ruleId }) => getRule(database, ruleId),
    'rules/save': ({ definition, actor }) => saveRule(database, definition, actor ?? operatorName(), now()),
    'rules/set-status': ({ ruleId, status, actor }) => setRuleStatus(database, ruleId, status, actor ?? operatorName(), now()),
    'rules/check-formula': ({ formula }) => checkFormula(formula),
    'rules/test': ({ definition, playerId }) => testRule(database, definition, playerId),
    'segments/get': () => previewer.settings(),
    'segments/preview': ({ config }) => previewer.preview(config),
    'segments/save': ({ config, actor }) => ({ config: saveSegments(database, config, actor ?? operatorName(), now()) }),
    'tiers/get': () => tierLadderView(database),
    'tiers/save': ({ ladder, actor }) => saveTierLadder(database, ladder, actor ?? operatorName(), now()),
    'review/list': (input) => listReview(database, input, currency()),
    'review/decide': ({ id, decision, note, actor }) => decideReview(database, { id, decision, note, actor: actor ?? operatorName(), now: now() }, currency()),
  } satisfies HandlerGroup
}
