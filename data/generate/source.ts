/**
 * Reads one county's source folder (data/dianbai, or another county's folder of the same shape):
 * the official division list `*divisions.csv` (level,code,name,parent_code), a boundary file
 * `*.geojson` holding the county and its neighbours (properties code, name), and two optional
 * hint files written for the synthetic demo: `town-anchors.csv` (code,lon,lat,note: approximate
 * town centres) and `grid-figures.csv` (key,value,note: county totals such as the number of
 * villager groups). Files are found by pattern, not by name, so nothing here knows which county
 * it is reading; the only I/O of the generator lives in this file.
 */
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { FeatureCollection } from 'geojson'
import type { GridFigures, GridSource, SourceDivision } from './types.ts'

export async function loadSource(dir: string): Promise<GridSource> {
  const files = (await readdir(dir)).sort()
  const one = (what: string, match: (name: string) => boolean) => {
    const found = files.filter(match)
    if (found.length !== 1) throw new Error(`${dir}: expected exactly one ${what}, found ${found.length} (${found.join(', ')})`)
    return join(dir, found[0]!)
  }
  const divisionsFile = one('division list (*divisions.csv)', (f) => f.endsWith('divisions.csv'))
  const boundaryFile = one('boundary file (*.geojson)', (f) => f.endsWith('.geojson'))
  const divisions = parseDivisions(await readFile(divisionsFile, 'utf8'), divisionsFile)
  const boundaries = JSON.parse(await readFile(boundaryFile, 'utf8')) as FeatureCollection
  if (boundaries.type !== 'FeatureCollection') throw new Error(`${boundaryFile}: not a GeoJSON FeatureCollection`)
  const anchors = files.includes('town-anchors.csv') ? parseAnchors(await readFile(join(dir, 'town-anchors.csv'), 'utf8')) : new Map<string, [number, number]>()
  const figures = files.includes('grid-figures.csv') ? parseFigures(await readFile(join(dir, 'grid-figures.csv'), 'utf8')) : {}
  return { divisions, boundaries, anchors, figures }
}

/** Minimal RFC 4180 reader (quoted fields may hold commas); returns rows as header-keyed records. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const src = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') (field += '"'), i++
      else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') row.push(field), (field = '')
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++
      row.push(field), rows.push(row), (row = []), (field = '')
    } else field += ch
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row)
  const [header, ...body] = rows.filter((r) => r.some((cell) => cell.trim() !== ''))
  if (!header) return []
  return body.map((r) => Object.fromEntries(header.map((key, i) => [key.trim(), (r[i] ?? '').trim()])))
}

function parseDivisions(text: string, file: string): SourceDivision[] {
  return parseCsv(text).map((r, i) => {
    const level = Number(r.level)
    if (!Number.isInteger(level) || !/^\d+$/.test(r.code ?? '') || !r.name) throw new Error(`${file}: bad row ${i + 2}`)
    return { level, code: r.code!, name: r.name, parentCode: r.parent_code ? r.parent_code : null }
  })
}

function parseAnchors(text: string): Map<string, [number, number]> {
  const anchors = new Map<string, [number, number]>()
  for (const r of parseCsv(text)) {
    const lon = Number(r.lon)
    const lat = Number(r.lat)
    if (!r.code || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error(`town-anchors.csv: bad row for ${r.code}`)
    anchors.set(r.code, [lon, lat])
  }
  return anchors
}

const FIGURE_KEYS: Record<string, keyof GridFigures> = {
  villager_groups: 'villagerGroups',
  household_groups: 'householdGroups',
  village_party_committees: 'villagePartyCommittees',
  general_party_branches: 'generalPartyBranches',
  grid_party_branches: 'gridPartyBranches',
  party_groups: 'partyGroups',
}

function parseFigures(text: string): Partial<GridFigures> {
  const figures: Partial<GridFigures> = {}
  for (const r of parseCsv(text)) {
    const key = FIGURE_KEYS[r.key ?? '']
    const value = Number(r.value)
    if (!key || !Number.isInteger(value) || value < 0) throw new Error(`grid-figures.csv: bad row ${r.key}=${r.value}`)
    figures[key] = value
  }
  return figures
}
