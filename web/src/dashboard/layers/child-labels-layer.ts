/** Names of the cells being compared, at the label point the API computed inside each polygon. */
import { TextLayer } from '@deck.gl/layers'
import { CELL_LABEL } from '../../map/palette.ts'
import type { PlacedLabel } from '../../map/layers/context-labels-layer.ts'
import { LABEL_TEXT_STYLE } from '../../map/layers/label-text.ts'

export const CHILD_LABELS_LAYER_ID = 'child-labels'
export const CHILD_LABEL_SIZE = 14

const getText = (label: PlacedLabel) => label.text
const getPosition = (label: PlacedLabel) => label.position
const ON_POINT: [number, number] = [0, 0]
const getPixelOffset = (label: PlacedLabel) => label.offset ?? ON_POINT

export function createChildLabelsLayer(labels: PlacedLabel[], characterSet: string) {
  return new TextLayer<PlacedLabel>({
    ...LABEL_TEXT_STYLE,
    id: CHILD_LABELS_LAYER_ID,
    data: labels,
    getText,
    getPosition,
    getPixelOffset,
    getColor: CELL_LABEL,
    getSize: CHILD_LABEL_SIZE,
    characterSet,
  })
}
