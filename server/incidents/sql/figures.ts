/**
 * Roll-up figures over `incident i` as select-list columns, shared by the cell panel's roll-up,
 * the analyst's KPIs, the wall and grid_incident_stats, so "open" and "resolved in the grid"
 * mean the same everywhere.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import { caseIsOpen, caseIsOverdue } from './status.ts'

/** Columns `open` and `overdue` (overdue as of `asOf`, now() by default). */
export function openFigures(sql: SqlOrTx, asOf?: Fragment): Fragment {
  return sql`count(*) filter (where ${caseIsOpen(sql)}) as open,
             count(*) filter (where ${caseIsOverdue(sql, asOf)}) as overdue`
}

/**
 * Columns of the closed cases: "resolvedInGridRate" (handled at household or villager group
 * level ÷ closed), "resolvedInTownRate" (town level or below ÷ closed) and "meanHoursToClose".
 */
export function closedRateFigures(sql: SqlOrTx): Fragment {
  return sql`(count(*) filter (where i.status = 'closed' and i.handling_level >= 4))::float8 / nullif(count(*) filter (where i.status = 'closed'), 0) as "resolvedInGridRate",
             (count(*) filter (where i.status = 'closed' and i.handling_level >= 2))::float8 / nullif(count(*) filter (where i.status = 'closed'), 0) as "resolvedInTownRate",
             (avg(extract(epoch from i.closed_at - i.reported_at) / 3600) filter (where i.status = 'closed'))::float8 as "meanHoursToClose"`
}
