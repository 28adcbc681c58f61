// What a command module needs from the `loyalty` program: the program to add itself to, the API
// caller (which opens the database on first use and draws the progress bar), and the output.
import type { Command } from 'commander'
import type { InputOf, MethodName, ResultOf } from '../../shared/api/contract'
import type { ErrorCode } from '../../shared/api/result'
import type { CliIo } from './output'

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/**
 * An expected failure: its message is printed as is and the exit code is 1. With --json, `code`,
 * the message and `fields` (what a script needs beyond the words) form the error object on stdout.
 */
export class CliRefusal extends Error {
  readonly code: ErrorCode
  readonly fields: Record<string, unknown>
  constructor(message: string, code: ErrorCode = 'invalid_input', fields: Record<string, unknown> = {}) {
    super(message)
    this.code = code
    this.fields = fields
  }
}

export interface CliContext {
  program: Command
  io: CliIo
  call<K extends MethodName>(options: GlobalOptions, name: K, input: InputOf<K>): Promise<ResultOf<K>>
  /** The global options (--db, --json) as parsed. */
  global(): GlobalOptions
}
