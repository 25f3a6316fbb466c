/**
 * The demo-grid generator (data/generate) on the real Dianbai source: counts, codes and names per
 * level, attribute roll-ups, grid staff and party bodies, geometry (lattice rounding, ring
 * orientation and simplicity, exact coverage of every parent by its children), determinism,
 * locality of an anchor change, speed; plus a small made-up county to show nothing is wired to
 * Dianbai. Validity in PostGIS needs a database: generate-postgis.db.test.ts. The grid is generated once per file (a few seconds).
 */
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import polygonClipping from 'polygon-clipping'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  generateGrid,
  generateGridWithStats,
  loadSource,
  serializeGrid,
  type GeneratedGrid,
  type GridCell,
  type GridSource,
} from '../../data/generate/index.ts'

const SOURCE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'dianbai')
/** Coverage tolerance, relative to the parent's area. */
const TOLERANCE = 1e-6

type MultiPolygon = number[][][][]

function ringArea(ring: number[][]): number {
  let sum = 0
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return sum / 2
}
function area(mp: MultiPolygon): number {
  return mp.reduce((total, polygon) => total + polygon.reduce((t, ring) => t + ringArea(ring), 0), 0)
}
function inside(mp: MultiPolygon, x: number, y: number): boolean {
  let hit = false
  for (const polygon of mp)
    for (const ring of polygon)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i] as [number, number]
        const [xj, yj] = ring[j] as [number, number]
        if (yi > y !== yj > y && x < xi + ((y - yi) / (yj - yi)) * (xj - xi)) hit = !hit
      }
  return hit
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const isCommunityName = (name: string) => /社区|居委会|居民委员会|生活区/.test(name)

let source: GridSource
let grid: GeneratedGrid
let byCode: Map<string, GridCell>
let childrenOf: Map<string, GridCell[]>
const level = (l: number) => grid.cells.filter((c) => c.level === l)

beforeAll(async () => {
  source = await loadSource(SOURCE_DIR)
  grid = generateGrid(source)
  byCode = new Map(grid.cells.map((c) => [c.code, c]))
  childrenOf = new Map()
  for (const c of grid.cells) if (c.parentCode) childrenOf.set(c.parentCode, [...(childrenOf.get(c.parentCode) ?? []), c])
}, 120_000)

afterEach(() => {
  vi.restoreAllMocks()
})

describe('levels, codes and names', () => {
  it('has 1 district, 28 towns, 409 villages, 4,689 villager groups and 8,805 household groups', () => {
    expect([1, 2, 3, 4, 5].map((l) => level(l).length)).toEqual([1, 28, 409, 4689, 8805])
  })

  it('keeps the official codes and names of levels 1–3 from the CSV', () => {
    for (const l of [1, 2, 3]) {
      const official = source.divisions
        .filter((d) => d.level === l)
        .map((d) => `${d.code} ${d.name}`)
        .sort()
      expect(
        level(l)
          .map((c) => `${c.code} ${c.name}`)
          .sort(),
      ).toEqual(official)
    }
    expect(level(1)[0]).toMatchObject({ code: '440904', name: '电白区', parentCode: null })
  })

  it('gives every cell a unique code made of its parent code plus 3 digits, sorted by code', () => {
    expect(new Set(grid.cells.map((c) => c.code)).size).toBe(grid.cells.length)
    expect(grid.cells.map((c) => c.code)).toEqual(grid.cells.map((c) => c.code).sort())
    for (const c of grid.cells) {
      expect(c.code).toHaveLength(6 + 3 * (c.level - 1))
      if (c.level === 1) continue
      const parent = byCode.get(c.parentCode!)
      expect(parent?.level, c.code).toBe(c.level - 1)
      expect(c.code.slice(0, -3), c.code).toBe(c.parentCode)
      expect(c.code.slice(-3)).toMatch(/^\d{3}$/)
    }
  })

  it('numbers villager and household groups 001, 002, … and names them accordingly', () => {
    for (const parent of [...level(3), ...level(4)]) {
      const kids = childrenOf.get(parent.code) ?? []
      expect(kids.length, `${parent.code} has children`).toBeGreaterThanOrEqual(1)
      kids.forEach((kid, i) => {
        expect(kid.code).toBe(parent.code + String(i + 1).padStart(3, '0'))
        if (kid.level === 4) expect(kid.name).toBe(`第${i + 1}${isCommunityName(parent.name) ? '居民' : '村民'}小组`)
        else expect(kid.name).toBe(`第${i + 1}住户小组`)
      })
    }
    expect(level(4).some((c) => c.name.includes('居民小组'))).toBe(true)
    expect(level(4).some((c) => c.name.includes('村民小组'))).toBe(true)
  })
})

describe('attributes', () => {
  it('rolls households and population up as sums of the children', () => {
    for (const c of grid.cells) {
      if (c.level === 5) continue
      const kids = childrenOf.get(c.code)!
      expect(c.households, c.code).toBe(kids.reduce((s, k) => s + k.households, 0))
      expect(c.population, c.code).toBe(kids.reduce((s, k) => s + k.population, 0))
    }
  })

  it('totals about 200,000 households at 3.6–4.2 people each, larger urban household groups', () => {
    const root = level(1)[0]!
    expect(root.households).toBeGreaterThan(195_000)
    expect(root.households).toBeLessThan(215_000)
    for (const c of level(5)) {
      expect(c.households, c.code).toBeGreaterThan(0)
      expect(Number.isInteger(c.households) && Number.isInteger(c.population)).toBe(true)
      expect(c.population / c.households, c.code).toBeGreaterThanOrEqual(3.6 - 0.5 / c.households)
      expect(c.population / c.households, c.code).toBeLessThanOrEqual(4.2 + 0.5 / c.households)
    }
    const meanHouseholds = (community: boolean) => {
      const cells = level(5).filter((c) => isCommunityName(byCode.get(c.code.slice(0, -6))!.name) === community)
      return cells.reduce((s, c) => s + c.households, 0) / cells.length
    }
    expect(meanHouseholds(true)).toBeGreaterThan(meanHouseholds(false) * 1.3)
  })

  it('has one grid worker per household group and one grid leader per villager group', () => {
    const workers = grid.people.filter((p) => p.role === 'grid_worker')
    const leaders = grid.people.filter((p) => p.role === 'grid_leader')
    expect(workers.length + leaders.length).toBe(grid.people.length)
    expect(workers.map((p) => p.cellCode).sort()).toEqual(level(5).map((c) => c.code))
    expect(leaders.map((p) => p.cellCode).sort()).toEqual(level(4).map((c) => c.code))
    for (const p of grid.people) {
      expect(p.fullName).toMatch(/^[\u4e00-\u9fff]{2,3}$/)
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/)
    }
    // Not all the same person: the names are drawn per cell.
    expect(new Set(grid.people.map((p) => p.fullName)).size).toBeGreaterThan(1000)
    expect(new Set(grid.people.map((p) => p.phone)).size).toBeGreaterThan(grid.people.length * 0.99)
  })

  it('attaches 48 村党委 and 152 党总支 to the largest villages, 632 网格党支部 and 1,508 党小组 to groups', () => {
    const of = (kind: string) => grid.partyOrgs.filter((o) => o.kind === kind)
    expect(of('village_committee')).toHaveLength(48)
    expect(of('general_branch')).toHaveLength(152)
    expect(of('grid_branch')).toHaveLength(632)
    expect(of('party_group')).toHaveLength(1508)
    expect(grid.partyOrgs).toHaveLength(48 + 152 + 632 + 1508)
    const levelOf = { village_committee: 3, general_branch: 3, grid_branch: 4, party_group: 5 } as const
    for (const o of grid.partyOrgs) expect(byCode.get(o.cellCode)?.level, o.name).toBe(levelOf[o.kind])
    expect(new Set(grid.partyOrgs.map((o) => o.cellCode)).size).toBe(grid.partyOrgs.length)
    // Village-level bodies go to the largest villages by households: committees first, then branches.
    const households = (kind: string) => of(kind).map((o) => byCode.get(o.cellCode)!.households)
    const rest = level(3)
      .filter((c) => !grid.partyOrgs.some((o) => o.cellCode === c.code))
      .map((c) => c.households)
    expect(Math.min(...households('village_committee'))).toBeGreaterThanOrEqual(Math.max(...households('general_branch')))
    expect(Math.min(...households('general_branch'))).toBeGreaterThanOrEqual(Math.max(...rest))
    const lantianpo = level(3).find((c) => c.name === '蓝田坡村委会')
    expect(lantianpo).toBeDefined()
    for (const o of grid.partyOrgs) {
      const cell = byCode.get(o.cellCode)!
      if (o.kind === 'village_committee') expect(o.name).toMatch(/^中共.+(村|社区|生活区)委员会$/)
      if (o.kind === 'general_branch') expect(o.name).toMatch(/^中共.+(村|社区|生活区)总支部委员会$/)
      if (o.kind === 'grid_branch') expect(o.name).toBe(`${shortName(byCode.get(cell.parentCode!)!.name)}第${Number(cell.code.slice(-3))}网格党支部`)
      if (o.kind === 'party_group') expect(o.name).toBe(`第${Number(cell.code.slice(-3))}住户小组党小组`)
    }
  })
})

function shortName(village: string): string {
  return village
    .replace(/村委会$/, '村')
    .replace(/社区(居委会|居民委员会)$/, '社区')
    .replace(/(居委会|居民委员会)$/, '社区')
    .replace(/虚拟生活区$/, '生活区')
}

describe('geometry', () => {
  it('uses closed MultiPolygon rings on the 1e-7° lattice, outer rings counter-clockwise, no repeated points', () => {
    const problems: string[] = []
    for (const c of grid.cells) {
      if (c.geometry.type !== 'MultiPolygon' || c.geometry.coordinates.length === 0) problems.push(`${c.code}: not a MultiPolygon`)
      for (const polygon of c.geometry.coordinates) {
        if (polygon.length !== 1) problems.push(`${c.code}: has a hole (the synthetic grid has none)`)
        const ring = polygon[0]!
        if (ring.length < 4) problems.push(`${c.code}: ring of ${ring.length} points`)
        if (ring[0]![0] !== ring[ring.length - 1]![0] || ring[0]![1] !== ring[ring.length - 1]![1]) problems.push(`${c.code}: ring not closed`)
        if (!(ringArea(ring) > 0)) problems.push(`${c.code}: outer ring not counter-clockwise`)
        const seen = new Set<string>()
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x, y] = ring[i] as [number, number]
          if (Math.round(x * 1e7) / 1e7 !== x || Math.round(y * 1e7) / 1e7 !== y) problems.push(`${c.code}: ${x},${y} off the lattice`)
          if (seen.has(`${x},${y}`)) problems.push(`${c.code}: ${x},${y} repeated`)
          seen.add(`${x},${y}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('has no self-intersecting ring (exact test on lattice integers)', () => {
    let bad = 0
    for (const c of grid.cells) for (const polygon of c.geometry.coordinates) if (selfIntersects(polygon[0]!)) bad++
    expect(bad).toBe(0)
  })

  it('keeps the real district boundary at level 1', () => {
    const feature = source.boundaries.features.find((f) => f.properties?.code === '440904')!
    const sourceArea = Math.abs(area((feature.geometry as { coordinates: MultiPolygon }).coordinates))
    const root = level(1)[0]!
    // Only lattice rounding and the filled 0.2 km² pinched hole (1e-4 of the area) differ.
    expect(Math.abs(area(root.geometry.coordinates) - sourceArea) / sourceArea).toBeLessThan(2e-4)
    const points = new Set(root.geometry.coordinates.flatMap((p) => p[0]!.map(([x, y]) => `${x},${y}`)))
    const sourcePoints = (feature.geometry as { coordinates: MultiPolygon }).coordinates.flatMap((p) => p[0]!)
    const kept = sourcePoints.filter(([x, y]) => points.has(`${Math.round(x! * 1e7) / 1e7},${Math.round(y! * 1e7) / 1e7}`))
    expect(kept.length / sourcePoints.length).toBeGreaterThan(0.98)
  })

  it(`covers every parent exactly with its children (gaps, overlaps, spill-over ≤ ${TOLERANCE} of the parent)`, () => {
    // polygon-clipping on every parent of levels 1–4 (about 2 s in all).
    const problems: string[] = []
    for (const parent of grid.cells) {
      if (parent.level === 5) continue
      const kids = childrenOf.get(parent.code)!.map((k) => k.geometry.coordinates as polygonClipping.MultiPolygon)
      const p = parent.geometry.coordinates as polygonClipping.MultiPolygon
      const parentArea = area(p)
      const sum = kids.reduce((s, k) => s + area(k), 0)
      const gap = area(polygonClipping.difference(p, ...kids))
      const spill = area(polygonClipping.difference(polygonClipping.union(kids[0]!, ...kids.slice(1)), p))
      if (Math.abs(sum - parentArea) > TOLERANCE * parentArea || gap > TOLERANCE * parentArea || spill > TOLERANCE * parentArea)
        problems.push(`${parent.code}: Σ ${sum / parentArea - 1}, gap ${gap / parentArea}, spill ${spill / parentArea}`)
    }
    expect(problems).toEqual([])
  })

  it('puts every label point inside its cell, on the lattice', () => {
    for (const c of grid.cells) {
      const [x, y] = c.labelPoint
      expect(inside(c.geometry.coordinates, x, y), c.code).toBe(true)
      expect(Math.round(x * 1e7) / 1e7).toBe(x)
    }
  })

  it('makes urban household groups (街道) clearly smaller than those of the northern mountain towns', () => {
    const mountain = ['七迳镇', '霞洞镇', '观珠镇', '望夫镇', '沙琅镇', '黄岭镇', '那霍镇', '罗坑镇']
    const townOf = (c: GridCell) => byCode.get(c.code.slice(0, 9))!.name
    const urban = level(5)
      .filter((c) => townOf(c).endsWith('街道'))
      .map((c) => area(c.geometry.coordinates))
    const north = level(5)
      .filter((c) => mountain.includes(townOf(c)))
      .map((c) => area(c.geometry.coordinates))
    expect(urban.length).toBeGreaterThan(100)
    expect(north.length).toBeGreaterThan(100)
    expect(median(north)).toBeGreaterThan(3 * median(urban))
  })

  it('adds the other divisions of the boundary file as context', () => {
    expect(grid.context.map((r) => r.code)).toEqual(['440902', '440981', '440982', '440983'])
    for (const r of grid.context) {
      expect(r.geometry.type).toBe('MultiPolygon')
      expect(r.name).not.toBe('')
      expect(r.geometry.coordinates.length, r.name).toBeGreaterThan(0)
      // Passed through from the source (the database repairs self-crossings on insert).
      const area = r.geometry.coordinates.reduce((sum, polygon) => sum + Math.abs(ringArea(polygon[0]!)), 0)
      expect(area, r.name).toBeGreaterThan(0.03) // deg²; the smallest, 茂南区, is about 0.04 (430 km²)
    }
  })
})

describe('determinism and locality', () => {
  it('produces byte-identical output twice, without Math.random or the clock', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used')
    })
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used')
    })
    const again = generateGrid(source)
    vi.restoreAllMocks()
    const text = serializeGrid(grid)
    expect(sha256(serializeGrid(again))).toBe(sha256(text))
    // The canonical text has a fixed key order.
    const first = JSON.parse(text).cells[0]
    expect(Object.keys(first)).toEqual(['code', 'level', 'name', 'parentCode', 'households', 'population', 'labelPoint', 'geometry'])
    // Key order does not depend on how the objects were built.
    const shuffled: GeneratedGrid = {
      ...grid,
      cells: [...grid.cells].reverse().map((c) => ({
        geometry: c.geometry,
        labelPoint: c.labelPoint,
        population: c.population,
        households: c.households,
        parentCode: c.parentCode,
        name: c.name,
        level: c.level,
        code: c.code,
      })),
    }
    expect(sha256(serializeGrid(shuffled))).toBe(sha256(text))
  }, 60_000)

  it('moves only the moved town and its neighbours when one anchor changes; codes, names and people stay', () => {
    const moved = '440904121' // 那霍镇
    const anchors = new Map(source.anchors)
    const [lon, lat] = anchors.get(moved)!
    anchors.set(moved, [lon + 0.01, lat - 0.01])
    const other = generateGrid({ ...source, anchors })
    expect(other.cells.map((c) => [c.code, c.name, c.parentCode, c.households, c.population])).toEqual(
      grid.cells.map((c) => [c.code, c.name, c.parentCode, c.households, c.population]),
    )
    expect(other.people).toEqual(grid.people)
    expect(other.partyOrgs).toEqual(grid.partyOrgs)
    const before = new Map(grid.cells.map((c) => [c.code, c]))
    const townOf = (code: string) => code.slice(0, 9)
    const changed = (c: GridCell) => JSON.stringify(c.geometry) !== JSON.stringify(before.get(c.code)!.geometry)
    // The moved town's whole subtree is new.
    expect(other.cells.filter((c) => townOf(c.code) === moved && c.level >= 2).every(changed)).toBe(true)
    // Towns bordering the moved one (in either run) may change; every other town keeps its cells in
    // place: same label points, areas equal up to points its neighbours added on shared borders.
    const points = (g: GeneratedGrid, code: string) =>
      new Set(g.cells.find((c) => c.code === code)!.geometry.coordinates.flatMap((p) => p[0]!.map(([x, y]) => `${x},${y}`)))
    const movedPoints = [points(grid, moved), points(other, moved)]
    const neighbours = new Set(
      level(2)
        .filter((t) => t.code !== moved)
        .filter((t) => [points(grid, t.code), points(other, t.code)].some((mine, run) => [...mine].some((p) => movedPoints[run]!.has(p))))
        .map((t) => t.code),
    )
    expect(neighbours.size).toBeGreaterThan(0)
    expect(neighbours.size).toBeLessThan(6)
    let untouchedTowns = 0
    for (const town of level(2)) {
      if (town.code === moved || neighbours.has(town.code)) continue
      const cells = other.cells.filter((c) => townOf(c.code) === town.code)
      for (const c of cells) {
        const old = before.get(c.code)!
        expect(c.labelPoint, c.code).toEqual(old.labelPoint)
        expect(Math.abs(area(c.geometry.coordinates) / area(old.geometry.coordinates) - 1), c.code).toBeLessThan(1e-4)
      }
      if (!cells.some(changed)) untouchedTowns++
    }
    expect(untouchedTowns).toBeGreaterThanOrEqual(18)
  }, 60_000)
})

describe('another county', () => {
  // A made-up county 110199 (a 0.3° square) with 3 towns and 7 villages, no figures file and one
  // anchor outside the boundary: nothing may depend on Dianbai.
  const square = (x0: number, y0: number, d: number) => [
    [
      [x0, y0],
      [x0, y0 + d],
      [x0 + d, y0 + d],
      [x0 + d, y0],
      [x0, y0],
    ],
  ]
  const made: GridSource = {
    divisions: [
      { level: 1, code: '110199', name: '示例县', parentCode: '1101' },
      { level: 2, code: '110199001', name: '城关街道', parentCode: '110199' },
      { level: 2, code: '110199100', name: '东镇', parentCode: '110199' },
      { level: 2, code: '110199101', name: '西镇', parentCode: '110199' },
      ...['001', '002'].map((s) => ({ level: 3, code: `110199001${s}`, name: `城${s}社区居委会`, parentCode: '110199001' })),
      ...['001', '002', '003'].map((s) => ({ level: 3, code: `110199100${s}`, name: `东${s}村委会`, parentCode: '110199100' })),
      ...['001', '002'].map((s) => ({ level: 3, code: `110199101${s}`, name: `西${s}村委会`, parentCode: '110199101' })),
    ],
    boundaries: {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: '110199', name: '示例县' }, geometry: { type: 'Polygon', coordinates: square(116.1, 39.6, 0.3) } },
        { type: 'Feature', properties: { code: '110198', name: '邻县' }, geometry: { type: 'Polygon', coordinates: square(116.4, 39.6, 0.3) } },
      ],
    },
    anchors: new Map<string, [number, number]>([
      ['110199001', [116.25, 39.75]],
      ['110199100', [116.6, 39.8]], // outside: nudged in
    ]),
  }

  it('generates from the division list and boundary alone, with typical ratios and a nudged anchor', () => {
    const { grid: small, stats } = generateGridWithStats(made)
    expect(stats.nudgedAnchors).toEqual(['110199100'])
    const count = (l: number) => small.cells.filter((c) => c.level === l).length
    expect([1, 2, 3].map(count)).toEqual([1, 3, 7])
    expect(count(4)).toBe(Math.round(7 * 11.46))
    expect(count(5)).toBe(Math.round(count(4) * 1.878))
    expect(small.cells[0]).toMatchObject({ code: '110199', parentCode: null, level: 1 })
    for (const c of small.cells) if (c.level > 1) expect(c.code.startsWith(c.parentCode!)).toBe(true)
    expect(small.context.map((r) => r.code)).toEqual(['110198'])
    const root = small.cells[0]!
    expect(area(root.geometry.coordinates)).toBeCloseTo(0.09, 9)
    const towns = small.cells.filter((c) => c.level === 2)
    expect(towns.reduce((s, t) => s + area(t.geometry.coordinates), 0)).toBeCloseTo(area(root.geometry.coordinates), 11)
    const east = towns.find((t) => t.code === '110199100')!
    expect(inside(root.geometry.coordinates, ...east.labelPoint)).toBe(true)
    expect(sha256(serializeGrid(generateGrid(made)))).toBe(sha256(serializeGrid(small)))
  })
})

/** Exact self-intersection test of one closed ring, on lattice integers. */
function selfIntersects(ring: number[][]): boolean {
  const pts = ring.slice(0, -1).map(([x, y]) => [Math.round(x! * 1e7) - 1_100_000_000, Math.round(y! * 1e7) - 210_000_000] as [number, number])
  const n = pts.length
  const orient = (a: number[], b: number[], c: number[]) => Math.sign((b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!))
  const onSeg = (a: number[], b: number[], p: number[]) =>
    Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!) && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!)
  const touch = (a: number[], b: number[], c: number[], d: number[]) => {
    const d1 = orient(c, d, a),
      d2 = orient(c, d, b),
      d3 = orient(a, b, c),
      d4 = orient(a, b, d)
    if (d1 * d2 < 0 && d3 * d4 < 0) return true
    return (d1 === 0 && onSeg(c, d, a)) || (d2 === 0 && onSeg(c, d, b)) || (d3 === 0 && onSeg(a, b, c)) || (d4 === 0 && onSeg(a, b, d))
  }
  const edges = pts.map((p, i) => ({ i, a: p, b: pts[(i + 1) % n]!, minX: Math.min(p[0], pts[(i + 1) % n]![0]), maxX: Math.max(p[0], pts[(i + 1) % n]![0]) }))
  edges.sort((e, f) => e.minX - f.minX)
  for (let k = 0; k < n; k++) {
    const e = edges[k]!
    for (let m = k + 1; m < n && edges[m]!.minX <= e.maxX; m++) {
      const f = edges[m]!
      if (f.i === (e.i + 1) % n || e.i === (f.i + 1) % n) {
        // Adjacent edges share one point; they must not fold back onto each other.
        const shared = f.i === (e.i + 1) % n ? e.b : f.b
        const a = shared === e.b ? e.a : f.a
        const c = shared === e.b ? f.b : e.b
        if (orient(a, shared, c) === 0 && (shared[0]! - a[0]!) * (c[0]! - shared[0]!) + (shared[1]! - a[1]!) * (c[1]! - shared[1]!) < 0) return true
        continue
      }
      if (touch(e.a, e.b, f.a, f.b)) return true
    }
  }
  return false
}
