// Pictures in exceljs's streaming workbook writer, which has no worksheet.addImage (exceljs
// documents images as unsupported in streaming mode; its WorkbookWriter only stores media).
// Building the whole workbook in memory instead would defeat streaming a million-row player
// list, so this adds the few parts a picture needs, following the Office Open XML layout
// exceljs's own in-memory writer produces:
//   xl/media/imageN.png               workbook.addImage (supported by the streaming writer)
//   xl/drawings/drawingK.xml (+ rels) written here, one oneCellAnchor per picture
//   <drawing r:id> in the sheet       written here, where the schema wants it (before legacyDrawing)
//   worksheet rels → drawing          via the sheet's own relationship writer
//   [Content_Types].xml override      added to the file exceljs writes
// It reaches into four exceljs internals (zip, media, _sheetRelsWriter, _writeLegacyData);
// connect() checks they are there and refuses clearly otherwise, and the report-export test
// reads the pictures back, so an exceljs upgrade that moves them fails loudly, not silently.
import type ExcelJS from 'exceljs'

/** A picture to place on a sheet, in pixels (1 px = 9525 EMU, Excel's drawing unit). */
export interface SheetPicture {
  png: Buffer
  /** Zero-based column and row of the top-left corner. */
  column: number
  row: number
  width: number
  height: number
  /** Alternative text: the chart's title. */
  description: string
}

interface ZipInternals {
  append(source: string | Buffer, data: { name: string }): unknown
}

interface WorkbookWriterInternals {
  zip: ZipInternals
  media: Array<{ name: string }>
  addImage(image: { buffer: Buffer; extension: 'png' }): number
}

interface WorksheetWriterInternals {
  _sheetRelsWriter: { addRelationship(relationship: { Type: string; Target: string }): string }
  _writeLegacyData(): void
  _write(text: string): void
}

const drawingRelationship = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing'
const imageRelationship = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image'
const drawingContentType = 'application/vnd.openxmlformats-officedocument.drawing+xml'
const contentTypesEntry = '[Content_Types].xml'
const emuPerPixel = 9525

export class StreamingPictures {
  private readonly internals: WorkbookWriterInternals
  private readonly drawings: string[] = []

  private constructor(internals: WorkbookWriterInternals) {
    this.internals = internals
  }

  /** Prepares a streaming workbook for pictures; call before its first worksheet. */
  static connect(workbook: ExcelJS.stream.xlsx.WorkbookWriter): StreamingPictures {
    const internals = workbook as unknown as Partial<WorkbookWriterInternals>
    if (typeof internals.zip?.append !== 'function' || !Array.isArray(internals.media) || typeof internals.addImage !== 'function') {
      throw new Error('this version of exceljs changed its streaming writer: charts cannot be embedded (src/main/io/export/streaming-pictures.ts needs updating)')
    }
    const pictures = new StreamingPictures(internals as WorkbookWriterInternals)
    const zip = internals.zip
    const append = zip.append.bind(zip)
    zip.append = (source, data) => append(data?.name === contentTypesEntry ? pictures.withDrawingTypes(source) : source, data)
    return pictures
  }

  /** Places pictures on a streaming worksheet; call before the worksheet is committed. */
  place(worksheet: ExcelJS.Worksheet, pictures: readonly SheetPicture[]): void {
    if (pictures.length === 0) return
    const sheet = worksheet as unknown as Partial<WorksheetWriterInternals>
    const writeLegacyData = sheet._writeLegacyData
    const relationships = sheet._sheetRelsWriter
    if (typeof writeLegacyData !== 'function' || typeof relationships?.addRelationship !== 'function' || typeof sheet._write !== 'function') {
      throw new Error('this version of exceljs changed its streaming worksheet writer: charts cannot be embedded (src/main/io/export/streaming-pictures.ts needs updating)')
    }
    const drawing = `drawing${this.drawings.length + 1}`
    this.drawings.push(drawing)
    const media = pictures.map((picture) => this.internals.media[this.internals.addImage({ buffer: picture.png, extension: 'png' })]!.name)
    this.internals.zip.append(drawingXml(pictures), { name: `xl/drawings/${drawing}.xml` })
    this.internals.zip.append(drawingRelsXml(media), { name: `xl/drawings/_rels/${drawing}.xml.rels` })
    const target = sheet as WorksheetWriterInternals
    // The commit writes the sheet's closing elements in schema order; <drawing> comes right before <legacyDrawing>.
    target._writeLegacyData = function writeDrawingThenLegacyData(this: WorksheetWriterInternals) {
      const id = relationships.addRelationship({ Type: drawingRelationship, Target: `../drawings/${drawing}.xml` })
      this._write(`<drawing r:id="${id}"/>`)
      writeLegacyData.call(this)
    }
  }

  private withDrawingTypes(source: string | Buffer): string | Buffer {
    if (this.drawings.length === 0) return source
    const xml = source.toString()
    const end = xml.lastIndexOf('</Types>')
    if (end < 0) throw new Error('exceljs wrote [Content_Types].xml in an unexpected form: charts cannot be embedded')
    const overrides = this.drawings.map((name) => `<Override PartName="/xl/drawings/${name}.xml" ContentType="${drawingContentType}"/>`).join('')
    return xml.slice(0, end) + overrides + xml.slice(end)
  }
}

function drawingXml(pictures: readonly SheetPicture[]): string {
  const anchors = pictures.map((picture, index) => {
    const cx = Math.round(picture.width * emuPerPixel)
    const cy = Math.round(picture.height * emuPerPixel)
    const id = index + 1
    return (
      '<xdr:oneCellAnchor>' +
      `<xdr:from><xdr:col>${picture.column}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${picture.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
      `<xdr:ext cx="${cx}" cy="${cy}"/>` +
      '<xdr:pic>' +
      `<xdr:nvPicPr><xdr:cNvPr id="${id + 1}" name="Chart ${id}" descr="${escapeXml(picture.description)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>` +
      `<xdr:blipFill><a:blip r:embed="rId${id}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>` +
      `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>` +
      '</xdr:pic>' +
      '<xdr:clientData/>' +
      '</xdr:oneCellAnchor>'
    )
  })
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"' +
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    anchors.join('') +
    '</xdr:wsDr>'
  )
}

function drawingRelsXml(media: readonly string[]): string {
  const relationships = media.map((name, index) => `<Relationship Id="rId${index + 1}" Type="${imageRelationship}" Target="../media/${name}"/>`)
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    relationships.join('') +
    '</Relationships>'
  )
}

function escapeXml(text: string): string {
  return text
    // XML 1.0 cannot carry control characters other than tab, LF and CR.
    .replace(/[^\P{Cc}\t\n\r]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
