/**
 * The report's charts as plain SVG (prints crisply at any resolution, no canvas): horizontal bars
 * with their value at the end; a missing value is drawn as a hatched label, not as zero.
 */
export interface Bar {
  /** Unique among the bars (a grid code or a category code). */
  id: string
  label: string
  value: number | null
}

export function BarChart({ bars, max, title, unit = '', emptyLabel }: { bars: Bar[]; max: number; title: string; unit?: string; emptyLabel: string }) {
  const rowHeight = 18
  const labelWidth = 150
  const width = 640
  const barSpace = width - labelWidth - 60
  const height = bars.length * rowHeight + 6
  return (
    <svg className="report-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      {bars.map((bar, i) => {
        const y = i * rowHeight + 3
        const w = bar.value === null || max <= 0 ? 0 : Math.max(1, (bar.value / max) * barSpace)
        return (
          <g key={bar.id}>
            <text x={labelWidth - 6} y={y + 12} textAnchor="end" fontSize="11">
              {bar.label.length > 12 ? `${bar.label.slice(0, 12)}…` : bar.label}
            </text>
            <rect x={labelWidth} y={y + 2} width={w} height={rowHeight - 6} fill="#2b6cb0" />
            <text x={labelWidth + w + 4} y={y + 12} fontSize="11" fill="#333">
              {bar.value === null ? emptyLabel : `${bar.value}${unit}`}
            </text>
          </g>
        )
      })}
    </svg>
  )
}
