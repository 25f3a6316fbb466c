import { describe, expect, it } from 'vitest'
import { readConfig, StartupError } from '../config.ts'
import { BasemapConfigError, parseBasemapConfig, tileUrl } from './config.ts'

const refusal = (env: Parameters<typeof parseBasemapConfig>[0]) => {
  try {
    parseBasemapConfig(env)
  } catch (error) {
    expect(error).toBeInstanceOf(BasemapConfigError)
    return (error as Error).message
  }
  throw new Error('expected a refusal')
}

describe('BASEMAP', () => {
  it('is none by default and for none', () => {
    expect(parseBasemapConfig({})).toEqual({ kind: 'none' })
    expect(parseBasemapConfig({ BASEMAP: 'none' })).toEqual({ kind: 'none' })
    expect(readConfig({}).basemap).toEqual({ kind: 'none' })
  })

  it('takes a local PMTiles archive', () => {
    expect(parseBasemapConfig({ BASEMAP: 'pmtiles:/srv/basemap/county.pmtiles' })).toEqual({
      kind: 'pmtiles',
      path: '/srv/basemap/county.pmtiles',
      attribution: undefined,
    })
    expect(parseBasemapConfig({ BASEMAP: 'pmtiles:data/x.pmtiles', BASEMAP_ATTRIBUTION: '县自然资源局' })).toMatchObject({
      path: 'data/x.pmtiles',
      attribution: '县自然资源局',
    })
    expect(refusal({ BASEMAP: 'pmtiles:/srv/basemap/county.mbtiles' })).toMatch(/BASEMAP=.*expected pmtiles:<path to a \.pmtiles file>/)
  })

  it('takes an intranet XYZ template and 天地图 WMTS with its key from BASEMAP_KEY', () => {
    expect(parseBasemapConfig({ BASEMAP: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png' })).toEqual({
      kind: 'xyz',
      template: 'http://10.1.2.3:8080/tiles/{z}/{x}/{y}.png',
      attribution: '10.1.2.3',
      maxzoom: 18,
    })
    const tianditu =
      'https://t0.tianditu.gov.cn/img_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=img&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}'
    const parsed = parseBasemapConfig({ BASEMAP: tianditu, BASEMAP_KEY: 'abc123' })
    expect(parsed).toMatchObject({ kind: 'xyz', attribution: '天地图 · 国家地理信息公共服务平台' })
    if (parsed.kind !== 'xyz') throw new Error('xyz expected')
    expect(tileUrl(parsed.template, 12, 3300, 1790)).toContain('TILEMATRIX=12&TILEROW=1790&TILECOL=3300&tk=abc123')
    expect(refusal({ BASEMAP: tianditu })).toMatch(/BASEMAP_KEY is missing/)
    expect(refusal({ BASEMAP: tianditu.replace('img_w', 'img_c').replace('TILEMATRIXSET=w', 'TILEMATRIXSET=c'), BASEMAP_KEY: 'k' })).toMatch(
      /longitude\/latitude.*_w/,
    )
  })

  it('refuses malformed values, naming BASEMAP', () => {
    expect(refusal({ BASEMAP: 'osm' })).toMatch(/^Setting BASEMAP=osm is invalid/)
    expect(refusal({ BASEMAP: 'ftp://tiles/{z}/{x}/{y}' })).toMatch(/BASEMAP .*http or https/)
    expect(refusal({ BASEMAP: 'http://tiles.intranet/{z}/{x}.png' })).toMatch(/BASEMAP .*lacks \{y\}/)
    expect(refusal({ BASEMAP: 'http://tiles.intranet/{z}/{x}/{y}.png', BASEMAP_MAXZOOM: '30' })).toMatch(/BASEMAP_MAXZOOM=30/)
    expect(refusal({ BASEMAP: 'http://tiles.intranet/{z}/{x}/{y}.png', BASEMAP_CRS: 'epsg:2000' })).toMatch(/BASEMAP_CRS=epsg:2000 is invalid/)
  })

  it('refuses a GCJ-02 or BD-09 source, declared or known by its host: the grid would be offset by hundreds of metres', () => {
    const offset = /Setting BASEMAP is refused: .* (GCJ-02|BD-09).*offset by hundreds of metres/
    expect(refusal({ BASEMAP: 'pmtiles:/srv/amap.pmtiles', BASEMAP_CRS: 'gcj02' })).toMatch(offset)
    expect(refusal({ BASEMAP: 'http://tiles.intranet/{z}/{x}/{y}.png', BASEMAP_CRS: 'GCJ-02' })).toMatch(offset)
    expect(refusal({ BASEMAP: 'http://tiles.intranet/{z}/{x}/{y}.png', BASEMAP_CRS: 'bd09' })).toMatch(offset)
    expect(refusal({ BASEMAP: 'https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}' })).toMatch(/AMap.*GCJ-02/)
    expect(refusal({ BASEMAP: 'https://rt0.map.gtimg.com/tile?z={z}&x={x}&y={y}&styleid=1' })).toMatch(/Tencent.*GCJ-02/)
    expect(refusal({ BASEMAP: 'https://maponline0.bdimg.com/tile/?qt=vtile&x={x}&y={y}&z={z}' })).toMatch(/Baidu.*BD-09/)
    // CGCS2000 and WGS 84 differ by centimetres: accepted.
    expect(parseBasemapConfig({ BASEMAP: 'http://tiles.intranet/{z}/{x}/{y}.png', BASEMAP_CRS: 'cgcs2000' }).kind).toBe('xyz')
  })

  it('stops the start with a StartupError naming the setting', () => {
    expect(() => readConfig({ BASEMAP: 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}' })).toThrow(StartupError)
    expect(() => readConfig({ BASEMAP: 'osm' })).toThrow(/Setting BASEMAP=osm is invalid/)
  })
})
