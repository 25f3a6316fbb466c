/** Names of the neighbouring districts, placed inside the part of each that is near the view. */
import { TextLayer } from '@deck.gl/layers'
import { CONTEXT_LABEL } from '../palette.ts'
import { LABEL_TEXT_STYLE } from './label-text.ts'

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
    ...LABEL_TEXT_STYLE,
    id: CONTEXT_LABELS_LAYER_ID,
    data: labels,
    getText,
    getPosition,
    getColor: CONTEXT_LABEL,
    getSize: 17,
    characterSet,
  })
}
