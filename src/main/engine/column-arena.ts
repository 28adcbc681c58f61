// Typed-array columns cut from a few large buffers. At a million players each separate allocation
// of external memory (an 8 MB column, a 60 MB decision block) can start a full GC that must mark
// every player object alive — about 0.2 s each, measured as a fifth of a what-if. An arena asks
// for its memory once, in chunks far larger than the columns: pages of a chunk that are never
// written cost neither memory nor time (the kernel maps them on first touch), so a generous chunk
// is cheap. Everything cut from a chunk lives as long as the longest-lived column cut from it: an
// arena is for columns that die together (one base, one what-if).
//
// A column cut from an arena is a view into a larger buffer: posting it to another thread copies
// the whole chunk unless the chunk is shared (see compactColumn).

export interface ColumnAllocator {
  float64(length: number): Float64Array
  int32(length: number): Int32Array
  uint32(length: number): Uint32Array
  uint8(length: number): Uint8Array
}

/** Each column its own ArrayBuffer: the default where the columns' lifetimes differ. */
export const separateColumns: ColumnAllocator = {
  float64: (length) => new Float64Array(length),
  int32: (length) => new Int32Array(length),
  uint32: (length) => new Uint32Array(length),
  uint8: (length) => new Uint8Array(length),
}

/**
 * Where an arena's chunks come from. The engine's default is a plain ArrayBuffer; the jobs layer
 * can give one that maps the pages ahead of use on another thread (jobs/prefaulted-chunks.ts).
 */
export interface ChunkSource {
  /** A zero-filled buffer of `bytes`. */
  allocate(bytes: number): ArrayBufferLike
  /** The arena has cut the first `bytes` of `chunk` so far. */
  used?(chunk: ArrayBufferLike, bytes: number): void
  /** No more columns will be cut from `chunk`. */
  release?(chunk: ArrayBufferLike): void
}

export const plainChunks: ChunkSource = { allocate: (bytes) => new ArrayBuffer(bytes) }

export class ColumnArena implements ColumnAllocator {
  private chunk: ArrayBufferLike = new ArrayBuffer(0)
  private used = 0

  /** `chunkBytes`: the size of each chunk asked for (a larger column gets a chunk of its own size). */
  constructor(
    readonly chunkBytes: number,
    private readonly source: ChunkSource = plainChunks,
  ) {
    if (!(chunkBytes > 0)) throw new RangeError(`an arena needs a positive chunk size, got ${chunkBytes}`)
  }

  float64(length: number): Float64Array {
    const at = this.take(length * 8)
    return new Float64Array(this.chunk, at, length)
  }

  int32(length: number): Int32Array {
    const at = this.take(length * 4)
    return new Int32Array(this.chunk, at, length)
  }

  uint32(length: number): Uint32Array {
    const at = this.take(length * 4)
    return new Uint32Array(this.chunk, at, length)
  }

  uint8(length: number): Uint8Array {
    const at = this.take(length)
    return new Uint8Array(this.chunk, at, length)
  }

  /** No more columns will be cut; the ones cut stay valid. */
  close(): void {
    if (this.chunk.byteLength > 0) this.source.release?.(this.chunk)
    this.chunk = new ArrayBuffer(0)
    this.used = 0
  }

  /** Reserves `bytes` at an 8-byte boundary of the current chunk (a new one if it does not fit); returns the offset. */
  private take(bytes: number): number {
    const start = Math.ceil(this.used / 8) * 8
    if (start + bytes <= this.chunk.byteLength) {
      this.used = start + bytes
      this.source.used?.(this.chunk, this.used)
      return start
    }
    if (this.chunk.byteLength > 0) this.source.release?.(this.chunk)
    this.chunk = this.source.allocate(Math.max(this.chunkBytes, bytes))
    this.used = bytes
    this.source.used?.(this.chunk, this.used)
    return 0
  }
}

/**
 * The column as its own buffer when it is a view into a larger, unshared one: what to post to
 * another thread (structured clone copies a view's whole buffer).
 */
export function compactColumn<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(column: T): T {
  const whole = column.byteOffset === 0 && column.byteLength === column.buffer.byteLength
  return whole || column.buffer instanceof SharedArrayBuffer ? column : (column.slice() as T)
}
