/** The floating card next to the pointer; content comes from getCellTooltip. */
import type { TooltipContent } from './cell-tooltip.ts'

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
}

const OFFSET = 16
const ROOM_X = 260
const ROOM_Y = 140

export function MapTooltip({ content, placement: { x, y, width, height } }: MapTooltipProps) {
  const left = x + ROOM_X > width ? `calc(${x - OFFSET}px - 100%)` : `${x + OFFSET}px`
  const top = y + ROOM_Y > height ? `calc(${y - OFFSET}px - 100%)` : `${y + OFFSET}px`
  return (
    <div className="map-tooltip" role="tooltip" style={{ transform: `translate(${left}, ${top})` }}>
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
