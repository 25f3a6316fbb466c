/**
 * Colours of the map, one place for all of them. Dark command-centre theme: deep navy sea,
 * muted slate for the neighbouring districts, a teal ramp for the district's own grid cells and
 * amber for whatever the user is pointing at. RGBA, 0–255, as deck.gl takes them.
 */
export type Rgba = [number, number, number, number]

export const SEA_COLOR = '#08121f'
export const LABEL_FONT_FAMILY = 'Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif'

export const CONTEXT_FILL: Rgba = [33, 47, 66, 255]
export const CONTEXT_LINE: Rgba = [74, 96, 124, 255]
export const CONTEXT_LABEL: Rgba = [128, 150, 178, 255]

export const DISTRICT_LINE: Rgba = [110, 231, 249, 255]

/** Households per town, low to high: five classes on a teal ramp. */
export const TOWN_CLASS_FILLS: readonly Rgba[] = [
  [18, 66, 86, 235],
  [17, 94, 112, 235],
  [14, 124, 134, 235],
  [22, 156, 150, 235],
  [52, 190, 166, 235],
]
export const TOWN_LINE: Rgba = [150, 236, 240, 150]
export const TOWN_LABEL: Rgba = [240, 248, 255, 255]
export const LABEL_HALO: Rgba = [6, 16, 28, 230]

export const HIGHLIGHT_FILL: Rgba = [255, 222, 150, 64]
export const HIGHLIGHT_LINE: Rgba = [255, 204, 102, 255]

export function toCss([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`
}
