/**
 * An incident as the API shows it, over `incident i`: people masked in SQL (the raw values never
 * reach Node), allowed actions added in code (withActions).
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import type { IncidentView } from '../types.ts'
import { allowedActions } from '../workflow.ts'
import { caseIsOverdue } from './status.ts'
import { maskedDescription, maskedTitle } from '../free-text-mask.ts'
import { assigneeColumn } from '../assignee.ts'

export function incidentColumns(sql: SqlOrTx): Fragment {
  return sql`
    i.id, i.category, i.severity, ${maskedTitle(sql)} as title, ${maskedDescription(sql)} as description, i.source,
    case when i.reporter = '' then '' else mask_name(i.reporter) end as reporter,
    i.occurred_at as "occurredAt", i.reported_at as "reportedAt",
    json_build_object('lon', ST_X(i.location), 'lat', ST_Y(i.location)) as location,
    i.grid_code as "gridCode", i.handling_level as "handlingLevel", i.status, i.due_at as "dueAt", i.closed_at as "closedAt",
    (${caseIsOverdue(sql)}) as overdue,
    coalesce((select json_agg(json_build_object(
        'name', mask_name(p->>'name'),
        'phone', case when p->>'phone' is null then null else mask_phone(p->>'phone') end,
        'idNumber', case when p->>'idNumber' is null then null else mask_id_number(p->>'idNumber') end))
      from jsonb_array_elements(i.parties) p), '[]'::json) as parties,
    ${assigneeColumn(sql)} as assignee, i.merged_into as "mergedInto"`
}

/** A row of incidentColumns with the actions its state allows. */
export function withActions<Row extends Omit<IncidentView, 'allowedActions'>>(row: Row): Row & Pick<IncidentView, 'allowedActions'> {
  return { ...row, allowedActions: allowedActions({ status: row.status, handlingLevel: row.handlingLevel }) }
}
