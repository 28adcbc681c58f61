// Inputs of the Settings form: each reads and writes one path of the draft and shows its error.
// They never clamp: a value out of range is shown with its message rather than silently changed.
import { NumberInput, type NumberInputProps } from '@mantine/core'
import { fromPercent, percentError, toPercent } from './validation'

type Base = Omit<NumberInputProps, 'value' | 'onChange' | 'error'> & { error?: string }

/** A required number: clearing it leaves null, which validation reports instead of a silent default. */
export function NumberField({ value, onChange, ...props }: Base & { value: number | null | undefined; onChange: (value: number | null) => void }) {
  return <NumberInput clampBehavior="none" {...props} value={value ?? ''} onChange={(next) => onChange(typeof next === 'number' ? next : null)} />
}

/** An optional number: empty means "none" (no cap, never expires). */
export function OptionalNumberField({ value, onChange, ...props }: Base & { value: number | undefined; onChange: (value: number | undefined) => void }) {
  return <NumberInput clampBehavior="none" {...props} value={value ?? ''} onChange={(next) => onChange(typeof next === 'number' ? next : undefined)} />
}

/** A share stored as 0.04 and edited as 4 %. */
export function PercentField({ value, onChange, error, ...props }: Base & { value: number | null | undefined; onChange: (value: number | null) => void }) {
  return <NumberInput clampBehavior="none" suffix=" %" decimalScale={4} {...props} error={percentError(error)} value={toPercent(value)} onChange={(next) => onChange(fromPercent(next))} />
}
