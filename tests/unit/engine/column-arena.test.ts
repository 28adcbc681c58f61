// The arena the what-if cuts its columns from: every column zeroed, aligned and apart from every
// other, chunks asked for as the columns need them, and views that would copy a whole chunk when
// posted made their own buffers.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ColumnArena, compactColumn, type ChunkSource } from '../../../src/main/engine/column-arena'

type Kind = 'float64' | 'int32' | 'uint32' | 'uint8'

function recordingSource() {
  const allocated: number[] = []
  const used: [ArrayBufferLike, number][] = []
  const released: ArrayBufferLike[] = []
  const source: ChunkSource = {
    allocate(bytes) {
      allocated.push(bytes)
      return new ArrayBuffer(bytes)
    },
    used: (chunk, bytes) => used.push([chunk, bytes]),
    release: (chunk) => released.push(chunk),
  }
  return { source, allocated, used, released }
}

describe('ColumnArena', () => {
  it('gives zeroed, 8-byte aligned columns that never overlap, whatever the mix of kinds and sizes', () => {
    const request = fc.record({ kind: fc.constantFrom<Kind>('float64', 'int32', 'uint32', 'uint8'), length: fc.integer({ min: 0, max: 300 }) })
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 2_000 }), fc.array(request, { maxLength: 40 }), (chunkBytes, requests) => {
        const arena = new ColumnArena(chunkBytes)
        const columns = requests.map(({ kind, length }) => arena[kind](length))
        columns.forEach((column, index) => {
          expect(column.length).toBe(requests[index]!.length)
          expect(column.byteOffset % 8).toBe(0)
          expect(column.every((value) => value === 0)).toBe(true)
          column.fill(index + 1)
        })
        // Had any two shared a byte, the later fill would show in the earlier column.
        columns.forEach((column, index) => expect(column.every((value) => value === index + 1)).toBe(true))
      }),
      { numRuns: 300 },
    )
  })

  it('asks its source for a chunk only when a column does not fit, and for a column larger than a chunk, exactly its size', () => {
    const { source, allocated, used } = recordingSource()
    const arena = new ColumnArena(1_024, source)
    arena.float64(100) // 800 bytes: first chunk
    arena.uint8(200) // 1,000: still fits
    arena.int32(10) // 1,040 > 1,024: second chunk
    arena.float64(1_000) // 8,000: a chunk of its own size
    expect(allocated).toEqual([1_024, 1_024, 8_000])
    expect(used.map(([, bytes]) => bytes)).toEqual([800, 1_000, 40, 8_000])
  })

  it('releases each chunk it leaves and the last one on close, and the columns cut stay valid', () => {
    const { source, released } = recordingSource()
    const arena = new ColumnArena(64, source)
    const first = arena.float64(8)
    first.fill(7)
    const second = arena.float64(8) // does not fit: the first chunk is released
    expect(released).toEqual([first.buffer])
    arena.close()
    expect(released).toEqual([first.buffer, second.buffer])
    expect(Array.from(first)).toEqual(new Array(8).fill(7))
  })

  it('refuses a chunk size that is not positive', () => {
    expect(() => new ColumnArena(0)).toThrow('an arena needs a positive chunk size, got 0')
  })
})

describe('compactColumn', () => {
  it('copies a view into a larger buffer, keeps a whole buffer and a shared one as they are', () => {
    const arena = new ColumnArena(1_024)
    const view = arena.float64(4)
    view.set([1, 2, 3, 4])
    const compacted = compactColumn(view)
    expect(compacted).not.toBe(view)
    expect(compacted.buffer.byteLength).toBe(32)
    expect(Array.from(compacted)).toEqual([1, 2, 3, 4])

    const whole = new Float64Array(4)
    expect(compactColumn(whole)).toBe(whole)
    const shared = new Float64Array(new SharedArrayBuffer(1_024), 64, 4)
    expect(compactColumn(shared)).toBe(shared)
  })
})
