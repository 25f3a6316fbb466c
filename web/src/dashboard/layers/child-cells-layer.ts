/**
 * The cells being compared: the selected cell's children (or, at a household group, its
 * siblings), coloured by the choropleth class of the chosen figure. The layer hover, click and
 * the debug handle's pickCellAt read by its id.
 */
import type { PickingInfo } from '@deck.gl/core'
import { GeoJsonLayer } from '@deck.gl/layers'
import type { Feature, Geometry } from 'geojson'
import type { ClassedCellFeature, ClassedCellProperties } from '../../map/choropleth.ts'
import { CELL_LINE, classFill, type Rgba } from '../../map/palette.ts'

export const CHILD_CELLS_LAYER_ID = 'child-cells'

const getFillColor = (cell: Feature<Geometry, ClassedCellProperties>): Rgba => classFill(cell.properties.valueClass)

export function createChildCellsLayer(cells: ClassedCellFeature[], metric: string) {
  return new GeoJsonLayer<ClassedCellProperties>({
    id: CHILD_CELLS_LAYER_ID,
    data: cells,
    filled: true,
    stroked: true,
    getFillColor,
    getLineColor: CELL_LINE,
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: true,
    // Same data, other figure: only the colours change.
    updateTriggers: { getFillColor: metric },
  })
}

/** The cell under a deck.gl pick, if the pick hit the children layer. */
/** The fill the layer gives a cell (the debug handle reports it, so tests see the colour drawn). */
export { getFillColor as childCellFill }

export function cellOfPick(info: PickingInfo | null | undefined): ClassedCellFeature | null {
  if (!info?.layer || info.layer.id !== CHILD_CELLS_LAYER_ID || !info.object) return null
  return info.object as ClassedCellFeature
}
