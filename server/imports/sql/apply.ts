/**
 * SQL of applying a checked grid as a new version (see apply.ts): the cells go to
 * grid_cell_version first, then the current grid (grid_cell) is brought to them in set-based
 * statements. Every value is bound; the cells arrive as one JSON parameter per batch.
 */
import type { Sql, TransactionSql } from 'postgres'

type Tx = TransactionSql<{}> | Sql<{}>

export interface VersionCellRow {
  code: string
  level: number
  name: string
  full_name: string
  parent_code: string | null
  geometry: string
}

export async function lockImports(tx: Tx): Promise<void> {
  await tx`select pg_advisory_xact_lock(${0x67726976})`
}

export async function currentCodesUnder(tx: Tx, patterns: string[]): Promise<{ code: string; full_name: string }[]> {
  return tx<{ code: string; full_name: string }[]>`select code, full_name from grid_cell where code like any(${patterns}::text[])`
}

export async function latestVersion(tx: Tx, roots: string[]): Promise<{ id: number; checksum: string } | undefined> {
  const [row] = await tx<{ id: number; checksum: string }[]>`
    select id, checksum from grid_version where root_codes = ${roots}::text[] order by id desc limit 1`
  return row
}

export async function anyVersionOver(tx: Tx, roots: string[]): Promise<boolean> {
  const [row] = await tx<{ found: boolean }[]>`select exists (select 1 from grid_version where root_codes && ${roots}::text[]) as found`
  return row!.found
}

/** Records the cells the import replaces as the version before it (the first import only). */
export async function snapshotCurrent(tx: Tx, roots: string[], codes: string[]): Promise<number> {
  const [version] = await tx<{ id: number }[]>`
    insert into grid_version (root_codes, effective_date, source, checksum, cells)
    values (${roots}::text[], null, 'the grid before the first import', 'before-import', ${codes.length}) returning id`
  await tx`
    insert into grid_cell_version (version, code, level, name, full_name, parent_code, households, population, geom, label_point)
    select ${version!.id}, code, level, name, full_name, parent_code, households, population, geom, label_point
      from grid_cell where code = any(${codes}::text[])`
  return version!.id
}

export async function insertVersion(tx: Tx, v: { roots: string[]; effective: string; source: string; checksum: string; cells: number }): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    insert into grid_version (root_codes, effective_date, source, checksum, cells)
    values (${v.roots}::text[], ${v.effective}::date, ${v.source}, ${v.checksum}, ${v.cells}) returning id`
  return row!.id
}

/** The new version's cells; households and population carry over from the current cell of the same code. */
export async function insertVersionCells(tx: Tx, version: number, rows: VersionCellRow[]): Promise<void> {
  await tx`
    insert into grid_cell_version (version, code, level, name, full_name, parent_code, households, population, geom, label_point)
    select ${version}, r.code, r.level, r.name, r.full_name, r.parent_code,
           coalesce(c.households, 0), coalesce(c.population, 0), g.geom, ST_PointOnSurface(g.geom)
      from json_to_recordset(${tx.json(rows as never)}::json) as r(code text, level smallint, name text, full_name text, parent_code text, geometry text)
      cross join lateral (select ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326) as raw) s
      cross join lateral (select case when ST_IsValid(s.raw) then ST_Multi(s.raw)
                                      else ST_Multi(ST_CollectionExtract(ST_MakeValid(s.raw), 3)) end as geom) g
      left join grid_cell c on c.code = r.code`
}

export interface RemovalUse {
  code: string
  incidents: number
  people: number
  party: number
  households: number
}

/** What refers to cells the new version no longer has. */
export async function usesOf(tx: Tx, codes: string[]): Promise<RemovalUse[]> {
  return tx<RemovalUse[]>`
    select c.code,
           (select count(*)::int from incident i where i.grid_code = c.code) as incidents,
           (select count(*)::int from grid_person p where p.cell_code = c.code) as people,
           (select count(*)::int from party_org o where o.cell_code = c.code) as party,
           (select count(*)::int from household h where h.cell_code = c.code) as households
      from unnest(${codes}::text[]) as c(code)`
}

/**
 * Open cases that a report at the same place would now put in another household group: the
 * new version's level-5 cell at the case's point (lowest code on a shared edge) is not its cell.
 */
export async function openCasesChangingCell(tx: Tx, version: number, patterns: string[]): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from incident i
     where i.status not in ('closed', 'dismissed') and i.grid_code like any(${patterns}::text[])
       and i.grid_code is distinct from (select v.code from grid_cell_version v
                                          where v.version = ${version} and v.level = 5 and ST_Covers(v.geom, i.location)
                                          order by v.code limit 1)`
  return row!.n
}

export async function removeCells(tx: Tx, codes: string[]): Promise<void> {
  await tx`delete from grid_incident_stats where code = any(${codes}::text[])`
  await tx`delete from grid_cell where code = any(${codes}::text[])`
}

/** Brings grid_cell to the version: new cells inserted, changed ones updated, parents first. */
export async function upsertCurrent(tx: Tx, version: number): Promise<void> {
  await tx`
    insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
    select code, level, name, full_name, parent_code, households, population, geom, label_point
      from grid_cell_version where version = ${version} order by level, code
    on conflict (code) do update set level = excluded.level, name = excluded.name, full_name = excluded.full_name,
      parent_code = excluded.parent_code, geom = excluded.geom, label_point = excluded.label_point
    where (grid_cell.level, grid_cell.name, grid_cell.full_name, grid_cell.parent_code) is distinct from
          (excluded.level, excluded.name, excluded.full_name, excluded.parent_code)
       or not ST_Equals(grid_cell.geom, excluded.geom)`
}

/** Tells every API process on this PostgreSQL, on commit, that the grid changed (they empty their tile caches). */
export async function announceGridChange(tx: Tx, channel: string): Promise<void> {
  await tx`select pg_notify(${channel}, 'grid-import')`
}
