/**
 * The province generator without a database: the Guangdong source (data/guangdong) gives valid
 * codes, levels and parents (county → city → province); a county is made by the county generator
 * and Dianbai comes out as the demo's grid; the incidents of a county are the same lines for the
 * same input (sha256), lie in the county's household groups and keep the templates' mix. The load
 * into PostgreSQL is tested in test/api/province.test.ts.
 */
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateGrid, loadSource, serializeGrid, type GeneratedGrid } from '../../data/generate/index.ts'
import { chooseCounties, countySource, loadProvince, type ProvinceSource } from '../../data/generate/province.ts'
import { codeLength, GRID_CODE_PATTERN, levelOfCode } from '../../server/grids/codes.ts'
import { readCategories } from '../../server/incidents/categories.ts'
import { generateHistory } from '../../server/demo/history.ts'
import {
  countyIncidentLines,
  incidentShares,
  type IncidentTemplates,
  prepareTemplates,
  PROVINCE_INCIDENT_COLUMNS,
} from '../../server/demo/province-incidents.ts'
import { DIANBAI_CODE } from '../../server/demo/province.ts'

const DATA = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data')
const DIANBAI_DIR = join(DATA, 'dianbai')
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

let province: ProvinceSource
beforeAll(async () => {
  province = await loadProvince(join(DATA, 'guangdong'), new Map([[DIANBAI_CODE, DIANBAI_DIR]]))
})

describe('the Guangdong source', () => {
  it('has the province, its 21 cities and counties whose codes, levels and parents chain county → city → province', () => {
    expect(province.province).toEqual({ code: '44', name: '广东省' })
    expect(levelOfCode(province.province.code)).toBe(-1)
    expect(province.cities).toHaveLength(21)
    for (const city of province.cities) {
      expect(city.code).toMatch(GRID_CODE_PATTERN)
      expect(levelOfCode(city.code)).toBe(0)
      expect(city.code.slice(0, 2)).toBe('44')
    }
    const cityCodes = new Set(province.cities.map((c) => c.code))
    // 124 counties less 光明区, which has no boundary in the source.
    expect(province.counties.length + province.left.length).toBe(124)
    expect(province.left.map((c) => c.code)).toEqual(['440311'])
    for (const county of province.counties) {
      expect(county.code).toMatch(GRID_CODE_PATTERN)
      expect(county.code.length).toBe(codeLength(1))
      expect(county.cityCode).toBe(county.code.slice(0, 4))
      expect(cityCodes.has(county.cityCode)).toBe(true)
    }
  })

  it('puts only 3-digit children below each county, every town with villages', () => {
    const problems: string[] = []
    for (const county of province.counties) {
      const below = province.below.get(county.code)!
      const towns = new Set(below.filter((d) => d.level === 2).map((d) => d.code))
      const withVillages = new Set(below.filter((d) => d.level === 3).map((d) => d.parentCode))
      for (const d of below) {
        if (d.code.length !== codeLength(d.level) || d.parentCode !== d.code.slice(0, -3)) problems.push(`${d.code} under ${d.parentCode}`)
        if (d.level === 3 && !towns.has(d.parentCode!)) problems.push(`${d.code}: no town`)
      }
      for (const town of towns) if (!withVillages.has(town)) problems.push(`${town}: no villages`)
    }
    expect(problems).toEqual([])
  })

  it('chooses Dianbai first, then the counties in code order, or exactly the codes asked for', () => {
    expect(chooseCounties(province, { count: 3, first: [DIANBAI_CODE] }).map((c) => c.code)).toEqual([DIANBAI_CODE, '440103', '440104'])
    expect(chooseCounties(province, { codes: ['440902', DIANBAI_CODE] }).map((c) => c.code)).toEqual(['440902', DIANBAI_CODE])
    expect(() => chooseCounties(province, { codes: ['440311'] })).toThrow(/440311/)
  })
})

describe('a county of the province', () => {
  it('makes Dianbai identical to the demo grid', async () => {
    const dianbai = province.counties.find((c) => c.code === DIANBAI_CODE)!
    expect(dianbai.cityCode).toBe('4409')
    const fromProvince = serializeGrid(generateGrid(await countySource(province, dianbai)))
    const demo = serializeGrid(generateGrid(await loadSource(DIANBAI_DIR)))
    expect(sha256(fromProvince)).toBe(sha256(demo))
  }, 120_000)

  it("makes another county's five levels from its divisions, below its own code", async () => {
    const county = province.counties.find((c) => c.code === '440104')!
    const grid = generateGrid(await countySource(province, county))
    const divisions = province.below.get(county.code)!
    expect(grid.cells.filter((c) => c.level === 2).map((c) => c.code)).toEqual(divisions.filter((d) => d.level === 2).map((d) => d.code))
    expect(grid.cells.filter((c) => c.level === 5)).toHaveLength(county.householdGroups)
    for (const cell of grid.cells) {
      expect(cell.code.startsWith(county.code)).toBe(true)
      expect(cell.code.length).toBe(codeLength(cell.level))
      if (cell.level > 1) expect(cell.parentCode).toBe(cell.code.slice(0, -3))
    }
  }, 120_000)
  // 麻章's source ring has a spike folding back along an edge, and once cleaned its parts touch
  // where a vertex of one lies on an edge of another: it used to be left out of the province. The
  // smallest of the 25 such counties; test/data/boundary.test.ts has each case on its own.
  it('makes a county whose source boundary spikes and touches itself, keeping its area', async () => {
    const code = '440811'
    const county = province.counties.find((c) => c.code === code)!
    const source = await countySource(province, county)
    const grid = generateGrid(source)
    expect(grid.cells.filter((c) => c.level === 5)).toHaveLength(county.householdGroups)
    const shoelace = (ring: number[][]) =>
      Math.abs(ring.reduce((sum, [x, y], i) => sum + x! * ring[(i + 1) % ring.length]![1]! - ring[(i + 1) % ring.length]![0]! * y!, 0)) / 2
    const geometry = source.boundaries.features.find((f) => String(f.properties?.code) === code)!.geometry
    const sourceParts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []
    const sourceArea = sourceParts.reduce((sum, polygon) => sum + shoelace(polygon[0]!), 0)
    const countyArea = grid.cells.find((c) => c.level === 1)!.geometry.coordinates.reduce((sum, polygon) => sum + shoelace(polygon[0]!), 0)
    expect(Math.abs(countyArea / sourceArea - 1)).toBeLessThan(0.01)
  }, 120_000)
})

describe('the province incidents', () => {
  let grid: GeneratedGrid
  let templates: IncidentTemplates
  beforeAll(async () => {
    grid = generateGrid(await countySource(province, province.counties.find((c) => c.code === '440104')!))
    const categories = await readCategories()
    const dianbai = generateGrid(await loadSource(DIANBAI_DIR))
    const history = generateHistory({ cells: dianbai.cells.filter((c) => c.level >= 2), categories, end: new Date('2026-12-01T00:00:00Z'), targetCount: 3000 })
    templates = prepareTemplates(history, new Map(categories.map((c) => [c.code, c.nameZh])))
  }, 120_000)

  it('are the same lines for the same input', () => {
    const first = sha256([...countyIncidentLines(grid, templates, 5000)].join(''))
    expect(sha256([...countyIncidentLines(grid, templates, 5000)].join(''))).toBe(first)
    expect(sha256([...countyIncidentLines(grid, templates, 5001)].join(''))).not.toBe(first)
  })

  it("lie in the county's household groups, in the 12 months, with the templates' mix", () => {
    const groups = new Set(grid.cells.filter((c) => c.level === 5).map((c) => c.code))
    const column = (name: (typeof PROVINCE_INCIDENT_COLUMNS)[number]) => PROVINCE_INCIDENT_COLUMNS.indexOf(name)
    const lines = [...countyIncidentLines(grid, templates, 20_000)]
    expect(lines).toHaveLength(20_000)
    const share = (values: string[], value: string) => values.filter((v) => v === value).length / values.length
    const rows = lines.map((line) => line.slice(0, -1).split('\t'))
    for (const row of rows) {
      expect(row).toHaveLength(PROVINCE_INCIDENT_COLUMNS.length)
      expect(groups.has(row[column('grid_code')]!)).toBe(true)
      expect(row[column('location')]).toMatch(/^SRID=4326;POINT\(1\d\d\.\d+ 2\d\.\d+\)$/)
      expect(Date.parse(row[column('reported_at')]!)).toBeLessThan(Date.parse('2026-12-01T00:00:00Z'))
      expect(Date.parse(row[column('reported_at')]!)).toBeGreaterThanOrEqual(Date.parse('2025-12-01T00:00:00Z') - 1_800_000)
    }
    const statuses = rows.map((r) => r[column('status')]!)
    expect(Math.abs(share(statuses, 'closed') - share(templates.status, 'closed'))).toBeLessThan(0.02)
    const severities = rows.map((r) => r[column('severity')]!)
    for (const s of ['1', '2', '3']) expect(Math.abs(share(severities, s) - share(templates.severity, s))).toBeLessThan(0.02)
  })

  it('shares the total out by household groups, exactly', () => {
    expect(incidentShares(10, [1, 1, 2])).toEqual([3, 2, 5])
    const shares = incidentShares(10_000_000, [8805, 4700, 12000])
    expect(shares.reduce((a, b) => a + b, 0)).toBe(10_000_000)
  })
})
