/**
 * The basemap drawn under the grid, from the settings (checked at start, before anything else):
 *
 * - `BASEMAP=none` (the default): no basemap, nothing fetched from anywhere;
 * - `BASEMAP=pmtiles:/srv/basemap/county.pmtiles`: a local PMTiles v3 archive (vector tiles drawn
 *   with the bundled style, or raster tiles), served by Gridscope itself with range requests;
 * - `BASEMAP=https://tiles.intranet/{z}/{x}/{y}.png`: an XYZ or WMTS (KVP or REST) URL template of
 *   an intranet tile server or 天地图, with `{key}` filled from `BASEMAP_KEY` (never in the repo);
 *   Gridscope fetches the tiles for the browser (server/basemap/routes.ts says why).
 *
 * The grid is in WGS 84/CGCS2000; a basemap in GCJ-02 or BD-09 (the offset systems of Chinese web
 * maps: AMap, Tencent, Baidu) would show every road and building hundreds of metres away from the
 * grid cells drawn over it, so such a source is refused, whether declared (`BASEMAP_CRS`) or known
 * by its host. Pure: no file or network access here (the archive is opened by archive.ts).
 */

export type BasemapConfig =
  | { kind: 'none' }
  | { kind: 'pmtiles'; path: string; attribution: string | undefined }
  | { kind: 'xyz'; template: string; attribution: string; maxzoom: number }

/** A setting that cannot be used; the message names the setting and says what to do. */
export class BasemapConfigError extends Error {}

const OFFSET_CRS_REFUSAL = (source: string, crs: string) =>
  `Setting BASEMAP is refused: ${source} is in ${crs}, an offset coordinate system of Chinese web maps; ` +
  'the grid (WGS 84/CGCS2000) would be drawn offset by hundreds of metres from every road and building of the basemap. ' +
  'Use a basemap in WGS 84, CGCS2000 or Web Mercator (天地图 _w layers, an intranet tile server, a PMTiles archive).'

/** Hosts of tile services known to serve GCJ-02 (or Baidu's BD-09) tiles. */
const OFFSET_HOSTS: { pattern: RegExp; name: string; crs: 'GCJ-02' | 'BD-09' }[] = [
  { pattern: /(^|\.)(autonavi\.com|amap\.com)$/i, name: 'AMap (高德)', crs: 'GCJ-02' },
  { pattern: /(^|\.)(map\.qq\.com|gtimg\.com|qq\.com)$/i, name: 'Tencent Maps (腾讯地图)', crs: 'GCJ-02' },
  { pattern: /(^|\.)(google\.cn|googleapis\.cn|gstatic\.cn)$/i, name: 'Google Maps China', crs: 'GCJ-02' },
  { pattern: /(^|\.)(baidu\.com|bdimg\.com|bdstatic\.com)$/i, name: 'Baidu Maps (百度地图)', crs: 'BD-09' },
]

const DEFAULT_MAXZOOM = 18

export interface BasemapSettings {
  BASEMAP?: string | undefined
  BASEMAP_KEY?: string | undefined
  BASEMAP_CRS?: string | undefined
  BASEMAP_ATTRIBUTION?: string | undefined
  BASEMAP_MAXZOOM?: string | undefined
}

export function parseBasemapConfig(env: BasemapSettings): BasemapConfig {
  const value = (env.BASEMAP ?? '').trim()
  const crs = (env.BASEMAP_CRS ?? '').trim().toLowerCase().replace(/[-_]/g, '')
  const attribution = env.BASEMAP_ATTRIBUTION?.trim() || undefined
  if (value === '' || value === 'none') return { kind: 'none' }

  if (crs === 'gcj02' || crs === 'bd09') throw new BasemapConfigError(OFFSET_CRS_REFUSAL('the source (BASEMAP_CRS)', crs === 'gcj02' ? 'GCJ-02' : 'BD-09'))
  if (crs !== '' && !['wgs84', 'epsg4326', 'cgcs2000', 'epsg4490', 'epsg3857', 'webmercator'].includes(crs))
    throw new BasemapConfigError(`Setting BASEMAP_CRS=${env.BASEMAP_CRS} is invalid: expected wgs84, cgcs2000 or epsg3857 (gcj02 and bd09 are refused).`)

  if (value.startsWith('pmtiles:')) {
    const path = value.slice('pmtiles:'.length).replace(/^\/\/(?=\/)/, '')
    if (!path.endsWith('.pmtiles'))
      throw new BasemapConfigError(`Setting BASEMAP=${value} is invalid: expected pmtiles:<path to a .pmtiles file>, e.g. pmtiles:/srv/basemap/county.pmtiles.`)
    return { kind: 'pmtiles', path, attribution }
  }

  let url: URL
  try {
    url = new URL(value.replace(/^(xyz|wmts):/, ''))
  } catch {
    throw new BasemapConfigError(
      `Setting BASEMAP=${value} is invalid: expected none, pmtiles:<file.pmtiles> or an http(s) tile URL template with {z}, {x} and {y}.`,
    )
  }
  const template = value.replace(/^(xyz|wmts):/, '')
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new BasemapConfigError(`Setting BASEMAP is invalid: a tile URL template must be http or https, not ${url.protocol}`)
  for (const placeholder of ['{z}', '{x}', '{y}'])
    if (!template.includes(placeholder))
      throw new BasemapConfigError(
        `Setting BASEMAP is invalid: the tile URL template lacks ${placeholder} (XYZ: …/{z}/{x}/{y}.png; WMTS: …&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}).`,
      )
  const offset = OFFSET_HOSTS.find((h) => h.pattern.test(url.hostname))
  if (offset) throw new BasemapConfigError(OFFSET_CRS_REFUSAL(`${url.hostname} (${offset.name})`, offset.crs))
  // 天地图's "_c" layers (TILEMATRIXSET=c) are tiled in longitude/latitude, which a Web Mercator map cannot draw.
  const tianditu = /(^|\.)tianditu\.(gov\.cn|com|cn)$/i.test(url.hostname)
  if (/[?&]tilematrixset=c(&|$)/i.test(template) || (tianditu && /\/[a-z]{3}_c\//i.test(url.pathname)))
    throw new BasemapConfigError(
      'Setting BASEMAP is invalid: the layer is tiled in longitude/latitude (TILEMATRIXSET=c); use its Web Mercator tiling (天地图 _w layers, TILEMATRIXSET=w).',
    )
  if (template.includes('{key}') && !env.BASEMAP_KEY?.trim())
    throw new BasemapConfigError('Setting BASEMAP_KEY is missing: the BASEMAP template has {key} (天地图: tk={key}); set BASEMAP_KEY to the key.')

  const maxzoom = env.BASEMAP_MAXZOOM?.trim() ? Number(env.BASEMAP_MAXZOOM) : DEFAULT_MAXZOOM
  if (!Number.isInteger(maxzoom) || maxzoom < 1 || maxzoom > 22)
    throw new BasemapConfigError(`Setting BASEMAP_MAXZOOM=${env.BASEMAP_MAXZOOM} is invalid: expected an integer from 1 to 22.`)
  const filled = env.BASEMAP_KEY?.trim() ? template.replaceAll('{key}', encodeURIComponent(env.BASEMAP_KEY.trim())) : template
  return { kind: 'xyz', template: filled, attribution: attribution ?? (tianditu ? '天地图 · 国家地理信息公共服务平台' : url.hostname), maxzoom }
}

/** The upstream URL of one tile of an XYZ/WMTS template. */
export function tileUrl(template: string, z: number, x: number, y: number): string {
  return template.replaceAll('{z}', String(z)).replaceAll('{x}', String(x)).replaceAll('{y}', String(y))
}
