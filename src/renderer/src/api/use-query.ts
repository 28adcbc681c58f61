// Loads one API query for a screen and keeps loading / error / data apart, so every screen can
// show a skeleton, a readable error with Retry, or its content.
import { useCallback, useEffect, useState } from 'react'
import type { InputOf, MethodName, ResultOf } from '../../../shared/api/contract'
import type { ApiError } from '../../../shared/api/result'
import { api } from './client'

export interface QueryState<T> {
  data?: T
  error?: ApiError
  loading: boolean
  reload: () => void
}

export function useApiQuery<K extends MethodName>(name: K, input: InputOf<K>): QueryState<ResultOf<K>> {
  const [state, setState] = useState<{ data?: ResultOf<K>; error?: ApiError; loading: boolean }>({ loading: true })
  const [generation, setGeneration] = useState(0)
  const key = JSON.stringify(input)
  useEffect(() => {
    let current = true
    setState((previous) => ({ ...previous, loading: true }))
    void api.call(name, JSON.parse(key) as InputOf<K>).then((result) => {
      if (!current) return
      setState(result.error ? { error: result.error, loading: false } : { data: result.data, loading: false })
    })
    return () => {
      current = false
    }
  }, [name, key, generation])
  const reload = useCallback(() => setGeneration((value) => value + 1), [])
  return { ...state, reload }
}
