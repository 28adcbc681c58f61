/** Progress of a long call, addressed by the caller's callId. */
export interface ProgressEvent {
  callId: string
  /** Units done so far (rows, bytes, players …) — whole numbers. */
  done: number
  /** Total units when known; absent for open-ended work. */
  total?: number
  unit: string
  message?: string
}

export const callIdPattern = /^[A-Za-z0-9_-]{1,64}$/
