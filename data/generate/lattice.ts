/**
 * Integer geometry on the output lattice. Output coordinates are rounded to 1e-7°, so the
 * generator works in those units from the start: a vertex is a pair of integers (offset from a
 * county origin so they stay below 2^26), every vertex lives once in a VertexTable and rings are
 * arrays of vertex ids. With integers, orientation tests and doubled areas are exact in float64
 * (products stay below 2^53), which is what lets the subdivision prove that children tile their
 * parent exactly instead of "up to rounding". Also the small float helpers (point in polygon,
 * distance to segment) that seed sampling and labels need.
 */

/** Lattice units per degree: output coordinates are multiples of 1e-7°. */
export const SCALE = 1e7
/** Keys pack x and y into one float64 integer: both must stay in [0, 2^26) (about 6.7°). */
const KEY_BITS = 2 ** 26
/** Room left around the county so Voronoi vertices just outside it still have valid keys. */
const ORIGIN_MARGIN = 2 ** 22

export interface Lattice {
  ox: number
  oy: number
}

export function makeLattice(minLon: number, minLat: number, maxLon: number, maxLat: number): Lattice {
  const lattice = { ox: Math.round(minLon * SCALE) - ORIGIN_MARGIN, oy: Math.round(minLat * SCALE) - ORIGIN_MARGIN }
  const [w, h] = toUnits(lattice, maxLon, maxLat)
  if (w + ORIGIN_MARGIN >= KEY_BITS || h + ORIGIN_MARGIN >= KEY_BITS) throw new Error('county extent too large for the lattice (over about 6°)')
  return lattice
}

export function toUnits(lattice: Lattice, lon: number, lat: number): [number, number] {
  return [Math.round(lon * SCALE) - lattice.ox, Math.round(lat * SCALE) - lattice.oy]
}

/** Integer division by 1e7 is correctly rounded, so JSON prints at most 7 decimals. */
export function toLonLat(lattice: Lattice, x: number, y: number): [number, number] {
  return [(x + lattice.ox) / SCALE, (y + lattice.oy) / SCALE]
}

/** Every lattice point used by any ring, once; rings refer to points by id. */
export class VertexTable {
  readonly xs: number[] = []
  readonly ys: number[] = []
  private readonly ids = new Map<number, number>()

  static key(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= KEY_BITS || y >= KEY_BITS) throw new Error(`lattice point out of range: ${x},${y}`)
    return x * KEY_BITS + y
  }
  get size(): number {
    return this.xs.length
  }
  find(x: number, y: number): number | undefined {
    return this.ids.get(VertexTable.key(x, y))
  }
  /** Forget every vertex created since size was `mark` (a failed subdivision attempt). */
  rollback(mark: number): void {
    for (let id = this.xs.length - 1; id >= mark; id--) this.ids.delete(VertexTable.key(this.xs[id]!, this.ys[id]!))
    this.xs.length = mark
    this.ys.length = mark
  }
  /** The id of the point, creating it if new. */
  id(x: number, y: number): number {
    const key = VertexTable.key(x, y)
    let id = this.ids.get(key)
    if (id === undefined) {
      id = this.xs.length
      this.xs.push(x)
      this.ys.push(y)
      this.ids.set(key, id)
    }
    return id
  }
}

/** > 0 when a→b→c turns left (counter-clockwise); exact for lattice integers. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
}

/** Twice the signed area (> 0 counter-clockwise), exact: coordinates are taken relative to the first vertex. */
export function ringArea2(v: VertexTable, ids: readonly number[]): number {
  const x0 = v.xs[ids[0]!]!
  const y0 = v.ys[ids[0]!]!
  let sum = 0
  for (let i = 1; i + 1 < ids.length; i++) {
    const a = ids[i]!
    const b = ids[i + 1]!
    sum += (v.xs[a]! - x0) * (v.ys[b]! - y0) - (v.xs[b]! - x0) * (v.ys[a]! - y0)
  }
  return sum
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by)
}

/** Do closed segments ab and cd share any point? Exact for integers. */
export function segmentsTouch(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const d1 = orient(cx, cy, dx, dy, ax, ay)
  const d2 = orient(cx, cy, dx, dy, bx, by)
  const d3 = orient(ax, ay, bx, by, cx, cy)
  const d4 = orient(ax, ay, bx, by, dx, dy)
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true
  return (
    (d1 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (d2 === 0 && onSegment(cx, cy, dx, dy, bx, by)) ||
    (d3 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (d4 === 0 && onSegment(ax, ay, bx, by, dx, dy))
  )
}

/**
 * Why a ring (open id list) is not a valid simple ring, or null if it is: at least 3 distinct
 * points, positive area, no spike (an edge folding back on the previous one) and no two
 * non-adjacent edges touching. Edges are swept in x order so the big boundary rings stay cheap.
 */
export function ringProblem(v: VertexTable, ids: readonly number[]): string | null {
  const n = ids.length
  if (n < 3) return `only ${n} points`
  if (new Set(ids).size !== n) return 'repeated point'
  if (ringArea2(v, ids) === 0) return 'zero area'
  const { xs, ys } = v
  for (let i = 0; i < n; i++) {
    const a = ids[(i + n - 1) % n]!
    const b = ids[i]!
    const c = ids[(i + 1) % n]!
    if (orient(xs[a]!, ys[a]!, xs[b]!, ys[b]!, xs[c]!, ys[c]!) === 0 && (xs[b]! - xs[a]!) * (xs[c]! - xs[b]!) + (ys[b]! - ys[a]!) * (ys[c]! - ys[b]!) < 0)
      return 'spike'
  }
  const order = Array.from({ length: n }, (_, i) => i)
  const minX = (i: number) => Math.min(xs[ids[i]!]!, xs[ids[(i + 1) % n]!]!)
  order.sort((p, q) => minX(p) - minX(q))
  for (let oi = 0; oi < n; oi++) {
    const i = order[oi]!
    const ax = xs[ids[i]!]!,
      ay = ys[ids[i]!]!
    const bx = xs[ids[(i + 1) % n]!]!,
      by = ys[ids[(i + 1) % n]!]!
    const maxX = Math.max(ax, bx)
    for (let oj = oi + 1; oj < n; oj++) {
      const j = order[oj]!
      if (minX(j) > maxX) break
      if (j === (i + 1) % n || i === (j + 1) % n) continue
      const cx = xs[ids[j]!]!,
        cy = ys[ids[j]!]!
      const dx = xs[ids[(j + 1) % n]!]!,
        dy = ys[ids[(j + 1) % n]!]!
      if (Math.max(cy, dy) < Math.min(ay, by) || Math.min(cy, dy) > Math.max(ay, by)) continue
      if (segmentsTouch(ax, ay, bx, by, cx, cy, dx, dy)) return 'self-intersection'
    }
  }
  return null
}

/** Even-odd point in polygon over any number of rings given as [x, y] lists (open or closed). */
export function pointInRings(rings: readonly (readonly (readonly number[])[])[], x: number, y: number): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number]
      const [xj, yj] = ring[j] as [number, number]
      if (yi > y !== yj > y && x < xi + ((y - yi) / (yj - yi)) * (xj - xi)) inside = !inside
    }
  }
  return inside
}

/** Squared distance from p to segment ab and the parameter t of the closest point. */
export function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): { d2: number; t: number } {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2
  t = Math.max(0, Math.min(1, t))
  const qx = ax + t * dx - px
  const qy = ay + t * dy - py
  return { d2: qx * qx + qy * qy, t }
}

/** Distance from p to the nearest edge of any ring. */
export function distanceToRings(rings: readonly (readonly (readonly number[])[])[], x: number, y: number): number {
  let best = Infinity
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number]
      const [xj, yj] = ring[j] as [number, number]
      best = Math.min(best, segmentDistance2(x, y, xj, yj, xi, yi).d2)
    }
  }
  return Math.sqrt(best)
}

/**
 * Source rings are not always valid once on the lattice (the Maoming file has one-point spikes
 * and a ring that touches itself, pinching off a tiny hole). This removes repeated points and
 * spikes, then splits the ring at every point it visits twice into simple loops, each returned
 * with its doubled signed area (> 0 counter-clockwise). Zero-area loops are dropped.
 */
export function splitIntoLoops(points: readonly (readonly [number, number])[]): { loop: [number, number][]; area2: number }[] {
  const same = (a: readonly number[], b: readonly number[]) => a[0] === b[0] && a[1] === b[1]
  let ring: [number, number][] = []
  for (const p of points) if (!ring.length || !same(ring[ring.length - 1]!, p)) ring.push([p[0], p[1]])
  while (ring.length > 1 && same(ring[0]!, ring[ring.length - 1]!)) ring.pop()
  // Spikes a→b→a collapse to a; repeat until none is left (a spike can hide another).
  for (let changed = true; changed && ring.length >= 3; ) {
    changed = false
    const out: [number, number][] = []
    for (const p of ring) {
      if (out.length >= 2 && same(out[out.length - 2]!, p)) {
        out.pop()
        changed = true
      } else if (!out.length || !same(out[out.length - 1]!, p)) out.push(p)
    }
    // The same across the seam: a tip at the first or the last point.
    while (out.length > 1 && same(out[0]!, out[out.length - 1]!)) out.pop(), (changed = true)
    while (out.length >= 3 && same(out[out.length - 1]!, out[1]!)) out.shift(), out.pop(), (changed = true)
    while (out.length >= 3 && same(out[out.length - 2]!, out[0]!)) out.pop(), out.pop(), (changed = true)
    ring = out
  }
  const loops: { loop: [number, number][]; area2: number }[] = []
  const path: [number, number][] = []
  const at = new Map<string, number>()
  for (const p of [...ring, ring[0]!]) {
    if (!p) break
    const key = `${p[0]},${p[1]}`
    const k = at.get(key)
    if (k !== undefined) {
      const loop = path.splice(k)
      for (const q of loop) at.delete(`${q[0]},${q[1]}`)
      if (loop.length >= 3) loops.push({ loop, area2: loopArea2(loop) })
    }
    at.set(key, path.length)
    path.push(p)
  }
  return loops.filter((l) => l.area2 !== 0)
}

function loopArea2(loop: readonly (readonly number[])[]): number {
  const [x0, y0] = loop[0] as [number, number]
  let sum = 0
  for (let i = 1; i + 1 < loop.length; i++) sum += (loop[i]![0]! - x0) * (loop[i + 1]![1]! - y0) - (loop[i + 1]![0]! - x0) * (loop[i]![1]! - y0)
  return sum
}
