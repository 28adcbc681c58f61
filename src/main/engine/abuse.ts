// Abuse detection over the whole player base: five signals, each with a strength 0–1 and the
// numbers behind it, combined into a 0–100 score per player (sum of weight × strength, capped).
//
// - bonus_only_play          bonus money taken, (next to) nothing deposited after it
// - withdrawal_after_bonus   a withdrawal soon after a bonus credit
// - min_bets_while_wagering  bets at the player's minimum size while a bonus is being wagered
// - shared_identity          accounts linked by IP or device id, as clusters of any size (union-find)
// - improbable_win_rate      a one-sided z-test of the player's result against the house edge
//
// The score is rounded once, with the project's rounding rule (src/shared/money.ts).
// Pure and deterministic: the result does not depend on the order of the players (scores and
// signals follow the input order; clusters are numbered by their smallest player id).
import { roundToInteger } from '../../shared/money'
import type { PlayerRecord } from './player-table'

export const abuseSignalNames = [
  'bonus_only_play',
  'withdrawal_after_bonus',
  'min_bets_while_wagering',
  'shared_identity',
  'improbable_win_rate',
] as const
export type AbuseSignalName = (typeof abuseSignalNames)[number]

export interface AbuseSettings {
  /** Summary-only bonus-only test: flagged when totalDeposited ≤ this × bonusReceived. */
  bonusOnlyDepositRatio: number
  /** A withdrawal at most this many hours after a bonus credit is flagged. */
  withdrawalAfterBonusHours: number
  /** Fewest bets while wagering before the minimum-bet share is judged. */
  minBetsSampleMin: number
  /** Share of bets while wagering at the minimum size (0–1) from which the signal fires. */
  minBetShareThreshold: number
  /** IPs and device ids never used to link accounts (an office NAT, shared test devices). */
  sharedIdentityIgnore: readonly string[]
  /** Clusters larger than this are still reported, flagged as likely shared infrastructure (carrier NAT). */
  clusterSizeMax: number
  /** Strength multiplier for members of such a cluster. */
  sharedInfrastructureStrengthFactor: number
  /** improbable_win_rate fires when the one-sided p-value is below this. */
  winRatePValue: number
  /** Fewer bets than this: the normal approximation is not trusted and the test is not run. */
  winRateBetsMin: number
  /** Bets per session, to estimate the bet count when there are no activity events. */
  betsPerSessionEstimate: number
  /** House edge per game type (0.04 = 4%), with a "default" entry. */
  houseEdges: Readonly<Record<string, number>>
  /** Variance of the result per unit staked per game type, with a "default" entry. */
  gameVariance: Readonly<Record<string, number>>
  /** Score points of a signal at full strength. */
  weights: Readonly<Record<AbuseSignalName, number>>
}

export interface AbuseSignal {
  playerId: string
  signal: AbuseSignalName
  /** 0–1. */
  strength: number
  /** Contribution to the score: weights[signal] × strength. */
  points: number
  /**
   * The numbers behind the signal, for the explanation shown to the operator. Read-only: the
   * members of one cluster share one details object.
   */
  details: Record<string, number | string>
}

export interface SharedIdentityCluster {
  /** 1, 2, 3… in the order of each cluster's smallest player id. */
  clusterId: number
  /** Sorted. */
  playerIds: string[]
  /** Identifiers used by two or more members, sorted. */
  sharedIps: string[]
  sharedDevices: string[]
  /** Larger than settings.clusterSizeMax: probably a carrier NAT or similar, not one person. */
  suspiciousSharedInfrastructure: boolean
}

export interface AbuseResult {
  /** Whole numbers 0–100, one per player, in input order. Never NaN. */
  scores: Float64Array
  /** In input order of the players, each player's signals in the order of abuseSignalNames. */
  signals: AbuseSignal[]
  /** Sorted by clusterId. */
  clusters: SharedIdentityCluster[]
}

export const defaultAbuseSettings: AbuseSettings = {
  bonusOnlyDepositRatio: 0.5,
  withdrawalAfterBonusHours: 24,
  minBetsSampleMin: 20,
  minBetShareThreshold: 0.8,
  sharedIdentityIgnore: [],
  clusterSizeMax: 500,
  sharedInfrastructureStrengthFactor: 0.25,
  winRatePValue: 0.001,
  winRateBetsMin: 50,
  betsPerSessionEstimate: 100,
  // The same defaults as the engine settings (src/shared/engine-settings.ts).
  houseEdges: { default: 0.03, slots: 0.04, roulette: 0.027, blackjack: 0.01, baccarat: 0.0106, live_casino: 0.02, poker: 0.025, sports: 0.05, crash: 0.03 },
  gameVariance: { default: 4, slots: 9, roulette: 1, blackjack: 1.3, baccarat: 1, live_casino: 1.5, poker: 2, sports: 1, crash: 4 },
  weights: { bonus_only_play: 30, withdrawal_after_bonus: 25, min_bets_while_wagering: 25, shared_identity: 30, improbable_win_rate: 35 },
}

export const abuseScoreMax = 100
/** Cluster sizes at which shared_identity reaches its lowest (0.5) and full (1) strength. */
const clusterSizeWeakest = 2
const clusterSizeStrongest = 5
/** improbable_win_rate strength = −log10(p) / this, capped at 1: p = 1e-3 → 0.3, p ≤ 1e-10 → 1. */
const winRateLog10Full = 10
/** Used only when a settings table lacks its "default" entry. */
const fallbackHouseEdge = 0.03
const fallbackVariance = 4

/** Detect abuse over the whole base; the scores are written to `scores`, one per player. */
export function detectAbuse(players: readonly PlayerRecord[], settings: AbuseSettings, scores: Float64Array = new Float64Array(players.length)): AbuseResult {
  return scan(players, settings, true, scores)
}

/**
 * The same scores as detectAbuse, without the signals' details: a what-if over a million players
 * needs only the scores, and skips building a details object for every player a signal fires for.
 * `scores`: where they are written, one per player.
 */
export function abuseScores(players: readonly PlayerRecord[], settings: AbuseSettings, scores: Float64Array = new Float64Array(players.length)): AbuseResult {
  return scan(players, settings, false, scores)
}

/** `detailed` false: signals stays empty and findings carry no details (the scores are the same). */
function scan(players: readonly PlayerRecord[], settings: AbuseSettings, detailed: boolean, scores: Float64Array = new Float64Array(players.length)): AbuseResult {
  assertSettings(settings)
  const identities = linkSharedIdentities(players, settings)
  const signals: AbuseSignal[] = []
  const weights = settings.weights
  const clusterFindings: (Finding | undefined)[] = new Array<Finding | undefined>(identities.clusters.length).fill(undefined)
  for (let index = 0; index < players.length; index += 1) {
    const player = players[index]!
    const cluster = identities.clusterOfPlayer[index]!
    let points = 0
    const kept = detailed ? signals : undefined
    points += addSignal(kept, player, bonusOnlyPlay(player, settings, detailed), weights)
    points += addSignal(kept, player, withdrawalAfterBonus(player, settings), weights)
    points += addSignal(kept, player, minBetsWhileWagering(player, settings), weights)
    if (cluster >= 0) {
      // One finding per cluster, shared by its members (their details are the same).
      clusterFindings[cluster] ??= sharedIdentity(identities.clusters[cluster]!, settings)
      points += addSignal(kept, player, clusterFindings[cluster], weights)
    }
    points += addSignal(kept, player, improbableWinRate(player, settings, detailed), weights)
    scores[index] = Math.min(abuseScoreMax, Math.max(0, roundToInteger(points)))
  }
  return { scores, signals, clusters: identities.clusters }
}

interface Finding {
  signal: AbuseSignalName
  strength: number
  details: Record<string, number | string>
}

/** Record a finding as a signal (unless `signals` is undefined); returns its points. */
function addSignal(signals: AbuseSignal[] | undefined, player: PlayerRecord, finding: Finding | undefined, weights: AbuseSettings['weights']): number {
  if (!finding) return 0
  const points = weights[finding.signal] * finding.strength
  signals?.push({ playerId: player.playerId, signal: finding.signal, strength: finding.strength, points, details: finding.details })
  return points
}

const noDetails: Record<string, number | string> = Object.freeze({})
const bareScratch: Finding = { signal: 'bonus_only_play', strength: 0, details: noDetails }

/** A finding without details, in one reused object: read at once by addSignal, never kept. */
function bare(signal: AbuseSignalName, strength: number): Finding {
  bareScratch.signal = signal
  bareScratch.strength = strength
  return bareScratch
}

/**
 * From activity: a bonus credit and no deposit after the first one (strength 1). From the summary
 * alone: totalDeposited ≤ ratio × bonusReceived, strength 1 with no deposits down to 0.5 at the limit.
 */
function bonusOnlyPlay(player: PlayerRecord, settings: AbuseSettings, detailed: boolean): Finding | undefined {
  const bonusReceived = finiteOrUndefined(player.bonusReceived)
  const deposited = finiteOrUndefined(player.totalDeposited)
  const depositsAfterFirstBonus = finiteOrUndefined(player.activity?.depositsAfterFirstBonus)
  let basis: 'activity' | 'summary'
  let strength: number
  let limit: number | undefined
  if (depositsAfterFirstBonus === 0) {
    basis = 'activity'
    strength = 1
  } else {
    if (bonusReceived === undefined || bonusReceived <= 0 || deposited === undefined) return undefined
    limit = settings.bonusOnlyDepositRatio * bonusReceived
    if (deposited > limit) return undefined
    basis = 'summary'
    strength = limit > 0 ? 1 - (0.5 * deposited) / limit : 1
  }
  if (!detailed) return bare('bonus_only_play', strength)
  const details: Record<string, number | string> = { basis }
  if (bonusReceived !== undefined) details.bonusReceived = bonusReceived
  if (deposited !== undefined) details.totalDeposited = deposited
  if (depositsAfterFirstBonus !== undefined) details.depositsAfterFirstBonus = depositsAfterFirstBonus
  if (limit !== undefined) {
    details.depositLimit = limit
    details.bonusOnlyDepositRatio = settings.bonusOnlyDepositRatio
  }
  return { signal: 'bonus_only_play', strength, details }
}

/** Strength 1 for a withdrawal in the same instant as the bonus, 0.5 at the limit. */
function withdrawalAfterBonus(player: PlayerRecord, settings: AbuseSettings): Finding | undefined {
  const hours = finiteOrUndefined(player.activity?.hoursFromBonusToWithdrawal)
  const limit = settings.withdrawalAfterBonusHours
  if (hours === undefined || hours < 0 || hours > limit) return undefined
  const strength = limit > 0 ? 1 - (0.5 * hours) / limit : 1
  return { signal: 'withdrawal_after_bonus', strength, details: { hoursFromBonusToWithdrawal: hours, withdrawalAfterBonusHours: limit } }
}

/** Strength 0.5 at the share threshold up to 1 when every bet while wagering was a minimum bet. */
function minBetsWhileWagering(player: PlayerRecord, settings: AbuseSettings): Finding | undefined {
  const activity = player.activity
  if (!activity) return undefined
  const bets = activity.betsWhileWagering
  const share = finiteOrUndefined(activity.minBetShareWhileWagering)
  const threshold = settings.minBetShareThreshold
  if (share === undefined || !(bets >= settings.minBetsSampleMin) || share < threshold) return undefined
  const strength = threshold < 1 ? Math.min(1, 0.5 + (0.5 * (share - threshold)) / (1 - threshold)) : 1
  return {
    signal: 'min_bets_while_wagering',
    strength,
    details: { betsWhileWagering: bets, minBetShareWhileWagering: share, minBetShareThreshold: threshold, minBetsSampleMin: settings.minBetsSampleMin },
  }
}

/** Strength 0.5 for a pair up to 1 from five accounts; reduced for likely shared infrastructure. */
function sharedIdentity(cluster: SharedIdentityCluster, settings: AbuseSettings): Finding {
  const size = cluster.playerIds.length
  const bySize = 0.5 + (0.5 * (Math.min(size, clusterSizeStrongest) - clusterSizeWeakest)) / (clusterSizeStrongest - clusterSizeWeakest)
  const strength = cluster.suspiciousSharedInfrastructure ? bySize * settings.sharedInfrastructureStrengthFactor : bySize
  return {
    signal: 'shared_identity',
    strength,
    details: {
      clusterId: cluster.clusterId,
      clusterSize: size,
      sharedIps: cluster.sharedIps.length,
      sharedDevices: cluster.sharedDevices.length,
      suspiciousSharedInfrastructure: cluster.suspiciousSharedInfrastructure ? 'yes' : 'no',
    },
  }
}

/**
 * Under fair play the result R = won − wagered after n bets totalling W has mean −h·W and standard
 * deviation ≈ σ·W/√n. z = (R + h·W) / (σ·W/√n), p = P(Z ≥ z). Fires when p < settings.winRatePValue.
 */
function improbableWinRate(player: PlayerRecord, settings: AbuseSettings, detailed: boolean): Finding | undefined {
  const wagered = finiteOrUndefined(player.totalWagered)
  const won = finiteOrUndefined(player.totalWon)
  if (wagered === undefined || won === undefined || wagered <= 0 || won < 0) return undefined
  const betCount = finiteOrUndefined(player.activity?.betCount)
  const sessions = finiteOrUndefined(player.sessions)
  let bets: number
  const estimated = !(betCount !== undefined && betCount > 0)
  if (!estimated) {
    bets = betCount
  } else if (sessions !== undefined && sessions > 0) {
    bets = sessions * settings.betsPerSessionEstimate
  } else {
    return undefined
  }
  if (bets < settings.winRateBetsMin) return undefined
  // Most players pass this test: the mix goes to a reused scratch object, so they allocate nothing.
  const mix = gameMix(player, settings, mixScratch)
  if (!(mix.variance > 0)) return undefined
  const netResult = won - wagered
  const expectedNetResult = -mix.houseEdge * wagered
  const standardDeviation = (Math.sqrt(mix.variance) * wagered) / Math.sqrt(bets)
  const z = (netResult - expectedNetResult) / standardDeviation
  const pValue = normalUpperTail(z)
  if (!(pValue < settings.winRatePValue)) return undefined
  const strength = pValue > 0 ? Math.min(1, -Math.log10(pValue) / winRateLog10Full) : 1
  if (!detailed) return bare('improbable_win_rate', strength)
  const betCountSource = estimated ? `estimated: ${sessions} sessions × ${settings.betsPerSessionEstimate} bets` : 'activity events'
  return {
    signal: 'improbable_win_rate',
    strength,
    details: {
      totalWagered: wagered,
      totalWon: won,
      netResult,
      expectedNetResult,
      standardDeviation,
      houseEdge: mix.houseEdge,
      variancePerUnit: mix.variance,
      gameMixBasis: mix.basis,
      bets,
      betCountSource,
      z,
      pValue,
      winRatePValue: settings.winRatePValue,
    },
  }
}

interface GameMix {
  houseEdge: number
  variance: number
  basis: string
}

const mixScratch: GameMix = { houseEdge: 0, variance: 0, basis: '' }

/**
 * House edge and variance of the player's mix: by wager share, else game types equally (each
 * distinct type once), else default. Written into `out` and returned.
 */
function gameMix(player: PlayerRecord, settings: AbuseSettings, out: GameMix): GameMix {
  const wagerByGame = player.activity?.wagerByGame
  if (wagerByGame) {
    let total = 0
    let edge = 0
    let variance = 0
    for (const game of Object.keys(wagerByGame)) {
      const wager = wagerByGame[game]!
      if (!(wager > 0)) continue
      total += wager
      edge += wager * lookUp(settings.houseEdges, game, fallbackHouseEdge)
      variance += wager * lookUp(settings.gameVariance, game, fallbackVariance)
    }
    if (total > 0) return setMix(out, edge / total, variance / total, 'wager by game')
  }
  const games = player.gameTypes ?? []
  let distinct = 0
  let edge = 0
  let variance = 0
  // Sums in first-seen order over distinct types, as over [...new Set(gameTypes)], without the Set.
  for (let g = 0; g < games.length; g += 1) {
    const game = games[g]!
    let repeated = false
    for (let earlier = 0; earlier < g && !repeated; earlier += 1) repeated = games[earlier] === game
    if (repeated) continue
    distinct += 1
    edge += lookUp(settings.houseEdges, game, fallbackHouseEdge)
    variance += lookUp(settings.gameVariance, game, fallbackVariance)
  }
  if (distinct > 0) return setMix(out, edge / distinct, variance / distinct, 'game types, equal weights')
  return setMix(out, lookUp(settings.houseEdges, 'default', fallbackHouseEdge), lookUp(settings.gameVariance, 'default', fallbackVariance), 'default')
}

function setMix(out: GameMix, houseEdge: number, variance: number, basis: string): GameMix {
  out.houseEdge = houseEdge
  out.variance = variance
  out.basis = basis
  return out
}

function lookUp(table: Readonly<Record<string, number>>, game: string, fallback: number): number {
  if (Object.hasOwn(table, game)) return table[game]!
  if (Object.hasOwn(table, 'default')) return table.default!
  return fallback
}

interface LinkedIdentities {
  clusters: SharedIdentityCluster[]
  /** Index into clusters per player, −1 when the player shares nothing. */
  clusterOfPlayer: Int32Array
}

/**
 * Union-find over the whole base: players sharing an IP or a device id end in one set,
 * transitively. Each identifier maps to the first player that used it; a later player with it is
 * joined to that one.
 */
function linkSharedIdentities(players: readonly PlayerRecord[], settings: AbuseSettings): LinkedIdentities {
  const count = players.length
  // A base without any IP or device id (a summary sheet without those columns) links nobody.
  if (!players.some((player) => typeof player.ip === 'string' || typeof player.deviceId === 'string' || player.activity)) {
    return { clusters: [], clusterOfPlayer: new Int32Array(count).fill(-1) }
  }
  const parent = new Int32Array(count)
  const setSize = new Int32Array(count).fill(1)
  for (let index = 0; index < count; index += 1) parent[index] = index
  const find = (start: number): number => {
    let node = start
    while (parent[node] !== node) {
      const grandparent = parent[parent[node]!]!
      parent[node] = grandparent
      node = grandparent
    }
    return node
  }
  const union = (a: number, b: number): void => {
    let rootA = find(a)
    let rootB = find(b)
    if (rootA === rootB) return
    if (setSize[rootA]! < setSize[rootB]!) [rootA, rootB] = [rootB, rootA]
    parent[rootB] = rootA
    setSize[rootA]! += setSize[rootB]!
  }

  let ipCount = 0
  let deviceCount = 0
  for (const player of players) {
    ipCount += 1 + (player.activity?.ips.length ?? 0)
    deviceCount += 1 + (player.activity?.devices.length ?? 0)
  }
  const ignored = new Set(settings.sharedIdentityIgnore.map((identifier) => identifier.trim()))
  const ips = new IdentifierTable(ipCount)
  const devices = new IdentifierTable(deviceCount)
  const link = (table: IdentifierTable, raw: string | undefined, index: number): void => {
    if (typeof raw !== 'string') return
    const identifier = hasOuterSpace(raw) ? raw.trim() : raw
    if (identifier === '' || (ignored.size > 0 && ignored.has(identifier))) return
    const first = table.claim(identifier, index)
    if (first !== index) union(first, index)
  }
  for (let index = 0; index < count; index += 1) {
    const player = players[index]!
    link(ips, player.ip, index)
    link(devices, player.deviceId, index)
    const activity = player.activity
    if (activity) {
      for (const ip of activity.ips) link(ips, ip, index)
      for (const device of activity.devices) link(devices, device, index)
    }
  }

  // Gather the sets of two or more players.
  const clusterOfRoot = new Int32Array(count).fill(-1)
  const clusterOfPlayer = new Int32Array(count).fill(-1)
  const playerIdsOf: string[][] = []
  for (let index = 0; index < count; index += 1) {
    const root = find(index)
    if (setSize[root]! < 2) continue
    let cluster = clusterOfRoot[root]!
    if (cluster < 0) {
      cluster = playerIdsOf.length
      clusterOfRoot[root] = cluster
      playerIdsOf.push([])
    }
    playerIdsOf[cluster]!.push(players[index]!.playerId)
    clusterOfPlayer[index] = cluster
  }
  const ipsOf: string[][] = playerIdsOf.map(() => [])
  const devicesOf: string[][] = playerIdsOf.map(() => [])
  ips.forEachShared((ip, owner) => ipsOf[clusterOfRoot[find(owner)]!]!.push(ip))
  devices.forEachShared((device, owner) => devicesOf[clusterOfRoot[find(owner)]!]!.push(device))

  // Number the clusters in the order of their smallest player id.
  const clusters: SharedIdentityCluster[] = playerIdsOf.map((playerIds, cluster) => ({
    clusterId: cluster,
    playerIds: playerIds.sort(compareStrings),
    sharedIps: ipsOf[cluster]!.sort(compareStrings),
    sharedDevices: devicesOf[cluster]!.sort(compareStrings),
    suspiciousSharedInfrastructure: playerIds.length > settings.clusterSizeMax,
  }))
  clusters.sort((a, b) => compareStrings(a.playerIds[0]!, b.playerIds[0]!) || compareClusters(a, b))
  const positionOfCluster = new Int32Array(clusters.length)
  clusters.forEach((cluster, position) => {
    positionOfCluster[cluster.clusterId] = position
    cluster.clusterId = position + 1
  })
  for (let index = 0; index < count; index += 1) {
    const cluster = clusterOfPlayer[index]!
    if (cluster >= 0) clusterOfPlayer[index] = positionOfCluster[cluster]!
  }
  return { clusters, clusterOfPlayer }
}

/** Tie-break for clusters with the same smallest player id (only possible with duplicate ids). */
function compareClusters(a: SharedIdentityCluster, b: SharedIdentityCluster): number {
  return compareStrings(a.playerIds.join('\u0000'), b.playerIds.join('\u0000')) || compareStrings(a.sharedIps.join('\u0000'), b.sharedIps.join('\u0000'))
}

/**
 * Identifier → the first player index that used it, as an open-addressing hash table (linear
 * probing, load ≤ 0.7, sized once): a million players cost two typed arrays and one array of
 * references instead of a growing Map. Remembers which identifiers a second player also used.
 */
class IdentifierTable {
  /** Per slot: [hash, identifier number + 1] side by side (0 = empty), so a probe reads one cache line. */
  private readonly slots: Int32Array
  private readonly mask: number
  /** Per identifier number, in first-seen order; preallocated (a million pushes would copy it ~20 times). */
  private readonly identifiers: string[]
  private identifierCount = 0
  private readonly owners: Int32Array
  private readonly shared: Uint8Array

  constructor(capacity: number) {
    let size = 16
    while (size * 0.7 < capacity) size *= 2
    this.mask = size - 1
    this.slots = new Int32Array(size * 2)
    this.identifiers = new Array<string>(capacity)
    this.owners = new Int32Array(capacity)
    this.shared = new Uint8Array(capacity)
  }

  /** The first player that used the identifier; records `index` as that player when it is new. */
  claim(identifier: string, index: number): number {
    const hash = hashString(identifier)
    let slot = hash & this.mask
    for (;;) {
      const entry = this.slots[slot * 2 + 1]!
      if (entry === 0) {
        const number = this.identifierCount
        this.identifierCount += 1
        this.identifiers[number] = identifier
        this.owners[number] = index
        this.slots[slot * 2] = hash
        this.slots[slot * 2 + 1] = number + 1
        return index
      }
      if (this.slots[slot * 2] === hash && this.identifiers[entry - 1] === identifier) {
        const owner = this.owners[entry - 1]!
        if (owner !== index) this.shared[entry - 1] = 1
        return owner
      }
      slot = (slot + 1) & this.mask
    }
  }

  forEachShared(visit: (identifier: string, owner: number) => void): void {
    for (let number = 0; number < this.identifierCount; number += 1) if (this.shared[number] === 1) visit(this.identifiers[number]!, this.owners[number]!)
  }
}

/** 32-bit FNV-1a over the UTF-16 code units, finished with a multiply-xorshift (as in activity.ts). */
function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let position = 0; position < text.length; position += 1) hash = Math.imul(hash ^ text.charCodeAt(position), 0x01000193)
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  return hash ^ (hash >>> 13)
}

/**
 * P(Z ≥ z) for a standard normal Z, via erfc with the Chebyshev fit of Numerical Recipes (erfcc):
 * relative error below 1.2e-7 everywhere, so it stays meaningful deep in the tail.
 */
export function normalUpperTail(z: number): number {
  return 0.5 * complementaryErrorFunction(z / Math.SQRT2)
}

function complementaryErrorFunction(x: number): number {
  const absolute = Math.abs(x)
  const t = 1 / (1 + 0.5 * absolute)
  const polynomial =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const tail = t * Math.exp(-absolute * absolute + polynomial)
  return x >= 0 ? tail : 2 - tail
}

function assertSettings(settings: AbuseSettings): void {
  const numbers: [string, number][] = [
    ['bonusOnlyDepositRatio', settings.bonusOnlyDepositRatio],
    ['withdrawalAfterBonusHours', settings.withdrawalAfterBonusHours],
    ['minBetsSampleMin', settings.minBetsSampleMin],
    ['minBetShareThreshold', settings.minBetShareThreshold],
    ['clusterSizeMax', settings.clusterSizeMax],
    ['sharedInfrastructureStrengthFactor', settings.sharedInfrastructureStrengthFactor],
    ['winRatePValue', settings.winRatePValue],
    ['winRateBetsMin', settings.winRateBetsMin],
    ['betsPerSessionEstimate', settings.betsPerSessionEstimate],
    ...abuseSignalNames.map((name): [string, number] => [`weights.${name}`, settings.weights[name]]),
  ]
  for (const [name, value] of numbers) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`abuse settings: ${name} must be a finite number ≥ 0, got ${String(value)}`)
  }
}

/** Whether trim() could change the text: ASCII space or control, or any non-ASCII character, at either end. */
function hasOuterSpace(text: string): boolean {
  const first = text.charCodeAt(0)
  const last = text.charCodeAt(text.length - 1)
  return first <= 32 || last <= 32 || first >= 0x80 || last >= 0x80
}

function finiteOrUndefined(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
