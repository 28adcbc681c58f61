// The Rules screen: the list at #/rules, a rule at #/rules/<id>, a new one at #/rules/new (Ctrl+N).
// Its parts live in ./rules/.
import { ScreenFrame } from '../components/ScreenFrame'
import { useNavigation } from '../stores/navigation'
import { RuleEditor } from './rules/RuleEditor'
import { RuleList } from './rules/RuleList'

export function RulesScreen() {
  const detail = useNavigation((state) => state.detail)
  if (detail === 'new') return <RuleEditor key="new" />
  if (detail !== undefined) return <RuleEditor key={detail} ruleId={detail} />
  return (
    <ScreenFrame title="Rules" description="Reward rules, their versions and formulas">
      <RuleList />
    </ScreenFrame>
  )
}
