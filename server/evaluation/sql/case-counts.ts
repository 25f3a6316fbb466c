/**
 * The one SQL that counts an evaluation: the cases reported in the period (incidentWhere with the
 * viewer's scope and the period's bounds), grouped by the first `keyLength` characters of their
 * cell code (a cell at any level, or one household group = one grid worker). What happened to each
 * case comes from its event log: registered (立案), first handled (处置反馈), reopened (核查驳回).
 * The state is the case's state now; "overdue" is judged at the end of the period (or now, if sooner).
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import { incidentWhere, type ScopedIncidentFilter } from '../../incidents/sql/filter.ts'

export function caseCountsByKey(sql: SqlOrTx, filter: ScopedIncidentFilter & { from: string; to: string }, keyLength: number): Fragment {
  return sql`
    with c as (
      select left(i.grid_code, ${keyLength}) as key, i.category, i.status, i.handling_level, i.due_at,
        i.reported_at, i.closed_at, i.source, e.registered, e.first_handled, e.reopened
      from incident i
      cross join lateral (
        select coalesce(bool_or(ev.action = 'register'), false) as registered,
          min(ev.at) filter (where ev.action = 'finish') as first_handled,
          coalesce(bool_or(ev.action = 'reopen'), false) as reopened
        from incident_event ev where ev.incident_id = i.id
      ) e
      where ${incidentWhere(sql, filter)}
    )
    select key,
      count(*)::int as reports,
      count(*) filter (where registered)::int as registered,
      count(*) filter (where first_handled is not null)::int as handled,
      count(*) filter (where first_handled <= due_at)::int as handled_on_time,
      count(*) filter (where status = 'closed')::int as closed,
      count(*) filter (where reopened)::int as reopened,
      count(*) filter (where registered and due_at < least(now(), ${filter.to}::timestamptz)
        and (first_handled is null or first_handled > due_at))::int as overdue,
      count(*) filter (where status = 'closed' and handling_level >= 4)::int as closed_in_grid,
      count(*) filter (where status = 'closed' and handling_level >= 2)::int as closed_in_town,
      count(*) filter (where registered and split_part(category, '.', 1) = 'dispute')::int as disputes,
      count(*) filter (where status = 'closed' and split_part(category, '.', 1) = 'dispute')::int as disputes_closed,
      count(*) filter (where source = 'patrol')::int as patrol_reports,
      round((avg(extract(epoch from closed_at - reported_at) / 3600) filter (where status = 'closed'))::numeric, 2)::float8 as mean_hours_to_close
    from c group by key`
}
