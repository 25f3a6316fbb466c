/**
 * The offline basemap: the sea colour and the grid's own vector tiles, no glyphs, no sprites,
 * nothing from outside, so the map renders with no internet at all. Labels and the cells being
 * compared are drawn by deck.gl on top. The tile layers are part of the style from the start
 * (shown as the first selection needs) so that deck.gl's interleaved layers, added later,
 * always stack above them.
 */
import type { StyleSpecification } from 'maplibre-gl'
import { GRID_SOURCE_ID, gridTileLayers, gridTileSource, tileFillLayerId, tileLineLayerId, visibleTileLevels } from './grid-tiles.ts'
import { SEA_COLOR } from './palette.ts'

export function createBaseStyle(tilesUrl: string, selectedLevel: number): StyleSpecification {
  const shown = new Set<string>(visibleTileLevels(selectedLevel).flatMap((level) => [tileFillLayerId(level), tileLineLayerId(level)]))
  const tileLayers = gridTileLayers().map((layer) => (shown.has(layer.id) ? { ...layer, layout: { ...layer.layout, visibility: 'visible' as const } } : layer))
  return {
    version: 8,
    name: 'gridscope-offline',
    sources: { [GRID_SOURCE_ID]: gridTileSource(tilesUrl) },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_COLOR } }, ...tileLayers],
  }
}

/** No tiles at all: the sea colour alone, for a map drawn wholly by deck.gl from the API's geometry. */
export function createPlainStyle(): StyleSpecification {
  return { version: 8, name: 'gridscope-plain', sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_COLOR } }] }
}
