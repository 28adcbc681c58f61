// One dispatcher serves every transport (Electron IPC, the web host, tests): it validates the
// name, the callId and the input against the contract, runs the handler, and turns every
// outcome into an ApiResult. The renderer is untrusted, so nothing it sends is used unchecked.
import { contract, type MethodName, type ParsedInputOf, type ResultOf } from '../../shared/api/contract'
import { ApiFailure, type ApiResult } from '../../shared/api/result'
import { callIdPattern, type ProgressEvent } from '../../shared/api/progress'

export interface HandlerContext {
  /** Aborted when the caller cancels (`job/cancel`) or goes away. */
  signal: AbortSignal
  progress(update: Omit<ProgressEvent, 'callId'>): void
}

export type Handler<K extends MethodName> = (
  input: ParsedInputOf<K>,
  context: HandlerContext,
) => ResultOf<K> | Promise<ResultOf<K>>

/** job/cancel is served by the dispatcher itself, since only it knows the running calls. */
export type HandlerMap = { [K in Exclude<MethodName, 'job/cancel'>]: Handler<K> }
export type HandlerGroup = Partial<HandlerMap>

export type ProgressSink = (event: ProgressEvent) => void

export interface Dispatcher {
  dispatch(name: unknown, input: unknown, callId: unknown, sink: ProgressSink): Promise<ApiResult<unknown>>
  /** Cancel every running call (window closed, server stopping). */
  cancelAll(): void
}

/** Joins per-domain handler groups, refusing a name served twice or a name left unserved. */
export function joinHandlers(...groups: HandlerGroup[]): HandlerMap {
  const joined: Record<string, unknown> = {}
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (Object.hasOwn(joined, name)) throw new Error(`API method ${name} is registered twice`)
      joined[name] = handler
    }
  }
  for (const name of Object.keys(contract)) {
    if (name !== 'job/cancel' && !Object.hasOwn(joined, name)) throw new Error(`API method ${name} has no handler`)
  }
  return joined as HandlerMap
}

function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(contract, name)
}

export function createDispatcher(handlers: HandlerMap, logError: (error: unknown) => void = console.error): Dispatcher {
  const running = new Map<string, AbortController>()

  async function dispatch(name: unknown, input: unknown, callId: unknown, sink: ProgressSink): Promise<ApiResult<unknown>> {
    if (!isMethodName(name)) {
      return { error: { code: 'unknown_method', message: `There is no API method named ${JSON.stringify(String(name)).slice(0, 80)}.` } }
    }
    if (typeof callId !== 'string' || !callIdPattern.test(callId)) {
      return { error: { code: 'invalid_input', message: 'callId must be 1–64 letters, digits, "-" or "_".' } }
    }
    const parsed = contract[name].input.safeParse(input)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
      const first = issues[0]
      const where = first?.path ? ` at "${first.path}"` : ''
      return {
        error: { code: 'invalid_input', message: `Invalid input for ${name}${where}: ${first?.message ?? 'rejected'}.`, details: issues },
      }
    }
    if (name === 'job/cancel') {
      const target = running.get((parsed.data as { callId: string }).callId)
      target?.abort()
      return { data: { cancelled: target !== undefined } }
    }
    if (running.has(callId)) {
      return { error: { code: 'conflict', message: `A call with id ${callId} is already running.` } }
    }
    const controller = new AbortController()
    running.set(callId, controller)
    const context: HandlerContext = {
      signal: controller.signal,
      progress: (update) => {
        if (!controller.signal.aborted) sink({ ...update, callId })
      },
    }
    try {
      const handler = handlers[name] as Handler<typeof name>
      const data = await handler(parsed.data as never, context)
      if (controller.signal.aborted) return { error: { code: 'cancelled', message: `${name} was cancelled.` } }
      return { data }
    } catch (error) {
      if (error instanceof ApiFailure) {
        return { error: { code: error.code, message: error.message, details: error.details } }
      }
      if (controller.signal.aborted) return { error: { code: 'cancelled', message: `${name} was cancelled.` } }
      // A long job (an import, processing) holds the database's write lock in its worker thread.
      if (isBusy(error)) {
        return { error: { code: 'conflict', message: `${name} could not write: another job (an import or processing) is writing to the database. Try again when it has finished.` } }
      }
      logError(error)
      return { error: { code: 'internal', message: `${name} failed unexpectedly; the details are in the log.` } }
    } finally {
      running.delete(callId)
    }
  }

  return {
    dispatch,
    cancelAll() {
      for (const controller of running.values()) controller.abort()
    },
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_BUSY_TIMEOUT'
}
