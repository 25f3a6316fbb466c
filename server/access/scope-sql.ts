/**
 * Scope in SQL that is not an incident filter (for those, incidentWhere + scopeFilter):
 *
 * - `scopedStatsCode(sql, scope)`: the grid_incident_stats row a cell `c` may show to a viewer
 *   of `scope`. Join `grid_cell c left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, scope)}`:
 *   a cell inside the scope shows its own figures, an ancestor of the scope the scope's figures
 *   (the only incidents under it the viewer may count), any other cell none (null → 0).
 * - `assertReportInScope(sql, scope, point)`: a report must fall in a cell of the reporter's
 *   scope (403 naming the field otherwise), chosen as createIncident chooses its cell.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { levelOfCode } from './roles.ts'

export function scopedStatsCode(sql: Sql, scope: string) {
  return sql`(case when starts_with(c.code, ${scope}::text) then c.code when starts_with(${scope}::text, c.code) then ${scope}::text end)`
}

export async function assertReportInScope(sql: Sql, scope: string, point: { lon: number; lat: number }): Promise<void> {
  // A district-wide scope holds every cell (one district per database): nothing to check.
  if (levelOfCode(scope) === 1) return
  const [cell] = await sql<{ code: string }[]>`
    select code from grid_cell
    where level = 5 and ST_Covers(geom, ST_SetSRID(ST_MakePoint(${point.lon}::float8, ${point.lat}::float8), 4326))
    order by code limit 1`
  // Outside every cell: createIncident refuses it with 422, as for anyone.
  if (cell && !cell.code.startsWith(scope)) {
    throw new HttpProblem(403, 'Location outside your grid', `The point (field location) lies in grid ${cell.code}, outside your area (grid ${scope}); report it to the grid it belongs to.`, [
      { name: 'location', reason: `Expected a point inside grid ${scope}.` },
    ])
  }
}
