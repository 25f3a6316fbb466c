/**
 * SQL of the base-data import. The checked rows go to a temporary table of the transaction (one
 * JSON parameter per batch), the checks that need the database run over it set-based (cells of
 * the current grid, house points in their cell, building outlines, households of people), and
 * applying is an update of the rows whose values differ and an insert of the new ones, so
 * importing the same file again changes nothing. Every value is bound.
 */
import type { Sql, TransactionSql } from 'postgres'
import type { BaseDataKind } from '../kinds.ts'

type Tx = TransactionSql<{}> | Sql<{}>

/** Metres a house point may lie outside its cell (digitising along the cell's edge). */
export const OUTSIDE_CELL_TOLERANCE_M = 30

export interface DbProblem {
  row: number
  column: string
  kind: 'cell-unknown' | 'outside-cell' | 'building-invalid' | 'household-unknown' | 'household-conflict'
}

export interface Counts {
  added: number
  changed: number
}

export async function lockBaseData(tx: Tx): Promise<void> {
  await tx`select pg_advisory_xact_lock(${0x62617365})`
}

export async function createRowTable(tx: Tx, kind: BaseDataKind): Promise<void> {
  if (kind === 'households')
    await tx`create temp table import_row (row int primary key, code text, cell text, address text, lon float8, lat float8, building text, target bigint) on commit drop`
  else if (kind === 'people')
    await tx`create temp table import_row (row int primary key, kind text, household text, cell text, address text, name text, id_number text, phone text,
                                           household_id bigint) on commit drop`
  else if (kind === 'workers')
    await tx`create temp table import_row (row int primary key, cell text, role text, name text, phone text, target int) on commit drop`
  else await tx`create temp table import_row (row int primary key, cell text, kind text, name text) on commit drop`
}

export async function loadRows(tx: Tx, kind: BaseDataKind, rows: object[]): Promise<void> {
  const json = tx.json(rows as never)
  if (kind === 'households')
    await tx`insert into import_row (row, code, cell, address, lon, lat, building)
             select * from json_to_recordset(${json}::json) as r(row int, code text, cell text, address text, lon float8, lat float8, building text)`
  else if (kind === 'people')
    await tx`insert into import_row (row, kind, household, cell, address, name, id_number, phone)
             select * from json_to_recordset(${json}::json) as r(row int, kind text, household text, cell text, address text, name text, "idNumber" text, phone text)`
  else if (kind === 'workers')
    await tx`insert into import_row (row, cell, role, name, phone)
             select * from json_to_recordset(${json}::json) as r(row int, cell text, role text, name text, phone text)`
  else
    await tx`insert into import_row (row, cell, kind, name)
             select * from json_to_recordset(${json}::json) as r(row int, cell text, kind text, name text)`
}

/** Problems only the database can find, by row. */
export async function findDbProblems(tx: Tx, kind: BaseDataKind): Promise<DbProblem[]> {
  await tx`analyze import_row`
  const unknownCells = await tx<DbProblem[]>`
    select r.row, 'cell' as column, 'cell-unknown' as kind from import_row r
     where r.cell is not null and not exists (select 1 from grid_cell c where c.code = r.cell)`
  if (kind === 'households') {
    await tx`update import_row r set target = coalesce(
               (select h.id from household h where h.code = r.code),
               (select h.id from household h where h.cell_code = r.cell and h.address = r.address and (h.code is null or r.code is null)))`
    const rest = await tx<DbProblem[]>`
      select r.row, 'lon' as column, 'outside-cell' as kind
        from import_row r join grid_cell c on c.code = r.cell
       where not ST_Covers(c.geom, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))
         and not ST_DWithin(c.geom::geography, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)::geography, ${OUTSIDE_CELL_TOLERANCE_M})
      union all
      select r.row, 'building', 'building-invalid' from import_row r where r.building is not null and try_multipolygon(r.building) is null
      union all
      select r.row, 'address', 'household-conflict'
        from import_row r join household h on h.cell_code = r.cell and h.address = r.address
       where h.id is distinct from r.target`
    return [...unknownCells, ...rest]
  }
  if (kind === 'people') {
    await tx`update import_row r set household_id = h.id from household h where r.household is not null and h.code = r.household`
    await tx`update import_row r set household_id = h.id from household h
              where r.household is null and h.cell_code = r.cell and h.address = r.address`
    const rest = await tx<DbProblem[]>`
      select r.row, case when r.household is null then 'address' else 'household' end as column, 'household-unknown' as kind
        from import_row r where r.household_id is null
         and not (r.household is null and not exists (select 1 from grid_cell c where c.code = r.cell))`
    return [...unknownCells, ...rest]
  }
  if (kind === 'workers')
    await tx`update import_row r set target = (select min(p.id) from grid_person p where p.cell_code = r.cell and p.role = r.role and p.phone = r.phone)`
  return unknownCells
}

/** Writes the rows: changed ones updated, new ones added, equal ones left alone. */
export async function applyRows(tx: Tx, kind: BaseDataKind): Promise<Counts> {
  if (kind === 'households') {
    const changed = await tx`
      update household h
         set code = coalesce(r.code, h.code), cell_code = r.cell, address = r.address,
             location = ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), building = try_multipolygon(r.building)
        from import_row r
       where r.target = h.id
         and (h.code is distinct from coalesce(r.code, h.code) or h.cell_code <> r.cell or h.address <> r.address
              or not ST_Equals(h.location, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))
              or (h.building is null) <> (r.building is null)
              or (h.building is not null and not ST_Equals(h.building, try_multipolygon(r.building))))`
    const added = await tx`
      insert into household (code, cell_code, address, location, building)
      select r.code, r.cell, r.address, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), try_multipolygon(r.building)
        from import_row r where r.target is null order by r.row`
    return { added: added.count, changed: changed.count }
  }
  if (kind === 'people') {
    const [row] = await tx<{ added: number; changed: number }[]>`
      with written as (
      insert into resident as p (id_number, household_id, kind, full_name, phone)
      select r.id_number, r.household_id, r.kind, r.name, r.phone from import_row r order by r.row
      on conflict (id_number) do update
         set household_id = excluded.household_id, kind = excluded.kind, full_name = excluded.full_name, phone = excluded.phone
       where (p.household_id, p.kind, p.full_name, p.phone) is distinct from (excluded.household_id, excluded.kind, excluded.full_name, excluded.phone)
      returning (xmax = 0) as added)
      select count(*) filter (where added)::int as added, count(*) filter (where not added)::int as changed from written`
    return row!
  }
  if (kind === 'workers') {
    const changed = await tx`
      update grid_person p set full_name = r.name from import_row r where r.target = p.id and p.full_name <> r.name`
    const added = await tx`
      insert into grid_person (cell_code, role, full_name, phone) select r.cell, r.role, r.name, r.phone from import_row r where r.target is null order by r.row`
    return { added: added.count, changed: changed.count }
  }
  const added = await tx`
    insert into party_org (cell_code, kind, name)
    select r.cell, r.kind, r.name from import_row r
     where not exists (select 1 from party_org o where o.cell_code = r.cell and o.kind = r.kind and o.name = r.name)
     order by r.row`
  return { added: added.count, changed: 0 }
}

/**
 * The level-5 cells whose register changes with these rows: where the rows put households (or
 * people's households), and where those households and people were before. Read before applying.
 */
export async function cellsTouched(tx: Tx, kind: 'households' | 'people'): Promise<string[]> {
  const rows =
    kind === 'households'
      ? await tx<{ code: string }[]>`
          select r.cell as code from import_row r where r.cell is not null
          union select h.cell_code from household h join import_row r on r.target = h.id`
      : await tx<{ code: string }[]>`
          select h.cell_code as code from import_row r join household h on h.id = r.household_id
          union select h.cell_code from resident p join import_row r on r.id_number = p.id_number join household h on h.id = p.household_id`
  return rows.map((r) => r.code)
}

/**
 * Households and population of the touched household groups counted from the register (it replaces
 * the estimate the grid came with), then their villager groups, villages, towns and the county
 * re-summed from their children, so every level's figure adds up. Returns the cells that changed.
 */
export async function refreshRegisterFigures(tx: Tx, cells: string[]): Promise<number> {
  const changed = await tx`
    with counted as (
      select g.code, count(distinct h.id)::int as households, count(p.id)::int as population
        from grid_cell g left join household h on h.cell_code = g.code left join resident p on p.household_id = h.id
       where g.code = any(${cells}::text[]) and g.level = 5
       group by g.code)
    update grid_cell g set households = c.households, population = c.population
      from counted c
     where g.code = c.code and (g.households, g.population) is distinct from (c.households, c.population)`
  let total = changed.count
  let level = await tx<{ code: string }[]>`select distinct parent_code as code from grid_cell where code = any(${cells}::text[]) and level = 5`
  while (level.length > 0) {
    const parents = level.map((r) => r.code)
    const summed = await tx`
      with sums as (
        select parent_code as code, sum(households)::int as households, sum(population)::int as population
          from grid_cell where parent_code = any(${parents}::text[]) group by parent_code)
      update grid_cell g set households = s.households, population = s.population
        from sums s
       where g.code = s.code and (g.households, g.population) is distinct from (s.households, s.population)`
    total += summed.count
    level = await tx<{ code: string }[]>`select distinct parent_code as code from grid_cell where code = any(${parents}::text[]) and parent_code is not null`
  }
  return total
}

/** Tells every API process on this PostgreSQL, on commit, that cell figures changed (they empty their tile caches). */
export async function announceFigures(tx: Tx, channel: string): Promise<void> {
  await tx`select pg_notify(${channel}, 'base-data')`
}
