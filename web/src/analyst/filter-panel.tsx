/**
 * The filter panel: category tree (families and subcategories), status, severity, time (relative
 * presets or absolute dates), grid subtree (the dashboard's search box), overdue / escalated
 * only, and free text on titles. Each control commits a whole new filter (one history entry);
 * the text box commits on Enter or when it loses focus, never per keystroke.
 */
import { memo, useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { CategoryNode } from '../api/client.ts'
import { useGridCell } from '../api/queries.ts'
import { SearchBox } from '../panels/search-box.tsx'
import { DayInput } from '../panels/day-input.tsx'
import { familyState, isSubcategoryChecked, toggleFamily, toggleSubcategory } from './category-selection.ts'
import { DEFAULT_FILTER, RANGES, SEVERITIES, STATUSES, toggled, type AnalystFilter } from './filter-state.ts'

export interface FilterPanelProps {
  filter: AnalystFilter
  onCommit: (next: AnalystFilter) => void
  categories: readonly CategoryNode[] | undefined
  /** Export buttons and the like, under the filters. */
  footer?: ReactNode
}

/** Memoised: playback re-renders the page every frame, and the filters do not move with it. */
export const FilterPanel = memo(function FilterPanel({ filter, onCommit, categories, footer }: FilterPanelProps) {
  const { t, i18n } = useTranslation()
  const english = i18n.resolvedLanguage?.startsWith('en')
  const set = (patch: Partial<AnalystFilter>) => onCommit({ ...filter, ...patch })
  // The server wants from before to: dates picked the other way round are swapped.
  const setWindow = (from: string | null, to: string | null) =>
    from && to && from > to ? set({ range: null, from: to, to: from }) : set({ range: null, from, to })
  const [open, setOpen] = useState<string | null>(null)
  const gridCell = useGridCell(filter.grid ?? undefined)

  return (
    <aside className="analyst-filters" aria-label={t('analyst.filters.heading')}>
      <div className="analyst-filters__head">
        <h2 className="panel__eyebrow">{t('analyst.filters.heading')}</h2>
        <button type="button" className="link-button" onClick={() => onCommit(DEFAULT_FILTER)}>
          {t('analyst.filters.reset')}
        </button>
      </div>

      <Group title={t('analyst.filters.text')}>
        <TextFilter value={filter.q} placeholder={t('analyst.filters.textPlaceholder')} onCommit={(q) => set({ q })} />
      </Group>

      <Group title={t('analyst.filters.category')}>
        <ul className="category-tree">
          {categories?.map((family) => {
            const state = familyState(filter.category, family)
            return (
              <li key={family.code} className="category-tree__family">
                <div className="category-tree__row">
                  <button
                    type="button"
                    className="category-tree__expand"
                    aria-expanded={open === family.code}
                    aria-label={t('analyst.filters.expand')}
                    onClick={() => setOpen(open === family.code ? null : family.code)}
                  >
                    {open === family.code ? '▾' : '▸'}
                  </button>
                  <label className="check">
                    <input
                      type="checkbox"
                      data-category={family.code}
                      checked={state === 'checked'}
                      ref={(el) => {
                        if (el) el.indeterminate = state === 'mixed'
                      }}
                      onChange={() => set({ category: toggleFamily(filter.category, family) })}
                    />
                    <span className="category-tree__swatch" style={{ background: family.color }} />
                    {english ? family.nameEn : family.nameZh}
                  </label>
                </div>
                {open === family.code && (
                  <ul className="category-tree__children">
                    {family.children.map((child) => (
                      <li key={child.code}>
                        <label className="check">
                          <input
                            type="checkbox"
                            data-category={child.code}
                            checked={isSubcategoryChecked(filter.category, family, child.code)}
                            onChange={() => set({ category: toggleSubcategory(filter.category, family, child.code) })}
                          />
                          {english ? child.nameEn : child.nameZh}
                        </label>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            )
          })}
        </ul>
      </Group>

      <Group title={t('analyst.filters.time')}>
        <div className="chips" role="group" aria-label={t('analyst.filters.relative')}>
          {RANGES.map((range) => (
            <button key={range} type="button" className="chip" aria-pressed={filter.range === range} onClick={() => set({ range, from: null, to: null })}>
              {t(`analyst.ranges.r${range}`)}
            </button>
          ))}
        </div>
        <div className="date-range">
          <DateInput
            label={t('analyst.filters.from')}
            value={filter.range ? null : filter.from}
            onCommit={(from) => setWindow(from, filter.range ? null : filter.to)}
          />
          <DateInput
            label={t('analyst.filters.to')}
            value={filter.range ? null : filter.to}
            endOfDay
            onCommit={(to) => setWindow(filter.range ? null : filter.from, to)}
          />
        </div>
      </Group>

      <Group title={t('analyst.filters.grid')}>
        {filter.grid && (
          <div className="grid-chip">
            <span>{gridCell.data?.code === filter.grid ? gridCell.data.name : filter.grid}</span>
            <button type="button" className="link-button" aria-label={t('analyst.filters.clearGrid')} onClick={() => set({ grid: null })}>
              ✕
            </button>
          </div>
        )}
        <SearchBox onSelect={(result) => set({ grid: result.code })} />
      </Group>

      <Group title={t('analyst.filters.status')}>
        <div className="chips">
          {STATUSES.map((status) => (
            <button
              key={status}
              type="button"
              className="chip"
              data-status={status}
              aria-pressed={filter.status.includes(status)}
              onClick={() => set({ status: toggled(filter.status, status) })}
            >
              {t(`status.${status}`)}
            </button>
          ))}
        </div>
      </Group>

      <Group title={t('analyst.filters.severity')}>
        <div className="chips">
          {SEVERITIES.map((severity) => (
            <button
              key={severity}
              type="button"
              className="chip"
              data-severity={severity}
              aria-pressed={filter.severity.includes(severity)}
              onClick={() => set({ severity: toggled(filter.severity, severity) })}
            >
              {t(`severity.s${severity}`)}
            </button>
          ))}
        </div>
      </Group>

      <Group title={t('analyst.filters.flags')}>
        <label className="check">
          <input type="checkbox" name="overdue" checked={filter.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
          {t('analyst.filters.overdue')}
        </label>
        <label className="check">
          <input type="checkbox" name="escalated" checked={filter.escalated} onChange={(e) => set({ escalated: e.target.checked })} />
          {t('analyst.filters.escalated')}
        </label>
      </Group>
      {footer}
    </aside>
  )
})

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="analyst-filters__group">
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  )
}

/** Typing is local; Enter or leaving the box commits it (one history entry per search). */
function TextFilter({ value, placeholder, onCommit }: { value: string; placeholder: string; onCommit: (q: string) => void }) {
  const [text, setText] = useState(value)
  useEffect(() => setText(value), [value])
  const commit = () => {
    if (text.trim() !== value) onCommit(text.trim())
  }
  return (
    <input
      className="text-input"
      type="search"
      name="q"
      value={text}
      placeholder={placeholder}
      maxLength={100}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
      }}
      onBlur={commit}
    />
  )
}

/** A day, as the analyst's local date: its start (from), or with `endOfDay` the next day's start (to, exclusive). */
function DateInput({
  label,
  value,
  endOfDay = false,
  onCommit,
}: {
  label: string
  value: string | null
  endOfDay?: boolean
  onCommit: (iso: string | null) => void
}) {
  const DAY = 86_400_000
  const shown = value ? localDate(new Date(Date.parse(value) - (endOfDay ? 1 : 0))) : ''
  return (
    <div className="date-input">
      <span aria-hidden="true">{label}</span>
      <DayInput
        label={label}
        value={shown}
        clearable
        onChange={(day) => {
          if (!day) return onCommit(null)
          const start = new Date(`${day}T00:00:00`).getTime()
          onCommit(new Date(endOfDay ? start + DAY : start).toISOString())
        }}
      />
    </div>
  )
}

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
