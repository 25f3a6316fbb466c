/**
 * The geometric checks of a grid import, done by PostGIS (the same SQL on PostgreSQL and on the
 * embedded PGlite): the cells go into a temporary table dropped at the end of the transaction, so
 * a check writes nothing. Sizes are in square metres on the ellipsoid (geography). A piece counts
 * only when it is wider than the tolerance: it must survive an inward buffer of `tolerance` metres,
 * so digitising noise along a shared boundary is not a problem while a real overlap is.
 */
import type { Sql, TransactionSql } from 'postgres'

export interface CheckCellRow {
  code: string
  level: number
  parent_code: string | null
  geometry: string
}

export interface GeometryProblemRow {
  code: string
  kind: 'invalid-geometry' | 'outside-parent' | 'overlap' | 'gap' | 'sliver'
  area_m2: number | null
  share: number | null
  other: string | null
  detail: string | null
  location: string
}

type Tx = TransactionSql<{}> | Sql<{}>

export async function createCheckTable(tx: Tx): Promise<void> {
  await tx`create temp table import_check (
    code text not null, level int not null, parent_code text, from_database boolean not null,
    valid boolean not null, reason text, invalid_at geometry(Point, 4326),
    geom geometry(MultiPolygon, 4326) not null
  ) on commit drop`
}

export async function insertCheckCells(tx: Tx, rows: CheckCellRow[]): Promise<void> {
  await tx`
    insert into import_check (code, level, parent_code, from_database, valid, reason, invalid_at, geom)
    select code, level, parent_code, false, ST_IsValid(raw), ST_IsValidReason(raw),
           ST_SetSRID((ST_IsValidDetail(raw)).location, 4326),
           case when ST_IsValid(raw) then ST_Multi(raw) else ST_Multi(ST_CollectionExtract(ST_MakeValid(raw), 3)) end
      from json_to_recordset(${tx.json(rows as never)}::json) as r(code text, level int, parent_code text, geometry text),
           lateral (select ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326) as raw) g`
}

/** Parents the file refers to but does not hold, taken from the current grid. */
export async function addDatabaseParents(tx: Tx, codes: string[]): Promise<string[]> {
  const rows = await tx<{ code: string }[]>`
    insert into import_check (code, level, parent_code, from_database, valid, reason, invalid_at, geom)
    select code, level, parent_code, true, true, null, null, geom from grid_cell where code = any(${codes}::text[])
    returning code`
  return rows.map((r) => r.code)
}

export async function indexCheckTable(tx: Tx): Promise<void> {
  await tx`create index on import_check using gist (geom)`
  await tx`create index on import_check (code)`
  await tx`create index on import_check (parent_code)`
  await tx`analyze import_check`
}

export async function invalidGeometries(tx: Tx): Promise<GeometryProblemRow[]> {
  return tx<GeometryProblemRow[]>`
    select code, 'invalid-geometry' as kind, null::float8 as area_m2, null::float8 as share, null as other,
           reason as detail, ST_AsGeoJSON(coalesce(invalid_at, ST_PointOnSurface(geom)), 9) as location
      from import_check where not valid and not from_database order by code`
}

export async function outsideParent(tx: Tx, toleranceM: number): Promise<GeometryProblemRow[]> {
  return tx<GeometryProblemRow[]>`
    select code, 'outside-parent' as kind, ST_Area(loc::geography) as area_m2, null::float8 as share, parent_code as other,
           null as detail, ST_AsGeoJSON(loc, 9) as location
      from (select c.code, c.parent_code, ST_Difference(c.geom, p.geom) as loc
              from import_check c join import_check p on p.code = c.parent_code
             where not c.from_database and not ST_CoveredBy(c.geom, p.geom)) d
     where not ST_IsEmpty(loc) and not ST_IsEmpty(ST_Buffer(loc::geography, ${-toleranceM}::float8)::geometry)
     order by code`
}

export async function overlaps(tx: Tx, toleranceM: number): Promise<GeometryProblemRow[]> {
  return tx<GeometryProblemRow[]>`
    select code, 'overlap' as kind, ST_Area(loc::geography) as area_m2, null::float8 as share, other,
           null as detail, ST_AsGeoJSON(ST_CollectionExtract(loc, 3), 9) as location
      from (select a.code, b.code as other, ST_Intersection(a.geom, b.geom) as loc
              from import_check a join import_check b
                on b.parent_code is not distinct from a.parent_code and a.code < b.code and a.geom && b.geom
             where not a.from_database and not b.from_database and ST_Relate(a.geom, b.geom, '2********')) d
     where not ST_IsEmpty(ST_CollectionExtract(loc, 3))
       and not ST_IsEmpty(ST_Buffer(ST_CollectionExtract(loc, 3)::geography, ${-toleranceM}::float8)::geometry)
     order by code, other`
}

export async function gaps(tx: Tx, toleranceM: number): Promise<GeometryProblemRow[]> {
  return tx<GeometryProblemRow[]>`
    select code, 'gap' as kind, ST_Area(loc::geography) as area_m2, ST_Area(loc::geography) / nullif(ST_Area(parent_geom::geography), 0) as share,
           null as other, null as detail, ST_AsGeoJSON(loc, 9) as location
      from (select p.code, p.geom as parent_geom, ST_Difference(p.geom, ST_Union(c.geom)) as loc
              from import_check p join import_check c on c.parent_code = p.code
             group by p.code, p.geom) d
     where not ST_IsEmpty(loc) and not ST_IsEmpty(ST_Buffer(loc::geography, ${-toleranceM}::float8)::geometry)
     order by code`
}

/** Polygon parts thinner than twice the tolerance everywhere (they vanish under the inward buffer). */
export async function slivers(tx: Tx, toleranceM: number): Promise<GeometryProblemRow[]> {
  return tx<GeometryProblemRow[]>`
    select code, 'sliver' as kind, ST_Area(loc::geography) as area_m2, null::float8 as share, null as other,
           null as detail, ST_AsGeoJSON(loc, 9) as location
      from (select code, (ST_Dump(geom)).geom as loc from import_check where not from_database) d
     where ST_IsEmpty(ST_Buffer(loc::geography, ${-toleranceM}::float8)::geometry)
     order by code`
}
