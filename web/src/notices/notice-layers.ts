/**
 * deck.gl layers of a notice: the target's cells coloured by state (none / acknowledged /
 * searched / clue), the target's outline, clue points, the place last seen, and while composing
 * the radius circle. Stable ids, accessors at module level.
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Feature, Geometry } from 'geojson'
import type { CellState, NoticeDetail } from './notices-api.ts'

type Rgba = [number, number, number, number]
export const STATE_COLORS: Record<CellState, Rgba> = {
  none: [255, 122, 122, 150],
  acknowledged: [110, 231, 249, 150],
  searched: [74, 222, 128, 170],
  clue: [255, 193, 77, 220],
}
export const STATE_CSS: Record<CellState, string> = Object.fromEntries(
  Object.entries(STATE_COLORS).map(([k, [r, g, b]]) => [k, `rgb(${r}, ${g}, ${b})`]),
) as Record<CellState, string>

type Cell = NoticeDetail['byCell'][number]
type CellFeature = Feature<Geometry, { code: string; state: CellState }>
type Clue = NoticeDetail['clues'][number]

const fillOf = (f: CellFeature) => STATE_COLORS[f.properties.state]
const clueAt = (c: Clue): [number, number] => [c.location!.lon, c.location!.lat]

export function cellFeatures(cells: Cell[]): CellFeature[] {
  return cells.filter((c) => c.geometry).map((c) => ({ type: 'Feature', geometry: c.geometry as Geometry, properties: { code: c.code, state: c.state } }))
}

export function createCellStateLayer(features: CellFeature[]) {
  return new GeoJsonLayer<CellFeature['properties']>({
    id: 'notice-cells',
    data: features as never,
    filled: true,
    stroked: true,
    getFillColor: fillOf as never,
    getLineColor: [8, 18, 31, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    pickable: true,
    updateTriggers: { getFillColor: features.map((f) => f.properties.state).join() },
  })
}

export function createOutlineLayer(outline: unknown) {
  return new GeoJsonLayer({
    id: 'notice-outline',
    data: { type: 'Feature', geometry: outline, properties: {} } as never,
    filled: false,
    stroked: true,
    getLineColor: [255, 193, 77, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
  })
}

export function createCluesLayer(clues: Clue[]) {
  return new ScatterplotLayer<Clue>({
    id: 'notice-clues',
    data: clues.filter((c) => c.location),
    getPosition: clueAt,
    radiusUnits: 'pixels',
    getRadius: 9,
    getFillColor: [255, 193, 77, 255],
    stroked: true,
    getLineColor: [255, 255, 255, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    pickable: true,
  })
}

export function createPointLayer(id: string, point: { lon: number; lat: number }, color: Rgba, radiusM?: number) {
  return new ScatterplotLayer<{ lon: number; lat: number }>({
    id,
    data: [point],
    getPosition: (p) => [p.lon, p.lat],
    radiusUnits: radiusM ? 'meters' : 'pixels',
    getRadius: radiusM ?? 7,
    getFillColor: radiusM ? [color[0], color[1], color[2], 40] : color,
    stroked: true,
    getLineColor: color,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
  })
}
