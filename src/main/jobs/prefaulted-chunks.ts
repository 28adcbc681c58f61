// Arena chunks whose pages a second thread maps ahead of use. On the VMs we run on, the first
// write to each fresh 4 KB page costs ~15–20 µs (the host maps it), and a what-if over a million
// players writes ~400 MB of fresh columns (a process run ~300 MB): 1.5–2 s of the main thread's
// time stalled, while the second core idles. The faults are independent per page, so a helper thread that writes to each
// page just ahead of the arena's allocations takes that cost off the critical path (measured at
// 1M: the what-if from ~3.8 s to ~2.7 s, the process run's evaluation from ~6.2 s to ~5.1 s). The same idea as the JVM's AlwaysPreTouch, bounded here to a
// window past what the arena has cut so far, so it maps little that is never used.
//
// The helper writes with Atomics.add(…, 0): an atomic read-modify-write that leaves the byte as it
// is, so it can never overwrite what the main thread has written. Chunks are SharedArrayBuffers
// (the only memory two threads can share); columns over them work like any others.
import { Worker } from 'node:worker_threads'
import type { ChunkSource } from '../engine/column-arena'

const pageBytes = 4096
/** Below this a chunk is a plain buffer: starting a thread (~30 ms) costs more than it saves. */
const minimumPrefaultBytes = 64 * 1024 * 1024
/** How far past the arena's allocations the helper maps pages. */
const windowBytes = 64 * 1024 * 1024
/** A helper with no new allocation to follow for this long stops (a job abandoned mid-way). */
const idleMilliseconds = 2000

// Plain JavaScript for a worker started from source (eval: true): it needs no file beside the
// bundle, so it runs the same from the built app, the CLI, tests and the benchmark. It is this
// constant text, never operator input.
const helperSource = `
const { workerData } = require('node:worker_threads')
const bytes = new Uint8Array(workerData.chunk)
const state = new Int32Array(workerData.state) // [0] stop, [1] pages cut so far
const pages = Math.ceil(bytes.length / ${pageBytes})
const windowPages = ${windowBytes / pageBytes}
let next = 0
while (next < pages && Atomics.load(state, 0) === 0) {
  const cut = Atomics.load(state, 1)
  const to = Math.min(pages, cut + windowPages)
  if (next >= to) {
    if (Atomics.wait(state, 1, cut, ${idleMilliseconds}) === 'timed-out') break
    continue
  }
  for (; next < to; next += 1) Atomics.add(bytes, next * ${pageBytes}, 0)
}
`

interface Helper {
  state: Int32Array
  worker: Worker
}

export interface PrefaultedChunks extends ChunkSource {
  /** Resolves when every helper started so far has stopped (after its chunk's release, or idle). */
  settled(): Promise<void>
}

/**
 * A ChunkSource whose large chunks are mapped ahead of use by a helper thread per chunk.
 * `minimumBytes`: smaller chunks are plain buffers with no helper (tests lower it).
 */
export function prefaultedChunks(options: { minimumBytes?: number } = {}): PrefaultedChunks {
  const minimumBytes = options.minimumBytes ?? minimumPrefaultBytes
  const helpers = new WeakMap<ArrayBufferLike, Helper>()
  const running = new Set<Promise<void>>()
  return {
    allocate(bytes) {
      // Plain memory where shared memory or a helper is not to be had (a host that disables them):
      // the pages are then mapped on first use, as without this source.
      if (bytes < minimumBytes || typeof SharedArrayBuffer !== 'function') return new ArrayBuffer(bytes)
      const chunk = new SharedArrayBuffer(bytes)
      const state = new Int32Array(new SharedArrayBuffer(8))
      let worker: Worker
      try {
        worker = new Worker(helperSource, { eval: true, workerData: { chunk, state: state.buffer } })
      } catch {
        return chunk
      }
      // Never keeps a process alive, and a failure only means the pages are mapped on first use.
      worker.unref()
      worker.on('error', () => {})
      const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      running.add(stopped)
      void stopped.then(() => running.delete(stopped))
      helpers.set(chunk, { state, worker })
      return chunk
    },
    used(chunk, bytes) {
      const helper = helpers.get(chunk)
      if (!helper) return
      Atomics.store(helper.state, 1, Math.ceil(bytes / pageBytes))
      Atomics.notify(helper.state, 1)
    },
    release(chunk) {
      const helper = helpers.get(chunk)
      if (!helper) return
      helpers.delete(chunk)
      Atomics.store(helper.state, 0, 1)
      Atomics.notify(helper.state, 1)
    },
    async settled() {
      await Promise.all([...running])
    },
  }
}
