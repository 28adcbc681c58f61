// How the CLI speaks: JSON on stdout with --json, a readable table otherwise; refusals as one
// paragraph on stderr. Exit codes: 0 success, 1 input refused, 2 usage error.
export const exitCodes = { success: 0, refused: 1, usage: 2 } as const

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** True when stdout is a terminal (progress bars are drawn only then). */
  interactive: boolean
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  interactive: Boolean(process.stdout.isTTY),
}

export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))]
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)))
  const line = (row: string[]) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0
        return /^-?[\d,.]+$/.test(cell) ? cell.padStart(width) : cell.padEnd(width)
      })
      .join('  ')
      .trimEnd()
  return [line(cells[0] ?? []), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n') + '\n'
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/** With --json, a failure is one JSON object on stdout, so scripts can read what went wrong. */
export function errorJson(code: string, message: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ error: { code, message, ...fields } }, null, 2) + '\n'
}
