/**
 * Colours of the map, one place for all of them. Dark command-centre theme: deep navy sea,
 * muted slate for the neighbouring districts and for the grid around the selected cell, a teal
 * ramp for the cells being compared, cyan for the selected cell and amber for whatever the user
 * is pointing at. RGBA, 0–255, as deck.gl takes them (CSS strings for MapLibre's own layers).
 */
export type Rgba = [number, number, number, number]

export const SEA_COLOR = '#08121f'
export const LABEL_FONT_FAMILY = 'Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif'

export const CONTEXT_FILL: Rgba = [33, 47, 66, 255]
export const CONTEXT_LINE: Rgba = [74, 96, 124, 255]
export const CONTEXT_LABEL: Rgba = [128, 150, 178, 255]

export const DISTRICT_LINE: Rgba = [110, 231, 249, 255]

/** The choropleth: five classes, low to high, on a teal ramp. */
export const CLASS_FILLS: readonly Rgba[] = [
  [18, 66, 86, 235],
  [17, 94, 112, 235],
  [14, 124, 134, 235],
  [22, 156, 150, 235],
  [52, 190, 166, 235],
]
/** A cell without a value (no evaluation score): neutral grey, outside the ramp, never its lowest class. */
export const NO_DATA_FILL: Rgba = [88, 94, 106, 200]

/** The fill of a choropleth class; a class outside the ramp (no data) is NO_DATA_FILL. */
export function classFill(valueClass: number): Rgba {
  return CLASS_FILLS[valueClass] ?? NO_DATA_FILL
}
export const CELL_LINE: Rgba = [150, 236, 240, 150]
export const CELL_LABEL: Rgba = [240, 248, 255, 255]
export const LABEL_HALO: Rgba = [6, 16, 28, 230]

/** The selected cell's outline, over its children. */
export const SELECTED_LINE: Rgba = [186, 246, 255, 255]
export const SELECTED_FILL: Rgba = [186, 246, 255, 56]

export const HIGHLIGHT_FILL: Rgba = [255, 222, 150, 64]
export const HIGHLIGHT_LINE: Rgba = [255, 204, 102, 255]

/**
 * The grid outside the selected cell, from the vector tiles: the parent level dimmed to a
 * slate close to the neighbouring districts, and outlines that fade with each level down.
 */
export const TILE_DIM_RGBA: Rgba = [22, 38, 56, 255]
export const TILE_DIM_FILL = toCss(TILE_DIM_RGBA)
/** The towns' outlines (the wall draws them and the land with deck.gl, from the API's geometry). */
export const TOWN_LINE_RGBA: Rgba = [150, 200, 225, 140]
export const TILE_LINES: Record<2 | 3 | 4 | 5, { color: string; width: number }> = {
  2: { color: toCss(TOWN_LINE_RGBA), width: 1.4 },
  3: { color: 'rgba(130, 175, 205, 0.38)', width: 0.9 },
  4: { color: 'rgba(120, 160, 190, 0.26)', width: 0.7 },
  5: { color: 'rgba(120, 160, 190, 0.18)', width: 0.5 },
}
export const TILE_HOVER_FILL = 'rgba(255, 222, 150, 0.22)'
export const TILE_HOVER_LINE = 'rgb(255, 204, 102)'

export function toCss([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`
}

/** Incident points: a dark rim so category colours hold against the teal ramp; red when overdue. */
export const INCIDENT_LINE: Rgba = [6, 16, 28, 220]
export const INCIDENT_OVERDUE_LINE: Rgba = [255, 92, 92, 255]

/** How much of a grid fill shows over a basemap (deck.gl layers' fills; their outlines stay whole). */
export const FILL_OPACITY_OVER_BASEMAP = 0.55
/** The dimmed parent level of the grid tiles over a basemap (MapLibre fill-opacity). */
export const TILE_DIM_OPACITY_OVER_BASEMAP = 0.4
/**
 * The basemap's names: a pale slate (near the neighbouring districts' names) on the grid labels'
 * dark halo, readable over any fill where one looks, yet quieter and smaller than the grid's own
 * white names (MapLibre text-opacity; largest text-size, px).
 */
export const BASEMAP_LABEL: Rgba = [164, 182, 204, 255]
export const BASEMAP_LABEL_OPACITY = 0.85
export const BASEMAP_LABEL_MAX_SIZE = 12
/** Dark casing under the grid tiles' outlines over a basemap. */
export const LINE_HALO_COLOR = 'rgba(4, 10, 18, 0.75)'
