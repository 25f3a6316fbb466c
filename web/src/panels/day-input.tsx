/**
 * A day written yyyy-mm-dd whatever the browser's language. A native <input type="date"> shows
 * the browser's own format (mm/dd/yyyy in an American English browser), so the day is a text
 * field that takes yyyy-mm-dd (committed as soon as it is a real day, or emptied), and a
 * calendar button opens the browser's own picker on a hidden date input for choosing instead.
 */
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `text` is a real calendar day written yyyy-mm-dd. */
export function isDay(text: string): boolean {
  const match = DAY_PATTERN.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

export interface DayInputProps {
  /** yyyy-mm-dd, or '' for none. */
  value: string
  /** A real day, or null when the field is emptied (only if `clearable`). */
  onChange: (day: string | null) => void
  label: string
  clearable?: boolean
  testId?: string
}

export function DayInput({ value, onChange, label, clearable = false, testId }: DayInputProps) {
  const { t } = useTranslation()
  const [text, setText] = useState(value)
  const native = useRef<HTMLInputElement>(null)
  useEffect(() => setText(value), [value])

  const commit = (next: string) => {
    if (next === value) return
    if (isDay(next)) onChange(next)
    else if (next === '' && clearable) onChange(null)
  }
  const invalid = text !== '' && !isDay(text)

  return (
    <span className="day-input">
      <input
        className="day-input__text"
        type="text"
        inputMode="numeric"
        aria-label={label}
        aria-invalid={invalid || undefined}
        placeholder={t('dayInput.placeholder')}
        pattern="\d{4}-\d{2}-\d{2}"
        maxLength={10}
        value={text}
        spellCheck={false}
        autoComplete="off"
        data-testid={testId}
        onChange={(event) => {
          setText(event.target.value)
          if (isDay(event.target.value)) commit(event.target.value)
        }}
        onBlur={() => (invalid ? setText(value) : commit(text))}
        onKeyDown={(event) => event.key === 'Enter' && commit(text)}
      />
      <button type="button" className="day-input__pick" aria-label={t('dayInput.pick', { label })} onClick={() => native.current?.showPicker()}>
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <rect x="2.5" y="3.5" width="11" height="10" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M2.5 6.5h11M5.5 2v3M10.5 2v3" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
        </svg>
      </button>
      <input
        ref={native}
        className="day-input__native"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        value={isDay(text) ? text : ''}
        onChange={(event) => {
          setText(event.target.value)
          commit(event.target.value)
        }}
      />
    </span>
  )
}
