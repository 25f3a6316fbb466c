/**
 * The floating card next to the pointer; content comes from getCellTooltip. It is measured once
 * drawn and placed on the side of the pointer that covers the fewest map labels (`avoid`).
 */
import { useLayoutEffect, useRef, useState } from 'react'
import type { TooltipContent } from './cell-tooltip.ts'
import { placeTooltip, type Box } from './tooltip-placement.ts'

export interface TooltipPlacement {
  /** Pointer position in the map's pixels, and the map's size (to keep the card on screen). */
  x: number
  y: number
  width: number
  height: number
}

export interface MapTooltipProps {
  content: TooltipContent
  placement: TooltipPlacement
  /** Boxes of the labels drawn on the map (map pixels), which the card should not cover. */
  avoid?: readonly Box[]
}

/** Until measured, a card of about this size. */
const FIRST_GUESS = { width: 240, height: 120 }

export function MapTooltip({ content, placement: { x, y, width, height }, avoid = [] }: MapTooltipProps) {
  const card = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState(FIRST_GUESS)
  useLayoutEffect(() => {
    const element = card.current
    if (element && (element.offsetWidth !== size.width || element.offsetHeight !== size.height)) {
      setSize({ width: element.offsetWidth, height: element.offsetHeight })
    }
  })
  const { left, top } = placeTooltip({ x, y }, size, { width, height }, avoid)
  return (
    <div ref={card} className="map-tooltip" role="tooltip" style={{ transform: `translate(${left}px, ${top}px)` }}>
      <div className="map-tooltip__title">{content.title}</div>
      <dl className="map-tooltip__rows">
        {content.rows.map((row) => (
          <div key={row.label} className="map-tooltip__row">
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
