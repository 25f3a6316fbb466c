/**
 * How long closed cases took: columns of the summary's timeToClose buckets (each up to
 * `hoursMax` hours; the last one open-ended), labelled ≤ 24 h, ≤ 3 d … in plain SVG.
 */
export interface CloseTimeBucket {
  hoursMax: number | null
  count: number
}

export interface CloseTimeChartProps {
  buckets: readonly CloseTimeBucket[]
  label: string
  formatBucket: (hoursMax: number | null, previous: number | null) => string
  width?: number
  height?: number
}

const PAD = { top: 14, bottom: 20 }

export function CloseTimeChart({ buckets, label, formatBucket, width = 372, height = 120 }: CloseTimeChartProps) {
  const max = Math.max(1, ...buckets.map((b) => b.count))
  const slot = width / Math.max(1, buckets.length)
  const innerH = height - PAD.top - PAD.bottom
  return (
    <svg className="column-chart" role="list" aria-label={label} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      {buckets.map((bucket, i) => {
        const h = (bucket.count / max) * innerH
        const name = formatBucket(bucket.hoursMax, i > 0 ? buckets[i - 1]!.hoursMax : null)
        return (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; the rule mistakes it for one.
          // biome-ignore lint/suspicious/noArrayIndexKey: the buckets are fixed classes in a fixed order.
          <g key={i} role="listitem" aria-label={`${name}: ${bucket.count}`} data-value={bucket.count}>
            <rect className="column-chart__bar" x={i * slot + 4} y={PAD.top + innerH - h} width={slot - 8} height={h} rx={2} />
            <text className="column-chart__value" x={i * slot + slot / 2} y={PAD.top + innerH - h - 3} textAnchor="middle">
              {bucket.count}
            </text>
            <text className="chart-axis" x={i * slot + slot / 2} y={height - 5} textAnchor="middle">
              {name}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
