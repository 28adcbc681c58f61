// A file on disk as rows of cells, whatever its format: the import job reads every format through
// this one shape. The format is decided by the file's first bytes (a zip is a workbook), then by its
// extension (.jsonl/.ndjson), else CSV; a wrong extension never makes us parse a workbook as text.
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { ApiFailure } from '../../../shared/api/result'
import { readCsvRows } from '../readers/csv'

export type TableFormat = 'csv' | 'xlsx' | 'jsonl'

export interface SourceRow {
  /** The row number the operator sees: spreadsheet row, or physical line. */
  rowNumber: number
  cells: unknown[]
}

export interface JsonLine {
  rowNumber: number
  value?: Record<string, unknown>
  error?: string
}

export interface TableSource {
  format: TableFormat
  /** The sheet read, for workbooks. */
  sheet?: string
  rows?: AsyncIterable<SourceRow>
  lines?: AsyncIterable<JsonLine>
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number
}

const zipMagic = [0x50, 0x4b, 0x03, 0x04]
const cfbMagic = [0xd0, 0xcf, 0x11, 0xe0]

export async function detectFormat(path: string): Promise<TableFormat> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(8)
    const { bytesRead } = await handle.read(head, 0, 8, 0)
    const starts = (magic: number[]) => bytesRead >= magic.length && magic.every((byte, index) => head[index] === byte)
    if (starts(zipMagic)) return 'xlsx'
    if (starts(cfbMagic)) {
      throw new ApiFailure(
        'invalid_input',
        `${path} is an old-style Excel (.xls) or encrypted workbook; save it as .xlsx (File → Save As → Excel Workbook) or CSV and import that.`,
      )
    }
  } finally {
    await handle.close()
  }
  const extension = extname(path).toLowerCase()
  return extension === '.jsonl' || extension === '.ndjson' ? 'jsonl' : 'csv'
}

/** The file's bytes as a stream that counts what has been read. */
export function countingStream(path: string): { chunks: AsyncIterable<Uint8Array>; bytesRead(): number } {
  let bytes = 0
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 })
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length
        yield chunk
      }
    } finally {
      stream.destroy()
    }
  }
  return { chunks: chunks(), bytesRead: () => bytes }
}

export interface OpenTableOptions {
  sheet?: string
}

export async function openTable(path: string, options: OpenTableOptions = {}): Promise<TableSource> {
  const format = await detectFormat(path)
  if (format === 'csv') {
    const counted = countingStream(path)
    return { format, rows: readCsvRows(counted.chunks), bytesRead: counted.bytesRead }
  }
  if (format === 'jsonl') return openJsonl(path)
  return openWorkbook(path, options)
}

async function openJsonl(path: string): Promise<TableSource> {
  void path
  throw new ApiFailure('invalid_input', 'JSONL files cannot be imported yet.')
}

async function openWorkbook(path: string, options: OpenTableOptions): Promise<TableSource> {
  void options
  throw new ApiFailure('invalid_input', `${path}: XLSX workbooks cannot be imported yet.`)
}
