// Shared pieces of the benchmark runner: the suite/result types, a monotonic timer, a peak-memory
// sampler, a scratch-directory helper and the plain-text table.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BenchResult {
  suite: string
  name: string
  value: number
  unit: string
  note?: string
  /** This value divided by a named peer's value, e.g. { 'raw insert': 0.45 }. */
  peers?: Record<string, number>
}

export interface SuiteOptions {
  /** Smoke run: sizes scaled down about 10×. */
  quick: boolean
}

export interface Suite {
  name: string
  description: string
  run(options: SuiteOptions): Promise<BenchResult[]>
}

/** Runs `fn` and times it on the monotonic clock (immune to wall-clock adjustments). */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint()
  const value = await fn()
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 }
}

/** `count / seconds`, refusing a zero duration rather than reporting Infinity. */
export function perSecond(count: number, seconds: number): number {
  if (!(seconds > 0)) throw new Error(`Cannot compute a rate over ${seconds} s`)
  return count / seconds
}

/** The ratio of two measurements, to two significant figures (more would be noise). */
export function ratio(value: number, peer: number): number {
  return Number((value / peer).toPrecision(2))
}

/** Runs `fn` with a fresh scratch directory and removes it afterwards, even on failure. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'lw-bench-'))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface PeakRss {
  bytes: number
  /** True when the figure is the kernel's high-water mark, false when it is our 50 ms sampling. */
  exact: boolean
}

/**
 * Peak RSS over a stretch of work. Sampling alone misses peaks inside synchronous loops (the timer
 * cannot fire while the event loop is blocked), so we also read the process's high-water mark:
 * if it rose during the stretch, the new mark is this stretch's exact peak; if not, the peak was
 * below an earlier one and the samples are the best figure we have.
 */
export function startPeakRssSampler(intervalMs = 50): { stop(): PeakRss } {
  const maxRssBefore = process.resourceUsage().maxRSS * 1024 // maxRSS is in KiB
  let sampled = process.memoryUsage.rss()
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss())
  }, intervalMs)
  timer.unref() // never keep the process alive just to sample
  return {
    stop() {
      clearInterval(timer)
      sampled = Math.max(sampled, process.memoryUsage.rss())
      const maxRssAfter = process.resourceUsage().maxRSS * 1024
      return maxRssAfter > maxRssBefore ? { bytes: maxRssAfter, exact: true } : { bytes: sampled, exact: false }
    },
  }
}

const numberFormat = (fractionDigits: number) =>
  new Intl.NumberFormat('en-US', { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits })

/** Thousands separators always; decimals only where a value is small enough to need them. */
export function formatValue(value: number): string {
  const abs = Math.abs(value)
  return numberFormat(abs >= 100 ? 0 : abs >= 10 ? 1 : 2).format(value)
}

export function formatPeers(peers: Record<string, number> | undefined): string {
  return Object.entries(peers ?? {})
    .map(([peer, value]) => `${value >= 10 ? value.toFixed(0) : value.toPrecision(2)}× ${peer}`)
    .join('; ')
}

/** One aligned table; numbers are right-aligned so their digits line up. */
export function formatTable(results: BenchResult[]): string {
  const header = ['suite', 'measurement', 'value', 'unit', 'ratio', 'note']
  const rows = results.map((r) => [r.suite, r.name, formatValue(r.value), r.unit, formatPeers(r.peers), r.note ?? ''])
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)))
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}
