/** Names of the cells being compared, at the label point the API computed inside each polygon. */
import { TextLayer } from '@deck.gl/layers'
import { CELL_LABEL, LABEL_FONT_FAMILY, LABEL_HALO } from '../palette.ts'
import { createSdfFontRenderer } from '../sdf-font-renderer.ts'
import type { PlacedLabel } from './context-labels-layer.ts'

export const CHILD_LABELS_LAYER_ID = 'child-labels'
export const CHILD_LABEL_SIZE = 14

const getText = (label: PlacedLabel) => label.text
const getPosition = (label: PlacedLabel) => label.position
const ON_POINT: [number, number] = [0, 0]
const getPixelOffset = (label: PlacedLabel) => label.offset ?? ON_POINT

export function createChildLabelsLayer(labels: PlacedLabel[], characterSet: string) {
  return new TextLayer<PlacedLabel>({
    id: CHILD_LABELS_LAYER_ID,
    data: labels,
    getText,
    getPosition,
    getPixelOffset,
    getColor: CELL_LABEL,
    getSize: CHILD_LABEL_SIZE,
    sizeUnits: 'pixels',
    fontFamily: LABEL_FONT_FAMILY,
    fontWeight: 500,
    characterSet,
    fontSettings: { sdf: true, fontSize: 64, buffer: 8, radius: 16 },
    _getFontRenderer: createSdfFontRenderer,
    outlineWidth: 4,
    outlineColor: LABEL_HALO,
    parameters: { depthCompare: 'always' },
    pickable: false,
  })
}
