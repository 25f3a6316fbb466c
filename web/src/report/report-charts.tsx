/**
 * The report's charts as plain SVG (prints crisply at any resolution, no canvas): horizontal bars
 * with their value at the end, a missing value drawn as a label, not as zero; and the map of the
 * cells below coloured by score.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson'
import { computeClassBreaks } from '../map/choropleth.ts'
import { bboxOfGeometry } from '../map/geometry.ts'

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

/** The score map's classes, light to dark (prints on white and in greyscale); no data is hatched grey. */
const MAP_FILLS = ['#dbe9f6', '#a9cbe6', '#6fa6d2', '#3b7dbb', '#15528f']
const NO_DATA_MAP_FILL = 'url(#report-no-data)'

export interface MapCell {
  code: string
  name: string
  geometry: Polygon | MultiPolygon
  /** Where the name goes (inside the cell). */
  labelPoint: [number, number]
  score: number | null
}

/**
 * The cells below the grid as an SVG map coloured by score: quantile classes among the scored
 * cells (the same breaks as the dashboard's choropleth), a cell without a score hatched and keyed
 * 无数据, never coloured as zero. Equirectangular, scaled by the cosine of the middle latitude.
 */
export function ScoreMap({ cells, title, noDataLabel }: { cells: MapCell[]; title: string; noDataLabel: string }) {
  const width = 640
  const [minLon, minLat, maxLon, maxLat] = cells
    .map((c) => bboxOfGeometry(c.geometry))
    .reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])])
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
  const spanX = Math.max((maxLon - minLon) * kx, 1e-9)
  const spanY = Math.max(maxLat - minLat, 1e-9)
  const scale = Math.min((width - 20) / spanX, 380 / spanY)
  const height = Math.ceil(spanY * scale + 20)
  const point = ([lon, lat]: Position) => `${(10 + (lon! - minLon) * kx * scale).toFixed(1)},${(10 + (maxLat - lat!) * scale).toFixed(1)}`
  const rings = (g: Polygon | MultiPolygon) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flat()
  const pathOf = (g: Polygon | MultiPolygon) =>
    rings(g)
      .map((ring) => `M${ring.map(point).join('L')}Z`)
      .join('')
  const breaks = computeClassBreaks(
    cells.flatMap((c) => (c.score === null ? [] : [c.score])),
    MAP_FILLS.length,
  )
  const noData = cells.filter((c) => c.score === null).length
  return (
    <figure className="report-map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid="report-score-map">
        <defs>
          <pattern id="report-no-data" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" fill="#eeeeee" />
            <line x1="0" y1="0" x2="0" y2="6" stroke="#9a9a9a" strokeWidth="1.5" />
          </pattern>
        </defs>
        {cells.map((c) => (
          <path
            key={c.code}
            d={pathOf(c.geometry)}
            data-code={c.code}
            data-score={c.score ?? ''}
            fill={c.score === null ? NO_DATA_MAP_FILL : MAP_FILLS[breaks.classOf(c.score)]}
            fillRule="evenodd"
            stroke="#ffffff"
            strokeWidth="0.8"
          >
            <title>{`${c.name} ${c.score === null ? noDataLabel : c.score.toFixed(1)}`}</title>
          </path>
        ))}
        {cells.map((c) => {
          const [x, y] = point(c.labelPoint).split(',')
          return (
            <text key={c.code} x={x} y={y} textAnchor="middle" fontSize="10" fill="#111" stroke="#fff" strokeWidth="2.5" paintOrder="stroke">
              {c.name.length > 8 ? `${c.name.slice(0, 8)}…` : c.name}
              <tspan x={x} dy="12">
                {c.score === null ? noDataLabel : c.score.toFixed(1)}
              </tspan>
            </text>
          )
        })}
      </svg>
      <figcaption className="report-map__legend">
        {[...breaks.legend].reverse().map((entry) => (
          <span key={entry.valueClass}>
            <i style={{ background: MAP_FILLS[entry.valueClass] }} />
            {entry.from === entry.to ? entry.from.toFixed(1) : `${entry.from.toFixed(1)} – ${entry.to.toFixed(1)}`}
          </span>
        ))}
        {noData > 0 && (
          <span>
            <i className="report-map__no-data" />
            {noDataLabel} · {noData}
          </span>
        )}
      </figcaption>
    </figure>
  )
}
