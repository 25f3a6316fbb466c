/**
 * A second county for the import tests, built from plain numbers: 测试县 (code 445999), an L-shaped
 * county drawn in CGCS2000 / 3-degree Gauss-Kruger CM 114E (EPSG:4547) metres around 114°E 23°N, so
 * nothing in it resembles Dianbai. `problemCounty` carries one deliberate problem of every kind the
 * import checks; `correctCounty` is the same county drawn right. Files are written with GDAL's
 * ogr2ogr (a Shapefile with GBK attributes and a .cpg, a GeoPackage, FlatGeobuf, GeoJSON).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const COUNTY_EPSG = 4547
/** Origin of the fixture's local metres in EPSG:4547 (about 114.0°E, 23.0°N). */
export const ORIGIN: [number, number] = [500000, 2545000]

type Ring = [number, number][]
export interface FixtureCell {
  编码: string
  名称: string
  层级: number
  /** Polygons of rings, in local metres from ORIGIN. */
  parts: Ring[][]
}

const rect = (x0: number, y0: number, x1: number, y1: number): Ring[] => [
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ],
]
const cell = (编码: string, 名称: string, 层级: number, ...parts: Ring[][]): FixtureCell => ({ 编码, 名称, 层级, parts })

const COUNTY_L: Ring[] = [
  [
    [0, 0],
    [6000, 0],
    [6000, 2000],
    [4000, 2000],
    [4000, 4000],
    [0, 4000],
    [0, 0],
  ],
]

/** The county drawn right: towns tile the L, villages tile their towns. */
export function correctCounty(splitAt = 1000): FixtureCell[] {
  return [
    cell('445999', '测试县', 1, COUNTY_L),
    cell('445999001', '东岭镇', 2, rect(0, 0, 2000, 4000)),
    cell('445999002', '西江街道', 2, rect(2000, 0, 6000, 2000)),
    cell('445999003', '南山镇', 2, rect(2000, 2000, 4000, 4000)),
    cell('445999001001', '东岭村委会', 3, rect(0, 0, 2000, 2000)),
    cell('445999001002', '上岭村委会', 3, rect(0, 2000, 2000, 4000)),
    cell('445999002001', '江滨社区', 3, rect(2000, 0, 4000, 2000)),
    cell('445999002002', '江口社区', 3, rect(4000, 0, 6000, 2000)),
    cell('445999003001', '南山村委会', 3, rect(2000, 2000, 4000, 3000)),
    cell('445999003002', '北坡村委会', 3, rect(2000, 3000, 4000, 4000)),
    cell('445999001001001', '第一村民小组', 4, rect(0, 0, 2000, 2000)),
    cell('445999001001001001', '第一住户小组', 5, rect(0, 0, splitAt, 2000)),
    cell('445999001001001002', '第二住户小组', 5, rect(splitAt, 0, 2000, 2000)),
  ]
}

/** The correct county with the boundary between its two household groups moved 200 m east. */
export function movedCounty(): FixtureCell[] {
  return correctCounty(1200)
}

/** Where each deliberate problem is, in local metres: a point inside it, and its size in m². */
export const PROBLEMS = {
  gap: { code: '445999001', at: [1000, 3750] as [number, number], areaM2: 2000 * 500 - 1800 * 4 },
  overlap: { code: '445999002001', at: [3850, 1000] as [number, number], areaM2: 300 * 2000 },
  outsideParent: { code: '445999003002', at: [4100, 3500] as [number, number], areaM2: 200 * 1000 },
  invalid: { code: '445999003001', at: [3000, 2500] as [number, number] },
  sliver: { code: '445999001001', at: [1000, 3702] as [number, number], areaM2: 1800 * 4 },
  duplicate: { code: '445999002003' },
  parentMissing: { code: '445999009001' },
  levelMismatch: { code: '445999001003' },
}

/** The same county with one problem of every kind. */
export function problemCounty(): FixtureCell[] {
  const cells = correctCounty().filter((c) => c.层级 < 3)
  return [
    ...cells,
    // sliver: a 4 m wide strip as a second part of 东岭村委会, lying in the gap of its town.
    cell('445999001001', '东岭村委会', 3, rect(0, 0, 2000, 2000), rect(100, 3700, 1900, 3704)),
    // gap: 上岭村委会 stops 500 m short of its town's northern edge.
    cell('445999001002', '上岭村委会', 3, rect(0, 2000, 2000, 3500)),
    // overlap: 江口社区 reaches 300 m into 江滨社区.
    cell('445999002001', '江滨社区', 3, rect(2000, 0, 4000, 2000)),
    cell('445999002002', '江口社区', 3, rect(3700, 0, 6000, 2000)),
    // invalid geometry: a bow-tie crossing itself at (3000, 2500).
    cell('445999003001', '南山村委会', 3, [
      [
        [2000, 2000],
        [4000, 3000],
        [4000, 2000],
        [2000, 3000],
        [2000, 2000],
      ],
    ]),
    // outside its parent: 北坡村委会 reaches 200 m east of 南山镇.
    cell('445999003002', '北坡村委会', 3, rect(2000, 3000, 4200, 4000)),
    // code duplicate: two small cells with one code.
    cell('445999002003', '重复甲', 3, rect(2100, 100, 2200, 200)),
    cell('445999002003', '重复乙', 3, rect(2300, 100, 2400, 200)),
    // parent missing: town 445999009 does not exist.
    cell('445999009001', '无主村', 3, rect(100, 100, 200, 200)),
    // level mismatch: a village code given as level 4.
    cell('445999001003', '错级村', 4, rect(300, 300, 400, 400)),
  ]
}

/** GeoJSON in EPSG:4547 metres (with its crs member), as ogr2ogr takes it. */
export function fixtureGeoJson(cells: FixtureCell[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${COUNTY_EPSG}` } },
    features: cells.map(({ parts, ...properties }) => ({
      type: 'Feature',
      properties,
      geometry: { type: 'MultiPolygon', coordinates: parts.map((p) => p.map((r) => r.map(([x, y]) => [ORIGIN[0] + x, ORIGIN[1] + y]))) },
    })),
  })
}

export function hasOgr2ogr(): boolean {
  try {
    execFileSync('ogr2ogr', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface FixtureFiles {
  dir: string
  geojson: string
  /** The Shapefile with GBK attributes and a .cpg saying so. */
  shp: string
  gpkg: string
  fgb: string
}

/** Writes the cells in every format the import reads; the Shapefile's attributes are GBK. */
export function writeFixtureFiles(cells: FixtureCell[], name = 'county'): FixtureFiles {
  const dir = mkdtempSync(join(tmpdir(), 'gridscope-county-'))
  const geojson = join(dir, `${name}.geojson`)
  writeFileSync(geojson, fixtureGeoJson(cells))
  const ogr = (...args: string[]) => execFileSync('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'pipe'] })
  const shp = join(dir, `${name}.shp`)
  ogr('-f', 'ESRI Shapefile', '-lco', 'ENCODING=GBK', '-nlt', 'MULTIPOLYGON', shp, geojson)
  const gpkg = join(dir, `${name}.gpkg`)
  ogr('-f', 'GPKG', '-nln', name, gpkg, geojson)
  const fgb = join(dir, `${name}.fgb`)
  ogr('-f', 'FlatGeobuf', fgb, geojson)
  return { dir, geojson, shp, gpkg, fgb }
}
