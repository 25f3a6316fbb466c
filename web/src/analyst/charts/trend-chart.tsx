/**
 * The trend: incidents per bucket (day, week or month) as an area with its line, in plain SVG,
 * with the first and last bucket dates and the peak marked. Reads the summary's byTime.
 */
export interface TrendPoint {
  t: string
  count: number
}

export interface TrendChartProps {
  points: readonly TrendPoint[]
  label: string
  formatDate: (iso: string) => string
  width?: number
  height?: number
}

const PAD = { top: 14, right: 8, bottom: 18, left: 8 }

export function TrendChart({ points, label, formatDate, width = 372, height = 120 }: TrendChartProps) {
  const innerW = width - PAD.left - PAD.right
  const innerH = height - PAD.top - PAD.bottom
  const max = Math.max(1, ...points.map((p) => p.count))
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (i / (points.length - 1)) * innerW)
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.count).toFixed(1)}`).join('')
  const area = points.length ? `${line}L${x(points.length - 1).toFixed(1)},${PAD.top + innerH}L${x(0).toFixed(1)},${PAD.top + innerH}Z` : ''
  const peak = points.reduce((best, p, i) => (p.count > (points[best]?.count ?? -1) ? i : best), 0)
  const total = points.reduce((sum, p) => sum + p.count, 0)
  return (
    <svg className="trend-chart" role="img" aria-label={label} data-total={total} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <path className="trend-chart__area" d={area} />
      <path className="trend-chart__line" d={line} />
      {points.length > 0 && (
        <>
          <circle className="trend-chart__peak" cx={x(peak)} cy={y(points[peak]!.count)} r={3} />
          <text className="trend-chart__peak-label" x={x(peak)} y={y(points[peak]!.count) - 5} textAnchor="middle">
            {points[peak]!.count}
          </text>
          <text className="chart-axis" x={PAD.left} y={height - 4}>
            {formatDate(points[0]!.t)}
          </text>
          <text className="chart-axis" x={width - PAD.right} y={height - 4} textAnchor="end">
            {formatDate(points.at(-1)!.t)}
          </text>
        </>
      )}
    </svg>
  )
}
