// Number formatting in the operator's locale. Money formatting joins when amounts reach the UI.
const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })

export function formatCount(value: number): string {
  return countFormat.format(value)
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`
}
