/**
 * Where the children of a cell are centred. Seeds are drawn uniformly inside the parent by
 * rejection (a seed inside the parent guarantees its Voronoi cell keeps a piece of the parent, so
 * no child is ever empty), then spread out by a few Lloyd steps. The Lloyd step is the cheap
 * variant: each seed moves to the centroid of its Voronoi cell clipped to the parent's bounding
 * box, not to the centroid of the exact clipped cell, and a move that would leave the parent is
 * skipped. Town seeds instead come from the anchor file; anchors outside the boundary are nudged
 * to the nearest point just inside it.
 */
import { Delaunay } from 'd3-delaunay'
import { pointInRings, segmentDistance2 } from './lattice.ts'
import type { Rng } from './prng.ts'

export type Point = [number, number]
type Rings = readonly (readonly Point[])[]

export function bboxOf(rings: Rings): [number, number, number, number] {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity
  for (const ring of rings)
    for (const [x, y] of ring) {
      if (x < minX) minX = x
      if (y < minY) minY = y
      if (x > maxX) maxX = x
      if (y > maxY) maxY = y
    }
  return [minX, minY, maxX, maxY]
}

/** `count` distinct points inside the rings, uniformly by rejection from the bounding box. */
export function sampleSeeds(rings: Rings, count: number, rng: Rng): Point[] {
  const [minX, minY, maxX, maxY] = bboxOf(rings)
  const seeds: Point[] = []
  const taken = new Set<string>()
  for (let tries = 0; seeds.length < count; tries++) {
    if (tries > 10_000 + count * 5_000) throw new Error('could not place seeds inside a cell (is it degenerate?)')
    const x = minX + rng.next() * (maxX - minX)
    const y = minY + rng.next() * (maxY - minY)
    if (!pointInRings(rings, x, y) || taken.has(`${x},${y}`)) continue
    taken.add(`${x},${y}`)
    seeds.push([x, y])
  }
  return seeds
}

/** Lloyd relaxation on bbox-clipped Voronoi cells, never moving a seed out of the rings. */
export function relax(rings: Rings, seeds: Point[], steps: number): Point[] {
  if (seeds.length < 2) return seeds
  const bounds = bboxOf(rings)
  let current = seeds
  for (let step = 0; step < steps; step++) {
    const voronoi = Delaunay.from(current).voronoi(bounds)
    current = current.map((seed, i) => {
      const c = centroid(voronoi.cellPolygon(i))
      return c && pointInRings(rings, c[0], c[1]) ? c : seed
    })
  }
  return current
}

function centroid(polygon: ArrayLike<ArrayLike<number>> | null | undefined): Point | null {
  if (!polygon || polygon.length < 4) return null
  let a = 0,
    cx = 0,
    cy = 0
  const [x0, y0] = [polygon[0]![0]!, polygon[0]![1]!]
  for (let i = 0; i + 1 < polygon.length; i++) {
    const xi = polygon[i]![0]! - x0,
      yi = polygon[i]![1]! - y0
    const xj = polygon[i + 1]![0]! - x0,
      yj = polygon[i + 1]![1]! - y0
    const cross = xi * yj - xj * yi
    a += cross
    cx += (xi + xj) * cross
    cy += (yi + yj) * cross
  }
  if (a === 0) return null
  return [x0 + cx / (3 * a), y0 + cy / (3 * a)]
}

/**
 * The point itself when inside the rings, else the nearest boundary point pushed `inset` units
 * inwards (halving the push until it lands inside, e.g. in a narrow spot).
 */
export function nudgeInside(rings: Rings, p: Point, inset: number): { point: Point; moved: boolean } {
  if (pointInRings(rings, p[0], p[1])) return { point: p, moved: false }
  let best = { d2: Infinity, qx: 0, qy: 0, nx: 0, ny: 0 }
  for (const ring of rings)
    for (let i = 0; i < ring.length; i++) {
      const [ax, ay] = ring[i]!
      const [bx, by] = ring[(i + 1) % ring.length]!
      const { d2, t } = segmentDistance2(p[0], p[1], ax, ay, bx, by)
      if (d2 < best.d2) {
        const len = Math.hypot(bx - ax, by - ay) || 1
        // Rings are counter-clockwise, so the inside is to the left of a→b.
        best = { d2, qx: ax + t * (bx - ax), qy: ay + t * (by - ay), nx: -(by - ay) / len, ny: (bx - ax) / len }
      }
    }
  const toward = Math.hypot(best.qx - p[0], best.qy - p[1]) || 1
  for (let push = inset; push >= 1; push /= 2) {
    for (const [dx, dy] of [
      [(best.qx - p[0]) / toward, (best.qy - p[1]) / toward],
      [best.nx, best.ny],
    ] as const) {
      const q: Point = [Math.round(best.qx + dx * push), Math.round(best.qy + dy * push)]
      if (pointInRings(rings, q[0], q[1])) return { point: q, moved: true }
    }
  }
  throw new Error(`cannot nudge point ${p.join(',')} inside the boundary`)
}
