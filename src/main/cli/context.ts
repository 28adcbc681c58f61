// What a command module needs from the `loyalty` program: the program to add itself to, the API
// caller (which opens the database on first use and draws the progress bar), and the output.
import type { Command } from 'commander'
import type { InputOf, MethodName, ResultOf } from '../../shared/api/contract'
import type { CliIo } from './output'

export interface GlobalOptions {
  db?: string
  json?: boolean
}

/** An expected failure: its message is printed as is and the exit code is 1. */
export class CliRefusal extends Error {}

export interface CliContext {
  program: Command
  io: CliIo
  call<K extends MethodName>(options: GlobalOptions, name: K, input: InputOf<K>): Promise<ResultOf<K>>
  /** The global options (--db, --json) as parsed. */
  global(): GlobalOptions
}
