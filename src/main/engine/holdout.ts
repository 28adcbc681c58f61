// Hold-out control groups: a share of the players a rule would reward are kept back (their
// decision is recorded, nothing is paid) so the rule's effect can be measured against them.
// Membership is a pure function of (rule id, player id): the same player stays in or out of a
// rule's control group on every run, on every workstation, without storing anything.

/** FNV-1a, 32 bits, over the UTF-16 code units: stable across platforms and Node versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  // A final avalanche so ids that differ only in their last characters spread over the whole range.
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}

/** A number in [0, 1) fixed for the pair; the player is held out when it is below the share. */
export function holdoutPosition(ruleId: string, playerId: string): number {
  return fnv1a(`${ruleId}\u0000${playerId}`) / 2 ** 32
}

export function isHeldOut(ruleId: string, playerId: string, share: number): boolean {
  return share > 0 && holdoutPosition(ruleId, playerId) < share
}
