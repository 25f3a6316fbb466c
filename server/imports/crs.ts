/**
 * Coordinate reference systems a county's grid arrives in, and the transform of every coordinate
 * to WGS 84 longitude/latitude (the grid is stored in EPSG:4326). Projected and geographic systems go
 * through proj4: EPSG:4326, 4490 (CGCS2000), 3857, the CGCS2000 Gauss–Krüger zones (3° and 6°, with
 * and without the zone number in the easting: EPSG:4491–4554), or any WKT a .prj or a GeoPackage
 * holds. GCJ-02 and BD-09 (the offset systems of web maps in China) are not projections but
 * published obfuscations; gcoord undoes them.
 */
import gcoord from 'gcoord'
import proj4 from 'proj4'

export type CrsSpec = { kind: 'proj'; label: string; definition: string } | { kind: 'gcj02' | 'bd09'; label: string }

export type Transform = (xy: [number, number]) => [number, number]

const GRS80 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'

/** proj strings of the EPSG codes a county brings; null when the code is not one of them. */
export function epsgDefinition(code: number): string | null {
  if (code === 4326) return '+proj=longlat +datum=WGS84 +no_defs'
  if (code === 4490) return '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'
  if (code === 3857 || code === 900913) return 'EPSG:3857'
  // CGCS2000 6° zones 13–23 with the zone number in the easting, then by central meridian 75E–135E.
  if (code >= 4491 && code <= 4501) return tmerc(6 * (code - 4491 + 13) - 3, (code - 4491 + 13) * 1e6 + 500000)
  if (code >= 4502 && code <= 4512) return tmerc(75 + 6 * (code - 4502), 500000)
  // CGCS2000 3° zones 25–45 with the zone number, then by central meridian 75E–135E (4546 = 111E).
  if (code >= 4513 && code <= 4533) return tmerc(3 * (code - 4513 + 25), (code - 4513 + 25) * 1e6 + 500000)
  if (code >= 4534 && code <= 4554) return tmerc(75 + 3 * (code - 4534), 500000)
  return null
}

function tmerc(centralMeridian: number, falseEasting: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 ${GRS80}`
}

/** Reads `--crs` and the names files carry: EPSG:n, urn:ogc:def:crs:EPSG::n, CRS84, gcj02, bd09. */
export function parseCrsName(name: string): CrsSpec {
  const text = name.trim()
  const lower = text.toLowerCase()
  if (lower === 'gcj02' || lower === 'gcj-02') return { kind: 'gcj02', label: 'GCJ-02' }
  if (lower === 'bd09' || lower === 'bd-09') return { kind: 'bd09', label: 'BD-09' }
  if (/crs84$/i.test(text)) return { kind: 'proj', label: 'EPSG:4326', definition: epsgDefinition(4326)! }
  const match = /^(?:epsg:{1,2}|urn:ogc:def:crs:epsg:[0-9.]*:)([0-9]+)$/i.exec(text)
  if (match) return epsgSpec(Number(match[1]))
  throw new Error(`unknown coordinate system "${text}": expected EPSG:n, gcj02 or bd09`)
}

export function epsgSpec(code: number): CrsSpec {
  const definition = epsgDefinition(code)
  if (!definition) throw new Error(`EPSG:${code} is not a coordinate system Gridscope knows (4326, 4490, 3857, 4491–4554); give the file a .prj or use --crs`)
  return { kind: 'proj', label: `EPSG:${code}`, definition }
}

/** A WKT definition (.prj, gpkg_spatial_ref_sys), checked by building a transform from it. */
export function wktSpec(wkt: string): CrsSpec {
  const authority = /^[A-Z]+CRS\[.*AUTHORITY\["EPSG","([0-9]+)"\]\]\s*$/s.exec(wkt.trim())
  if (authority && epsgDefinition(Number(authority[1]))) return epsgSpec(Number(authority[1]))
  try {
    proj4(wkt, 'EPSG:4326', [0, 0])
  } catch {
    throw new Error('the coordinate system in the file (WKT) could not be read; use --crs EPSG:n')
  }
  const name = /^[A-Z]+\["([^"]+)"/.exec(wkt.trim())?.[1] ?? 'WKT'
  return { kind: 'proj', label: name, definition: wkt }
}

export function createTransform(spec: CrsSpec): Transform {
  if (spec.kind !== 'proj') {
    const from = spec.kind === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09
    return (xy) => gcoord.transform(xy, from, gcoord.WGS84) as [number, number]
  }
  if (spec.definition === epsgDefinition(4326)) return (xy) => [xy[0], xy[1]]
  const converter = proj4(spec.definition, 'EPSG:4326')
  return (xy) => {
    const out = converter.forward([xy[0], xy[1]])
    return [out[0]!, out[1]!]
  }
}
