// Files the operator receives (payout files, reports) appear complete or not at all: the bytes go
// to a temporary file in the target's folder, which is flushed to disk, closed and only then put
// under the target name in one step. A crash or a failed write never leaves a half-written file
// under the operator's name, and the temp file is removed on failure.
import { createHash, randomBytes } from 'node:crypto'
import { close as closeFd, createReadStream, createWriteStream, fsync as fsyncFd, open as openFd } from 'node:fs'
import { link, lstat, open, rename, unlink } from 'node:fs/promises'
import { promisify } from 'node:util'
import { basename, dirname, join } from 'node:path'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { ApiFailure } from '../../shared/api/result'

/** How refusals read: the callers' files have different consequences to state. */
export interface AtomicFileWording {
  /** What is being written, for "Could not write …": 'the payout file'. */
  what: string
  /** Said when the target exists before anything was written: 'nothing was written or marked exported'. */
  untouched: string
  /** Said when the target appeared while we were writing: 'nothing was marked exported'. */
  untouchedAfterWrite: string
  /** Sentence after a failure to create the temp file, with its leading space, or ''. */
  afterOpenFailure: string
}

export interface AtomicFileOptions {
  /** Replace an existing file at the target. False: an existing file is refused. */
  overwrite: boolean
  wording: AtomicFileWording
}

/** Temp file in the target's folder → fsync → close → rename (or link when an existing file must not be replaced) → best-effort fsync of the folder. */
export class AtomicFile {
  readonly target: string
  readonly temp: string
  readonly stream: Writable
  /** A plain descriptor: the stream never closes it (autoClose false), so fsync and close stay ours. */
  private readonly fd: number
  private closed = false
  private readonly options: AtomicFileOptions
  private failure: Error | undefined
  private done = false

  private constructor(target: string, temp: string, fd: number, options: AtomicFileOptions) {
    this.target = target
    this.temp = temp
    this.fd = fd
    this.options = options
    this.stream = createWriteStream('', { fd, autoClose: false })
    this.stream.on('error', (error: Error) => {
      this.failure ??= error
    })
  }

  static async create(target: string, options: AtomicFileOptions): Promise<AtomicFile> {
    const { wording } = options
    if (!options.overwrite && (await pathExists(target))) {
      throw new ApiFailure('conflict', `${target} already exists; choose another file name (${wording.untouched}).`)
    }
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
    let fd: number
    try {
      fd = await openFdAsync(temp, 'wx')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason = code === 'ENOENT' ? `the folder ${dirname(target)} does not exist` : (error as Error).message
      throw new ApiFailure('refused', `Could not write ${wording.what} ${target}: ${reason}.${wording.afterOpenFailure}`)
    }
    return new AtomicFile(target, temp, fd, options)
  }

  /** Writes text, waiting while the stream's buffer is full. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure
    if (!this.stream.write(text)) await this.drained()
  }

  async drained(): Promise<void> {
    if (this.failure) throw this.failure
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain')
  }

  /** Ends the stream and flushes and closes the temp file; the data is then durable. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure
    if (!this.stream.writableFinished) {
      if (!this.stream.writableEnded) this.stream.end()
      await once(this.stream, 'finish')
    }
    if (this.failure) throw this.failure
    await fsyncAsync(this.fd)
    await this.closeFd()
  }

  /** Puts the finished temp file under the target name in one step. */
  async place(): Promise<void> {
    if (this.options.overwrite) await rename(this.temp, this.target)
    else await this.placeWithoutReplacing()
    this.done = true
    await syncFolder(dirname(this.target))
  }

  /** link() fails atomically if the target appeared meanwhile; where links are unsupported, check then rename. */
  private async placeWithoutReplacing(): Promise<void> {
    let linked = false
    try {
      await link(this.temp, this.target)
      linked = true
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST' || (await pathExists(this.target))) {
        throw new ApiFailure('conflict', `${this.target} already exists; choose another file name (${this.options.wording.untouchedAfterWrite}).`)
      }
    }
    if (linked) await unlink(this.temp).catch(() => undefined)
    else await rename(this.temp, this.target)
  }

  private async closeFd(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await closeAsync(this.fd)
  }

  async abort(): Promise<void> {
    if (this.done) return
    this.stream.destroy()
    await this.closeFd().catch(() => undefined)
    await unlink(this.temp).catch(() => undefined)
  }
}

export interface WrittenAtomically<T> {
  value: T
  bytes: number
  sha256: string
}

/**
 * Runs `write` against a fresh AtomicFile and puts the result in place; resolves only once the
 * complete file is at `target`. On any failure the temp file is removed and the error rethrown
 * unchanged (callers word their own messages).
 */
export async function writeAtomically<T>(target: string, options: AtomicFileOptions, write: (file: AtomicFile) => Promise<T>): Promise<WrittenAtomically<T>> {
  const file = await AtomicFile.create(target, options)
  try {
    const value = await write(file)
    await file.finish()
    const { sha256, bytes } = await hashFile(file.temp)
    await file.place()
    return { value, sha256, bytes }
  } catch (error) {
    await file.abort()
    throw error
  }
}

const openFdAsync = promisify(openFd) as (path: string, flags: string) => Promise<number>
const fsyncAsync = promisify(fsyncFd)
const closeAsync = promisify(closeFd)

export async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Makes the rename itself durable on POSIX; Windows cannot open a folder this way.
  try {
    const handle = await open(folder, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // best effort
  }
}

/** SHA-256 (hex) and size of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}
