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

/** Metres a house point may lie outside its reshaped cell before the household moves (as the base-data import allows). */
export const HOUSE_TOLERANCE_M = 30
/** A box certainly holding HOUSE_TOLERANCE_M around a point at any latitude of China (an index pre-filter). */
const HOUSE_TOLERANCE_DEGREES = 0.001

/**
 * Plans where households, grid staff and party organisations go, into a temporary table of the
 * transaction (read before anything changes): a household to the new version's cell that covers
 * its house point (else the nearest within HOUSE_TOLERANCE_M; none further away), when its cell is
 * removed or its point left its reshaped cell by more than HOUSE_TOLERANCE_M; grid staff and party organisations of a removed cell to the new
 * cell of the same level that takes most of its area (none when no new cell overlaps it).
 */
export async function planMoves(tx: Tx, version: number, removed: string[], patterns: string[]): Promise<void> {
  await tx`create temp table cell_move (kind text not null, id bigint not null, from_code text not null, to_code text) on commit drop`
  await tx`
    insert into cell_move (kind, id, from_code, to_code)
    select 'household', h.id, h.cell_code, t.code
      from household h join grid_cell old on old.code = h.cell_code
      left join grid_cell_version own on own.version = ${version} and own.code = h.cell_code
      left join lateral (
        select v.code from grid_cell_version v
         where v.version = ${version} and v.level = old.level and v.geom && ST_Expand(h.location, ${HOUSE_TOLERANCE_DEGREES})
           and ST_DWithin(v.geom::geography, h.location::geography, ${HOUSE_TOLERANCE_M})
         order by ST_Covers(v.geom, h.location) desc, v.geom <-> h.location, v.code limit 1) t on true
     where h.cell_code like any(${patterns}::text[])
       and (h.cell_code = any(${removed}::text[])
            or (own.code is not null and not ST_DWithin(own.geom::geography, h.location::geography, ${HOUSE_TOLERANCE_M})
                and t.code is not null and t.code <> h.cell_code))`
  for (const kind of ['person', 'party'] as const) {
    const table = tx(kind === 'person' ? 'grid_person' : 'party_org')
    await tx`
      insert into cell_move (kind, id, from_code, to_code)
      select ${kind}, r.id, r.cell_code, t.code
        from ${table} r join grid_cell old on old.code = r.cell_code
        left join lateral (
          select v.code from grid_cell_version v
           where v.version = ${version} and v.level = old.level and ST_Intersects(v.geom, old.geom)
             and ST_Area(ST_Intersection(v.geom, old.geom)) > 0
           order by ST_Area(ST_Intersection(v.geom, old.geom)) desc, v.code limit 1) t on true
       where r.cell_code = any(${removed}::text[])`
  }
}

export interface Moves {
  households: number
  /** Residents of the households that move. */
  residents: number
  staff: number
  party: number
}

export async function moveCounts(tx: Tx): Promise<Moves> {
  const [row] = await tx<Moves[]>`
    select count(*) filter (where kind = 'household' and to_code is not null)::int as households,
           (select count(*)::int from resident r join cell_move m on m.kind = 'household' and m.id = r.household_id and m.to_code is not null) as residents,
           count(*) filter (where kind = 'person' and to_code is not null)::int as staff,
           count(*) filter (where kind = 'party' and to_code is not null)::int as party
      from cell_move`
  return row!
}

/** A removed cell whose grid staff, party organisations or households no new cell takes in. */
export interface UnplacedCell {
  code: string
  people: number
  party: number
  households: number
}

export async function unplacedCells(tx: Tx): Promise<UnplacedCell[]> {
  return tx<UnplacedCell[]>`
    select from_code as code,
           count(*) filter (where kind = 'person')::int as people,
           count(*) filter (where kind = 'party')::int as party,
           count(*) filter (where kind = 'household')::int as households
      from cell_move where to_code is null group by from_code order by from_code`
}

/** Removed cells that cases keep as the cell they were reported in. */
export async function removedWithCases(tx: Tx, removed: string[]): Promise<number> {
  const [row] = await tx<{ n: number }[]>`select count(distinct grid_code)::int as n from incident where grid_code = any(${removed}::text[])`
  return row!.n
}

/** Moves what the plan places (the new cells are in grid_cell by now). */
export async function applyMoves(tx: Tx): Promise<void> {
  await tx`update household h set cell_code = m.to_code from cell_move m where m.kind = 'household' and m.id = h.id and m.to_code is not null`
  await tx`update grid_person p set cell_code = m.to_code from cell_move m where m.kind = 'person' and m.id = p.id and m.to_code is not null`
  await tx`update party_org o set cell_code = m.to_code from cell_move m where m.kind = 'party' and m.id = o.id and m.to_code is not null`
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
