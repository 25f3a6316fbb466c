/**
 * Scope in SQL that is not an incident filter (for those, incidentWhere + scopeFilter):
 * `scopedStatsCode(sql, scope)`, the grid_incident_stats row a cell `c` may show to a viewer
 * of `scope`. Join `grid_cell c left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, scope)}`:
 * a cell inside the scope shows its own figures, an ancestor of the scope the scope's figures
 * (the only incidents under it the viewer may count), any other cell none (null → 0).
 * (A report's scope is checked where it is written: createIncident in server/incidents/service.ts.)
 */
import type { Sql } from '../db/connect.ts'

export function scopedStatsCode(sql: Sql, scope: string) {
  return sql`(case when starts_with(c.code, ${scope}::text) then c.code when starts_with(${scope}::text, c.code) then ${scope}::text end)`
}
