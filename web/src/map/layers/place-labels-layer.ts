/**
 * Names of places for orientation (towns, villages) over a map whose own layers carry no names:
 * the analyst's heat and bins, the wall's town stops. Each label has its own size (a town's name
 * larger than its villages'), placed beforehand so that none overlap (label-placement.ts).
 */
import { TextLayer } from '@deck.gl/layers'
import { CELL_LABEL } from '../palette.ts'
import type { PlacedLabel } from './context-labels-layer.ts'
import { LABEL_TEXT_STYLE } from './label-text.ts'

export interface SizedLabel extends PlacedLabel {
  size: number
}

const getText = (label: SizedLabel) => label.text
const getPosition = (label: SizedLabel) => label.position
const getSize = (label: SizedLabel) => label.size
const ON_POINT: [number, number] = [0, 0]
const getPixelOffset = (label: SizedLabel) => label.offset ?? ON_POINT

export function createPlaceLabelsLayer(id: string, labels: readonly SizedLabel[], characterSet: string) {
  return new TextLayer<SizedLabel>({
    ...LABEL_TEXT_STYLE,
    id,
    data: labels,
    getText,
    getPosition,
    getPixelOffset,
    getColor: CELL_LABEL,
    getSize,
    characterSet,
    updateTriggers: { getPixelOffset: labels },
  })
}
