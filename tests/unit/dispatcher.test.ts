import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/api/contract'
import { methodNames } from '../../src/shared/api/method-names'
import { ApiFailure } from '../../src/shared/api/result'
import type { ProgressEvent } from '../../src/shared/api/progress'
import { createDispatcher, joinHandlers, type HandlerMap } from '../../src/main/api/dispatcher'

const info = { product: 'x', version: '0', runtime: 'test' as const, dataDir: '/d', database: {} as never, versions: { node: '20', sqlite: '3' } }

/** Every method answers "not used here" unless the test says otherwise; system/ping echoes. */
function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  const unused = Object.fromEntries(
    Object.keys(contract)
      .filter((name) => name !== 'job/cancel')
      .map((name) => [name, () => {
        throw new Error(`${name} is not used in this test`)
      }]),
  )
  return { ...unused, 'system/info': () => info, 'system/ping': ({ echo }: { echo: string }) => ({ echo }), ...overrides } as HandlerMap
}

const noProgress = () => undefined

describe('the API contract', () => {
  it('lists exactly the names the preload exposes', () => {
    expect(Object.keys(contract).sort()).toEqual([...methodNames].sort())
  })

  it('refuses unknown fields in every input, so a typo is an error and not silently ignored', () => {
    for (const [name, spec] of Object.entries(contract)) {
      const result = spec.input.safeParse({ surprise: 1 })
      expect(result.success, name).toBe(false)
    }
  })
})

describe('dispatch', () => {
  it('returns the handler result as data', async () => {
    const dispatcher = createDispatcher(handlers())
    expect(await dispatcher.dispatch('system/ping', { echo: 'hi' }, 'c1', noProgress)).toEqual({ data: { echo: 'hi' } })
  })

  it('refuses unknown method names, including inherited object keys', async () => {
    const dispatcher = createDispatcher(handlers())
    for (const name of ['nope/nothing', '__proto__', 'constructor', 'toString', 42, null]) {
      const result = await dispatcher.dispatch(name, {}, 'c1', noProgress)
      expect(result.error?.code).toBe('unknown_method')
    }
  })

  it('validates input and names the field and what was expected', async () => {
    const dispatcher = createDispatcher(handlers())
    const result = await dispatcher.dispatch('system/ping', { echo: 7 }, 'c1', noProgress)
    expect(result.error?.code).toBe('invalid_input')
    expect(result.error?.message).toMatch(/system\/ping at "echo".*expected string/)
    expect(result.error?.details).toEqual([{ path: 'echo', message: expect.stringMatching(/expected string/) }])
    const tooLong = await dispatcher.dispatch('system/ping', { echo: 'x'.repeat(1001) }, 'c1', noProgress)
    expect(tooLong.error?.code).toBe('invalid_input')
  })

  it('validates the callId', async () => {
    const dispatcher = createDispatcher(handlers())
    for (const callId of ['', 'has space', 'x'.repeat(65), 5, undefined]) {
      expect((await dispatcher.dispatch('system/ping', { echo: '' }, callId, noProgress)).error?.code).toBe('invalid_input')
    }
  })

  it('turns an expected failure into its code and message, and an unexpected one into a message without a stack', async () => {
    const logged: unknown[] = []
    const dispatcher = createDispatcher(
      handlers({
        'system/ping': ({ echo }) => {
          if (echo === 'refuse') throw new ApiFailure('refused', 'Not today.', { why: 'test' })
          throw new TypeError('secret internals at /home/x/file.ts:10')
        },
      }),
      (error) => logged.push(error),
    )
    expect(await dispatcher.dispatch('system/ping', { echo: 'refuse' }, 'c1', noProgress)).toEqual({
      error: { code: 'refused', message: 'Not today.', details: { why: 'test' } },
    })
    const broken = await dispatcher.dispatch('system/ping', { echo: 'boom' }, 'c2', noProgress)
    expect(broken.error?.code).toBe('internal')
    expect(JSON.stringify(broken)).not.toMatch(/secret|file\.ts|TypeError/)
    expect(logged).toHaveLength(1)
  })

  it('reports progress of a long call and cancels it through job/cancel', async () => {
    let release: () => void = () => undefined
    const started = new Promise<void>((resolve) => {
      release = resolve
    })
    const dispatcher = createDispatcher(
      handlers({
        'system/ping': async ({ echo }, context) => {
          for (let done = 0; done < 1000; done += 1) {
            if (context.signal.aborted) throw new Error('stopped')
            context.progress({ done, total: 1000, unit: 'rows' })
            if (done === 3) release()
            await new Promise((resolve) => setTimeout(resolve, 1))
          }
          return { echo }
        },
      }),
    )
    const events: ProgressEvent[] = []
    const running = dispatcher.dispatch('system/ping', { echo: 'x' }, 'job-1', (event) => events.push(event))
    await started
    expect(await dispatcher.dispatch('system/ping', { echo: 'x' }, 'job-1', noProgress)).toMatchObject({ error: { code: 'conflict' } })
    expect(await dispatcher.dispatch('job/cancel', { callId: 'job-1' }, 'c-cancel', noProgress)).toEqual({ data: { cancelled: true } })
    expect(await running).toMatchObject({ error: { code: 'cancelled' } })
    expect(events.length).toBeGreaterThanOrEqual(4)
    expect(events[0]).toEqual({ callId: 'job-1', done: 0, total: 1000, unit: 'rows' })
    expect(await dispatcher.dispatch('job/cancel', { callId: 'job-1' }, 'c-cancel2', noProgress)).toEqual({ data: { cancelled: false } })
  })
})

describe('joinHandlers', () => {
  it('refuses a name registered twice and a contract name left without a handler', () => {
    const all = handlers()
    expect(() => joinHandlers(all, { 'system/ping': all['system/ping'] })).toThrow(/registered twice/)
    const { 'db/info': _omitted, ...rest } = all
    expect(() => joinHandlers(rest)).toThrow(/db\/info has no handler/)
  })
})
