/**
 * Jump to a grid cell by name or code: a combobox (WAI-ARIA pattern) over /api/grids/search,
 * asked only once typing pauses. ↑/↓ move through the results, Enter opens the highlighted one,
 * Escape closes the list (and then clears the box) without reaching the map's "up" shortcut.
 */
import { useId, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { GridSearchResult } from '../api/client.ts'
import { useGridSearch } from '../api/queries.ts'
import { useDebouncedValue } from '../hooks/use-debounced-value.ts'
import { asGridLevel, LEVEL_NAME_KEYS } from '../i18n/levels.ts'

const DEBOUNCE_MS = 200

export interface SearchBoxProps {
  onSelect: (result: GridSearchResult) => void
}

export function SearchBox({ onSelect }: SearchBoxProps) {
  const { t } = useTranslation()
  const id = useId()
  const [text, setText] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS)
  const search = useGridSearch(query)
  const results = query && text.trim() ? (search.data ?? []) : []
  const expanded = open && text.trim().length > 0
  const waiting = text.trim() !== query || search.isFetching

  const pick = (result: GridSearchResult | undefined, input: HTMLInputElement) => {
    if (!result) return
    onSelect(result)
    setText('')
    setOpen(false)
    input.blur()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault()
        setOpen(true)
        setActive((i) => (results.length ? (i + 1) % results.length : 0))
        break
      case 'ArrowUp':
        event.preventDefault()
        setOpen(true)
        setActive((i) => (results.length ? (i - 1 + results.length) % results.length : 0))
        break
      case 'Enter':
        event.preventDefault()
        if (!waiting) pick(results[active] ?? results[0], event.currentTarget)
        break
      case 'Escape':
        // Handled here: the app's Escape (one level up) must not fire while typing.
        event.preventDefault()
        event.stopPropagation()
        if (expanded) setOpen(false)
        else setText('')
        break
    }
  }

  const listId = `${id}-results`
  const optionId = (i: number) => `${id}-option-${i}`
  return (
    <div className="search-box" role="search">
      <svg className="search-box__icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="m10.5 10.5 3.5 3.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        className="search-box__input"
        type="text"
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && results[active] ? optionId(active) : undefined}
        placeholder={t('search.placeholder')}
        value={text}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => {
          setText(event.target.value)
          setActive(0)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {expanded && (
        <div className="search-box__dropdown">
          <ul id={listId} role="listbox" aria-label={t('search.results')} className="search-box__results">
            {results.map((result, i) => (
              <li
                key={result.code}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className="search-box__option"
                // mousedown, not click: the input's blur would close the list before a click lands.
                onMouseDown={(event) => {
                  event.preventDefault()
                  pick(result, event.currentTarget.closest('.search-box')!.querySelector('input')!)
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span className="search-box__name">{result.name}</span>
                <span className="search-box__level">{t(LEVEL_NAME_KEYS[asGridLevel(result.level)])}</span>
                {result.context && <span className="search-box__context">{result.context}</span>}
              </li>
            ))}
          </ul>
          {results.length === 0 && (
            <div className="search-box__note" role="status">
              {search.isError ? t('search.error') : waiting ? t('search.searching') : t('search.none', { query: text.trim() })}
            </div>
          )}
        </div>
      )}
    </div>
  )
}
