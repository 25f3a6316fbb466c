/**
 * The homes (households) of the cell being inspected: from household-group zoom each home is a
 * small point; further out (a villager group) nearby homes are one disc sized by how many homes
 * it stands for. Drawn above the cells and the field-work layers, below the cases; pickable so tests can find a home.
 */
import { ScatterplotLayer } from '@deck.gl/layers'
import type { HomePoint } from '../../../../server/base-data/queries.ts'
import type { Rgba } from '../../map/palette.ts'

export const HOMES_LAYER_ID = 'homes'

const HOME_FILL: Rgba = [255, 244, 214, 255]
const HOME_LINE: Rgba = [24, 30, 40, 255]

const getPosition = (p: HomePoint): [number, number] => [p.lon, p.lat]
const getFillColor = (): Rgba => HOME_FILL
const getLineColor = (): Rgba => HOME_LINE
/** A single home 5 px; a cluster grows with the square root of its homes, up to 18 px. */
const getRadius = (p: HomePoint): number => (p.count === 1 ? 5 : Math.min(18, 5 + Math.sqrt(p.count) * 1.5))

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
    getLineWidth: 1.5,
    stroked: true,
    filled: true,
    pickable: true,
  })
}
