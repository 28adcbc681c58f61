// exceljs's streaming writer ignores backpressure: each committed row's XML is written into a
// PassThrough that the zip reads at its own pace, and nothing ever waits for it. Measured with a
// 600,000-row sheet, yielding to the event loop every thousand rows still left the whole
// uncompressed sheet (≈110 MB) queued in that PassThrough until the end. So the writer waits
// whenever the queue passes a few megabytes, until the zip has brought it down again; waiting
// for a full drain instead made the writer and the compressor (zlib, on the thread pool) take
// turns and cost half again the time.
//
// The PassThrough is internal (worksheet.stream.pipes); when it is not where this expects, the
// wait is skipped — the export still works, only with exceljs's own memory use. The wait is
// bounded so that a zip that stops reading can never hang the export.
import { setTimeout as sleep } from 'node:timers/promises'
import type ExcelJS from 'exceljs'

interface Pipe {
  writableLength?: number
  _writableState?: { length?: number }
}

/** Queued bytes above which the writer waits… */
export const queueHighWater = 8 * 1024 * 1024
/** …until the zip has brought the queue down to this. */
export const queueLowWater = 2 * 1024 * 1024
const pollMs = 2
const maxWaitMs = 5000

/** Uncompressed sheet XML not yet taken by the zip, in bytes, or undefined if it cannot be seen. */
export function queuedBytes(worksheet: ExcelJS.Worksheet): number | undefined {
  const stream = (worksheet as unknown as { stream?: { pipes?: unknown } }).stream
  if (!Array.isArray(stream?.pipes)) return undefined
  let total = 0
  for (const pipe of stream.pipes as Pipe[]) {
    const length = pipe.writableLength ?? pipe._writableState?.length
    if (typeof length !== 'number') return undefined
    total += length
  }
  return total
}

/** Waits while too much of the sheet is queued for the zip (bounded, never hangs). */
export async function sheetDrained(worksheet: ExcelJS.Worksheet): Promise<void> {
  let queued = queuedBytes(worksheet)
  if (queued === undefined || queued <= queueHighWater) return
  const deadline = Date.now() + maxWaitMs
  while (queued !== undefined && queued > queueLowWater && Date.now() < deadline) {
    await sleep(pollMs)
    queued = queuedBytes(worksheet)
  }
}
