/**
 * Writes new reports in groups (group commit). Reports that arrive while a write is in flight
 * wait for it and then go to the database together: one statement inserts all of them, their
 * `report` events (under the event ordering lock) and their NOTIFYs, as one transaction. Under
 * load this turns four round trips and two statements per report into one statement per group;
 * alone, a report is written at once (the group is just itself).
 *
 * Each report's household group is found once, in the insert, and a report is written only when
 * that cell lies in the reporter's scope. A report that inserted nothing either reused an
 * Idempotency-Key (answered as the first request's retry) or was refused (point outside the
 * reporter's scope, unknown category, point outside the grid: explained by
 * follow-up queries, never by an SQL error, which the embedded database handles badly).
 */
import type { Sql } from '../db/connect.ts'
import { householdGroupAt } from '../grids/sql/point-in-cell.ts'
import { log } from '../log.ts'
import { incidentColumns } from './sql/columns.ts'
import { EVENT_CHANNEL, eventOrderLock } from './sql/events.ts'
import type { IncidentView, NewIncident } from './types.ts'
import { initialLevel } from './workflow.ts'

export interface PendingReport {
  input: NewIncident
  actor: string
  /** The reporter's grid code prefix: a report whose cell lies outside it is not written. */
  scope: string
  idempotencyKey: string | null
  requestHash: string
}

/** What the database did with one report: its row as the API shows it (without actions) and its event id, or nothing. */
export type WriteOutcome = { row: Omit<IncidentView, 'allowedActions'>; eventId: number } | null

interface Queued extends PendingReport {
  resolve(outcome: WriteOutcome): void
  reject(error: unknown): void
}

/** Enough to amortise a round trip; small enough that one statement stays short. */
const MAX_GROUP = 100

export class ReportWriter {
  private queue: Queued[] = []
  private writing = false

  constructor(private readonly sql: Sql) {}

  /** Reports waiting for their group's statement (/metrics). */
  get depth(): number {
    return this.queue.length
  }

  write(report: PendingReport): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...report, resolve, reject })
      if (!this.writing) void this.drain()
    })
  }

  private async drain(): Promise<void> {
    this.writing = true
    // Let the reports parsed in this turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve))
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP)
      try {
        const outcomes = await this.insertGroup(group)
        group.forEach((report, i) => report.resolve(outcomes[i]!))
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error)
        else {
          // One bad report must not fail the others: write each alone.
          log.warn({ err: error, size: group.length }, 'group write failed; writing its reports one by one')
          for (const report of group) await this.insertGroup([report]).then(([o]) => report.resolve(o!), report.reject)
        }
      }
    }
    this.writing = false
  }

  private async insertGroup(group: PendingReport[]): Promise<WriteOutcome[]> {
    const { sql } = this
    const reports = group.map(
      (r, ordinal): ReportRow => ({
        ordinal,
        category: r.input.category,
        severity: r.input.severity,
        title: r.input.title,
        description: r.input.description ?? '',
        source: r.input.source ?? 'patrol',
        reporter: r.input.reporter ?? '',
        occurred_at: r.input.occurredAt ?? null,
        lon: r.input.location.lon,
        lat: r.input.location.lat,
        parties: r.input.parties ?? [],
        idempotency_key: r.idempotencyKey,
        request_hash: r.requestHash,
        level: initialLevel(r.input.severity),
        actor: r.actor,
        scope: r.scope,
      }),
    )
    const rows = await reportGroupInsert(sql, reports)
    const outcomes: WriteOutcome[] = group.map(() => null)
    for (const { ordinal, eventId, notified: _, ...row } of rows) {
      outcomes[ordinal] = { row, eventId }
    }
    return outcomes
  }
}

/** One report as the group insert reads it (from a jsonb recordset). */
export interface ReportRow {
  ordinal: number
  category: string
  severity: number
  title: string
  description: string
  source: string
  reporter: string
  occurred_at: string | null
  lon: number
  lat: number
  parties: unknown[]
  idempotency_key: string | null
  request_hash: string
  level: number
  actor: string
  scope: string
}

/**
 * The one statement that writes a group: incidents (each in its household group, only inside
 * its reporter's scope), their `report` events under the event-order lock, and their NOTIFYs.
 */
export function reportGroupInsert(sql: Sql, reports: ReportRow[]) {
  // Ids are drawn first so each inserted row can be matched back to its report; the event ids
  // are drawn after the ordering lock, so events commit in id order across processes.
  return sql<(Omit<IncidentView, 'allowedActions'> & { ordinal: number; eventId: number; notified: boolean })[]>`
    with report as (
           select r.*, nextval(pg_get_serial_sequence('incident', 'id')) as id, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) as point
           from jsonb_to_recordset(${sql.json(reports as never)}::jsonb) as r(
             ordinal int, category text, severity int, title text, description text, source text, reporter text,
             occurred_at timestamptz, lon float8, lat float8, parties jsonb, idempotency_key text, request_hash text,
             level int, actor text, scope text)),
         inserted as (
           insert into incident (id, category, severity, title, description, source, reporter, occurred_at, location, grid_code,
                                 handling_level, status, due_at, parties, idempotency_key, request_hash)
           overriding system value
           select r.id, r.category, r.severity, r.title, r.description, r.source, r.reporter, coalesce(r.occurred_at, now()),
                  r.point, cell.code, r.level, 'reported', now() + make_interval(hours => c.due_hours[r.severity]),
                  r.parties, r.idempotency_key, r.request_hash
           from report r
           join incident_category c on c.code = r.category and c.parent_code is not null
           cross join lateral ${householdGroupAt(sql, sql`r.point`)} cell
           where starts_with(cell.code, r.scope)
           order by r.ordinal
           on conflict (idempotency_key) do nothing
           returning *),
         ordered as (${eventOrderLock(sql)}),
         appended as (
           insert into incident_event (incident_id, actor, action, from_status, to_status, from_level, to_level)
           select i.id, r.actor, 'report', null, 'reported', null, i.handling_level
           from inserted i join report r on r.id = i.id, ordered
           order by i.id
           returning id, incident_id)
    select r.ordinal, e.id as "eventId", ${incidentColumns(sql)}, pg_notify(${EVENT_CHANNEL}, e.id::text) is null as notified
    from inserted i join report r on r.id = i.id join appended e on e.incident_id = i.id`
}
