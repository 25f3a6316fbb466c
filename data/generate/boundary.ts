/**
 * A county's boundary as the subdivision needs it: counter-clockwise simple rings on the lattice,
 * no two touching. Source rings are cleaned into simple loops (see splitIntoLoops); loops turning
 * the other way than a ring's main loop are holes pinched off the boundary and are filled (the grid
 * has no holes; in the Maoming file this is one pinched hole of about 0.2 km² on the coast).
 *
 * Some Guangdong boundaries need more: a spike folding back along a straight edge or a ring
 * crossing itself (宝安, 高明, 东莞…), or parts that share an edge or lie inside another's hole
 * (白云, 台山…). Only then are the parts redrawn as the outlines of the area they cover
 * (polygon-clipping's union, holes filled), so a county whose rings are already clean, Dianbai
 * among them, keeps its exact rings and its grid.
 */
import type { Position } from 'geojson'
import polygonClipping from 'polygon-clipping'
import { type Lattice, orient, pointInRings, ringProblem, segmentsTouch, splitIntoLoops, toUnits, VertexTable } from './lattice.ts'

type Loop = [number, number][]

export function countyLoops(lattice: Lattice, polygons: Position[][][]): Loop[] {
  const parts: Loop[] = []
  for (const polygon of polygons) {
    const loops = splitIntoLoops(polygon[0]!.map(([lon, lat]) => toUnits(lattice, lon!, lat!)))
    if (loops.length === 0) continue
    const main = loops.reduce((a, b) => (Math.abs(b.area2) > Math.abs(a.area2) ? b : a))
    for (const { loop, area2 } of loops) if (Math.sign(area2) === Math.sign(main.area2)) parts.push(area2 < 0 ? [...loop].reverse() : loop)
  }
  if (!boundaryProblem(parts)) return parts
  const outlines = outlinesOf(parts)
  let problem = boundaryProblem(outlines)
  if (!problem) return outlines
  // Outlines may still meet at a point (a ring pinched in the source): the smaller one gives
  // way by a notch a few centimetres, then metres, wide.
  for (const step of NOTCH_STEPS) {
    const apart = separated(outlines, step)
    problem = boundaryProblem(apart)
    if (!problem) return apart
  }
  throw new Error(`the county boundary is not valid on the 1e-7° lattice: ${problem}`)
}

/** Notch widths tried, in lattice units (1e-7°, about 1 cm). */
const NOTCH_STEPS = [3, 30, 300]

/**
 * The parts with every point that a larger part also holds, or that lies on a larger part's edge,
 * replaced by two points `step` along its own edges.
 */
function separated(parts: Loop[], step: number): Loop[] {
  const key = ([x, y]: [number, number]) => `${x},${y}`
  const byArea = parts.map((part, i) => ({ part, i, area: Math.abs(area2(part)) })).sort((a, b) => b.area - a.area)
  const taken = new Set<string>()
  const larger: { part: Loop; box: Box }[] = []
  const out: Loop[] = new Array(parts.length)
  for (const { part: own, i } of byArea) {
    const part = noded(own, larger)
    const notched: Loop = []
    part.forEach((p, k) => {
      if (!taken.has(key(p)) && !larger.some((l) => onEdge(p, l.part, l.box))) return notched.push(p)
      const prev = part[(k + part.length - 1) % part.length]!
      const next = part[(k + 1) % part.length]!
      // A convex corner is cut off; a straight or reflex one gets a dent towards the inside.
      if (orient(prev[0], prev[1], p[0], p[1], next[0], next[1]) > 0) notched.push(toward(p, prev, step), toward(p, next, step))
      else notched.push(toward(p, prev, step), inward(prev, p, next, step), toward(p, next, step))
    })
    for (const p of part) taken.add(key(p))
    larger.push({ part, box: boxOf(part) })
    out[i] = splitIntoLoops(notched).reduce((a, b) => (b.area2 > a.area2 ? b : a), { loop: notched, area2: 0 }).loop
  }
  return out
}

/** The ring with every vertex of a larger part that lies inside one of its edges added to it. */
function noded(ring: Loop, larger: { part: Loop; box: Box }[]): Loop {
  const box = boxOf(ring)
  const near = larger.filter((l) => l.box[0] <= box[2] && box[0] <= l.box[2] && l.box[1] <= box[3] && box[1] <= l.box[3]).flatMap((l) => l.part)
  if (near.length === 0) return ring
  return ring.flatMap((a, k) => {
    const b = ring[(k + 1) % ring.length]!
    const along = near
      .filter(([x, y]) => x >= Math.min(a[0], b[0]) && x <= Math.max(a[0], b[0]) && y >= Math.min(a[1], b[1]) && y <= Math.max(a[1], b[1]))
      .filter((p) => orient(a[0], a[1], b[0], b[1], p[0], p[1]) === 0 && !(p[0] === a[0] && p[1] === a[1]) && !(p[0] === b[0] && p[1] === b[1]))
      .sort((p, q) => Math.hypot(p[0] - a[0], p[1] - a[1]) - Math.hypot(q[0] - a[0], q[1] - a[1]))
    return [a, ...along]
  })
}

/** The lattice point `step` units from p towards q, or the one nearest the middle of a shorter edge. */
function toward(p: [number, number], q: [number, number], step: number): [number, number] {
  const length = Math.hypot(q[0] - p[0], q[1] - p[1])
  const t = Math.min(step / length, 0.5)
  return [Math.round(p[0] + (q[0] - p[0]) * t), Math.round(p[1] + (q[1] - p[1]) * t)]
}

/** The lattice point `step` units from p into a counter-clockwise ring (to the left of both edges). */
function inward(prev: [number, number], p: [number, number], next: [number, number], step: number): [number, number] {
  const left = (a: [number, number], b: [number, number]) => {
    const length = Math.hypot(b[0] - a[0], b[1] - a[1])
    return [-(b[1] - a[1]) / length, (b[0] - a[0]) / length]
  }
  const [ax, ay] = left(prev, p)
  const [bx, by] = left(p, next)
  const length = Math.hypot(ax! + bx!, ay! + by!) || 1
  return [Math.round(p[0] + ((ax! + bx!) / length) * step), Math.round(p[1] + ((ay! + by!) / length) * step)]
}

function area2(loop: Loop): number {
  let sum = 0
  for (let i = 0, j = loop.length - 1; i < loop.length; j = i++) sum += loop[j]![0] * loop[i]![1] - loop[i]![0] * loop[j]![1]
  return sum
}

/** Why the parts are not simple, separate rings, or null. */
export function boundaryProblem(parts: Loop[]): string | null {
  const v = new VertexTable()
  const rings = parts.map((part) => part.map(([x, y]) => v.id(x, y)))
  for (const ids of rings) {
    const problem = ringProblem(v, ids)
    if (problem) return problem
  }
  const seen = new Map<number, number>()
  for (const [r, ids] of rings.entries())
    for (const id of ids) {
      if ((seen.get(id) ?? r) !== r) return 'two parts share a point'
      seen.set(id, r)
    }
  const boxes = parts.map(boxOf)
  for (let i = 0; i < parts.length; i++)
    for (let j = i + 1; j < parts.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!]
      if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3]) continue
      if (ringsTouch(parts[i]!, parts[j]!)) return 'two parts touch'
      if (pointInRings([parts[j]!], ...parts[i]![0]!) || pointInRings([parts[i]!], ...parts[j]![0]!)) return 'a part lies inside another'
    }
  return null
}

/**
 * The outer rings of the area the parts cover, rounded back onto the lattice. A part inside
 * another's hole becomes an outline of its own in polygon-clipping's answer; the holes are filled,
 * so such parts are merged by a second union.
 */
function outlinesOf(parts: Loop[]): Loop[] {
  const [first, ...rest] = parts.map((part): polygonClipping.Polygon => [[...part, part[0]!]])
  const covered = polygonClipping.union(first!, ...rest)
  const outers = covered.flatMap(([outer]) =>
    splitIntoLoops(outer!.map(([x, y]): [number, number] => [Math.round(x!), Math.round(y!)]))
      .filter((l) => l.area2 > 0)
      .map((l) => l.loop),
  )
  return covered.some((polygon) => polygon.length > 1) ? outlinesOf(outers) : outers
}

type Box = [number, number, number, number]

/** Whether lattice point p lies on an edge of the ring (exactly: integer orientation test). */
function onEdge([x, y]: [number, number], ring: Loop, box: Box): boolean {
  if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) return false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [ax, ay] = ring[j]!
    const [bx, by] = ring[i]!
    if (x < Math.min(ax, bx) || x > Math.max(ax, bx) || y < Math.min(ay, by) || y > Math.max(ay, by)) continue
    if (orient(ax, ay, bx, by, x, y) === 0) return true
  }
  return false
}

function boxOf(part: Loop): Box {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of part) (minX = Math.min(minX, x)), (minY = Math.min(minY, y)), (maxX = Math.max(maxX, x)), (maxY = Math.max(maxY, y))
  return [minX, minY, maxX, maxY]
}

function ringsTouch(a: Loop, b: Loop): boolean {
  for (let i = 0; i < a.length; i++) {
    const [p, q] = [a[i]!, a[(i + 1) % a.length]!]
    for (let j = 0; j < b.length; j++) {
      const [r, s] = [b[j]!, b[(j + 1) % b.length]!]
      if (segmentsTouch(p[0], p[1], q[0], q[1], r[0], r[1], s[0], s[1])) return true
    }
  }
  return false
}
