/**
 * Builds a synthetic province on a PostgreSQL database of its own (`npm run generate -- province`):
 * the province (level -1) and its cities (level 0) as grid cells, every county's five levels made
 * by the county generator (data/generate) from the real boundaries and division codes in
 * data/guangdong (Dianbai from data/dianbai, so it is the demo's grid byte for byte), the grid staff
 * and party organisation the generator makes, and `incidents` cases over the 12 months before
 * `end` with Dianbai's mix (province-incidents.ts), then the cells' figures (grid_incident_stats).
 *
 * One county at a time is generated and written, so memory stays that of one county. Rows go in by
 * COPY; the secondary indexes of the tables loaded are dropped first and built once at the end
 * (building an index once is several times faster than keeping it up to date row by row at ten
 * million rows). A county the generator cannot subdivide (a boundary its lattice rejects) is left
 * out and named in the log. The city and province geometries are the union of their counties',
 * without the sliver holes the counties' separately drawn outlines leave between them.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { GeneratedGrid, GridCell } from '../../data/generate/index.ts'
import { generateGrid } from '../../data/generate/index.ts'
import { chooseCounties, countySource, loadProvince, type ProvinceCounty } from '../../data/generate/province.ts'
import type { Sql } from '../db/connect.ts'
import type { Fragment, SqlOrTx } from '../db/fragment.ts'
import { readCategories } from '../incidents/categories.ts'
import { refreshIncidentStats } from '../incidents/stats.ts'
import { log } from '../log.ts'
import { generateHistory } from './history.ts'
import { copyText, countyIncidentLines, incidentShares, type IncidentTemplates, PROVINCE_INCIDENT_COLUMNS, prepareTemplates } from './province-incidents.ts'

export const DIANBAI_CODE = '440904'
/** Dianbai's demo history: the templates every province incident is drawn from. */
const TEMPLATE_COUNT = 40_000
const DAY_MS = 86_400_000
/** Tables whose secondary indexes are built after the load. */
const LOADED_TABLES = ['grid_cell', 'grid_person', 'party_org', 'incident']
/** Holes in a city's or the province's outline smaller than this are slivers between counties (withoutSlivers). */
const SLIVER_M2 = 10_000

export interface ProvinceOptions {
  provinceDir: string
  /** Counties read from a folder of their own, code → folder (Dianbai → data/dianbai). */
  countyFolders: Map<string, string>
  /** Build only the first `counties` (Dianbai first), or the counties with these codes. */
  counties?: number
  codes?: string[]
  incidents: number
  /** The incidents cover the 365 days before `end` (default: today's start, UTC). */
  end?: Date
  /** Dianbai history cases the incidents are drawn from (default 40,000, the demo's history). */
  templateCount?: number
}

export interface ProvinceCountyResult {
  code: string
  name: string
  cells: number
  people: number
  incidents: number
  ms: number
}

export interface ProvinceResult {
  counties: ProvinceCountyResult[]
  /** Counties left out, with why. */
  left: { code: string; name: string; why: string }[]
  cells: number
  people: number
  incidents: number
  end: string
  /** Milliseconds per stage. */
  stages: Record<string, number>
}

export type ProvinceProgress = (stage: string, done: number, total: number) => void

export function defaultEnd(now = new Date()): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS)
}

/** The Dianbai history the province's incidents are drawn from (deterministic for one `end`). */
export async function provinceTemplates(dianbai: GeneratedGrid, end: Date, count = TEMPLATE_COUNT): Promise<IncidentTemplates> {
  const categories = await readCategories()
  const history = generateHistory({ cells: dianbai.cells.filter((c) => c.level >= 2), categories, end, targetCount: count })
  return prepareTemplates(history, new Map(categories.map((c) => [c.code, c.nameZh])))
}

export async function buildProvince(sql: Sql, options: ProvinceOptions, progress: ProvinceProgress = () => {}): Promise<ProvinceResult> {
  const stages: Record<string, number> = {}
  const timed = async <T>(stage: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now()
    const result = await work()
    stages[stage] = Math.round(performance.now() - started)
    log.info({ stage, ms: stages[stage] }, `province: ${stage} done`)
    return result
  }
  const [state] = await sql<{ empty: boolean }[]>`select not exists (select from grid_cell) and not exists (select from incident) as empty`
  if (!state!.empty) throw new Error('the database already holds a grid or incidents: the province is built on an empty database of its own')
  const end = options.end ?? defaultEnd()
  const province = await loadProvince(options.provinceDir, options.countyFolders)
  const chosen = chooseCounties(province, { count: options.counties, codes: options.codes, first: [DIANBAI_CODE] })
  const left = [...province.left]
  const shares = incidentShares(
    options.incidents,
    chosen.map((c) => c.householdGroups),
  )
  log.info({ counties: chosen.length, incidents: options.incidents, end: end.toISOString(), left: left.length }, 'province: building')

  const templates = await timed('incident templates', async () => {
    const dianbai = chosen.find((c) => c.code === DIANBAI_CODE) ?? province.counties.find((c) => c.code === DIANBAI_CODE)
    if (!dianbai) throw new Error(`the province has no Dianbai (${DIANBAI_CODE}) to take the incident mix from`)
    return provinceTemplates(generateGrid(await countySource(province, dianbai)), end, options.templateCount)
  })

  const indexes = await timed('drop secondary indexes', () => dropSecondaryIndexes(sql, LOADED_TABLES))
  const cities = province.cities.filter((city) => chosen.some((c) => c.cityCode === city.code))
  await timed('province and city rows', async () => {
    const rows = [
      { code: province.province.code, level: -1, name: province.province.name, parent_code: null },
      ...cities.map((c) => ({ code: c.code, level: 0, name: c.name, parent_code: province.province.code })),
    ]
    // Geometry and figures follow once the counties are in (their union, their sums).
    await sql`
      insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
      select code, level, name, name, parent_code, 0, 0, 'SRID=4326;MULTIPOLYGON EMPTY', 'SRID=4326;POINT EMPTY'
      from jsonb_to_recordset(${sql.json(rows as never)}) as r(code text, level smallint, name text, parent_code text)`
  })

  const results: ProvinceCountyResult[] = []
  let carried = 0
  await timed('counties', async () => {
    for (const [k, county] of chosen.entries()) {
      const started = performance.now()
      let grid: GeneratedGrid
      try {
        grid = generateGrid(await countySource(province, county), (done, total, stage) => progress(`${county.code} ${county.name} ${stage}`, done, total))
      } catch (error) {
        const why = `the generator could not subdivide it: ${(error as Error).message}`
        left.push({ code: county.code, name: county.name, why })
        log.warn({ county: county.code, name: county.name, why }, 'province: county left out')
        // Its incidents go to the next county built, so the total stays as asked.
        carried += shares[k]!
        continue
      }
      const incidents = shares[k]! + carried
      carried = 0
      await writeCounty(sql, county, grid)
      await copyLines(sql, 'incident', PROVINCE_INCIDENT_COLUMNS, countyIncidentLines(grid, templates, incidents))
      const result = {
        code: county.code,
        name: county.name,
        cells: grid.cells.length,
        people: grid.people.length,
        incidents,
        ms: Math.round(performance.now() - started),
      }
      results.push(result)
      log.info(result, 'province: county written')
      progress('counties', k + 1, chosen.length)
    }
  })
  if (results.length === 0) throw new Error('no county could be built')

  await timed('city and province outlines', () =>
    sql.begin(async (tx) => {
      await tx`set local statement_timeout = 0`
      await writeUpperOutlines(tx)
    }),
  )
  await timed('build indexes', () => rebuildIndexes(sql, indexes, progress))
  await timed('analyze', async () => {
    for (const table of LOADED_TABLES) await sql`analyze ${sql(table)}`
  })
  await timed('incident figures', () =>
    sql.begin(async (tx) => {
      await tx`set local statement_timeout = 0`
      await refreshIncidentStats(tx as unknown as Sql)
    }),
  )
  return {
    counties: results,
    left,
    cells: results.reduce((a, r) => a + r.cells, 0) + 1 + cities.length,
    people: results.reduce((a, r) => a + r.people, 0),
    incidents: results.reduce((a, r) => a + r.incidents, 0),
    end: end.toISOString(),
    stages,
  }
}

/** The cities' and then the province's outlines and figures: the union of their counties', without slivers. */
export async function writeUpperOutlines(tx: SqlOrTx): Promise<void> {
  for (const level of [0, -1]) {
    const length = level === 0 ? 4 : 2
    await tx`
      update grid_cell p set geom = u.geom, label_point = ST_PointOnSurface(u.geom), households = u.households, population = u.population
      from (select k.code, ${withoutSlivers(tx, tx`k.geom`)} as geom, k.households, k.population
            from (select left(code, ${length}) as code, ST_CollectionExtract(ST_Union(geom), 3) as geom,
                         sum(households)::int as households, sum(population)::int as population
                  from grid_cell where level = 1 group by 1) k) u
      where p.code = u.code and p.level = ${level}`
  }
}

/**
 * A union of counties as a MultiPolygon without its holes under a hectare. The source draws each
 * county's outline on its own, so neighbours leave slivers between them that the union keeps as
 * holes: Guangdong's outline had 7,900 of them, all under 100 m², holding 35,000 of its 60,000
 * vertices, which every low-zoom tile then clipped. An enclave of another county is far larger
 * and stays.
 */
export function withoutSlivers(sql: SqlOrTx, union: Fragment) {
  return sql`(select ST_Multi(ST_Collect(ST_MakePolygon(ST_ExteriorRing(d.geom), array(
                select ST_InteriorRingN(d.geom, i) from generate_series(1, ST_NumInteriorRings(d.geom)) i
                where ST_Area(ST_MakePolygon(ST_InteriorRingN(d.geom, i))::geography) >= ${SLIVER_M2}::float8)) order by d.path))
              from ST_Dump(${union}) d)`
}

/** One county's cells (parents first), staff and party organisation, by COPY. */
async function writeCounty(sql: Sql, county: ProvinceCounty, grid: GeneratedGrid): Promise<void> {
  const names = new Map(grid.cells.map((cell) => [cell.code, cell.name]))
  const fullName = (code: string, level: number): string => (level <= 3 ? names.get(code)! : fullName(code.slice(0, -3), level - 1) + names.get(code)!)
  const cells = [...grid.cells].sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : 1))
  await copyLines(
    sql,
    'grid_cell',
    ['code', 'level', 'name', 'full_name', 'parent_code', 'households', 'population', 'geom', 'label_point'],
    cells.map(
      (c) =>
        `${c.code}\t${c.level}\t${copyText(c.name)}\t${copyText(fullName(c.code, c.level))}\t${c.level === 1 ? county.cityCode : c.parentCode}\t${c.households}\t${c.population}\t${multiPolygonEwkt(c)}\tSRID=4326;POINT(${c.labelPoint[0]} ${c.labelPoint[1]})\n`,
    ),
  )
  await copyLines(
    sql,
    'grid_person',
    ['cell_code', 'role', 'full_name', 'phone'],
    grid.people.map((p) => `${p.cellCode}\t${p.role}\t${copyText(p.fullName)}\t${p.phone}\n`),
  )
  await copyLines(
    sql,
    'party_org',
    ['cell_code', 'kind', 'name'],
    grid.partyOrgs.map((o) => `${o.cellCode}\t${o.kind}\t${copyText(o.name)}\n`),
  )
}

function multiPolygonEwkt(cell: GridCell): string {
  const ring = (r: number[][]) => `(${r.map(([x, y]) => `${x} ${y}`).join(',')})`
  return `SRID=4326;MULTIPOLYGON(${cell.geometry.coordinates.map((polygon) => `(${polygon.map(ring).join(',')})`).join(',')})`
}

/** COPY … FROM STDIN of text lines, sent in chunks of about a thousand lines. */
async function copyLines(sql: Sql, table: string, columns: readonly string[], lines: Iterable<string>): Promise<void> {
  const writable = await sql`copy ${sql(table)} (${sql(columns as string[])}) from stdin`.writable()
  function* chunks() {
    let chunk = ''
    let n = 0
    for (const line of lines) {
      chunk += line
      if (++n === 1000) {
        yield chunk
        ;(chunk = ''), (n = 0)
      }
    }
    if (chunk) yield chunk
  }
  await pipeline(Readable.from(chunks()), writable)
}

interface SavedIndex {
  name: string
  definition: string
}

/** Drops the indexes of `tables` that no constraint owns (kept: primary keys, unique keys), returning their definitions. */
async function dropSecondaryIndexes(sql: Sql, tables: string[]): Promise<SavedIndex[]> {
  const rows = await sql<{ name: string; definition: string }[]>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = any(${tables})
      and not exists (select from pg_constraint c where c.conname = i.indexname)
    order by i.tablename, i.indexname`
  for (const row of rows) await sql`drop index ${sql(row.name)}`
  return rows
}

async function rebuildIndexes(sql: Sql, indexes: SavedIndex[], progress: ProvinceProgress): Promise<void> {
  for (const [k, index] of indexes.entries()) {
    const started = performance.now()
    await sql.begin(async (tx) => {
      await tx`set local statement_timeout = 0`
      await tx`set local maintenance_work_mem = '512MB'`
      // The definition is the catalog's own (pg_indexes), read back above, not outside input.
      await tx.unsafe(index.definition)
    })
    log.info({ index: index.name, ms: Math.round(performance.now() - started) }, 'province: index built')
    progress('build indexes', k + 1, indexes.length)
  }
}
