// Where an export is written: on the desktop, the data folder's exports (beside the database); in a
// browser, a server-side path the web host hands out with the URL to download the file from.
import { api } from './client'
import { exportTarget } from './upload'

export async function exportDestination(name: string): Promise<{ path: string; download?: string }> {
  if (window.loyalty) {
    const info = await api.call('system/info', {})
    if (info.error) throw new Error(info.error.message)
    return { path: `${info.data.dataDir}/exports/${name}` }
  }
  return exportTarget(name)
}
