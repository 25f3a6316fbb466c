import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { SymbolLayerSpecification } from 'maplibre-gl'
import { describe, expect, it } from 'vitest'
import { createBaseStyle, createPlainStyle } from './base-style.ts'
import { BASEMAP_LABEL_FONTS, basemapLabelsId, basemapStyle, overBasemap } from './basemap.ts'
import { BASEMAP_LABEL_MAX_SIZE, BASEMAP_LABEL_OPACITY, FILL_OPACITY_OVER_BASEMAP } from './palette.ts'

const ORIGIN = 'http://gridscope.test'
const archive = {
  kind: 'pmtiles' as const,
  url: '/tiles/basemap.pmtiles',
  minzoom: 0,
  maxzoom: 14,
  bounds: [110, 21, 112, 22] as [number, number, number, number],
  attribution: 'A <b>',
}

describe('basemapStyle', () => {
  it('draws a vector archive with the bundled style, without a background of its own, read through pmtiles:// from this origin', () => {
    const { sources, layers, labels } = basemapStyle({ ...archive, tiles: 'vector' }, ORIGIN)
    expect(sources.basemap).toMatchObject({ type: 'vector', url: 'pmtiles://http://gridscope.test/tiles/basemap.pmtiles', attribution: 'A &lt;b&gt;' })
    expect(layers.length).toBeGreaterThan(10)
    expect(layers.some((l) => l.type === 'symbol' || l.type === 'background')).toBe(false)
    expect([...layers, ...labels].every((l) => l.id.startsWith('basemap-') && 'source' in l && l.source === 'basemap')).toBe(true)
  })

  it('names places, roads and water in Chinese first (zh-Hans, else the local name), in local fonts, without icons', () => {
    const labels = basemapStyle({ ...archive, tiles: 'vector' }, ORIGIN).labels as SymbolLayerSpecification[]
    expect(labels.map((l) => l.id)).toEqual(
      expect.arrayContaining(['basemap-places_locality', 'basemap-places_subplace', 'basemap-roads_labels_major', 'basemap-water_label_lakes']),
    )
    for (const label of labels) {
      expect(label.type).toBe('symbol')
      const field = JSON.stringify(label.layout?.['text-field'])
      expect(field).toContain('"name:zh-Hans"')
      // Every section in the device's fonts: no font name that would need a glyphs server.
      expect(label.layout?.['text-font']).toEqual(BASEMAP_LABEL_FONTS)
      expect(field).not.toMatch(/Noto Sans (Regular|Medium|Italic|Devanagari)/)
      // No sprite is bundled: no icons.
      expect(Object.keys({ ...label.layout, ...label.paint }).filter((key) => key.startsWith('icon-'))).toEqual([])
      expect(label.paint?.['text-opacity']).toBe(BASEMAP_LABEL_OPACITY)
    }
    // A town without a zh-Hans name is called by its local name.
    expect(JSON.stringify(labels.find((l) => l.id === 'basemap-places_locality')!.layout!['text-field'])).toContain('["get","name"]')
    expect(BASEMAP_LABEL_FONTS[0]).toBe('Noto Sans CJK SC')
    // Road shields' numbers, house numbers and one-way arrows are not names.
    expect(labels.some((l) => /shields|address|oneway/.test(l.id))).toBe(false)
  })

  it('keeps the names no larger than the grid’s own, at every zoom', () => {
    const labels = basemapStyle({ ...archive, tiles: 'vector' }, ORIGIN).labels as SymbolLayerSpecification[]
    const locality = labels.find((l) => l.id === 'basemap-places_locality')!.layout!['text-size'] as unknown[]
    // A zoom curve whose every stop is capped: ["interpolate", ["linear"], ["zoom"], 2, ["min", 12, …], 4, …]
    expect(locality.slice(0, 3)).toEqual(['interpolate', ['linear'], ['zoom']])
    for (let i = 4; i < locality.length; i += 2) expect((locality[i] as unknown[]).slice(0, 2)).toEqual(['min', BASEMAP_LABEL_MAX_SIZE])
    // A size is capped when it is a number up to the cap, ["min", cap, …], or a zoom curve whose every output is capped.
    const isCapped = (size: unknown): boolean => {
      if (typeof size === 'number') return size <= BASEMAP_LABEL_MAX_SIZE
      if (!Array.isArray(size)) return false
      if (size[0] === 'min') return size[1] === BASEMAP_LABEL_MAX_SIZE
      const outputs =
        size[0] === 'interpolate' ? size.slice(4).filter((_, i) => i % 2 === 0) : size[0] === 'step' ? size.slice(2).filter((_, i) => i % 2 === 0) : [size]
      return outputs.length > 0 && outputs.every((output) => output !== size && isCapped(output))
    }
    for (const label of labels) expect(isCapped(label.layout?.['text-size'])).toBe(true)
  })

  it('draws a raster archive and an intranet server as raster layers, from this origin only', () => {
    expect(basemapStyle({ ...archive, tiles: 'raster' }, ORIGIN).sources.basemap).toMatchObject({
      type: 'raster',
      url: 'pmtiles://http://gridscope.test/tiles/basemap.pmtiles',
    })
    const xyz = basemapStyle({ kind: 'xyz', tiles: '/tiles/basemap/{z}/{x}/{y}', minzoom: 0, maxzoom: 18, attribution: '天地图' }, ORIGIN)
    expect(xyz.sources.basemap).toMatchObject({ type: 'raster', tiles: ['http://gridscope.test/tiles/basemap/{z}/{x}/{y}'] })
    expect(basemapStyle({ kind: 'none' }, ORIGIN)).toEqual({ sources: {}, layers: [], labels: [] })
  })

  it('puts a vector basemap’s names above the grid tiles, with no glyphs or sprite to fetch', () => {
    const style = createBaseStyle(`${ORIGIN}/tiles/grids.json`, 3, { ...archive, tiles: 'vector' }, ORIGIN)
    const ids = style.layers.map((l) => l.id)
    const firstName = style.layers.findIndex((l) => l.type === 'symbol')
    expect(ids[0]).toBe('background')
    expect(ids[1]).toMatch(/^basemap-/)
    expect(firstName).toBeGreaterThan(ids.lastIndexOf('grid-tiles-line-2'))
    expect(style.layers.slice(firstName).every((l) => l.type === 'symbol' && l.id.startsWith('basemap-'))).toBe(true)
    expect(ids[firstName]).toBe(basemapLabelsId({ ...archive, tiles: 'vector' }))
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
    expect(createPlainStyle({ ...archive, tiles: 'vector' }, ORIGIN).layers.at(-1)!.type).toBe('symbol')
    expect(basemapLabelsId({ ...archive, tiles: 'raster' })).toBeUndefined()
    expect(basemapLabelsId({ kind: 'none' })).toBeUndefined()
  })

  it('puts the basemap between the background and the grid, with halos under the grid lines only over a basemap', () => {
    const ids = createBaseStyle(`${ORIGIN}/tiles/grids.json`, 3, { ...archive, tiles: 'raster' }, ORIGIN).layers.map((l) => l.id)
    expect(ids[0]).toBe('background')
    expect(ids[1]).toBe('basemap-raster')
    expect(ids.indexOf('grid-tiles-halo-2')).toBeLessThan(ids.indexOf('grid-tiles-line-2'))
    expect(createBaseStyle(`${ORIGIN}/tiles/grids.json`, 3).layers.some((l) => l.id.startsWith('grid-tiles-halo') || l.id.startsWith('basemap'))).toBe(false)
    expect(createPlainStyle({ ...archive, tiles: 'raster' }, ORIGIN).layers.map((l) => l.id)).toEqual(['background', 'basemap-raster'])
  })
})

describe('overBasemap', () => {
  it("lightens polygon layers' fills over a basemap and leaves other layers and the no-basemap case alone", () => {
    const cells = new GeoJsonLayer({ id: 'cells', data: [], filled: true, opacity: 0.8 })
    const lines = new GeoJsonLayer({ id: 'lines', data: [], filled: false })
    expect(overBasemap([cells, lines], false)).toEqual([cells, lines])
    const [drawn, untouched] = overBasemap([[cells], lines], true) as [[GeoJsonLayer], GeoJsonLayer]
    expect(drawn[0].props._subLayerProps).toEqual({ 'polygons-fill': { opacity: FILL_OPACITY_OVER_BASEMAP * 0.8 } })
    expect(untouched).toBe(lines)
  })

  it('puts polygon layers under the basemap’s names, and points and lines above them', () => {
    const cells = new GeoJsonLayer({ id: 'cells', data: [], filled: true })
    const lines = new GeoJsonLayer({ id: 'lines', data: [], filled: false })
    const dots = new ScatterplotLayer({ id: 'dots', data: [] })
    const [drawn, outlines, points] = overBasemap([cells, lines, dots], true, 'basemap-places') as [GeoJsonLayer, GeoJsonLayer, ScatterplotLayer]
    expect((drawn.props as { beforeId?: string }).beforeId).toBe('basemap-places')
    expect(outlines).toBe(lines)
    expect(points).toBe(dots)
    expect((overBasemap([cells], true)[0] as GeoJsonLayer).props).not.toHaveProperty('beforeId', expect.anything())
    // A layer placed lower already keeps its place.
    const land = new GeoJsonLayer({ id: 'land', data: [], filled: true, beforeId: 'grid-tiles-line-5' } as never)
    expect(((overBasemap([land], true, 'basemap-places')[0] as GeoJsonLayer).props as { beforeId?: string }).beforeId).toBe('grid-tiles-line-5')
  })
})
