/**
 * The generator proper: from one county's source to the five-level grid. The county is the
 * only level-1 row of the division list and its geometry is the feature with the same code in the
 * boundary file; towns (level 2) are Voronoi cells of the anchor points, villages (level 3) and the
 * synthetic villager groups (4) and household groups (5) are Voronoi cells of seeds sampled in
 * their parent (see subdivide.ts for how exact coverage survives rounding). Child counts come from
 * the county figures, attributes from each cell's code hash, so the output depends only on the
 * source: same input, byte-identical output.
 */
import type { Feature, FeatureCollection, Position } from 'geojson'
import { householdGroupPeople, householdGroupWeight, isUrbanTown, largestRemainder, resolveFigures, villagerGroupWeight } from './allocate.ts'
import { countyLoops } from './boundary.ts'
import { labelPoint } from './labels.ts'
import { makeLattice, SCALE, toLonLat, toUnits, VertexTable, type Lattice } from './lattice.ts'
import { householdGroupName, isCommunity, villagerGroupName } from './naming.ts'
import { buildPartyOrgs } from './party.ts'
import { gridPerson } from './people.ts'
import { rngFor } from './prng.ts'
import { nudgeInside, relax, sampleSeeds, type Point } from './seeds.ts'
import { subdivide } from './subdivide.ts'
import { Topology, type TopoRing } from './topology.ts'
import type { ContextRegion, GeneratedGrid, GridCell, GridPerson, GridSource, Level, ProgressFn, SourceDivision } from './types.ts'

/** Lloyd steps for levels 3–5; towns keep their anchors as they are. */
const LLOYD_STEPS = 3
/** How far inside the border an outside anchor is moved (lattice units: 0.0005°, about 50 m). */
const ANCHOR_INSET = 5000

interface Node {
  code: string
  level: Level
  name: string
  parentCode: string | null
  /** Under an urban subdistrict (街道). */
  urban: boolean
  /** A community (居民小组 below it) rather than a village. */
  community: boolean
  shape: number[][]
  topo: TopoRing[]
  seed: Point | null
}

export interface GenerationStats {
  /** Town codes whose anchor lay outside the boundary and was moved inside. */
  nudgedAnchors: string[]
  /** Subdivisions that needed fresh seeds because rounding broke a first attempt. */
  retries: number
}

export function generateGrid(source: GridSource, onProgress?: ProgressFn): GeneratedGrid {
  return generateGridWithStats(source, onProgress).grid
}

export function generateGridWithStats(source: GridSource, onProgress: ProgressFn = () => {}): { grid: GeneratedGrid; stats: GenerationStats } {
  const tree = readDivisions(source.divisions)
  const figures = resolveFigures(source.figures, tree.villages.length)
  const feature = findFeature(source.boundaries, tree.root.code)
  const polygons = polygonsOf(feature)
  const lattice = latticeFor(polygons)
  const vertices = new VertexTable()
  const topology = new Topology()
  const stats: GenerationStats = { nudgedAnchors: [], retries: 0 }

  const rootShape = countyRings(vertices, lattice, polygons)
  const root: Node = { ...nodeOf(tree.root, 1, false, false), shape: rootShape, topo: rootShape.map((ids) => topology.addRing([...ids])), seed: null }
  const nodes: Node[] = [root]

  const split = (parent: Node, children: Omit<Node, 'shape' | 'topo' | 'seed'>[], seeds: (attempt: number) => Point[]) => {
    const { pieces, attempts } = subdivide({ vertices, topology, shape: parent.shape, topo: parent.topo, count: children.length, seeds, label: parent.code })
    stats.retries += attempts - 1
    return children.map((child, i): Node => ({ ...child, shape: pieces[i]!.shape, topo: pieces[i]!.topo, seed: pieces[i]!.seed }))
  }
  const sampled = (parent: Node, count: number) => (attempt: number) => {
    const rings = coordsOf(vertices, parent.shape)
    return relax(rings, sampleSeeds(rings, count, rngFor(parent.code, 'seeds', attempt)), LLOYD_STEPS)
  }

  // Level 2: towns around their anchors (jittered by a few lattice steps if a retry is needed).
  onProgress(0, 1, 'towns')
  const rootRings = coordsOf(vertices, rootShape)
  const anchors = tree.towns.map((town): Point => {
    const given = source.anchors.get(town.code)
    if (!given) return sampleSeeds(rootRings, 1, rngFor(town.code, 'anchor'))[0]!
    const { point, moved } = nudgeInside(rootRings, toUnits(lattice, given[0], given[1]), ANCHOR_INSET)
    if (moved) stats.nudgedAnchors.push(town.code)
    return point
  })
  const towns = split(
    root,
    tree.towns.map((t) => nodeOf(t, 2, isUrbanTown(t.name), false)),
    (attempt) => (attempt === 0 ? anchors : anchors.map((p, i) => jitter(rootRings, p, rngFor(tree.towns[i]!.code, 'jitter', attempt), attempt))),
  )
  nodes.push(...towns)
  onProgress(1, 1, 'towns')

  // Level 3: the official villages and communities.
  const villages: Node[] = []
  towns.forEach((town, i) => {
    const children = tree.villagesOf.get(town.code)!.map((v) => nodeOf(v, 3, town.urban, isCommunity(v.name)))
    villages.push(...split(town, children, sampled(town, children.length)))
    onProgress(i + 1, towns.length, 'villages')
  })
  nodes.push(...villages)

  // Level 4: villager groups, counts shared out over the county total.
  const groupCounts = largestRemainder(
    figures.villagerGroups,
    villages.map((v) => villagerGroupWeight(v.code, v.community)),
  )
  const groupsOf = villages.map((village, i) =>
    Array.from({ length: groupCounts[i]! }, (_, k) => ({
      code: childCode(village.code, k + 1),
      level: 4 as Level,
      name: villagerGroupName(k + 1, village.community),
      parentCode: village.code,
      urban: village.urban,
      community: village.community,
    })),
  )
  const groups: Node[] = []
  villages.forEach((village, i) => {
    groups.push(...split(village, groupsOf[i]!, sampled(village, groupsOf[i]!.length)))
    onProgress(i + 1, villages.length, 'villager groups')
  })
  nodes.push(...groups)

  // Level 5: household groups.
  const householdCounts = largestRemainder(
    figures.householdGroups,
    groups.map((g) => householdGroupWeight(g.code, g.community, g.urban)),
  )
  groups.forEach((group, i) => {
    const children = Array.from({ length: householdCounts[i]! }, (_, k) => ({
      code: childCode(group.code, k + 1),
      level: 5 as Level,
      name: householdGroupName(k + 1),
      parentCode: group.code,
      urban: group.urban,
      community: group.community,
    }))
    nodes.push(...split(group, children, sampled(group, children.length)))
    if ((i + 1) % 50 === 0 || i + 1 === groups.length) onProgress(i + 1, groups.length, 'household groups')
  })

  // Attributes: level-5 households, rolled up level by level.
  const totals = new Map<string, { households: number; population: number }>()
  for (const node of nodes) if (node.level === 5) totals.set(node.code, householdGroupPeople(node.code, node.community))
  for (let level = 5; level > 1; level--)
    for (const node of nodes)
      if (node.level === level) {
        const own = totals.get(node.code)!
        const up = totals.get(node.parentCode!) ?? { households: 0, population: 0 }
        totals.set(node.parentCode!, { households: up.households + own.households, population: up.population + own.population })
      }

  const cells: GridCell[] = nodes
    .map((node) => ({
      code: node.code,
      level: node.level,
      name: node.name,
      parentCode: node.parentCode,
      ...totals.get(node.code)!,
      geometry: { type: 'MultiPolygon' as const, coordinates: node.topo.map((ring) => [closedLonLat(vertices, lattice, ring.ids)]) },
      labelPoint: labelFor(vertices, lattice, node),
    }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))
  const people: GridPerson[] = cells.filter((c) => c.level >= 4).map((c) => gridPerson(c.code, c.level === 5 ? 'grid_worker' : 'grid_leader'))
  const partyOrgs = buildPartyOrgs(cells, figures)
  const context = contextRegions(source.boundaries, tree.root.code)
  return { grid: { cells, people, partyOrgs, context }, stats }
}

/** The division list as a tree, checked: one county, towns under it, villages under towns. */
function readDivisions(divisions: SourceDivision[]) {
  const roots = divisions.filter((d) => d.level === 1)
  if (roots.length !== 1) throw new Error(`the division list must have exactly one level-1 row, found ${roots.length}`)
  const root = roots[0]!
  const byCode = (a: SourceDivision, b: SourceDivision) => (a.code < b.code ? -1 : 1)
  const towns = divisions.filter((d) => d.level === 2).sort(byCode)
  const villages = divisions.filter((d) => d.level === 3).sort(byCode)
  if (new Set(divisions.map((d) => d.code)).size !== divisions.length) throw new Error('duplicate codes in the division list')
  for (const t of towns)
    if (t.parentCode !== root.code || t.code.length !== root.code.length + 3 || !t.code.startsWith(root.code))
      throw new Error(`town ${t.code} is not a 3-digit child of ${root.code}`)
  const villagesOf = new Map(towns.map((t) => [t.code, [] as SourceDivision[]]))
  for (const v of villages) {
    const list = villagesOf.get(v.parentCode ?? '')
    if (!list || v.code.length !== v.parentCode!.length + 3 || !v.code.startsWith(v.parentCode!))
      throw new Error(`village ${v.code} is not a 3-digit child of a town`)
    list.push(v)
  }
  for (const [code, list] of villagesOf) if (list.length === 0) throw new Error(`town ${code} has no villages`)
  return { root, towns, villages, villagesOf }
}

function nodeOf(d: SourceDivision, level: Level, urban: boolean, community: boolean) {
  return { code: d.code, level, name: d.name, parentCode: level === 1 ? null : d.parentCode, urban, community }
}

function childCode(parent: string, seq: number): string {
  if (seq > 999) throw new Error(`${parent} would need more than 999 children`)
  return parent + String(seq).padStart(3, '0')
}

function findFeature(boundaries: FeatureCollection, code: string): Feature {
  const feature = boundaries.features.find((f) => String(f.properties?.code) === code)
  if (!feature) throw new Error(`the boundary file has no feature with code ${code}`)
  return feature
}

function polygonsOf(feature: Feature): Position[][][] {
  const g = feature.geometry
  if (g.type === 'Polygon') return [g.coordinates]
  if (g.type === 'MultiPolygon') return g.coordinates
  throw new Error(`boundary ${String(feature.properties?.code)} is a ${g.type}, not a polygon`)
}

function latticeFor(polygons: Position[][][]): Lattice {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity
  for (const polygon of polygons) {
    if (polygon.length > 1) throw new Error('county boundaries with holes are not supported')
    for (const [x, y] of polygon[0]!) (minX = Math.min(minX, x!)), (minY = Math.min(minY, y!)), (maxX = Math.max(maxX, x!)), (maxY = Math.max(maxY, y!))
  }
  return makeLattice(minX, minY, maxX, maxY)
}

/** The county's rings as vertex ids (see countyLoops for how a source boundary is cleaned). */
function countyRings(vertices: VertexTable, lattice: Lattice, polygons: Position[][][]): number[][] {
  return countyLoops(lattice, polygons).map((loop) => loop.map(([x, y]) => vertices.id(x, y)))
}

function coordsOf(vertices: VertexTable, shape: number[][]): Point[][] {
  return shape.map((ids) => ids.map((id): Point => [vertices.xs[id]!, vertices.ys[id]!]))
}

function closedLonLat(vertices: VertexTable, lattice: Lattice, ids: number[]): number[][] {
  const ring = ids.map((id) => toLonLat(lattice, vertices.xs[id]!, vertices.ys[id]!))
  ring.push(ring[0]!)
  return ring
}

function labelFor(vertices: VertexTable, lattice: Lattice, node: Node): [number, number] {
  const parts = node.topo.map((ring) => ring.ids.map((id): Point => [vertices.xs[id]!, vertices.ys[id]!]))
  const [x, y] = labelPoint(parts, node.seed)
  return toLonLat(lattice, Math.round(x), Math.round(y))
}

/** A retry position for an anchor: a few lattice steps away, still inside the county. */
function jitter(rings: Point[][], p: Point, rng: ReturnType<typeof rngFor>, attempt: number): Point {
  const q: Point = [p[0] + rng.int(-3 * attempt, 3 * attempt), p[1] + rng.int(-3 * attempt, 3 * attempt)]
  return nudgeInside(rings, q, ANCHOR_INSET).point
}

/**
 * The other divisions of the boundary file, for map context only. They are drawn for orientation
 * and never subdivided, so their rings pass through as the source has them (on the 1e-7° lattice).
 * The source crosses itself in places (化州, 茂南): the database repairs that on insert with
 * ST_MakeValid (server/demo/seed-grid.ts), which is the tool made for it.
 */
function contextRegions(boundaries: FeatureCollection, rootCode: string): ContextRegion[] {
  const round = (v: number) => Math.round(v * SCALE) / SCALE
  return boundaries.features
    .filter((f) => String(f.properties?.code) !== rootCode && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'))
    .map((f) => ({
      code: String(f.properties?.code),
      name: String(f.properties?.name ?? ''),
      geometry: {
        type: 'MultiPolygon' as const,
        coordinates: polygonsOf(f).map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => [round(lon!), round(lat!)]))),
      },
    }))
    .sort((a, b) => (a.code < b.code ? -1 : 1))
}
