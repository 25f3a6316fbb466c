/**
 * The one SQL that counts an evaluation, keyed by the exact cell code the activity belongs to
 * (callers roll the rows up to any level: a row counts for every cell whose code prefixes its own).
 * - Cases reported in the period (incidentWhere with the viewer's scope and the period's bounds);
 *   what happened to each comes from its event log: registered (立案), first handled (处置反馈),
 *   reopened (核查驳回). The state is the case's state now; "overdue" is judged at the end of the
 *   period (or now, if sooner). Hours to close are summed so that roll-ups can average them.
 * - Patrols: per household group, the China Standard Time days with at least one plausible patrol
 *   position in it (patrol_position_visits).
 * - Notices sent in the period: per recipient's cell, recipients, acknowledged, acknowledged by
 *   the deadline, and the summed hours from sending to acknowledgement.
 * The grid passed is already narrowed to the viewer's scope.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'
import { incidentWhere, type ScopedIncidentFilter } from '../../incidents/sql/filter.ts'

export function activityByCell(sql: SqlOrTx, filter: ScopedIncidentFilter & { grid: string; from: string; to: string }): Fragment {
  const under = filter.grid + '%'
  return sql`
    with c as (
      select i.grid_code as code, i.category, i.status, i.handling_level, i.due_at,
        i.reported_at, i.closed_at, e.registered, e.first_handled, e.reopened
      from incident i
      cross join lateral (
        select coalesce(bool_or(ev.action = 'register'), false) as registered,
          min(ev.at) filter (where ev.action = 'finish') as first_handled,
          coalesce(bool_or(ev.action = 'reopen'), false) as reopened
        from incident_event ev where ev.incident_id = i.id
      ) e
      where ${incidentWhere(sql, filter)}
    ),
    cases as (
      select code,
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
        coalesce(sum(extract(epoch from closed_at - reported_at) / 3600) filter (where status = 'closed'), 0)::float8 as hours_to_close
      from c group by code
    ),
    patrols as (
      select grid_code as code, count(distinct (t at time zone 'Asia/Shanghai')::date)::int as patrol_days
      from patrol_position
      where flag is null and grid_code like ${under} and t >= ${filter.from}::timestamptz and t < ${filter.to}::timestamptz
      group by grid_code
    ),
    notices as (
      select r.cell_code as code, count(*)::int as notice_recipients,
        count(r.acked_at)::int as notice_acked,
        count(*) filter (where r.acked_at <= n.ack_deadline)::int as notice_acked_on_time,
        coalesce(sum(extract(epoch from r.acked_at - n.created_at) / 3600), 0)::float8 as ack_hours
      from notice_recipient r join notice n on n.id = r.notice_id
      where r.cell_code like ${under} and n.created_at >= ${filter.from}::timestamptz and n.created_at < ${filter.to}::timestamptz
      group by r.cell_code
    )
    select code,
      coalesce(cases.reports, 0) as reports, coalesce(cases.registered, 0) as registered, coalesce(cases.handled, 0) as handled, coalesce(cases.handled_on_time, 0) as handled_on_time, coalesce(cases.closed, 0) as closed, coalesce(cases.reopened, 0) as reopened, coalesce(cases.overdue, 0) as overdue, coalesce(cases.closed_in_grid, 0) as closed_in_grid, coalesce(cases.closed_in_town, 0) as closed_in_town, coalesce(cases.disputes, 0) as disputes, coalesce(cases.disputes_closed, 0) as disputes_closed,
      coalesce(cases.hours_to_close, 0) as hours_to_close, coalesce(patrols.patrol_days, 0) as patrol_days,
      coalesce(notices.notice_recipients, 0) as notice_recipients, coalesce(notices.notice_acked, 0) as notice_acked,
      coalesce(notices.notice_acked_on_time, 0) as notice_acked_on_time, coalesce(notices.ack_hours, 0) as ack_hours
    from cases full join patrols using (code) full join notices using (code)`
}
