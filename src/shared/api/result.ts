// Errors cross the API as values the UI can render, never as thrown stacks.

export const errorCodes = [
  'invalid_input', // the input failed its schema; details lists each issue with its path
  'unknown_method',
  'not_found',
  'conflict',
  'refused', // valid input the domain will not accept (e.g. a database from a newer build)
  'cancelled',
  'forbidden',
  'internal', // a broken invariant; the message never carries a stack
] as const

export type ErrorCode = (typeof errorCodes)[number]

export interface ApiError {
  code: ErrorCode
  message: string
  details?: unknown
}

export type ApiResult<T> = { data: T; error?: undefined } | { data?: undefined; error: ApiError }

/** Thrown by handlers for expected failures; the dispatcher turns it into `{ error }`. */
export class ApiFailure extends Error {
  readonly code: ErrorCode
  readonly details: unknown
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'ApiFailure'
    this.code = code
    this.details = details
  }
}

export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return typeof candidate.code === 'string' && typeof candidate.message === 'string'
}
