// Files in the browser have no path: the web host takes them as an upload and answers with the
// server-side path the API then reads (src/main/web/server.ts, POST /api/upload). In the desktop
// app files come from File → Open as paths, so none of this is used there.
export interface UploadedFile {
  path: string
  name: string
  bytes: number
}

export function canUpload(): boolean {
  return window.loyalty === undefined
}

async function errorMessage(status: number, text: string): Promise<string> {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } }
    if (body.error?.message) return body.error.message
  } catch {
    // not JSON: a plain-text refusal
  }
  return text.trim() || `The server answered ${status}.`
}

/** XMLHttpRequest rather than fetch: it reports upload progress for large files. */
export function uploadFile(file: File, onProgress?: (sent: number, total: number) => void, signal?: AbortSignal): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`)
    request.withCredentials = true
    request.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size)
    request.onload = () => {
      if (request.status === 200) {
        resolve(JSON.parse(request.responseText) as UploadedFile)
        return
      }
      void errorMessage(request.status, request.responseText).then((message) => reject(new Error(message)))
    }
    request.onerror = () => reject(new Error('The upload did not reach the server.'))
    request.onabort = () => reject(new Error('The upload was cancelled.'))
    signal?.addEventListener('abort', () => request.abort(), { once: true })
    request.send(file)
  })
}

/** A server-side path for an export the browser asks for, and the URL to download it from. */
export async function exportTarget(name: string): Promise<{ path: string; download: string }> {
  const response = await fetch(`/api/export-path?name=${encodeURIComponent(name)}`, { method: 'POST', credentials: 'same-origin' })
  const text = await response.text()
  if (!response.ok) throw new Error(await errorMessage(response.status, text))
  return JSON.parse(text) as { path: string; download: string }
}
