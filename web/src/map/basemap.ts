/**
 * The basemap under the grid, as the server decides it (GET /api/meta → `basemap`, from the
 * BASEMAP setting): none (the default), a PMTiles archive Gridscope serves (read with range
 * requests through the `pmtiles://` protocol; vector tiles drawn with the bundled Protomaps style
 * in its dark flavour, without labels since no glyphs are bundled, or raster tiles), or an intranet
 * XYZ/WMTS server's tiles that Gridscope fetches (/tiles/basemap/{z}/{x}/{y}). Nothing comes from
 * another origin. With a basemap the grid's fills are lightened (`overBasemap`) and its outlines
 * get a dark halo, so the grid stays readable over roads and imagery.
 */
import type { Layer, LayersList } from '@deck.gl/core'
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps'
import { addProtocol, type LayerSpecification, type SourceSpecification } from 'maplibre-gl'
import { Protocol } from 'pmtiles'
import type { ProductMeta } from '../api/client.ts'
import { FILL_OPACITY_OVER_BASEMAP } from './palette.ts'

export type BasemapInfo = ProductMeta['basemap']

export const BASEMAP_SOURCE_ID = 'basemap'

let protocolAdded = false
function ensurePmtilesProtocol() {
  if (protocolAdded) return
  protocolAdded = true
  addProtocol('pmtiles', new Protocol().tile)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!)
}

export function hasBasemap(basemap: BasemapInfo | undefined): boolean {
  return basemap !== undefined && basemap.kind !== 'none'
}

/** The basemap's source and layers for a MapLibre style (drawn right above the background). */
export function basemapStyle(basemap: BasemapInfo, origin: string): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  if (basemap.kind === 'none') return { sources: {}, layers: [] }
  const attribution = escapeHtml(basemap.attribution)
  if (basemap.kind === 'xyz') {
    return {
      sources: {
        [BASEMAP_SOURCE_ID]: {
          type: 'raster',
          // Joined, not URL-resolved: a URL would escape the template's braces.
          tiles: [`${origin}${basemap.tiles}`],
          tileSize: 256,
          minzoom: basemap.minzoom,
          maxzoom: basemap.maxzoom,
          attribution,
        },
      },
      layers: [{ id: 'basemap-raster', type: 'raster', source: BASEMAP_SOURCE_ID }],
    }
  }
  ensurePmtilesProtocol()
  const url = `pmtiles://${new URL(basemap.url, origin).href}`
  const common = { url, minzoom: basemap.minzoom, maxzoom: basemap.maxzoom, bounds: basemap.bounds, attribution }
  if (basemap.tiles === 'raster')
    return {
      sources: { [BASEMAP_SOURCE_ID]: { type: 'raster', tileSize: 256, ...common } },
      layers: [{ id: 'basemap-raster', type: 'raster', source: BASEMAP_SOURCE_ID }],
    }
  // The Protomaps layers without labels (no glyphs are bundled) and without their own background.
  const layers = protomapsLayers(BASEMAP_SOURCE_ID, namedFlavor('dark'))
    .filter((layer) => layer.type !== 'background' && layer.type !== 'symbol')
    .map((layer) => ({ ...layer, id: `basemap-${layer.id}` }) as LayerSpecification)
  return { sources: { [BASEMAP_SOURCE_ID]: { type: 'vector', ...common } }, layers }
}

/**
 * The screen's deck.gl layers as drawn over a basemap: each polygon layer's fill at
 * FILL_OPACITY_OVER_BASEMAP of its own (outlines, points and labels unchanged), so the roads and
 * buildings under a cell show through it. Without a basemap the layers are returned as they are.
 */
export function overBasemap(layers: LayersList, on: boolean): LayersList {
  if (!on) return layers
  const visit = (list: readonly unknown[]): LayersList =>
    list.map((item) => {
      if (Array.isArray(item)) return visit(item)
      const layer = item as Layer | false | null | undefined
      if (!layer || !(layer.props as { filled?: boolean }).filled) return layer
      const sub = (layer.props as { _subLayerProps?: Record<string, Record<string, unknown>> })._subLayerProps ?? {}
      return layer.clone({
        _subLayerProps: {
          ...sub,
          // A sublayer's own props replace what it inherits: the layer's opacity is multiplied in here.
          'polygons-fill': { ...sub['polygons-fill'], opacity: FILL_OPACITY_OVER_BASEMAP * layer.props.opacity },
        },
      } as never)
    }) as LayersList
  return visit(layers)
}
