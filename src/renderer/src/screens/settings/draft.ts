// The Settings draft: an immutable copy of the engine settings edited one path at a time.
import type { EngineSettings } from '../../../../shared/engine-settings'

/** Values may be null while a field is cleared; validation refuses that before Save. */
export type SettingsDraft = EngineSettings

/** A copy of `target` with `value` at `path`; undefined removes the key (no cap, never expires). */
export function setPath<T>(target: T, path: readonly string[], value: unknown): T {
  const [head, ...rest] = path
  if (head === undefined) return value as T
  const source = (typeof target === 'object' && target !== null ? target : {}) as Record<string, unknown>
  const copy: Record<string, unknown> = { ...source }
  const next = rest.length === 0 ? value : setPath(source[head], rest, value)
  if (next === undefined) delete copy[head]
  else copy[head] = next
  return copy as T
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
