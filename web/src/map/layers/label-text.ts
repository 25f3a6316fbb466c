/**
 * How every name on the maps is drawn (cells, neighbouring districts, the wall's towns): the CJK
 * font as SDF glyphs made in the page (no font files fetched), a dark halo, always on top, not
 * pickable. Each label layer adds its data, colour and size.
 */
import type { TextLayerProps } from '@deck.gl/layers'
import { LABEL_FONT_FAMILY, LABEL_HALO } from '../palette.ts'
import { createSdfFontRenderer } from '../sdf-font-renderer.ts'

export const LABEL_TEXT_STYLE: Partial<TextLayerProps> = {
  sizeUnits: 'pixels',
  fontFamily: LABEL_FONT_FAMILY,
  fontWeight: 500,
  fontSettings: { sdf: true, fontSize: 64, buffer: 8, radius: 16 },
  _getFontRenderer: createSdfFontRenderer,
  outlineWidth: 4,
  outlineColor: LABEL_HALO,
  parameters: { depthCompare: 'always' },
  pickable: false,
}
