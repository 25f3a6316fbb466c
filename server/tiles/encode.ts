/**
 * Encodes tile features into a Mapbox Vector Tile with vt-pbf (the encoder maintained with the
 * MVT spec). Geometry arrives already clipped, quantised to the tile extent and oriented by
 * PostGIS's ST_AsMVTGeom, so rings are written exactly as ST_AsMVT would write them.
 */
import vtpbf from 'vt-pbf'
import { LAYER_NAMES, TILE_EXTENT } from './layers.ts'
import type { TileRow } from './queries.ts'

type Ring = [number, number][]
interface VtFeature {
  type: 1 | 2 | 3
  geometry: Ring[]
  tags: Record<string, string | number>
}

/** Every column of a row but its geometry becomes a property, in the row's order, as ST_AsMVT writes them. */
export function encodeTile(rows: TileRow[]): Uint8Array {
  const layers: Record<string, { features: VtFeature[] }> = {}
  for (const { geometry, ...tags } of rows) {
    const rings = polygonRings(JSON.parse(geometry))
    if (rings.length === 0) continue
    const name = LAYER_NAMES[tags.level + 1]!
    layers[name] ??= { features: [] }
    layers[name].features.push({ type: 3, geometry: rings, tags })
  }
  if (Object.keys(layers).length === 0) return new Uint8Array(0)
  // vt-pbf reads only `features` of each layer; its typings ask for a whole geojson-vt index.
  return vtpbf.fromGeojsonVt(layers as unknown as Parameters<typeof vtpbf.fromGeojsonVt>[0], { version: 2, extent: TILE_EXTENT })
}

function polygonRings(geometry: { type: string; coordinates: unknown }): Ring[] {
  if (geometry.type === 'Polygon') return geometry.coordinates as Ring[]
  if (geometry.type === 'MultiPolygon') return (geometry.coordinates as Ring[][]).flat()
  return [] // clipping can leave lines or points at a tile edge; ST_AsMVT drops them for polygon layers too
}
