/**
 * Developer check, not part of the product: loads data/generated/grid.json (run `npm run
 * generate` first) into an embedded PGlite + PostGIS and reports how many geometries PostGIS
 * considers invalid (ST_IsValid, with the reason of the first few) and how well children cover
 * their parent by PostGIS's own area computations. Run: npx tsx data/generate/check-postgis.ts
 */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import type { GeneratedGrid } from './types.ts'

const file = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'generated', 'grid.json')
const grid = JSON.parse(await readFile(file, 'utf8')) as GeneratedGrid
const started = performance.now()
const db = await PGlite.create({ extensions: { postgis } })
await db.exec('create extension postgis')
await db.exec('create table g (code text primary key, parent text, level int, geom geometry)')
const rows = [
  ...grid.cells.map((c) => ({ code: c.code, parent: c.parentCode, level: c.level, geometry: JSON.stringify(c.geometry) })),
  ...grid.context.map((r) => ({ code: `context:${r.code}`, parent: null, level: 0, geometry: JSON.stringify(r.geometry) })),
]
for (let i = 0; i < rows.length; i += 1000)
  await db.query(
    `insert into g select code, parent, level, ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)
     from json_to_recordset($1::json) as r(code text, parent text, level int, geometry text)`,
    [JSON.stringify(rows.slice(i, i + 1000))],
  )
const invalid = await db.query<{ level: number; total: number; invalid: number }>(
  'select level, count(*)::int as total, count(*) filter (where not ST_IsValid(geom))::int as invalid from g group by level order by level',
)
console.log('level total invalid (level 0 = context regions)')
for (const r of invalid.rows) console.log(`${r.level} ${r.total} ${r.invalid}`)
const reasons = await db.query<{ code: string; reason: string }>('select code, ST_IsValidReason(geom) as reason from g where not ST_IsValid(geom) limit 5')
for (const r of reasons.rows) console.log(`  ${r.code}: ${r.reason}`)
// GEOS can throw on overlays of exactly coincident rings (ST_Difference(parent, union) does, for
// some start points); PGlite then silently returns no row, so gaps are measured through
// ST_Intersection and the number of parents answered is printed.
const coverage = await db.query<{ level: number; parents: number; worst_sum: number; worst_gap: number; worst_outside: number }>(`
  with kids as (
    select parent, sum(ST_Area(geom)) as area, ST_Union(geom) as geom from g where parent is not null group by parent),
  m as (
    select p.level, ST_Area(p.geom) as parent_area, k.area as kids_area, ST_Area(k.geom) as union_area,
           ST_Area(ST_Intersection(p.geom, k.geom)) as common from g p join kids k on k.parent = p.code)
  select level, count(*)::int as parents,
         max(abs(kids_area - parent_area) / parent_area) as worst_sum,
         max((parent_area - common) / parent_area) as worst_gap,
         max((union_area - common) / parent_area) as worst_outside
  from m group by level order by level`)
console.log('parent level, parents answered, worst |Σ children − parent|, worst parent ∖ ∪children, worst ∪children ∖ parent (relative to the parent area)')
for (const r of coverage.rows)
  console.log(`${r.level} ${r.parents} ${r.worst_sum.toExponential(2)} ${r.worst_gap.toExponential(2)} ${r.worst_outside.toExponential(2)}`)
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
await db.close()
