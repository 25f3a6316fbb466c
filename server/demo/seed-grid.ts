/**
 * Seeds an empty database with the generated demo grid (data/generate) in one transaction, so
 * an interrupted first start leaves nothing half-written and the next start simply seeds again.
 */
import type { Sql } from '../db/connect.ts'
import { generateGrid, loadSource, type GeneratedGrid } from '../../data/generate/index.ts'

const BATCH_SIZE = 500

export type SeedProgress = (stage: string, done: number, total: number) => void

export async function isGridEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ empty: boolean }[]>`select not exists (select 1 from grid_cell) as empty`
  return row!.empty
}

export async function seedGrid(sql: Sql, sourceDir: string, progress: SeedProgress = () => {}): Promise<GeneratedGrid> {
  const source = await loadSource(sourceDir)
  const grid = generateGrid(source, (done, total, stage) => progress(`generate ${stage}`, done, total))
  await sql.begin(async (tx) => {
    // Parents before children: the foreign key on parent_code is checked row by row.
    const cells = [...grid.cells].sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : 1))
    const names = new Map(cells.map((cell) => [cell.code, cell.name]))
    const fullName = (code: string, level: number): string => (level <= 3 ? names.get(code)! : fullName(code.slice(0, -3), level - 1) + names.get(code)!)
    await insertBatches(
      cells,
      'insert cells',
      progress,
      (batch) => tx`
      insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
      select code, level, name, full_name, parent_code, households, population,
             ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)), ST_SetSRID(ST_MakePoint(lon, lat), 4326)
      from json_to_recordset(${tx.json(
        batch.map((cell) => ({
          code: cell.code,
          level: cell.level,
          name: cell.name,
          full_name: fullName(cell.code, cell.level),
          parent_code: cell.parentCode,
          households: cell.households,
          population: cell.population,
          geometry: JSON.stringify(cell.geometry),
          lon: cell.labelPoint[0],
          lat: cell.labelPoint[1],
        })) as never,
      )}::json) as r(code text, level smallint, name text, full_name text, parent_code text, households int,
                        population int, geometry text, lon float8, lat float8)`,
    )
    await insertBatches(
      grid.people,
      'insert people',
      progress,
      (batch) => tx`
      insert into grid_person (cell_code, role, full_name, phone)
      select cell_code, role, full_name, phone from json_to_recordset(${tx.json(
        batch.map((p) => ({
          cell_code: p.cellCode,
          role: p.role,
          full_name: p.fullName,
          phone: p.phone,
        })) as never,
      )}::json) as r(cell_code text, role text, full_name text, phone text)`,
    )
    await insertBatches(
      grid.partyOrgs,
      'insert party organisation',
      progress,
      (batch) => tx`
      insert into party_org (cell_code, kind, name)
      select cell_code, kind, name from json_to_recordset(${tx.json(
        batch.map((o) => ({
          cell_code: o.cellCode,
          kind: o.kind,
          name: o.name,
        })) as never,
      )}::json) as r(cell_code text, kind text, name text)`,
    )
    await insertBatches(
      grid.context,
      'insert context regions',
      progress,
      (batch) => tx`
      insert into context_region (code, name, geom)
      select code, name, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(geometry), 4326)), 3))
      from json_to_recordset(${tx.json(
        batch.map((r) => ({
          code: r.code,
          name: r.name,
          geometry: JSON.stringify(r.geometry),
        })) as never,
      )}::json) as r(code text, name text, geometry text)`,
    )
    await tx`analyze grid_cell`
  })
  return grid
}

async function insertBatches<T>(rows: T[], stage: string, progress: SeedProgress, insert: (batch: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    await insert(rows.slice(start, start + BATCH_SIZE))
    progress(stage, Math.min(start + BATCH_SIZE, rows.length), rows.length)
  }
}
