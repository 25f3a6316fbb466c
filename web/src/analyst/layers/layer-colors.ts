/**
 * Colours of the analyst layers, apart from the dashboard's teal choropleth so the two are never
 * confused: the heatmap runs from a cool dusk to hot amber-white, the bins through violet to
 * pink, the incident rate per 1,000 households on a warm ramp. RGBA 0–255 as deck.gl takes them.
 */
import type { Rgba } from '../../map/palette.ts'

type Rgb = [number, number, number]

/** The low end is see-through: a thin scatter of cases tints the map instead of covering it. */
export const HEAT_COLORS: Rgba[] = [
  [40, 70, 150, 40],
  [70, 90, 190, 120],
  [150, 70, 170, 190],
  [230, 80, 110, 225],
  [255, 150, 60, 245],
  [255, 236, 160, 255],
]

export const BIN_COLORS: Rgb[] = [
  [49, 54, 149],
  [94, 60, 153],
  [142, 68, 173],
  [199, 84, 160],
  [240, 110, 130],
  [254, 178, 120],
]

/** Incidents per 1,000 households, five quantile classes low → high. */
export const RATE_FILLS: readonly Rgba[] = [
  [255, 237, 160, 150],
  [254, 204, 92, 165],
  [253, 141, 60, 180],
  [240, 59, 32, 195],
  [189, 0, 38, 210],
]
export const RATE_LINE: Rgba = [255, 230, 200, 140]

export function rgbCss([r, g, b, a = 255]: readonly number[]): string {
  return `rgba(${r}, ${g}, ${b}, ${(a! / 255).toFixed(2)})`
}
