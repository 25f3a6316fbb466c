/**
 * Small planar helpers for placing labels; lon/lat treated as planar is fine at district scale.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson'

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number]

/**
 * Where to label a region that may reach far outside the view: the centroid of the largest piece
 * of its outline clipped to `view`, or null when nothing of it is inside.
 */
export function visibleLabelPoint(geometry: Polygon | MultiPolygon, view: Bbox): [number, number] | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let best: { area: number; point: [number, number] } | null = null
  for (const polygon of polygons) {
    const outer = polygon[0]
    if (!outer) continue
    const clipped = clipRingToBbox(outer, view)
    const centroid = ringCentroid(clipped)
    if (centroid && (!best || centroid.area > best.area)) best = centroid
  }
  return best?.point ?? null
}

/** `bbox` grown by `fraction` of its size on every side. */
export function expandBbox([minLon, minLat, maxLon, maxLat]: Bbox, fraction: number): Bbox {
  const dLon = (maxLon - minLon) * fraction
  const dLat = (maxLat - minLat) * fraction
  return [minLon - dLon, minLat - dLat, maxLon + dLon, maxLat + dLat]
}

/** Sutherland–Hodgman clipping of one ring against an axis-aligned box. */
export function clipRingToBbox(ring: Position[], [minX, minY, maxX, maxY]: Bbox): Position[] {
  const edges: ((p: Position) => boolean)[] = [(p) => p[0]! >= minX, (p) => p[0]! <= maxX, (p) => p[1]! >= minY, (p) => p[1]! <= maxY]
  const bounds = [minX, maxX, minY, maxY] as const
  let output = ring
  edges.forEach((inside, edge) => {
    const input = output
    output = []
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!
      const previous = input[(i + input.length - 1) % input.length]!
      if (inside(current)) {
        if (!inside(previous)) output.push(intersect(previous, current, edge, bounds[edge]!))
        output.push(current)
      } else if (inside(previous)) {
        output.push(intersect(previous, current, edge, bounds[edge]!))
      }
    }
  })
  return output
}

function intersect(a: Position, b: Position, edge: number, value: number): Position {
  const [ax, ay] = a as [number, number]
  const [bx, by] = b as [number, number]
  if (edge < 2) {
    const t = (value - ax) / (bx - ax)
    return [value, ay + t * (by - ay)]
  }
  const t = (value - ay) / (by - ay)
  return [ax + t * (bx - ax), value]
}

function ringCentroid(ring: Position[]): { area: number; point: [number, number] } | null {
  let twiceArea = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i] as [number, number]
    const [x1, y1] = ring[(i + 1) % ring.length] as [number, number]
    const cross = x0 * y1 - x1 * y0
    twiceArea += cross
    cx += (x0 + x1) * cross
    cy += (y0 + y1) * cross
  }
  if (Math.abs(twiceArea) < 1e-12) return null
  return { area: Math.abs(twiceArea / 2), point: [cx / (3 * twiceArea), cy / (3 * twiceArea)] }
}

/** The distinct characters of some label texts, for deck.gl's font atlas (CJK has no default set). */
export function characterSetOf(texts: Iterable<string>): string {
  const characters = new Set<string>()
  for (const text of texts) for (const character of text) characters.add(character)
  return [...characters].sort().join('')
}

/** The lon/lat bounds of a polygon or multipolygon. */
export function bboxOfGeometry(geometry: Polygon | MultiPolygon): Bbox {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity]
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon!)
      box[1] = Math.min(box[1], lat!)
      box[2] = Math.max(box[2], lon!)
      box[3] = Math.max(box[3], lat!)
    }
  }
  return box
}
