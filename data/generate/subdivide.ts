/**
 * Splits one cell into its children: Voronoi cells of the seeds (d3-delaunay), each intersected
 * with the parent (polygon-clipping), then snapped onto the 1e-7° lattice without losing exact
 * coverage. The parent is described twice: its `shape` (the rings it was created with, which
 * is all its own subdivision depends on, so a change elsewhere in the county cannot reshuffle it)
 * and its `topo` rings in the shared Topology (the shape plus points neighbours have since added
 * to common edges). Each output point of the clipping is mapped to a lattice vertex: a parent
 * vertex, a rounded Voronoi vertex, or a rounded crossing of a Voronoi edge with a parent edge.
 * Before anything is committed the children are checked: every ring simple, every child edge
 * either a parent edge or matched by the reverse edge of a sibling, every parent edge used once,
 * areas summing exactly to the parent's. That proves an exact partition; if rounding broke it
 * (a Voronoi vertex within a lattice step of the parent's border, say) the seeds are drawn again.
 * Finally the crossings are spliced into every ring sharing the parent's edges (Topology).
 */
import { Delaunay } from 'd3-delaunay'
import polygonClipping from 'polygon-clipping'
import { orient, ringArea2, ringProblem, segmentDistance2, VertexTable } from './lattice.ts'
import type { Point } from './seeds.ts'
import type { Topology, TopoRing } from './topology.ts'

export interface Piece {
  /** Rings (vertex ids, open, counter-clockwise) this child was created with. */
  shape: number[][]
  /** The same rings registered in the topology; they gain points as neighbours are subdivided. */
  topo: TopoRing[]
  /** The Voronoi seed, inside the piece: a natural label point. */
  seed: Point
}

export interface SubdivideInput {
  vertices: VertexTable
  topology: Topology
  shape: number[][]
  topo: TopoRing[]
  count: number
  /** Seeds for an attempt; a retry must return different ones. */
  seeds: (attempt: number) => Point[]
  /** For error messages. */
  label: string
}

const MAX_ATTEMPTS = 24
/** Two clipping results closer than this (lattice units) are the same crossing computed twice. */
const SAME_CROSSING = 1e-4
/** A crossing must lie this close to a parent edge (lattice units); anything else is a clipping bug. */
const ON_EDGE = 1e-3
const ID_LIMIT = 2 ** 24
const dirKey = (a: number, b: number) => a * ID_LIMIT + b

class Retry extends Error {}

export function subdivide(input: SubdivideInput): { pieces: Piece[]; attempts: number } {
  if (input.count < 1) throw new Error(`${input.label}: a cell needs at least one child`)
  if (input.count === 1) {
    // The only child is the parent itself; its rings join the topology as copies.
    const seed = input.seeds(0)[0]!
    return { pieces: [{ shape: input.shape.map((r) => [...r]), topo: input.topo.map((t) => input.topology.addRing([...t.ids])), seed }], attempts: 1 }
  }
  let lastError = ''
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const seeds = input.seeds(attempt)
    const mark = input.vertices.size
    try {
      const plan = planSplit(input, seeds)
      return { pieces: commit(input, plan, seeds), attempts: attempt + 1 }
    } catch (error) {
      if (!(error instanceof Retry)) throw error
      input.vertices.rollback(mark)
      lastError = error.message
    }
  }
  throw new Error(`${input.label}: no valid subdivision after ${MAX_ATTEMPTS} attempts (last problem: ${lastError})`)
}

interface Crossing {
  ring: number
  edge: number
  t: number
  x: number
  y: number
  id: number
  /** Needs no splicing: an end of the edge, a repeat, or a point a neighbour already put on the chain. */
  existing: boolean
}

interface Plan {
  children: number[][][]
  crossings: Crossing[]
  /** Directed edges of the noded parent rings → index of the ring they belong to. */
  nodedEdges: Map<number, number>
}

/**
 * Clip, map to lattice vertices and validate. Touches no shared state except new vertices in
 * the table, which the caller rolls back when this throws Retry.
 */
function planSplit(input: SubdivideInput, seeds: Point[]): Plan {
  const { vertices: v, shape } = input
  const xs = v.xs,
    ys = v.ys
  const shapeId = new Map<number, number>()
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity
  for (const ring of shape)
    for (const id of ring) {
      shapeId.set(VertexTable.key(xs[id]!, ys[id]!), id)
      ;(minX = Math.min(minX, xs[id]!)), (maxX = Math.max(maxX, xs[id]!))
      ;(minY = Math.min(minY, ys[id]!)), (maxY = Math.max(maxY, ys[id]!))
    }
  // Generous padding keeps the box-clipping artefacts of d3's outer cells away from the parent.
  const pad = Math.max(maxX - minX, maxY - minY) * 0.25 + 1000
  const voronoi = Delaunay.from(seeds).voronoi([minX - pad, minY - pad, maxX + pad, maxY + pad])
  const clipShape = shape.map((ring) => [closedCoords(v, ring)]) as polygonClipping.MultiPolygon

  // Vertices created by this attempt have ids >= mark; a failed attempt rolls them back.
  const mark = v.size
  const newVertex = (x: number, y: number) => {
    const id = v.find(x, y)
    if (id === undefined) return v.id(x, y)
    if (id >= mark) return id
    throw new Retry('a new vertex falls on an existing one')
  }

  // 1. Clip every Voronoi cell (vertices rounded to the lattice, so siblings share them exactly).
  type Token = number | { crossing: number }
  const rawCrossings: { ring: number; edge: number; t: number; x: number; y: number }[] = []
  const childTokens: Token[][][] = []
  for (let i = 0; i < seeds.length; i++) {
    const cell = roundedCell(voronoi.cellPolygon(i))
    const voronoiKeys = new Set(cell.map(([x, y]) => VertexTable.key(x, y)))
    let clipped: polygonClipping.MultiPolygon
    try {
      clipped = polygonClipping.intersection(clipShape, [cell])
    } catch (error) {
      throw new Retry(`polygon-clipping failed: ${(error as Error).message}`)
    }
    const rings: Token[][] = []
    for (const polygon of clipped) {
      if (polygon.length !== 1) throw new Retry('clipped cell has a hole')
      const ring = polygon[0]!
      const tokens: Token[] = []
      for (let k = 0; k + 1 < ring.length; k++) {
        const [x, y] = ring[k]!
        if (Number.isInteger(x) && Number.isInteger(y)) {
          const key = VertexTable.key(x, y)
          const known = shapeId.get(key)
          if (known !== undefined) {
            tokens.push(known)
            continue
          }
          if (voronoiKeys.has(key)) {
            tokens.push(newVertex(x, y))
            continue
          }
        }
        tokens.push({ crossing: rawCrossings.length })
        rawCrossings.push({ ...locateOnShape(v, shape, x, y), x, y })
      }
      rings.push(tokens)
    }
    if (rings.length === 0) throw new Retry('a child is empty')
    childTokens.push(rings)
  }

  // 2. Crossings: group per parent edge, merge duplicates, round, give each a vertex id.
  const order = rawCrossings
    .map((_, i) => i)
    .sort((p, q) => {
      const a = rawCrossings[p]!,
        b = rawCrossings[q]!
      return a.ring - b.ring || a.edge - b.edge || a.t - b.t
    })
  const crossingOf = new Array<number>(rawCrossings.length)
  const crossings: Crossing[] = []
  for (const i of order) {
    const raw = rawCrossings[i]!
    const last = crossings[crossings.length - 1]
    if (last && last.ring === raw.ring && last.edge === raw.edge && Math.hypot(last.x - raw.x, last.y - raw.y) < SAME_CROSSING) {
      crossingOf[i] = crossings.length - 1
      continue
    }
    const ring = shape[raw.ring]!
    const a = ring[raw.edge]!
    const b = ring[(raw.edge + 1) % ring.length]!
    const x = Math.round(raw.x),
      y = Math.round(raw.y)
    const key = VertexTable.key(x, y)
    let id: number
    let existing = false
    const onShape = shapeId.get(key)
    if (onShape !== undefined) {
      if (onShape !== a && onShape !== b) throw new Retry('a crossing rounds onto another parent vertex')
      id = onShape
      existing = true
    } else if (v.find(x, y) === undefined) {
      id = v.id(x, y)
    } else if (v.find(x, y)! >= mark) {
      // Created in this attempt: only acceptable as the same crossing (two close ones merging).
      id = v.find(x, y)!
      const same = crossings.find((c) => c.id === id)
      if (!same || same.ring !== raw.ring || same.edge !== raw.edge) throw new Retry('a crossing rounds onto an inner vertex')
      existing = true
    } else {
      id = v.find(x, y)!
      if (!onTopoChain(input.topo[raw.ring]!, a, b, id)) throw new Retry('a crossing rounds onto a foreign vertex')
      existing = true
    }
    crossingOf[i] = crossings.length
    crossings.push({ ring: raw.ring, edge: raw.edge, t: raw.t, x: raw.x, y: raw.y, id, existing })
  }

  // 3. The parent's rings with the crossings added ("noded"): the boundary the children share.
  const noded: number[][] = shape.map((ring, r) => {
    const out: number[] = []
    let c = 0
    const here = crossings.filter((x) => x.ring === r)
    for (let e = 0; e < ring.length; e++) {
      out.push(ring[e]!)
      for (; c < here.length && here[c]!.edge === e; c++) {
        const id = here[c]!.id
        if (id !== ring[e] && id !== ring[(e + 1) % ring.length] && out[out.length - 1] !== id) out.push(id)
      }
    }
    return out
  })
  const nodedPos = new Map<number, [number, number]>()
  const nodedEdges = new Map<number, number>()
  let parentArea = 0
  noded.forEach((ring, r) => {
    ring.forEach((id, p) => {
      nodedPos.set(id, [r, p])
      nodedEdges.set(dirKey(id, ring[(p + 1) % ring.length]!), r)
    })
    parentArea += ringArea2(v, ring)
  })

  // 4. Children as id rings, with the collinear points polygon-clipping leaves out put back.
  const children: number[][][] = childTokens.map((rings) =>
    rings.map((tokens) => {
      let ids = tokens.map((t) => (typeof t === 'number' ? t : crossings[crossingOf[t.crossing]!]!.id))
      ids = dedupe(ids)
      ids = restoreCollinear(ids, noded, nodedPos, v)
      return dedupe(ids)
    }),
  )
  repairTJunctions(children, nodedEdges, v)

  // 5. Validate: simple rings, matched edges, exact area.
  const edgeOwner = new Map<number, number>()
  let childArea = 0
  children.forEach((rings, c) => {
    for (const ids of rings) {
      const problem = ringProblem(v, ids)
      if (problem) throw new Retry(`child ring: ${problem}`)
      const area = ringArea2(v, ids)
      if (area <= 0) throw new Retry('child ring is clockwise')
      childArea += area
      for (let k = 0; k < ids.length; k++) {
        const key = dirKey(ids[k]!, ids[(k + 1) % ids.length]!)
        if (edgeOwner.has(key)) throw new Retry('an edge is used twice in the same direction')
        edgeOwner.set(key, c)
      }
    }
  })
  for (const [key, c] of edgeOwner) {
    if (nodedEdges.has(key)) continue
    const a = Math.floor(key / ID_LIMIT),
      b = key % ID_LIMIT
    const twin = edgeOwner.get(dirKey(b, a))
    if (twin === undefined) throw new Retry('an inner edge has no neighbour')
    if (twin === c) throw new Retry('two parts of one child share an edge')
  }
  for (const key of nodedEdges.keys()) if (!edgeOwner.has(key)) throw new Retry('a parent edge is not covered')
  if (childArea !== parentArea) throw new Retry(`areas differ by ${childArea - parentArea}`)
  return { children, crossings, nodedEdges }
}

/** Apply a validated plan: splice crossings into the shared edges, register the children. */
function commit(input: SubdivideInput, plan: Plan, seeds: Point[]): Piece[] {
  const { vertices: v, topology, shape, topo } = input
  // Splice new crossings into the parent's current chain a→…→b (which may already hold points
  // that neighbours added), ordered by their position along the original edge a–b.
  const byEdge = new Map<string, Crossing[]>()
  for (const c of plan.crossings) {
    if (c.existing) continue
    const list = byEdge.get(`${c.ring}:${c.edge}`)
    if (list) list.push(c)
    else byEdge.set(`${c.ring}:${c.edge}`, [c])
  }
  for (const list of byEdge.values()) {
    const ring = shape[list[0]!.ring]!
    const a = ring[list[0]!.edge]!
    const b = ring[(list[0]!.edge + 1) % ring.length]!
    const chain = topoChain(topo[list[0]!.ring]!, a, b)
    const ax = v.xs[a]!,
      ay = v.ys[a]!,
      bx = v.xs[b]!,
      by = v.ys[b]!
    const tOf = (id: number) => (id === a ? 0 : id === b ? 1 : segmentDistance2(v.xs[id]!, v.ys[id]!, ax, ay, bx, by).t)
    const chainT = chain.map(tOf)
    let k = 0
    for (let j = 0; j + 1 < chain.length; j++) {
      const batch: number[] = []
      while (k < list.length && (j + 2 === chain.length || list[k]!.t <= chainT[j + 1]!)) batch.push(list[k++]!.id)
      topology.insertOnEdge(chain[j]!, chain[j + 1]!, batch)
    }
  }
  // Children's topology rings: each run along the parent's border takes the parent's full chain.
  const positions = topo.map((t) => new Map(t.ids.map((id, i) => [id, i])))
  return plan.children.map((rings, c) => ({
    shape: rings,
    topo: rings.map((ids) => {
      const out: number[] = []
      for (let k = 0; k < ids.length; k++) {
        const x = ids[k]!
        const y = ids[(k + 1) % ids.length]!
        out.push(x)
        const r = plan.nodedEdges.get(dirKey(x, y))
        if (r === undefined) continue
        const chainIds = topo[r]!.ids
        const start = positions[r]!.get(x)
        if (start === undefined) throw new Error('topology: a crossing is missing from the parent ring')
        for (let p = (start + 1) % chainIds.length; chainIds[p] !== y; p = (p + 1) % chainIds.length) {
          if (p === start) throw new Error('topology: parent chain lost')
          out.push(chainIds[p]!)
        }
      }
      return topology.addRing(out)
    }),
    seed: seeds[c]!,
  }))
}

function roundedCell(polygon: ArrayLike<ArrayLike<number>> | null | undefined): [number, number][] {
  if (!polygon) throw new Retry('empty Voronoi cell (duplicate seeds)')
  const out: [number, number][] = []
  for (let i = 0; i < polygon.length; i++) {
    const x = Math.round(polygon[i]![0]!),
      y = Math.round(polygon[i]![1]!)
    const last = out[out.length - 1]
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y])
  }
  if (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop()
  if (out.length < 3) throw new Retry('degenerate Voronoi cell')
  out.push(out[0]!)
  return out
}

function closedCoords(v: VertexTable, ids: readonly number[]): [number, number][] {
  const out = ids.map((id) => [v.xs[id]!, v.ys[id]!] as [number, number])
  out.push(out[0]!)
  return out
}

/** Which edge of the parent's shape a clipping output point lies on. */
function locateOnShape(v: VertexTable, shape: number[][], x: number, y: number): { ring: number; edge: number; t: number } {
  let best = { d2: Infinity, ring: -1, edge: -1, t: 0 }
  shape.forEach((ring, r) => {
    for (let e = 0; e < ring.length; e++) {
      const a = ring[e]!,
        b = ring[(e + 1) % ring.length]!
      const ax = v.xs[a]!,
        ay = v.ys[a]!,
        bx = v.xs[b]!,
        by = v.ys[b]!
      if (x < Math.min(ax, bx) - 1 || x > Math.max(ax, bx) + 1 || y < Math.min(ay, by) - 1 || y > Math.max(ay, by) + 1) continue
      const { d2, t } = segmentDistance2(x, y, ax, ay, bx, by)
      if (d2 < best.d2) best = { d2, ring: r, edge: e, t }
    }
  })
  if (best.d2 > ON_EDGE * ON_EDGE) throw new Retry('a clipping vertex is neither a parent vertex, a Voronoi vertex nor on a parent edge')
  return best
}

function dedupe(ids: number[]): number[] {
  const out: number[] = []
  for (const id of ids) if (out[out.length - 1] !== id) out.push(id)
  while (out.length > 1 && out[0] === out[out.length - 1]) out.pop()
  // Spikes (…a b a…) collapse to a single visit of a.
  for (let changed = true; changed && out.length >= 3; ) {
    changed = false
    for (let i = 0; i < out.length && out.length >= 3; i++) {
      const n = out.length
      if (out[(i + n - 1) % n] === out[(i + 1) % n]) {
        out.splice(i, 1)
        out.splice(i % out.length, 1)
        changed = true
        break
      }
    }
  }
  return out
}

/** polygon-clipping drops exactly collinear points; children must keep every parent point on their runs. */
function restoreCollinear(ids: number[], noded: number[][], pos: Map<number, [number, number]>, v: VertexTable): number[] {
  const out: number[] = []
  for (let k = 0; k < ids.length; k++) {
    const x = ids[k]!,
      y = ids[(k + 1) % ids.length]!
    out.push(x)
    const px = pos.get(x),
      py = pos.get(y)
    if (!px || !py || px[0] !== py[0]) continue
    const ring = noded[px[0]]!
    const n = ring.length
    if ((px[1] + 1) % n === py[1]) continue
    const between: number[] = []
    for (let p = (px[1] + 1) % n; p !== py[1] && between.length < n; p = (p + 1) % n) {
      const m = ring[p]!
      if (orient(v.xs[x]!, v.ys[x]!, v.xs[y]!, v.ys[y]!, v.xs[m]!, v.ys[m]!) !== 0) {
        between.length = 0
        break
      }
      between.push(m)
    }
    out.push(...between)
  }
  return out
}

/**
 * A Voronoi vertex that rounding made exactly collinear with its neighbours is dropped by
 * polygon-clipping from one cell but kept by the others; put it back where a sibling has it.
 */
function repairTJunctions(children: number[][][], nodedEdges: Map<number, number>, v: VertexTable): void {
  const edges = new Set<number>()
  const points = new Set<number>()
  for (const rings of children)
    for (const ids of rings)
      ids.forEach((id, k) => {
        edges.add(dirKey(id, ids[(k + 1) % ids.length]!))
        points.add(id)
      })
  for (const rings of children)
    for (const ids of rings)
      for (let k = 0; k < ids.length; k++) {
        const a = ids[k]!,
          b = ids[(k + 1) % ids.length]!
        if (nodedEdges.has(dirKey(a, b)) || edges.has(dirKey(b, a))) continue
        const ax = v.xs[a]!,
          ay = v.ys[a]!,
          bx = v.xs[b]!,
          by = v.ys[b]!
        const on: [number, number][] = []
        for (const m of points) {
          if (m === a || m === b) continue
          const mx = v.xs[m]!,
            my = v.ys[m]!
          if (orient(ax, ay, bx, by, mx, my) !== 0) continue
          const t = ((mx - ax) * (bx - ax) + (my - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)
          if (t > 0 && t < 1) on.push([t, m])
        }
        if (on.length === 0) continue
        on.sort((p, q) => p[0] - q[0])
        ids.splice(k + 1, 0, ...on.map((o) => o[1]))
        k += on.length
      }
}

function topoChain(ring: TopoRing, a: number, b: number): number[] {
  const ids = ring.ids
  const start = ids.indexOf(a)
  if (start < 0) throw new Error('topology: parent ring lost a vertex')
  const chain = [a]
  for (let p = (start + 1) % ids.length; ; p = (p + 1) % ids.length) {
    chain.push(ids[p]!)
    if (ids[p] === b) return chain
    if (p === start) throw new Error('topology: parent chain lost')
  }
}

function onTopoChain(ring: TopoRing, a: number, b: number, id: number): boolean {
  return topoChain(ring, a, b).includes(id)
}
