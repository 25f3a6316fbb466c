/**
 * The offline basemap: one background layer in the sea colour, no sources, no glyphs, no
 * sprites, so the map renders with no network at all. Everything on it is drawn by deck.gl.
 */
import type { StyleSpecification } from 'maplibre-gl'
import { SEA_COLOR } from './palette.ts'

export const BASE_STYLE: StyleSpecification = {
  version: 8,
  name: 'gridscope-offline',
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': SEA_COLOR } }],
}
