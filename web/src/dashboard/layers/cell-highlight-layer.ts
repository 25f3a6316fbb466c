/** The cell under the pointer (on the map or in the ranking list): an amber wash and outline. */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { ClassedCellFeature } from '../../map/choropleth.ts'
import { HIGHLIGHT_FILL, HIGHLIGHT_LINE } from '../../map/palette.ts'

export const CELL_HIGHLIGHT_LAYER_ID = 'cell-highlight'

export function createCellHighlightLayer(cell: ClassedCellFeature | null) {
  return new GeoJsonLayer({
    id: CELL_HIGHLIGHT_LAYER_ID,
    data: cell ? [cell] : [],
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
