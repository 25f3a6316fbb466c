/**
 * Each coordinate system the grid import reads, checked against GDAL: a known point projected by
 * `gdaltransform` (GDAL 3.6, PROJ 9) comes back to within 0.1 m; GCJ-02 and BD-09 against the
 * published obfuscation formulas (written out below) to within 1 m.
 */
import { describe, expect, it } from 'vitest'
import { createTransform, epsgSpec, parseCrsName, wktSpec } from './crs.ts'

const LON = 114.0123456
const LAT = 23.0123456

/** Metres between two lon/lat points (equirectangular; exact enough below a kilometre). */
function metres(a: [number, number], b: [number, number]): number {
  const dx = (a[0] - b[0]) * Math.cos((LAT * Math.PI) / 180) * 111_320
  const dy = (a[1] - b[1]) * 110_574
  return Math.hypot(dx, dy)
}

// `echo '114.0123456 23.0123456' | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:n -output_xy`
const GDAL_REFERENCE: [string, [number, number]][] = [
  ['EPSG:4547', [501265.587089422, 2545904.83415825]], // CGCS2000 3° CM 114E
  ['EPSG:4546', [808904.7113766, 2549081.27582472]], // CGCS2000 3° CM 111E, far from its meridian
  ['EPSG:4526', [38501265.5870894, 2545904.83415825]], // CGCS2000 3° zone 38 (zone in the easting)
  ['EPSG:4499', [20575998.8200363, 2574395.59864986]], // CGCS2000 6° zone 20
  ['EPSG:3857', [12691796.2563387, 2633511.69736047]], // Web Mercator
  ['EPSG:4490', [114.0123456, 23.0123456]], // CGCS2000 geographic
]

// The CGCS2000 / 3-degree Gauss-Kruger CM 111E .prj that GDAL writes (ogr2ogr -t_srs EPSG:4546).
const PRJ_4546 =
  'PROJCS["CGCS2000_3_Degree_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'

describe('coordinate systems', () => {
  it.each(GDAL_REFERENCE)('%s: the point GDAL projected comes back within 0.1 m', (name, xy) => {
    const back = createTransform(parseCrsName(name))(xy)
    expect(metres(back, [LON, LAT])).toBeLessThan(0.1)
  })

  it('reads a .prj in ESRI WKT (Gauss_Kruger) and transforms like EPSG:4546', () => {
    const back = createTransform(wktSpec(PRJ_4546))([808904.7113766, 2549081.27582472])
    expect(metres(back, [LON, LAT])).toBeLessThan(0.1)
  })

  it('reads the names GeoJSON and GeoPackages carry', () => {
    expect(parseCrsName('urn:ogc:def:crs:EPSG::4546').label).toBe('EPSG:4546')
    expect(parseCrsName('urn:ogc:def:crs:OGC:1.3:CRS84').label).toBe('EPSG:4326')
    expect(parseCrsName('epsg:4490').label).toBe('EPSG:4490')
    expect(() => parseCrsName('EPSG:2000')).toThrow(/not a coordinate system Gridscope knows/)
    expect(() => parseCrsName('mars')).toThrow(/unknown coordinate system/)
    expect(epsgSpec(4546)).toMatchObject({ kind: 'proj' })
  })

  // The published GCJ-02 obfuscation (WGS 84 → GCJ-02) and BD-09 (GCJ-02 → BD-09), written out
  // here as the independent reference for gcoord's inverse.
  function wgsToGcj([lon, lat]: [number, number]): [number, number] {
    const a = 6378245.0
    const ee = 0.006693421622965943
    const x = lon - 105
    const y = lat - 35
    let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
    dLat += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
    dLat += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
    dLat += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
    let dLon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
    dLon += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
    dLon += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
    dLon += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
    const radLat = (lat / 180) * Math.PI
    const magic = 1 - ee * Math.sin(radLat) ** 2
    const sqrtMagic = Math.sqrt(magic)
    return [lon + (dLon * 180) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI), lat + (dLat * 180) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI)]
  }
  function gcjToBd([lon, lat]: [number, number]): [number, number] {
    const xPi = (Math.PI * 3000) / 180
    const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * xPi)
    const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * xPi)
    return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006]
  }

  it('undoes GCJ-02 to within 1 m (a point near Maoming is offset by hundreds of metres)', () => {
    const wgs: [number, number] = [110.9234, 21.5012]
    const gcj = wgsToGcj(wgs)
    expect(metres(gcj, wgs)).toBeGreaterThan(300)
    expect(metres(createTransform(parseCrsName('gcj02'))(gcj), wgs)).toBeLessThan(1)
  })

  it('undoes BD-09 to within 1 m', () => {
    const wgs: [number, number] = [LON, LAT]
    const bd = gcjToBd(wgsToGcj(wgs))
    expect(metres(createTransform(parseCrsName('bd09'))(bd), wgs)).toBeLessThan(1)
  })
})
