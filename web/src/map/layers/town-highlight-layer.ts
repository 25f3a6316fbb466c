/** The town under the pointer: an amber wash and a thick outline over the choropleth. */
import { GeoJsonLayer } from '@deck.gl/layers'
import { HIGHLIGHT_FILL, HIGHLIGHT_LINE } from '../palette.ts'
import type { TownFeature } from '../town-classes.ts'

export const TOWN_HIGHLIGHT_LAYER_ID = 'town-highlight'

export function createTownHighlightLayer(town: TownFeature | null) {
  return new GeoJsonLayer({
    id: TOWN_HIGHLIGHT_LAYER_ID,
    data: town ? [town] : [],
    filled: true,
    stroked: true,
    getFillColor: HIGHLIGHT_FILL,
    getLineColor: HIGHLIGHT_LINE,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  })
}
