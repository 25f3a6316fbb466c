/**
 * Filtered incidents per grid cell of one level (0 cities, 1 counties, 2 towns … 5 household groups), with households
 * and the rate per 1,000 households, for the choropleth. Cells with no incident are included
 * (rate 0), so the map shows them as calm rather than missing.
 */
import type { Sql } from '../db/connect.ts'
import { checkIncidentFilter } from '../incidents/queries.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import type { IncidentFilter } from '../incidents/types.ts'
import { cellsInGrid } from './summary.ts'
import type { IncidentsByCell } from './types.ts'
import { codeLength } from '../grids/codes.ts'

export async function incidentsByCell(sql: Sql, f: IncidentFilter & { scope: string }, level: number): Promise<IncidentsByCell> {
  await checkIncidentFilter(sql, f)
  const cells = await sql<IncidentsByCell['cells']>`
    with counts as (
      select left(i.grid_code, ${codeLength(level)}) as code, count(*) as n from incident i where ${incidentWhere(sql, f)} group by 1)
    select c.code, c.name, coalesce(n.n, 0) as count, c.households,
           (coalesce(n.n, 0) * 1000.0 / nullif(c.households, 0))::float8 as "ratePer1000"
    from grid_cell c left join counts n on n.code = c.code
    where ${cellsInGrid(sql, level, f.grid)}
    order by c.code`
  return { level, cells: [...cells] }
}
