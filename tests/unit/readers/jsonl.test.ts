import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonlError, jsonlLineLengthMax, jsonlLinesMax, readJsonlFile, readJsonlRows, type JsonlItem, type JsonlReadOptions } from '../../../src/main/io/readers/jsonl'
import { useTempDir } from '../../helpers/temp'

const tempDir = useTempDir()

async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0
  let k = 0
  while (at < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length] ?? 1)
    yield bytes.subarray(at, at + size)
    at += size
  }
}

async function read(input: string | Uint8Array, options: JsonlReadOptions = {}, sizes: readonly number[] = [65_536]): Promise<JsonlItem[]> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input
  const items: JsonlItem[] = []
  for await (const item of readJsonlRows(chunked(bytes, sizes), options)) items.push(item)
  return items
}

describe('readJsonlRows', () => {
  it('yields one object per line with its line number; blank lines are skipped but counted', async () => {
    const text = '{"event_id":"E1","amount":12.5}\n\n   \n{"event_id":"E2","nested":{"a":[1,true,null]}}\r\n{"event_id":"E3"}'
    expect(await read(text)).toEqual([
      { rowNumber: 1, value: { event_id: 'E1', amount: 12.5 } },
      { rowNumber: 4, value: { event_id: 'E2', nested: { a: [1, true, null] } } },
      { rowNumber: 5, value: { event_id: 'E3' } },
    ])
  })

  it('drops a UTF-8 BOM and keeps non-ASCII text', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"player":"Zoë ✓ 𝄞"}\n', 'utf8')])
    expect(await read(bytes)).toEqual([{ rowNumber: 1, value: { player: 'Zoë ✓ 𝄞' } }])
  })

  it('quarantines lines that are not JSON objects and reads on', async () => {
    const text = ['{"ok":1}', '{"broken":', '[1,2]', '42', 'null', '"text"', '{"ok":2}'].join('\n')
    const items = await read(text)
    expect(items.map((item) => ('value' in item ? item.value : item.error.replace(/\(.*\)/, '(…)')))).toEqual([
      { ok: 1 },
      'Line 2 is not valid JSON (…).',
      'Line 3 is an array, not a JSON object with named fields.',
      'Line 4 is a number, not a JSON object with named fields.',
      'Line 5 is null, not a JSON object with named fields.',
      'Line 6 is a string, not a JSON object with named fields.',
      { ok: 2 },
    ])
    expect(items.map((item) => item.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('names the line and byte of invalid UTF-8 (never U+FFFD)', async () => {
    const bytes = Buffer.concat([Buffer.from('{"a":1}\n{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"a":3}\n')])
    expect(await read(bytes)).toEqual([
      { rowNumber: 1, value: { a: 1 } },
      { rowNumber: 2, error: 'Line 2 is not valid UTF-8 text (byte 0xE9 at position 13); save the file as UTF-8.' },
      { rowNumber: 3, value: { a: 3 } },
    ])
  })

  it('gives the same items whatever the chunk boundaries', async () => {
    const lines = ['{"id":"E1","v":"é"}', '', '{"id":"E2","__proto__":{"x":1}}', 'not json', '{"id":"E3","t":"2026-01-31T10:00:00Z"}\r', '{"id":"E4"}']
    const bytes = new TextEncoder().encode(`\uFEFF${lines.join('\n')}`)
    const whole = await read(bytes)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 8 }), async (sizes) => {
        expect(await read(bytes, {}, sizes)).toEqual(whole)
      }),
      { numRuns: 200 },
    )
    expect(whole.map((item) => item.rowNumber)).toEqual([1, 3, 4, 5, 6])
  })

  it('skips a line over the length limit, across chunks, and goes on', async () => {
    const text = `{"a":1}\n{"long":"${'x'.repeat(100)}"}\n{"a":3}\r\n`
    const options = { limits: { lineLengthMax: 50 } }
    for (const sizes of [[65_536], [7], [1]]) {
      expect(await read(text, options, sizes)).toEqual([
        { rowNumber: 1, value: { a: 1 } },
        { rowNumber: 2, error: 'Line 2 is longer than jsonlLineLengthMax (50 bytes); it was skipped.' },
        { rowNumber: 3, value: { a: 3 } },
      ])
    }
    // Exactly at the limit is fine, a CR before the LF does not count.
    expect(await read(`{"k":"${'y'.repeat(42)}"}\r\n`, options, [5])).toEqual([{ rowNumber: 1, value: { k: 'y'.repeat(42) } }])
    expect(jsonlLineLengthMax).toBe(1_048_576)
  })

  it('stops at the lines limit with a JsonlError naming it', async () => {
    const items: JsonlItem[] = []
    let failure: unknown
    try {
      for await (const item of readJsonlRows(chunked(new TextEncoder().encode('{"a":1}\n{"a":2}\n\n{"a":4}\n'), [3]), { limits: { linesMax: 3 } })) items.push(item)
    } catch (error) {
      failure = error
    }
    expect(items).toEqual([
      { rowNumber: 1, value: { a: 1 } },
      { rowNumber: 2, value: { a: 2 } },
    ])
    expect(failure).toBeInstanceOf(JsonlError)
    expect((failure as JsonlError).limit).toBe('jsonlLinesMax')
    expect((failure as JsonlError).message).toBe('Line 4 exceeds jsonlLinesMax (3 lines per file).')
    expect(jsonlLinesMax).toBe(10_000_000)
  })

  it('hands out objects without __proto__, constructor or prototype keys at any depth', async () => {
    const text = [
      '{"id":1,"__proto__":{"isAdmin":true}}',
      '{"id":2,"a":{"b":[{"constructor":{"prototype":{"isAdmin":true}}},{"__proto__":null}]}}',
      '{"id":3,"\\u005f\\u005fproto\\u005f\\u005f":{"isAdmin":true},"n\\u00e4me":"x"}',
      '{"id":4,"prototype":1,"constructorName":"kept","__proto__x":"kept"}',
    ].join('\n')
    const values = (await read(text)).map((item) => (item as { value: Record<string, unknown> }).value)
    expect(values).toEqual([{ id: 1 }, { id: 2, a: { b: [{}, {}] } }, { id: 3, näme: 'x' }, { id: 4, constructorName: 'kept', __proto__x: 'kept' }])
    for (const value of values) {
      const merged = Object.assign({}, value) as Record<string, unknown>
      expect(merged.isAdmin).toBeUndefined()
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
  })

  it('survives very deep nesting', async () => {
    const depth = 100_000
    const text = `{"deep":${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}}\n{"after":true}`
    const items = await read(text, { limits: { lineLengthMax: 1_000_000 } })
    expect(items).toHaveLength(2)
    expect(items[1]).toEqual({ rowNumber: 2, value: { after: true } })
  })
})

describe('readJsonlFile', () => {
  it('reads a file', async () => {
    const path = join(tempDir(), 'events.jsonl')
    writeFileSync(path, Array.from({ length: 10_000 }, (_, k) => JSON.stringify({ event_id: `E${k}`, amount: k / 4 })).join('\n') + '\n')
    const items: JsonlItem[] = []
    for await (const item of readJsonlFile(path)) items.push(item)
    expect(items).toHaveLength(10_000)
    expect(items[9_999]).toEqual({ rowNumber: 10_000, value: { event_id: 'E9999', amount: 9_999 / 4 } })
  })
})
