// `loyalty report`.
import type { CliContext } from './context'

export function registerReportCommand(cli: CliContext): void {
  void cli
}
