import { GeoJsonLayer } from '@deck.gl/layers'
import { describe, expect, it } from 'vitest'
import { createBaseStyle, createPlainStyle } from './base-style.ts'
import { basemapStyle, overBasemap } from './basemap.ts'
import { FILL_OPACITY_OVER_BASEMAP } from './palette.ts'

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
  it('draws a vector archive with the bundled style, without labels or a background of its own, read through pmtiles:// from this origin', () => {
    const { sources, layers } = basemapStyle({ ...archive, tiles: 'vector' }, ORIGIN)
    expect(sources.basemap).toMatchObject({ type: 'vector', url: 'pmtiles://http://gridscope.test/tiles/basemap.pmtiles', attribution: 'A &lt;b&gt;' })
    expect(layers.length).toBeGreaterThan(10)
    expect(layers.some((l) => l.type === 'symbol' || l.type === 'background')).toBe(false)
    expect(layers.every((l) => l.id.startsWith('basemap-') && 'source' in l && l.source === 'basemap')).toBe(true)
  })

  it('draws a raster archive and an intranet server as raster layers, from this origin only', () => {
    expect(basemapStyle({ ...archive, tiles: 'raster' }, ORIGIN).sources.basemap).toMatchObject({
      type: 'raster',
      url: 'pmtiles://http://gridscope.test/tiles/basemap.pmtiles',
    })
    const xyz = basemapStyle({ kind: 'xyz', tiles: '/tiles/basemap/{z}/{x}/{y}', minzoom: 0, maxzoom: 18, attribution: '天地图' }, ORIGIN)
    expect(xyz.sources.basemap).toMatchObject({ type: 'raster', tiles: ['http://gridscope.test/tiles/basemap/{z}/{x}/{y}'] })
    expect(basemapStyle({ kind: 'none' }, ORIGIN)).toEqual({ sources: {}, layers: [] })
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
})
