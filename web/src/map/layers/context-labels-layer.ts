/** Names of the neighbouring districts, placed inside the part of each that is near the view. */
import { TextLayer } from '@deck.gl/layers'
import { createSdfFontRenderer } from '../sdf-font-renderer.ts'
import { CONTEXT_LABEL, LABEL_FONT_FAMILY, LABEL_HALO } from '../palette.ts'

export const CONTEXT_LABELS_LAYER_ID = 'context-labels'

export interface PlacedLabel {
  text: string
  position: [number, number]
  /** Pixels from `position` (to clear a neighbouring label); none: on it. */
  offset?: [number, number]
}

const getText = (label: PlacedLabel) => label.text
const getPosition = (label: PlacedLabel) => label.position

export function createContextLabelsLayer(labels: PlacedLabel[], characterSet: string) {
  return new TextLayer<PlacedLabel>({
    id: CONTEXT_LABELS_LAYER_ID,
    data: labels,
    getText,
    getPosition,
    getColor: CONTEXT_LABEL,
    getSize: 17,
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
