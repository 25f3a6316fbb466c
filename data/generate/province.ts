/**
 * A province as the generator sees it: the division list of data/guangdong (province, cities,
 * counties, towns, villages) and one boundary file per county. Each county becomes a GridSource of
 * its own, so the county generator (generateGrid) makes its five levels as it makes Dianbai's; a
 * county that has a folder of its own (data/dianbai, with its published figures and town anchors)
 * is read from that folder, so its grid is the demo's byte for byte. Towns without villages in the
 * division list are left out (the generator needs at least one village per town); counties without
 * a boundary are listed and left out. Reading the files is the only I/O.
 */
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { FeatureCollection } from 'geojson'
import { resolveFigures } from './allocate.ts'
import { loadSource, parseCsv } from './source.ts'
import type { GridSource, SourceDivision } from './types.ts'

export interface ProvinceCounty {
  code: string
  name: string
  cityCode: string
  /** Household groups the generator will make (the county's figure, or the typical ratio). */
  householdGroups: number
}

export interface ProvinceSource {
  province: { code: string; name: string }
  cities: { code: string; name: string }[]
  /** Counties with a boundary, by code; `left` those without one. */
  counties: ProvinceCounty[]
  left: { code: string; name: string; why: string }[]
  /** Towns and villages below each county (levels 2 and 3), towns with villages only. */
  below: Map<string, SourceDivision[]>
  boundaryDir: string
  /** Counties read from a folder of their own (data/dianbai): code → folder. */
  countyFolders: Map<string, string>
}

/** Reads a province folder (`*divisions.csv` with levels -1…3, `counties/<code>.geojson`). */
export async function loadProvince(dir: string, countyFolders = new Map<string, string>()): Promise<ProvinceSource> {
  const files = await readdir(dir)
  const list = files.filter((f) => f.endsWith('divisions.csv'))
  if (list.length !== 1) throw new Error(`${dir}: expected exactly one *divisions.csv, found ${list.length}`)
  const rows = parseCsv(await readFile(join(dir, list[0]!), 'utf8')).map(
    (r): SourceDivision => ({ level: Number(r.level), code: r.code!, name: r.name!, parentCode: r.parent_code || null }),
  )
  const provinces = rows.filter((r) => r.level === -1)
  if (provinces.length !== 1) throw new Error(`${dir}: expected one province row (level -1), found ${provinces.length}`)
  const boundaryDir = join(dir, 'counties')
  const withBoundary = new Set((await readdir(boundaryDir)).filter((f) => f.endsWith('.geojson')).map((f) => f.slice(0, -'.geojson'.length)))
  const below = new Map<string, SourceDivision[]>()
  const villagesOf = new Map<string, SourceDivision[]>()
  for (const r of rows) if (r.level === 3) villagesOf.set(r.parentCode!, [...(villagesOf.get(r.parentCode!) ?? []), r])
  for (const r of rows)
    if (r.level === 2 && villagesOf.has(r.code)) below.set(r.parentCode!, [...(below.get(r.parentCode!) ?? []), r, ...villagesOf.get(r.code)!])
  const counties: ProvinceCounty[] = []
  const left: ProvinceSource['left'] = []
  for (const r of rows.filter((x) => x.level === 1)) {
    const divisions = below.get(r.code) ?? []
    if (!withBoundary.has(r.code) && !countyFolders.has(r.code)) left.push({ code: r.code, name: r.name, why: 'no boundary' })
    else if (divisions.length === 0) left.push({ code: r.code, name: r.name, why: 'no towns with villages' })
    else
      counties.push({
        code: r.code,
        name: r.name,
        cityCode: r.parentCode!,
        householdGroups: resolveFigures(undefined, divisions.filter((d) => d.level === 3).length).householdGroups,
      })
  }
  return {
    province: { code: provinces[0]!.code, name: provinces[0]!.name },
    cities: rows.filter((r) => r.level === 0).map((r) => ({ code: r.code, name: r.name })),
    counties,
    left,
    below,
    boundaryDir,
    countyFolders,
  }
}

/** One county's source for generateGrid: its own folder when it has one, else the province's files. */
export async function countySource(province: ProvinceSource, county: ProvinceCounty): Promise<GridSource> {
  const folder = province.countyFolders.get(county.code)
  if (folder) return loadSource(folder)
  const boundaries = JSON.parse(await readFile(join(province.boundaryDir, `${county.code}.geojson`), 'utf8')) as FeatureCollection
  const divisions: SourceDivision[] = [{ level: 1, code: county.code, name: county.name, parentCode: county.cityCode }, ...province.below.get(county.code)!]
  return { divisions, boundaries, anchors: new Map() }
}

/**
 * The counties to build: all of them, or the first `count` with the given codes first (`first`,
 * Dianbai for the demo's baseline), the rest in code order.
 */
export function chooseCounties(province: ProvinceSource, options: { count?: number; codes?: string[]; first?: string[] } = {}): ProvinceCounty[] {
  if (options.codes?.length) {
    const chosen = options.codes.map((code) => province.counties.find((c) => c.code === code))
    const missing = options.codes.filter((_, i) => !chosen[i])
    if (missing.length) throw new Error(`no county with a boundary has code ${missing.join(', ')}`)
    return chosen as ProvinceCounty[]
  }
  const first = (options.first ?? []).map((code) => province.counties.find((c) => c.code === code)).filter((c) => c !== undefined)
  const rest = province.counties.filter((c) => !first.includes(c))
  return [...first, ...rest].slice(0, options.count ?? province.counties.length)
}
