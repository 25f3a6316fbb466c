/**
 * Horizontal bars in plain SVG: one row per item (label, bar, value), largest first as given.
 * A row is a button when `onSelect` is set: clicking (or Enter) filters by it. Rows carry their
 * key and value as data attributes, so a test can read what the chart says without pixels.
 */
import type { KeyboardEvent } from 'react'

export interface BarItem {
  key: string
  label: string
  value: number
  /** CSS colour of the bar; the accent when missing. */
  color?: string
}

export interface BarChartProps {
  items: readonly BarItem[]
  /** Accessible name of the chart. */
  label: string
  onSelect?: (key: string) => void
  /** Tooltip of a clickable row. */
  selectHint?: string
  format?: (value: number) => string
  width?: number
}

const ROW = 22
const LABEL_W = 118
const VALUE_W = 54

export function BarChart({ items, label, onSelect, selectHint, format = String, width = 372 }: BarChartProps) {
  const max = Math.max(1, ...items.map((item) => item.value))
  const barSpace = width - LABEL_W - VALUE_W
  const onKey = (key: string) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      onSelect?.(key)
    }
  }
  return (
    <svg
      className="bar-chart"
      role="list"
      aria-label={label}
      width={width}
      height={Math.max(ROW, items.length * ROW)}
      viewBox={`0 0 ${width} ${Math.max(ROW, items.length * ROW)}`}
    >
      {items.map((item, i) => (
        // biome-ignore lint/a11y/noStaticElementInteractions: the row has role=button whenever it has handlers (the rule cannot see the condition).
        <g
          key={item.key}
          role={onSelect ? 'button' : 'listitem'}
          tabIndex={onSelect ? 0 : undefined}
          aria-label={`${item.label}: ${format(item.value)}`}
          className={onSelect ? 'bar-chart__row bar-chart__row--clickable' : 'bar-chart__row'}
          data-key={item.key}
          data-value={item.value}
          transform={`translate(0 ${i * ROW})`}
          onClick={onSelect ? () => onSelect(item.key) : undefined}
          onKeyDown={onSelect ? onKey(item.key) : undefined}
        >
          {onSelect && selectHint && <title>{selectHint}</title>}
          <rect className="bar-chart__hit" x={0} y={0} width={width} height={ROW} />
          <text className="bar-chart__label" x={LABEL_W - 8} y={ROW / 2} textAnchor="end" dominantBaseline="central">
            {fitLabel(item.label, LABEL_W - 12)}
          </text>
          <rect
            className="bar-chart__bar"
            x={LABEL_W}
            y={4}
            width={Math.max(item.value > 0 ? 2 : 0, (item.value / max) * barSpace)}
            height={ROW - 8}
            rx={2}
            style={item.color ? { fill: item.color } : undefined}
          />
          <text className="bar-chart__value" x={width - 4} y={ROW / 2} textAnchor="end" dominantBaseline="central">
            {format(item.value)}
          </text>
        </g>
      ))}
    </svg>
  )
}

/** Roughly how wide a character is at the label's 12px: CJK full width, Latin about half. */
const charWidth = (c: string) => (c.charCodeAt(0) > 0x2e80 ? 12 : 6.8)

/** The label, cut with … to fit `maxPx` (SVG text does not wrap or clip by itself). */
export function fitLabel(text: string, maxPx: number): string {
  const chars = [...text]
  let width = 0
  for (let i = 0; i < chars.length; i++) {
    width += charWidth(chars[i]!)
    if (width > maxPx) return `${chars.slice(0, Math.max(1, i - 1)).join('')}…`
  }
  return text
}
