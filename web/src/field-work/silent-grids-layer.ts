/**
 * Silent grids (沉默网格) on the map: household groups with no patrol and no report for N days,
 * filled amber to red by how long they have been silent (red: nothing in the 90-day look-back).
 * Over the map coloured by evaluation score the fill would hide the score's colours, so there
 * they are drawn as outlines only (the same amber to red, thicker): both stay readable.
 */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { SilentCell, SilentCollection } from './field-work-api.ts'

export const SILENT_GRIDS_LAYER_ID = 'silent-grids'
const LOOKBACK_DAYS = 90

type Rgba = [number, number, number, number]

/** Amber at the threshold, red at the look-back's end (and for cells with no activity at all). */
export function silentColor(cell: Pick<SilentCell, 'daysSilent'>, thresholdDays: number): Rgba {
  const span = Math.max(1, LOOKBACK_DAYS - thresholdDays)
  const f = cell.daysSilent === null ? 1 : Math.min(1, Math.max(0, (cell.daysSilent - thresholdDays) / span))
  return [255, Math.round(193 - 101 * f), Math.round(77 - 21 * f), Math.round(115 + 102 * f)]
}

export function createSilentGridsLayer(shapes: SilentCollection | undefined, thresholdDays: number, outlineOnly = false) {
  const colorOf = (f: unknown) => silentColor((f as { properties: SilentCell }).properties, thresholdDays)
  return new GeoJsonLayer({
    id: SILENT_GRIDS_LAYER_ID,
    data: shapes?.features ?? [],
    filled: !outlineOnly,
    stroked: true,
    getFillColor: colorOf,
    getLineColor: outlineOnly ? (f) => [...colorOf(f).slice(0, 3), 255] as Rgba : [255, 140, 60, 230],
    getLineWidth: outlineOnly ? 2.5 : 1.5,
    lineWidthUnits: 'pixels',
    pickable: false,
    updateTriggers: { getFillColor: thresholdDays, getLineColor: [thresholdDays, outlineOnly] },
  })
}
