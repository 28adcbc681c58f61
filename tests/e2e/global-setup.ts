// Starts the real web host on a fresh database and hands its tokenised URL to the tests.
import { startE2eWebHost } from './web-host'

export default async function globalSetup(): Promise<() => Promise<void>> {
  const host = await startE2eWebHost()
  process.env.LOYALTY_E2E_URL = host.url
  process.env.LOYALTY_E2E_DB = host.databasePath
  return () => host.stop()
}
