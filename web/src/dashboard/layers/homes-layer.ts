/**
 * The homes (households) of the cell being inspected: from household-group zoom each home is a
 * small point; further out (a villager group) nearby homes are one disc sized by how many homes
 * it stands for. Drawn above the cells and below the cases; pickable so tests can find a home.
 */
import { ScatterplotLayer } from '@deck.gl/layers'
import type { HomePoint } from '../../../../server/base-data/queries.ts'
import type { Rgba } from '../../map/palette.ts'

export const HOMES_LAYER_ID = 'homes'

const HOME_FILL: Rgba = [245, 226, 180, 230]
const HOME_LINE: Rgba = [40, 34, 24, 220]

const getPosition = (p: HomePoint): [number, number] => [p.lon, p.lat]
const getFillColor = (): Rgba => HOME_FILL
const getLineColor = (): Rgba => HOME_LINE
/** A single home 3 px; a cluster grows with the square root of its homes, up to 16 px. */
const getRadius = (p: HomePoint): number => (p.count === 1 ? 3 : Math.min(16, 3 + Math.sqrt(p.count) * 1.5))

export function createHomesLayer(points: readonly HomePoint[]) {
  return new ScatterplotLayer<HomePoint>({
    id: HOMES_LAYER_ID,
    data: points,
    getPosition,
    getFillColor,
    getLineColor,
    getRadius,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    stroked: true,
    filled: true,
    pickable: true,
  })
}
