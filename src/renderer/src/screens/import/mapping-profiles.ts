// Column mappings the operator made, saved per source so the next export from the same platform is
// mapped without asking again. A source is recognised by its set of header names (normalised like
// the importer does, order ignored). Kept in this browser's localStorage for now; a server-side
// profile store (shared by the CLI's --mapping and every workstation) is a later step.
const prefix = 'loyalty.mappingProfile.v1:'
const profilesMax = 100

function normalise(header: string): string {
  return header.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

export function profileKey(headers: readonly string[]): string {
  return prefix + [...new Set(headers.map(normalise).filter((each) => each !== ''))].sort().join('|')
}

export function loadProfile(headers: readonly string[]): Record<string, string> | undefined {
  try {
    const text = window.localStorage.getItem(profileKey(headers))
    if (!text) return undefined
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    const mapping: Record<string, string> = {}
    for (const [header, field] of Object.entries(parsed)) if (typeof field === 'string') mapping[header] = field
    return mapping
  } catch {
    return undefined
  }
}

export function saveProfile(headers: readonly string[], mapping: Readonly<Record<string, string>>): void {
  try {
    const keys = Object.keys(window.localStorage).filter((key) => key.startsWith(prefix))
    if (keys.length >= profilesMax && !keys.includes(profileKey(headers))) window.localStorage.removeItem(keys[0]!)
    window.localStorage.setItem(profileKey(headers), JSON.stringify(mapping))
  } catch {
    // storage full or disabled: the mapping still applies to this import
  }
}
