/**
 * The grid import's cost against the plainest way to put the same rows in the same table: the
 * whole current grid (exported as GeoJSON by the export route's own function) imported with every
 * step, reading, transforming, all checks in PostGIS, writing the version's cells, counting the
 * cases that would change cell (then rolled back, as without --yes) ÷ a COPY of the same rows into
 * grid_cell_version in one transaction, rolled back. Alternating rounds, median. PostgreSQL only:
 * PGlite cannot take COPY FROM STDIN.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../../server/db/connect.ts'
import { exportGeoJson } from '../../server/grids/versions.ts'
import { importGrid } from '../../server/imports/grid-import.ts'

const ROUNDS = 3

export interface ImportBench {
  cells: number
  status: number
  importMs: number[]
  copyMs: number[]
  stages: Record<string, number>
}

class Rollback extends Error {}

export async function benchImport(db: Database): Promise<ImportBench> {
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-import-bench-'))
  const file = join(dir, 'grid.geojson')
  await writeFile(file, await exportGeoJson(db.sql, {}))
  const rows = await db.sql<{ line: string }[]>`
    select concat_ws(E'\\t', code, level, replace(name, E'\\t', ' '), replace(full_name, E'\\t', ' '), coalesce(parent_code, '\\N'), households, population,
                     encode(ST_AsEWKB(geom), 'hex'), encode(ST_AsEWKB(label_point), 'hex')) as line
      from grid_cell order by level, code`
  const result: ImportBench = { cells: rows.length, status: -1, importMs: [], copyMs: [], stages: {} }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      let start = performance.now()
      let stageStart = start
      let stage = ''
      const outcome = await importGrid(
        db.sql,
        { files: [file], toleranceM: 5, dryRun: false, yes: false },
        () => {},
        (name) => {
          if (name === stage) return
          if (stage && round === ROUNDS - 1) result.stages[stage] = performance.now() - stageStart
          stage = name
          stageStart = performance.now()
        },
      )
      result.importMs.push(performance.now() - start)
      result.status = outcome.status
      start = performance.now()
      try {
        await db.sql.begin(async (tx) => {
          const [version] = await tx<{ id: number }[]>`
            insert into grid_version (root_codes, effective_date, source, checksum, cells) values ('{}', current_date, 'bench', 'bench', ${rows.length}) returning id`
          const copy =
            await tx`copy grid_cell_version (version, code, level, name, full_name, parent_code, households, population, geom, label_point) from stdin`.writable()
          const text = `${rows.map((r) => `${version!.id}\t${r.line}`).join('\n')}\n`
          await new Promise<void>((resolve, reject) => {
            copy.on('error', reject)
            copy.on('finish', resolve)
            copy.end(text)
          })
          throw new Rollback()
        })
      } catch (error) {
        if (!(error instanceof Rollback)) throw error
      }
      result.copyMs.push(performance.now() - start)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return result
}

export function describeImport(b: ImportBench): string[] {
  const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)]!
  const ratio = median(b.importMs) / median(b.copyMs)
  return [
    `  import of the whole grid (${b.cells.toLocaleString('en')} cells; status ${b.status}) ÷ COPY of the same rows: ${ratio.toFixed(1)} (${(median(b.importMs) / 1000).toFixed(1)} s ÷ ${(median(b.copyMs) / 1000).toFixed(2)} s, median of ${b.importMs.length})`,
    `  stages of the last round: ${Object.entries(b.stages)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
  ]
}
