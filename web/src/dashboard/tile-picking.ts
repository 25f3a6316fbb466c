/**
 * The grid cell MapLibre drew from the vector tiles at a point, for hover and click outside the
 * cells deck.gl draws: of the tile levels on screen, the finest one that is not finer than the
 * level being compared (a neighbouring town's village at town level, never its households).
 */
import type { Map as MapLibreMap, PointLike } from 'maplibre-gl'
import { tileFillLayerId, visibleTileLevels } from '../map/grid-tiles.ts'

export interface MapCell {
  code: string
  level: number
  name: string
  households: number
  population: number
}

export function tileCellAt(map: MapLibreMap, point: PointLike, selectedLevel: number): MapCell | null {
  const layers = visibleTileLevels(selectedLevel).map(tileFillLayerId)
  if (layers.length === 0 || !map.isStyleLoaded()) return null
  let best: MapCell | null = null
  for (const feature of map.queryRenderedFeatures(point, { layers })) {
    const { code, level, name, households, population } = feature.properties as Partial<MapCell>
    if (typeof code !== 'string' || typeof level !== 'number') continue
    if (!best || level > best.level) best = { code, level, name: String(name ?? ''), households: Number(households ?? 0), population: Number(population ?? 0) }
  }
  return best
}
