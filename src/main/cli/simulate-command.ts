// `loyalty simulate`.
import type { CliContext } from './context'

export function registerSimulateCommand(cli: CliContext): void {
  void cli
}
