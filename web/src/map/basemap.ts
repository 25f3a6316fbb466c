/**
 * The basemap under the grid, as the server decides it (GET /api/meta → `basemap`, from the
 * BASEMAP setting): none (the default), a PMTiles archive Gridscope serves (read with range
 * requests through the `pmtiles://` protocol; vector tiles drawn with the bundled Protomaps style
 * in its dark flavour, names in Chinese, or raster tiles), or an intranet XYZ/WMTS server's tiles
 * that Gridscope fetches (/tiles/basemap/{z}/{x}/{y}). Nothing comes from another origin, glyphs
 * included: the style has no glyphs URL, so MapLibre draws every label glyph itself (TinySDF on a
 * canvas) from the fonts the device has, as deck.gl does for the grid's own names. With a basemap
 * the grid's fills are lightened (`overBasemap`) and its outlines get a dark halo, so the grid
 * stays readable over roads and imagery; a vector basemap's names, muted and small, lie above the
 * grid's polygons and under its points and its own names.
 */
import { CompositeLayer, type Layer, type LayersList } from '@deck.gl/core'
import { layers as protomapsLayers, namedFlavor } from '@protomaps/basemaps'
import { addProtocol, type LayerSpecification, type SourceSpecification, type SymbolLayerSpecification } from 'maplibre-gl'
import { Protocol } from 'pmtiles'
import type { ProductMeta } from '../api/client.ts'
import { BASEMAP_LABEL, BASEMAP_LABEL_MAX_SIZE, BASEMAP_LABEL_OPACITY, FILL_OPACITY_OVER_BASEMAP, LABEL_FONT_FAMILY, LABEL_HALO, toCss } from './palette.ts'

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

/**
 * The basemap's source and layers for a MapLibre style: `layers` drawn right above the background,
 * `labels` (a vector archive's names) at the top of the style, above the grid's tiles; the
 * screen's polygon fills are put under them by `overBasemap`, its points and names stay above.
 */
export function basemapStyle(
  basemap: BasemapInfo,
  origin: string,
): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[]; labels: LayerSpecification[] } {
  if (basemap.kind === 'none') return { sources: {}, layers: [], labels: [] }
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
      layers: [RASTER_LAYER],
      labels: [],
    }
  }
  ensurePmtilesProtocol()
  const url = `pmtiles://${new URL(basemap.url, origin).href}`
  const common = { url, minzoom: basemap.minzoom, maxzoom: basemap.maxzoom, bounds: basemap.bounds, attribution }
  if (basemap.tiles === 'raster') return { sources: { [BASEMAP_SOURCE_ID]: { type: 'raster', tileSize: 256, ...common } }, layers: [RASTER_LAYER], labels: [] }
  return { sources: { [BASEMAP_SOURCE_ID]: { type: 'vector', ...common } }, layers: VECTOR_LAYERS.layers, labels: VECTOR_LAYERS.labels }
}

/** The id of the basemap's lowest name layer, under which the screen's polygon fills go; none without names. */
export function basemapLabelsId(basemap: BasemapInfo | undefined): string | undefined {
  return basemap?.kind === 'pmtiles' && basemap.tiles === 'vector' ? VECTOR_LAYERS.labels[0]?.id : undefined
}

const RASTER_LAYER: LayerSpecification = { id: 'basemap-raster', type: 'raster', source: BASEMAP_SOURCE_ID }

/**
 * Names first in Simplified Chinese: Protomaps' `zh-Hans` language (its tiles' `name:zh-Hans`,
 * falling back to the local `name`, which in a Chinese county is the Chinese name; with `zh` the
 * style would print such a name twice, since its tiles mark a Chinese name's script as Han).
 */
export const BASEMAP_LABEL_LANGUAGE = 'zh-Hans'
/** The font stack of the basemap's names: the grid labels' own, as the device has it. */
export const BASEMAP_LABEL_FONTS: string[] = LABEL_FONT_FAMILY.split(',').map((name) => name.trim())

/** The bundled Protomaps style in its dark flavour, without its own background: its drawing layers, then its names. */
const VECTOR_LAYERS = (() => {
  const all = (protomapsLayers(BASEMAP_SOURCE_ID, namedFlavor('dark'), { lang: BASEMAP_LABEL_LANGUAGE }) as LayerSpecification[])
    .filter((layer) => layer.type !== 'background')
    .map((layer) => ({ ...layer, id: `basemap-${layer.id}` }) as LayerSpecification)
  return {
    layers: all.filter((layer) => layer.type !== 'symbol'),
    labels: all.flatMap((layer) => (layer.type === 'symbol' ? localLabels(layer) : [])),
  }
})()

/**
 * One Protomaps symbol layer as Gridscope draws it, or none: names only (no sprite is bundled, so
 * the layers that are an icon or the number on a road shield go, and icons are dropped from the
 * rest), every text section in BASEMAP_LABEL_FONTS (MapLibre, with no glyphs URL, hands the stack
 * to the canvas as a CSS font list), in one pale colour on the grid labels' dark halo (readable
 * over the grid's fills, where Protomaps' greys sank into them), no larger than
 * BASEMAP_LABEL_MAX_SIZE and at BASEMAP_LABEL_OPACITY, so that the grid's white names lead.
 */
function localLabels(layer: SymbolLayerSpecification): SymbolLayerSpecification[] {
  const layout = layer.layout ?? {}
  if (!JSON.stringify(layout['text-field'] ?? null).includes('"name')) return []
  const withoutIcons = <T extends object>(props: T) => Object.fromEntries(Object.entries(props).filter(([key]) => !key.startsWith('icon-')))
  return [
    {
      ...layer,
      layout: {
        ...withoutIcons(layout),
        'text-font': BASEMAP_LABEL_FONTS,
        'text-field': inLabelFonts(layout['text-field']) as never,
        'text-size': capped(layout['text-size'] ?? DEFAULT_TEXT_SIZE) as never,
      },
      paint: {
        'text-color': toCss(BASEMAP_LABEL),
        'text-halo-color': toCss(LABEL_HALO),
        'text-halo-width': 1.5,
        'text-opacity': BASEMAP_LABEL_OPACITY,
      },
    },
  ]
}

/** MapLibre's size of a name that does not say its own. */
const DEFAULT_TEXT_SIZE = 16

/**
 * A `text-size` no larger than BASEMAP_LABEL_MAX_SIZE. A zoom curve (interpolate, step) is capped
 * at each stop, since MapLibre takes ["zoom"] only as the input of the outermost curve.
 */
function capped(size: unknown): unknown {
  if (typeof size === 'number') return Math.min(size, BASEMAP_LABEL_MAX_SIZE)
  if (!Array.isArray(size)) return size
  const [op, ...rest] = size as [unknown, ...unknown[]]
  // ["interpolate", type, input, z, out, z, out…] and ["step", input, out, z, out…]: the outputs.
  const firstOutput = op === 'interpolate' ? 4 : op === 'step' ? 2 : -1
  if (firstOutput < 0) return ['min', BASEMAP_LABEL_MAX_SIZE, size]
  return [op, ...rest.map((item, i) => (i + 1 >= firstOutput && (i + 1 - firstOutput) % 2 === 0 ? capped(item) : item))]
}

/** A `text-field` expression with the font of each of its formatted sections set to BASEMAP_LABEL_FONTS. */
function inLabelFonts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inLabelFonts)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, key === 'text-font' ? ['literal', BASEMAP_LABEL_FONTS] : inLabelFonts(v)]))
}

/**
 * The screen's deck.gl layers as drawn over a basemap: each polygon layer's fill at
 * FILL_OPACITY_OVER_BASEMAP of its own, so the roads and buildings under a cell show through it,
 * and, with the basemap's names (`labelsId`, basemapLabelsId), the polygon layers drawn under
 * those names (deck.gl's `beforeId`), the way a thematic map keeps its base's names readable; the
 * points, lines and the grid's own names stay above them. Without a basemap the layers are
 * returned as they are.
 */
export function overBasemap(layers: LayersList, on: boolean, labelsId?: string): LayersList {
  if (!on) return layers
  const visit = (list: readonly unknown[]): LayersList =>
    list.map((item) => {
      if (Array.isArray(item)) return visit(item)
      const layer = item as Layer | false | null | undefined
      // Polygon layers are composite (a fill and a stroke sublayer); a point layer's `filled` is its dots.
      if (!layer || !(layer instanceof CompositeLayer) || !(layer.props as { filled?: boolean }).filled) return layer
      const sub = (layer.props as { _subLayerProps?: Record<string, Record<string, unknown>> })._subLayerProps ?? {}
      return layer.clone({
        _subLayerProps: {
          ...sub,
          // A sublayer's own props replace what it inherits: the layer's opacity is multiplied in here.
          'polygons-fill': { ...sub['polygons-fill'], opacity: FILL_OPACITY_OVER_BASEMAP * layer.props.opacity },
        },
        // A layer placed lower already (the wall's land, under the tiles' lines) stays where it is.
        ...(labelsId && !(layer.props as { beforeId?: string }).beforeId ? { beforeId: labelsId } : {}),
      } as never)
    }) as LayersList
  return visit(layers)
}
