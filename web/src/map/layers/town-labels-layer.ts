/** Town and subdistrict names at the label point the API computed inside each polygon. */
import { TextLayer } from '@deck.gl/layers'
import { createSdfFontRenderer } from '../sdf-font-renderer.ts'
import { LABEL_FONT_FAMILY, LABEL_HALO, TOWN_LABEL } from '../palette.ts'
import type { TownFeature } from '../town-classes.ts'

export const TOWN_LABELS_LAYER_ID = 'town-labels'

const getText = (town: TownFeature) => town.properties.name
const getPosition = (town: TownFeature) => town.properties.labelPoint

export function createTownLabelsLayer(towns: TownFeature[] | undefined, characterSet: string) {
  return new TextLayer<TownFeature>({
    id: TOWN_LABELS_LAYER_ID,
    data: towns ?? [],
    getText,
    getPosition,
    getColor: TOWN_LABEL,
    getSize: 14,
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
