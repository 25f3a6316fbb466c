/**
 * Well-known binary (ISO and extended, 2D/Z/M/ZM) to GeoJSON geometry, and the GeoPackage binary
 * header in front of it (GeoPackage 1.x, clause 2.1.3). Only x and y are kept: the grid is 2D.
 */
import type { Geometry, Position } from 'geojson'

export function parseGeoPackageGeometry(blob: Uint8Array): { geometry: Geometry | null; srsId: number } {
  if (blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not a GeoPackage geometry (no GP magic)')
  const flags = blob[3]!
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength)
  const littleEndian = (flags & 1) === 1
  const srsId = view.getInt32(4, littleEndian)
  const envelope = (flags >> 1) & 7
  const envelopeBytes = [0, 32, 48, 48, 64][envelope] ?? 0
  const empty = (flags & 0x10) !== 0
  if (empty) return { geometry: null, srsId }
  return { geometry: parseWkb(blob.subarray(8 + envelopeBytes)), srsId }
}

export function parseWkb(bytes: Uint8Array): Geometry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 0
  const read = (): Geometry => {
    const little = view.getUint8(offset) === 1
    offset += 1
    let type = view.getUint32(offset, little)
    offset += 4
    let dims = 2
    // Extended WKB flags (PostGIS) and ISO thousands for Z, M, ZM.
    if (type & 0x80000000) dims++
    if (type & 0x40000000) dims++
    if (type & 0x20000000) offset += 4 // SRID
    type &= 0x0fffffff
    if (type >= 3000) {
      dims = 4
      type -= 3000
    } else if (type >= 2000) {
      dims = 3
      type -= 2000
    } else if (type >= 1000) {
      dims = 3
      type -= 1000
    }
    const point = (): Position => {
      const x = view.getFloat64(offset, little)
      const y = view.getFloat64(offset + 8, little)
      offset += 8 * dims
      return [x, y]
    }
    const count = (): number => {
      const n = view.getUint32(offset, little)
      offset += 4
      return n
    }
    const points = (): Position[] => Array.from({ length: count() }, point)
    const rings = (): Position[][] => Array.from({ length: count() }, points)
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: point() }
      case 2:
        return { type: 'LineString', coordinates: points() }
      case 3:
        return { type: 'Polygon', coordinates: rings() }
      case 4:
        return { type: 'MultiPoint', coordinates: Array.from({ length: count() }, () => (read() as { coordinates: Position }).coordinates) }
      case 5:
        return { type: 'MultiLineString', coordinates: Array.from({ length: count() }, () => (read() as { coordinates: Position[] }).coordinates) }
      case 6:
        return { type: 'MultiPolygon', coordinates: Array.from({ length: count() }, () => (read() as { coordinates: Position[][] }).coordinates) }
      case 7:
        return { type: 'GeometryCollection', geometries: Array.from({ length: count() }, read) }
      default:
        throw new Error(`geometry type ${type} is not supported`)
    }
  }
  return read()
}
