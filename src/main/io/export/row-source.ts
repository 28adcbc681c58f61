// Pulls a view's rows one at a time from a sync or async iterable, so a generator over a
// database cursor is read at the writer's pace and never collected.
import type { ReportRow, ReportRows } from './types'

export class RowSource {
  private readonly iterator: Iterator<ReportRow> | AsyncIterator<ReportRow>
  private exhausted = false

  constructor(rows: ReportRows) {
    this.iterator = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : (rows as Iterable<ReportRow>)[Symbol.iterator]()
  }

  /** Up to `count` next rows (fewer at the end). */
  async take(count: number): Promise<ReportRow[]> {
    const rows: ReportRow[] = []
    while (rows.length < count) {
      const row = await this.next()
      if (row === undefined) break
      rows.push(row)
    }
    return rows
  }

  /** The next row, or undefined at the end. */
  async next(): Promise<ReportRow | undefined> {
    if (this.exhausted) return undefined
    const result = await this.iterator.next()
    if (result.done) {
      this.exhausted = true
      return undefined
    }
    return result.value
  }

  /** Lets the producer clean up (close a cursor) when the writer stops early. */
  async close(): Promise<void> {
    if (this.exhausted) return
    this.exhausted = true
    await this.iterator.return?.()
  }
}
