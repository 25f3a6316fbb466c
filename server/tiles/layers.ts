/**
 * Which grid levels a vector tile carries at which zoom. One MVT layer per level; a level joins
 * the tiles from its minzoom on, chosen so a 1920×1080 screen holds at most a few thousand cells
 * at any zoom (towns from z7, villages from z9, villager groups from z11, household groups from z13).
 * Towns stay out of z0–z6: a z6 tile spans a whole province, where a province deployment has some
 * 1,300 towns, each a few pixels wide. MapLibre draws 512-pixel tiles, so a z7 tile is what a map at
 * zoom 8 asks for: a county fitted to a phone's 390 pixels is at about zoom 8 and keeps its towns.
 */
export const TILE_EXTENT = 4096
export const TILE_BUFFER = 64
export const MAX_ZOOM = 22
/** Beyond this zoom clients overzoom; the server still answers up to MAX_ZOOM. */
export const SOURCE_MAX_ZOOM = 16
/**
 * From this zoom a tile draws the county's and higher outlines from their pieces under it
 * (grid_cell_piece, migration 023), not by clipping the whole outline. Measured on a built
 * province (the outlines above the county only, one loaded run): z10 5.7 ms against 48 ms, z16
 * 1.2 against 16 ms, but z9 31 against 19 ms, where a tile spans much of the outline.
 */
export const OUTLINE_PIECES_FROM_ZOOM = 10
/**
 * Below this zoom a tile draws the outlines simplified within 75 m (geom_3857_overview, one unit
 * of a z7 tile), from it to OUTLINE_PIECES_FROM_ZOOM those simplified within 20 m (geom_3857_low,
 * one unit of a z9 tile). A tile's geometry is snapped to whole units anyway, so neither shows.
 */
export const OVERVIEW_BELOW_ZOOM = 8

export interface GridTileLayer {
  id: string
  level: number
  minzoom: number
  description: string
}

export const GRID_TILE_LAYERS: GridTileLayer[] = [
  { id: 'province', level: -1, minzoom: 0, description: 'Province (省), in a province deployment' },
  { id: 'city', level: 0, minzoom: 0, description: 'City (市), in a province or city deployment' },
  { id: 'district', level: 1, minzoom: 0, description: 'County / district (区县)' },
  { id: 'town', level: 2, minzoom: 7, description: 'Town or subdistrict (镇/街道)' },
  { id: 'village', level: 3, minzoom: 9, description: 'Village or community committee (村/社区)' },
  { id: 'group', level: 4, minzoom: 11, description: 'Villager group (村(居)民小组)' },
  { id: 'household', level: 5, minzoom: 13, description: 'Household group (住户小组)' },
]

/** Names of the MVT layers indexed by level + 2 (SQL arrays start at 1), as bound into the tile SQL. */
export const LAYER_NAMES = GRID_TILE_LAYERS.map((l) => l.id)

/** What a geometry tile (/tiles/geometry) tells of each cell: the same for every viewer. */
export const GEOMETRY_TILE_FIELDS = {
  code: 'String',
  level: 'Number',
  name: 'String',
  households: 'Number',
  population: 'Number',
} as const

/** A grid tile's fields (/tiles/grids): the geometry tile's, and the incident figures of the viewer's scope. */
export const TILE_FIELDS = {
  ...GEOMETRY_TILE_FIELDS,
  incidents: 'Number',
  open: 'Number',
  overdue: 'Number',
  resolved: 'Number',
} as const

export function levelsAtZoom(z: number): number[] {
  return GRID_TILE_LAYERS.filter((l) => z >= l.minzoom).map((l) => l.level)
}
