/**
 * The shared edge network of all output rings. A cell's border is also its neighbour's border,
 * its parent's border where it lies on the parent's edge, and so on up the levels. When a child
 * subdivision puts a new point on such an edge (where an inner Voronoi edge meets it), that
 * point must appear in every ring using the edge, otherwise rounding to the lattice leaves
 * slivers of gap or overlap between neighbours and across levels. So every output ring is
 * registered here, indexed by its undirected edges, and insertOnEdge splices the point into all
 * of them at once. This is what keeps coverage exact after rounding.
 */

export interface TopoRing {
  /** Vertex ids, open (the first point is not repeated at the end), counter-clockwise. */
  ids: number[]
}

/** Vertex ids stay below 2^24 (16.7 million points), plenty for a county. */
const ID_LIMIT = 2 ** 24

function edgeKey(a: number, b: number): number {
  return a < b ? a * ID_LIMIT + b : b * ID_LIMIT + a
}

export class Topology {
  private readonly edges = new Map<number, TopoRing[]>()

  addRing(ids: number[]): TopoRing {
    const ring: TopoRing = { ids }
    for (let i = 0; i < ids.length; i++) this.link(ids[i]!, ids[(i + 1) % ids.length]!, ring)
    return ring
  }

  /** Rings currently using edge a–b in either direction. */
  ringsOn(a: number, b: number): readonly TopoRing[] {
    return this.edges.get(edgeKey(a, b)) ?? []
  }

  /**
   * Splice points (ordered from a to b) into edge a–b of every ring that uses it, in the right
   * direction for each ring. The points must lie (up to lattice rounding) on segment a–b.
   */
  insertOnEdge(a: number, b: number, points: readonly number[]): void {
    if (points.length === 0) return
    const rings = [...this.ringsOn(a, b)]
    for (const ring of rings) {
      const ids = ring.ids
      const n = ids.length
      const i = ids.indexOf(a)
      if (i < 0) throw new Error('topology: ring indexed on an edge it does not have')
      const next = (i + 1) % n
      const prev = (i + n - 1) % n
      this.unlink(a, b, ring)
      if (ids[next] === b) {
        ids.splice(i + 1, 0, ...points)
        this.linkChain([a, ...points, b], ring)
      } else if (ids[prev] === b) {
        const reversed = [...points].reverse()
        // b precedes a: insert just before a (at index i; if a is first, the wrap edge ends the array).
        if (i === 0) ids.push(...reversed)
        else ids.splice(i, 0, ...reversed)
        this.linkChain([b, ...reversed, a], ring)
      } else throw new Error('topology: edge endpoints not adjacent in ring')
    }
  }

  private linkChain(chain: number[], ring: TopoRing) {
    for (let i = 0; i + 1 < chain.length; i++) this.link(chain[i]!, chain[i + 1]!, ring)
  }
  private link(a: number, b: number, ring: TopoRing) {
    const key = edgeKey(a, b)
    const list = this.edges.get(key)
    if (list) list.push(ring)
    else this.edges.set(key, [ring])
  }
  private unlink(a: number, b: number, ring: TopoRing) {
    const key = edgeKey(a, b)
    const list = this.edges.get(key)
    if (!list) return
    const at = list.indexOf(ring)
    if (at >= 0) list.splice(at, 1)
    if (list.length === 0) this.edges.delete(key)
  }
}
