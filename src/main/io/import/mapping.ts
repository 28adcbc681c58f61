// A saved header mapping (`--mapping FILE`, the Import screen's editor): source header → field name
// or "ignore". One mapping serves summary and event files alike, so a target may name a field of
// either; anything else is a typo that would otherwise leave the column silently unmapped.
import { fieldNames, ignoreColumn } from './columns'
import { eventFieldNames } from './events'

const targets = new Set<string>([...fieldNames, ...eventFieldNames, ignoreColumn])

/** Why the mapping cannot be used, naming the first bad entries and the names accepted; undefined when it can. */
export function mappingProblem(mapping: Readonly<Record<string, unknown>>): string | undefined {
  const bad = Object.entries(mapping).filter(([, target]) => typeof target !== 'string' || !targets.has(target))
  if (bad.length === 0) return undefined
  const shown = bad.slice(0, 5).map(([source, target]) => `"${source.slice(0, 60)}": ${JSON.stringify(target).slice(0, 60)}`)
  return (
    `The header mapping has ${bad.length} entr${bad.length === 1 ? 'y' : 'ies'} whose field is not known: ${shown.join(', ')}${bad.length > 5 ? ', …' : ''}. ` +
    `Map each column to one of: ${[...fieldNames, ...eventFieldNames.filter((name) => !(fieldNames as readonly string[]).includes(name))].join(', ')}, or "${ignoreColumn}".`
  )
}
