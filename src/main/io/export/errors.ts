// How export failures reach the API: always an ApiFailure that names the file.
import { ApiFailure } from '../../../shared/api/result'

/** A row value or column that does not fit its kind (a bug in the caller, not in the data). */
export class ReportValueError extends Error {
  override readonly name = 'ReportValueError'
}

export function checkMinorDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 6) throw new ApiFailure('invalid_input', `minorDigits must be a whole number from 0 to 6, got ${digits}.`)
}

/** An ApiFailure stays as it is; a cancel becomes 'cancelled'; a value that does not fit is 'invalid_input'; the rest 'refused'. */
export function asApiFailure(error: unknown, context: string): ApiFailure {
  if (error instanceof ApiFailure) return error
  if (error instanceof Error && error.name === 'AbortError') return new ApiFailure('cancelled', `${context}: the export was cancelled; nothing was written.`)
  if (error instanceof ReportValueError || error instanceof RangeError) return new ApiFailure('invalid_input', `${context}: ${error.message}`)
  return new ApiFailure('refused', `${context}: ${error instanceof Error ? error.message : String(error)}`)
}
