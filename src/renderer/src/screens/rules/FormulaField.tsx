// The reward formula: checked by the backend's parser as the operator types (debounced), the error
// position pointed at under the text, and metric names completed from the catalogue.
import { Box, Button, Code, Group, Paper, Stack, Text, TextInput, UnstyledButton } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { FormulaCheckResult } from '../../../../shared/api/types-desk'
import { metricCatalogue } from '../../../../shared/metric-catalogue'
import { api } from '../../api/client'
import { closestName, wordAt } from './rule-form'

const functions = ['min', 'max', 'round', 'floor', 'ceil', 'abs', 'clamp', 'if']
const suggestionsMax = 6

interface Props {
  value: string
  onChange: (value: string) => void
  /** A position the last save reported, shown until the text changes. */
  savedError?: { message: string; position?: number; validNames?: string[] }
}

export function FormulaField({ value, onChange, savedError }: Props) {
  const [debounced] = useDebouncedValue(value, 200)
  const [check, setCheck] = useState<{ text: string; result: FormulaCheckResult } | undefined>()
  const [cursor, setCursor] = useState<number | null>(null)
  const [highlight, setHighlight] = useState(0)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    let current = true
    if (debounced.trim() === '') return
    void api.call('rules/check-formula', { formula: debounced }).then((reply) => {
      if (current && reply.data) setCheck({ text: debounced, result: reply.data })
    })
    return () => {
      current = false
    }
  }, [debounced])

  const typed = cursor === null ? undefined : wordAt(value, cursor)
  const suggestions = useMemo(() => {
    if (!typed || typed.word.length < 1 || /^\d/.test(typed.word)) return []
    const prefix = typed.word.toLowerCase()
    const metrics = metricCatalogue.filter((metric) => metric.name.startsWith(prefix) && metric.name !== prefix).map((metric) => ({ name: metric.name, hint: metric.description }))
    const calls = functions.filter((name) => name.startsWith(prefix) && name !== prefix).map((name) => ({ name, hint: 'function' }))
    return [...metrics, ...calls].slice(0, suggestionsMax)
  }, [typed])

  const accept = (name: string) => {
    if (!typed) return
    const next = value.slice(0, typed.start) + name + value.slice(cursor ?? typed.start)
    onChange(next)
    const at = typed.start + name.length
    setCursor(null)
    requestAnimationFrame(() => {
      input.current?.focus()
      input.current?.setSelectionRange(at, at)
    })
  }

  // The live check answers for the text as typed; the save's error only until the text changes.
  const live = check && check.text === value ? check.result : undefined
  const error = live && !live.ok ? { message: live.message, position: live.position, validNames: live.validNames } : !live && savedError ? savedError : undefined
  const position = error?.position !== undefined ? Math.min(error.position, value.length) : undefined
  // An unknown name: offer the nearest valid one.
  const unknown = position !== undefined && error?.validNames ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(value.slice(position))?.[0] : undefined
  const suggestion = unknown ? closestName(unknown, error!.validNames!) : undefined

  return (
    <Stack gap={4}>
      <TextInput
        ref={input}
        label="Formula"
        description="Arithmetic over metrics (money in major units), e.g. min(net_loss * 0.10, 100)"
        value={value}
        error={error ? true : undefined}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        data-testid="formula-input"
        aria-invalid={error ? true : undefined}
        onChange={(event) => {
          onChange(event.currentTarget.value)
          setCursor(event.currentTarget.selectionStart)
          setHighlight(0)
        }}
        onKeyUp={(event) => setCursor(event.currentTarget.selectionStart)}
        onClick={(event) => setCursor(event.currentTarget.selectionStart)}
        // Options take the click on mouse-down without taking focus, so leaving the field closes the list at once.
        onBlur={() => setCursor(null)}
        onKeyDown={(event) => {
          if (suggestions.length === 0) return
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault()
            setHighlight((index) => (index + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length)
          } else if (event.key === 'Tab' || event.key === 'Enter') {
            event.preventDefault()
            accept(suggestions[Math.min(highlight, suggestions.length - 1)]!.name)
          } else if (event.key === 'Escape') setCursor(null)
        }}
      />
      {suggestions.length > 0 ? (
        <Paper withBorder shadow="sm" p={4} role="listbox" aria-label="Metric names" data-testid="formula-suggestions">
          {suggestions.map((suggestion, index) => (
            <UnstyledButton
              key={suggestion.name}
              role="option"
              aria-selected={index === highlight}
              display="block"
              w="100%"
              px="xs"
              py={2}
              style={{ borderRadius: 4, background: index === highlight ? 'var(--mantine-color-default-hover)' : undefined }}
              onMouseDown={(event) => {
                event.preventDefault()
                accept(suggestion.name)
              }}
            >
              <Group gap="xs" wrap="nowrap">
                <Code>{suggestion.name}</Code>
                <Text size="xs" c="dimmed" truncate>
                  {suggestion.hint}
                </Text>
              </Group>
            </UnstyledButton>
          ))}
        </Paper>
      ) : null}
      {error ? (
        <Box data-testid="formula-error" role="alert">
          {position !== undefined ? (
            <Code block fz="sm" style={{ whiteSpace: 'pre' }}>
              {value.slice(0, position)}
              <span style={{ textDecoration: 'underline wavy var(--mantine-color-red-6)', color: 'var(--mantine-color-red-6)', fontWeight: 700 }}>
                {value.slice(position, position + 1) || ' '}
              </span>
              {value.slice(position + 1)}
              {'\n'}
              {' '.repeat(position)}
              <span style={{ color: 'var(--mantine-color-red-6)' }}>^ position {position + 1}</span>
            </Code>
          ) : null}
          {suggestion && unknown && position !== undefined ? (
            <Button
              size="compact-sm"
              variant="light"
              mt={4}
              onClick={() => onChange(value.slice(0, position) + suggestion + value.slice(position + unknown.length))}
              data-testid="formula-did-you-mean"
            >
              Did you mean {suggestion}?
            </Button>
          ) : null}
          <Text size="sm" c="red" mt={4}>
            {error.message}
          </Text>
        </Box>
      ) : live?.ok ? (
        <Text size="xs" c="dimmed" data-testid="formula-ok">
          ✓ Valid formula{live.metrics.length ? ` · reads ${live.metrics.join(', ')}` : ''}
        </Text>
      ) : null}
    </Stack>
  )
}
