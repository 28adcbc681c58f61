// The shape of one API method; every contract file (contract.ts and domains/*) builds with it.
import type { z } from 'zod'

/** query: reads only · command: writes · job: long, reports progress, can be cancelled. */
export type MethodKind = 'query' | 'command' | 'job'

export interface MethodSpec<Input extends z.ZodType, Result> {
  input: Input
  kind: MethodKind
  summary: string
  /** Phantom: carries the result type; never set at run time. */
  readonly result?: Result
}

export function method<Result>() {
  return <Input extends z.ZodType>(spec: { input: Input; kind: MethodKind; summary: string }) =>
    spec as MethodSpec<Input, Result>
}
