/**
 * The grid around the selected cell, drawn by MapLibre from the geometry tiles (/tiles/geometry):
 * one fill and one line layer per level, each filtered to its MVT layer and level. The selected
 * cell's children come from the geometry API and are drawn by deck.gl on top; the tiles give
 * everything else at any zoom without one huge GeoJSON: the parent level dimmed, and the finer
 * outlines of the neighbouring cells down to the level being compared. Fills are transparent
 * below the parent level; they are there so hover and click can find the cell under the pointer.
 */
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, VectorSourceSpecification } from 'maplibre-gl'
import { LINE_HALO_COLOR, TILE_DIM_FILL, TILE_DIM_OPACITY_OVER_BASEMAP, TILE_HOVER_FILL, TILE_HOVER_LINE, TILE_LINES } from './palette.ts'

export const GRID_SOURCE_ID = 'grids'

export type TileLevel = 2 | 3 | 4 | 5

/** MVT layer of each level (server/tiles/layers.ts); the district's outline comes from the API. */
export const TILE_LAYERS: readonly { level: TileLevel; sourceLayer: string }[] = [
  { level: 2, sourceLayer: 'town' },
  { level: 3, sourceLayer: 'village' },
  { level: 4, sourceLayer: 'group' },
  { level: 5, sourceLayer: 'household' },
]

export const tileFillLayerId = (level: TileLevel) => `grid-tiles-fill-${level}`
export const tileLineLayerId = (level: TileLevel) => `grid-tiles-line-${level}`
/** The dark casing under a level's outlines, drawn only over a basemap. */
export const tileLineHaloLayerId = (level: TileLevel) => `grid-tiles-halo-${level}`

export function gridTileSource(tilesUrl: string): VectorSourceSpecification {
  // promoteId: the code becomes the feature id, so hover state can be set on a cell by its code.
  return { type: 'vector', url: tilesUrl, promoteId: 'code' }
}

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false]

/**
 * Fills (parent level first) then outlines (finest first, so coarser lines stay on top). Over a
 * basemap the dimmed parent level is see-through and each outline has a dark casing under it.
 */
export function gridTileLayers({ overBasemap = false }: { overBasemap?: boolean } = {}): LayerSpecification[] {
  const fills: LayerSpecification[] = TILE_LAYERS.map(({ level, sourceLayer }) => ({
    id: tileFillLayerId(level),
    type: 'fill',
    source: GRID_SOURCE_ID,
    'source-layer': sourceLayer,
    filter: levelFilter(level),
    layout: { visibility: 'none' },
    paint: {
      'fill-color': ['case', hovered, TILE_HOVER_FILL, level === 2 ? TILE_DIM_FILL : 'rgba(0, 0, 0, 0)'],
      'fill-antialias': false,
      ...(overBasemap ? { 'fill-opacity': TILE_DIM_OPACITY_OVER_BASEMAP } : {}),
    },
  }))
  const halos: LayerSpecification[] = overBasemap
    ? [...TILE_LAYERS].reverse().map(({ level, sourceLayer }) => ({
        id: tileLineHaloLayerId(level),
        type: 'line',
        source: GRID_SOURCE_ID,
        'source-layer': sourceLayer,
        filter: levelFilter(level),
        layout: { visibility: 'none', 'line-join': 'round' },
        paint: { 'line-color': LINE_HALO_COLOR, 'line-width': TILE_LINES[level].width + 2, 'line-blur': 1 },
      }))
    : []
  const lines: LayerSpecification[] = [...TILE_LAYERS].reverse().map(({ level, sourceLayer }) => ({
    id: tileLineLayerId(level),
    type: 'line',
    source: GRID_SOURCE_ID,
    'source-layer': sourceLayer,
    filter: levelFilter(level),
    layout: { visibility: 'none', 'line-join': 'round' },
    paint: {
      'line-color': ['case', hovered, TILE_HOVER_LINE, TILE_LINES[level].color],
      'line-width': ['case', hovered, 2.5, TILE_LINES[level].width],
    },
  }))
  return [...fills, ...halos, ...lines]
}

function levelFilter(level: TileLevel): FilterSpecification {
  return ['==', ['get', 'level'], level]
}

/**
 * The tile levels shown when a cell of `selectedLevel` is selected: none at the district (its
 * towns are the children, drawn from the API), else every level from the towns down to the one
 * being compared (the selected level + 1, as deep as level 5).
 */
export function visibleTileLevels(selectedLevel: number): TileLevel[] {
  if (selectedLevel <= 1) return []
  return TILE_LAYERS.map((l) => l.level).filter((level) => level <= selectedLevel + 1)
}

/** Source layer of a tile level, for feature state. */
export function sourceLayerOf(level: number): string | undefined {
  return TILE_LAYERS.find((l) => l.level === level)?.sourceLayer
}
