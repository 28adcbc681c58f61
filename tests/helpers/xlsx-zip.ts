// Hand-made .xlsx files for the reader's tests: a minimal zip writer (so a test can declare sizes that
// lie, mark entries encrypted, or store a deflate stream made elsewhere) and the few parts a workbook
// needs around a hand-written sheet.
import { writeFileSync } from 'node:fs'
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib'

export interface DeflatedData {
  /** Raw deflate stream. */
  raw: Buffer
  /** Uncompressed size. */
  size: number
  crc: number
}

export interface ZipEntrySpec {
  name: string
  /** Content, deflated by writeZip; or `deflated`, already compressed. */
  data?: Buffer | string
  deflated?: DeflatedData
  /** Store instead of deflate. */
  stored?: boolean
  /** Uncompressed size written to the headers instead of the real one (a lying header). */
  declaredSize?: number
  /** Sets the "encrypted" flag (the data itself stays as it is). */
  encrypted?: boolean
}

function prepare(entry: ZipEntrySpec): { body: Buffer; method: number; size: number; crc: number } {
  if (entry.deflated) return { body: entry.deflated.raw, method: 8, size: entry.deflated.size, crc: entry.deflated.crc }
  const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : (entry.data ?? Buffer.alloc(0))
  return entry.stored
    ? { body: data, method: 0, size: data.length, crc: crc32(data) }
    : { body: deflateRawSync(data), method: 8, size: data.length, crc: crc32(data) }
}

/** Writes a zip archive (no zip64, no data descriptors) with the entries in order. */
export function writeZip(path: string, entries: readonly ZipEntrySpec[]): void {
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const { body, method, size, crc } = prepare(entry)
    const name = Buffer.from(entry.name, 'utf8')
    const flags = (entry.encrypted ? 1 : 0) | 0x800 // bit 11: UTF-8 names
    const declared = entry.declaredSize ?? size
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(0, 10)
    local.writeUInt16LE(0x21, 12) // 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(declared, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(flags, 8)
    header.writeUInt16LE(method, 10)
    header.writeUInt16LE(0, 12)
    header.writeUInt16LE(0x21, 14)
    header.writeUInt32LE(crc >>> 0, 16)
    header.writeUInt32LE(body.length, 20)
    header.writeUInt32LE(declared, 24)
    header.writeUInt16LE(name.length, 28)
    header.writeUInt32LE(offset, 42)
    central.push(header, name)
    parts.push(local, name, body)
    offset += local.length + name.length + body.length
  }
  const centralBytes = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(centralBytes.length, 12)
  end.writeUInt32LE(offset, 16)
  writeFileSync(path, Buffer.concat([...parts, centralBytes, end]))
}

/**
 * Deflates `head`, then `filler` repeated to `fillerBytes` bytes, then `tail`, without ever holding
 * the uncompressed whole (a zip bomb of any size costs only its compressed bytes).
 */
export async function deflateRepeated(head: string, filler: string, fillerBytes: number, tail: string): Promise<DeflatedData> {
  const deflate = createDeflateRaw({ level: 9 })
  const out: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => out.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  let crc = 0
  let size = 0
  const write = async (bytes: Buffer) => {
    crc = crc32(bytes, crc)
    size += bytes.length
    if (!deflate.write(bytes)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  await write(Buffer.from(head, 'utf8'))
  const unit = Buffer.from(filler, 'utf8')
  const block = Buffer.alloc(Math.max(unit.length, Math.floor((1 << 20) / unit.length) * unit.length))
  for (let at = 0; at < block.length; at += unit.length) unit.copy(block, at)
  let left = fillerBytes
  while (left > 0) {
    const piece = left >= block.length ? block : block.subarray(0, left)
    await write(piece)
    left -= piece.length
  }
  await write(Buffer.from(tail, 'utf8'))
  deflate.end()
  await done
  return { raw: Buffer.concat(out), size, crc }
}

const mainNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const relType = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

/** A worksheet part around `sheetData` (the rows' XML) and, optionally, what follows it. */
export function sheetXml(rows: string, after = '', prolog = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'): string {
  return `${prolog}<worksheet xmlns="${mainNs}" xmlns:r="${relNs}"><dimension ref="A1"/><sheetData>${rows}</sheetData>${after}</worksheet>`
}

/** A sharedStrings part with these strings, as plain <si><t> items (or raw items if they start with '<'). */
export function sharedStringsXml(items: readonly string[]): string {
  const body = items.map((text) => (text.startsWith('<') ? text : `<si><t xml:space="preserve">${text}</t></si>`)).join('')
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${mainNs}" count="${items.length}" uniqueCount="${items.length}">${body}</sst>`
}

/** A styles part whose cellXfs use these number format ids (index = the cell's s), with custom formats. */
export function stylesXml(numFmtIds: readonly number[], custom: Readonly<Record<number, string>> = {}): string {
  const fmts = Object.entries(custom)
    .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"/>`)
    .join('')
  const xfs = numFmtIds.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`).join('')
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="${mainNs}">` +
    `<numFmts count="${Object.keys(custom).length}">${fmts}</numFmts>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="${numFmtIds.length}">${xfs}</cellXfs></styleSheet>`
  )
}

export interface WorkbookSpec {
  sheets: { name: string; xml?: string; entry?: Omit<ZipEntrySpec, 'name'>; state?: 'hidden' | 'veryHidden' }[]
  sharedStrings?: string | Omit<ZipEntrySpec, 'name'>
  styles?: string
  date1904?: boolean
  /** Extra entries, written after the workbook's. */
  extra?: ZipEntrySpec[]
}

/** The entries of a minimal workbook around the given sheets. */
export function workbookEntries(spec: WorkbookSpec): ZipEntrySpec[] {
  const sheetRels = spec.sheets.map(
    (_sheet, k) => `<Relationship Id="rId${k + 1}" Type="${relType}/worksheet" Target="worksheets/sheet${k + 1}.xml"/>`,
  )
  const extraRels: string[] = []
  if (spec.sharedStrings !== undefined) extraRels.push(`<Relationship Id="rIdS" Type="${relType}/sharedStrings" Target="sharedStrings.xml"/>`)
  if (spec.styles !== undefined) extraRels.push(`<Relationship Id="rIdT" Type="${relType}/styles" Target="styles.xml"/>`)
  const sheets = spec.sheets
    .map((sheet, k) => `<sheet name="${sheet.name}" sheetId="${k + 1}"${sheet.state ? ` state="${sheet.state}"` : ''} r:id="rId${k + 1}"/>`)
    .join('')
  const entries: ZipEntrySpec[] = [
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>',
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relType}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${mainNs}" xmlns:r="${relNs}">${spec.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>'}<sheets>${sheets}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${[...sheetRels, ...extraRels].join('')}</Relationships>`,
    },
  ]
  spec.sheets.forEach((sheet, k) => entries.push({ name: `xl/worksheets/sheet${k + 1}.xml`, ...(sheet.entry ?? { data: sheet.xml ?? sheetXml('') }) }))
  if (spec.sharedStrings !== undefined) {
    entries.push(typeof spec.sharedStrings === 'string' ? { name: 'xl/sharedStrings.xml', data: spec.sharedStrings } : { name: 'xl/sharedStrings.xml', ...spec.sharedStrings })
  }
  if (spec.styles !== undefined) entries.push({ name: 'xl/styles.xml', data: spec.styles })
  return [...entries, ...(spec.extra ?? [])]
}

export function writeWorkbook(path: string, spec: WorkbookSpec): void {
  writeZip(path, workbookEntries(spec))
}
