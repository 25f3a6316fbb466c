/**
 * The selected cell's outline, bright over its children so the cell being inspected stands out
 * from the dimmed grid around it. At the district it coincides with the district outline. A
 * household group is shown among its siblings, so it also gets a light wash to tell it apart.
 */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { GridFeature } from '../../api/client.ts'
import { SELECTED_FILL, SELECTED_LINE } from '../../map/palette.ts'

export const SELECTED_OUTLINE_LAYER_ID = 'selected-outline'

export function createSelectedOutlineLayer(cell: GridFeature | undefined, amongSiblings: boolean) {
  return new GeoJsonLayer({
    id: SELECTED_OUTLINE_LAYER_ID,
    data: cell ? [cell] : [],
    filled: amongSiblings,
    stroked: true,
    getFillColor: SELECTED_FILL,
    getLineColor: SELECTED_LINE,
    getLineWidth: amongSiblings ? 3.5 : 2.5,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  })
}
