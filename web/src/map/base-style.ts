/**
 * The map's style: the sea colour, the basemap when the server has one (basemap.ts: a PMTiles
 * archive or intranet tiles, served by Gridscope), the grid's own vector tiles, and the basemap's
 * names above them; no glyphs URL (MapLibre draws the names' glyphs from local fonts), no
 * sprites, nothing from another origin, so the map renders with no internet at all. The grid's
 * labels and the cells being compared are drawn by deck.gl on top (the cells' fills under the
 * basemap's names: basemap.ts). The tile layers are part of the
 * style from the start (shown as the first selection needs) so that deck.gl's interleaved
 * layers, added later, always stack above them.
 */
import type { StyleSpecification } from 'maplibre-gl'
import { basemapStyle, hasBasemap, type BasemapInfo } from './basemap.ts'
import { GRID_SOURCE_ID, gridTileLayers, gridTileSource, tileFillLayerId, tileLineLayerId, tileLineHaloLayerId, visibleTileLevels } from './grid-tiles.ts'
import { SEA_COLOR } from './palette.ts'

const NO_BASEMAP: BasemapInfo = { kind: 'none' }

export function createBaseStyle(tilesUrl: string, selectedLevel: number, basemap: BasemapInfo = NO_BASEMAP, origin = tilesUrl): StyleSpecification {
  const levels = visibleTileLevels(selectedLevel)
  const shown = new Set<string>(levels.flatMap((level) => [tileFillLayerId(level), tileLineLayerId(level), tileLineHaloLayerId(level)]))
  const tileLayers = gridTileLayers({ overBasemap: hasBasemap(basemap) }).map((layer) =>
    shown.has(layer.id) ? { ...layer, layout: { ...layer.layout, visibility: 'visible' as const } } : layer,
  )
  const base = basemapStyle(basemap, origin)
  return {
    version: 8,
    name: 'gridscope-offline',
    sources: { ...base.sources, [GRID_SOURCE_ID]: gridTileSource(tilesUrl) },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_COLOR } }, ...base.layers, ...tileLayers, ...base.labels],
  }
}

/** No grid tiles: the sea colour and the basemap, for a map drawn wholly by deck.gl from the API's geometry. */
export function createPlainStyle(basemap: BasemapInfo = NO_BASEMAP, origin = ''): StyleSpecification {
  const base = basemapStyle(basemap, origin)
  return {
    version: 8,
    name: 'gridscope-plain',
    sources: base.sources,
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_COLOR } }, ...base.layers, ...base.labels],
  }
}
