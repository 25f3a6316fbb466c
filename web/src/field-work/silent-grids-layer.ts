/**
 * Silent grids (沉默网格) on the map: household groups with no patrol and no report for N days,
 * filled amber to red by how long they have been silent (red: nothing in the 90-day look-back).
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

export function createSilentGridsLayer(shapes: SilentCollection | undefined, thresholdDays: number) {
  return new GeoJsonLayer({
    id: SILENT_GRIDS_LAYER_ID,
    data: shapes?.features ?? [],
    filled: true,
    stroked: true,
    getFillColor: (f) => silentColor((f as { properties: SilentCell }).properties, thresholdDays),
    getLineColor: [255, 140, 60, 230],
    getLineWidth: 1.5,
    lineWidthUnits: 'pixels',
    pickable: false,
    updateTriggers: { getFillColor: thresholdDays },
  })
}
