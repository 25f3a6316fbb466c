/**
 * The time histogram under the map: the selection's incidents per bucket across its time span,
 * in plain SVG. Dragging across it selects a window (committed once, on release, as the new
 * from/to of the filter); while playback runs, the shaded window and the cursor at its end show
 * where the playhead is. The cursor's position is also a data attribute, for tests.
 */
import { useLayoutEffect, useRef, useState, type PointerEvent } from 'react'
import { timeScale, type TimeSpan } from './playback.ts'

export interface HistogramBucket {
  t: string
  count: number
}

export interface TimeHistogramProps {
  buckets: readonly HistogramBucket[]
  span: TimeSpan
  /** Length of one bucket in ms (the last bucket ends at the span's end). */
  bucketMs: number
  /** The playback window, or null when not playing back. */
  window: TimeSpan | null
  onBrush: (from: Date, to: Date) => void
  label: string
  formatDate: (ms: number) => string
}

const HEIGHT = 92
const PAD = { top: 8, bottom: 18 }
/** A drag shorter than this is a click, not a window. */
const MIN_DRAG_PX = 4

export function TimeHistogram({ buckets, span, bucketMs, window, onBrush, label, formatDate }: TimeHistogramProps) {
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(600)
  const [drag, setDrag] = useState<{ x0: number; x1: number } | null>(null)

  useLayoutEffect(() => {
    const element = box.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(100, Math.floor(entry!.contentRect.width))))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const scale = timeScale(span, width)
  const innerH = HEIGHT - PAD.top - PAD.bottom
  const max = Math.max(1, ...buckets.map((b) => b.count))
  const xOf = (event: PointerEvent) => event.clientX - event.currentTarget.getBoundingClientRect().left

  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId)
    const x = xOf(event)
    setDrag({ x0: x, x1: x })
  }
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (drag) setDrag({ ...drag, x1: xOf(event) })
  }
  const onPointerUp = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag) return
    const x1 = xOf(event)
    setDrag(null)
    if (Math.abs(x1 - drag.x0) < MIN_DRAG_PX) return
    const [a, b] = [scale.t(Math.min(drag.x0, x1)), scale.t(Math.max(drag.x0, x1))]
    onBrush(new Date(a), new Date(b))
  }

  const cursorX = window ? scale.x(window.to) : null
  return (
    <div ref={box} className="time-histogram">
      <svg
        role="img"
        aria-label={label}
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => setDrag(null)}
        data-total={buckets.reduce((sum, b) => sum + b.count, 0)}
      >
        {buckets.map((bucket, i) => {
          const start = Date.parse(bucket.t)
          const end = Math.min(span.to, buckets[i + 1] ? Date.parse(buckets[i + 1]!.t) : start + bucketMs)
          const x0 = Math.max(0, scale.x(start))
          const w = Math.max(1, scale.x(end) - x0 - (width / buckets.length > 4 ? 1 : 0))
          const h = (bucket.count / max) * innerH
          const inWindow = window !== null && end > window.from && start < window.to
          return (
            <rect
              key={bucket.t}
              className={inWindow ? 'time-histogram__bar time-histogram__bar--active' : 'time-histogram__bar'}
              x={x0}
              y={PAD.top + innerH - h}
              width={w}
              height={h}
            />
          )
        })}
        {window && (
          <rect
            className="time-histogram__window"
            x={scale.x(window.from)}
            y={PAD.top}
            width={Math.max(1, scale.x(window.to) - scale.x(window.from))}
            height={innerH}
          />
        )}
        {cursorX !== null && <line className="time-histogram__cursor" data-x={cursorX.toFixed(1)} x1={cursorX} x2={cursorX} y1={2} y2={PAD.top + innerH} />}
        {drag && <rect className="time-histogram__brush" x={Math.min(drag.x0, drag.x1)} y={PAD.top} width={Math.abs(drag.x1 - drag.x0)} height={innerH} />}
        <text className="chart-axis" x={2} y={HEIGHT - 4}>
          {formatDate(span.from)}
        </text>
        <text className="chart-axis" x={width - 2} y={HEIGHT - 4} textAnchor="end">
          {formatDate(span.to)}
        </text>
      </svg>
    </div>
  )
}
