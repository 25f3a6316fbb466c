/** The outline of the level-1 grid (the district) drawn bright over its towns. */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { GridFeature } from '../../api/client.ts'
import { DISTRICT_LINE } from '../palette.ts'

export const DISTRICT_OUTLINE_LAYER_ID = 'district-outline'

export function createDistrictOutlineLayer(district: GridFeature | undefined) {
  return new GeoJsonLayer({
    id: DISTRICT_OUTLINE_LAYER_ID,
    data: district ? [district] : [],
    filled: false,
    stroked: true,
    getLineColor: DISTRICT_LINE,
    getLineWidth: 2.5,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  })
}
