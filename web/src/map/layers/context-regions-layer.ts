/** The neighbouring districts of the city, drawn muted for orientation; never pickable. */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { ContextRegionCollection } from '../../api/client.ts'

type ContextRegion = ContextRegionCollection['features'][number]
import { CONTEXT_FILL, CONTEXT_LINE } from '../palette.ts'

export const CONTEXT_REGIONS_LAYER_ID = 'context-regions'

export function createContextRegionsLayer(regions: ContextRegion[]) {
  return new GeoJsonLayer({
    id: CONTEXT_REGIONS_LAYER_ID,
    data: regions,
    filled: true,
    stroked: true,
    getFillColor: CONTEXT_FILL,
    getLineColor: CONTEXT_LINE,
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  })
}
