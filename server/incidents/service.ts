/**
 * Incidents in the database (the write side): report, move through the workflow, escalate
 * overdue cases. Every change writes the incident row and its incident_event in one transaction.
 * Events are committed in id order (a transaction-scoped advisory lock around the event insert
 * and commit, sql/events.ts), so a reader that has seen event n has seen every event before n:
 * the live feed and its replay from Last-Event-ID rely on that. After commit the event id is
 * announced in-process (committed-events.ts) and, for other API processes on the same
 * PostgreSQL, by NOTIFY (payload: the id only). Reads back what it wrote through queries.ts.
 */
import { createHash } from 'node:crypto'
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import type { SqlOrTx } from '../db/fragment.ts'
import { HttpProblem } from '../http/problem.ts'
import { householdGroupAt, pointGeometry } from '../grids/sql/point-in-cell.ts'
import { resolveAssignee, type AssigneeChoice } from './assignee.ts'
import { announceEvent } from './committed-events.ts'
import { getIncident } from './queries.ts'
import { ReportWriter } from './report-writer.ts'
import { withActions } from './sql/columns.ts'
import { EVENT_CHANNEL, eventOrderLock } from './sql/events.ts'
import { incidentWhere } from './sql/filter.ts'
import type { IncidentView, NewIncident } from './types.ts'
import { allowedActions, nextState, type Action, type Status } from './workflow.ts'

export type Tx = postgres.TransactionSql<{}>

/**
 * Writes the event last in its transaction, holding the ordering lock until commit. One round
 * trip: the lock is taken by the row source of the insert, and NOTIFY is sent on commit.
 */
export async function appendEvent(
  tx: Tx,
  e: {
    incidentId: number
    actor: string
    action: string
    fromStatus: Status | null
    toStatus: Status
    fromLevel: number | null
    toLevel: number
    note?: string
  } & EventExtra,
): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    with ordered as (${eventOrderLock(tx)}),
         appended as (
           insert into incident_event (incident_id, actor, action, from_status, to_status, from_level, to_level, note,
                                       actor_user, assignee_person, assignee_department, related_incident)
           select ${e.incidentId}, ${e.actor}, ${e.action}, ${e.fromStatus}, ${e.toStatus}, ${e.fromLevel}, ${e.toLevel}, ${e.note ?? ''},
                  ${e.actorUser ?? null}, ${e.assigneePerson ?? null}, ${e.assigneeDepartment ?? null}, ${e.relatedIncident ?? null}
           from ordered
           returning id)
    select id, pg_notify(${EVENT_CHANNEL}, id::text) from appended`
  return row!.id
}

/** What an event records beyond the state change: the signed-in user, whom a dispatch chose, a merged case. */
export interface EventExtra {
  actorUser?: number | null
  assigneePerson?: number | null
  assigneeDepartment?: number | null
  relatedIncident?: number | null
}

/** A stable fingerprint of a request body, to tell a retry from a different request with the same key. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex')
}

export interface CreateOptions {
  actor: string
  /** The reporter's grid code prefix: a point in a cell outside it is refused (403 naming location). */
  scope: string
  idempotencyKey?: string
}

export async function createIncident(sql: Sql, input: NewIncident, options: CreateOptions): Promise<{ incident: IncidentView; created: boolean }> {
  const hash = requestHash(input)
  const replay = async (): Promise<{ incident: IncidentView; created: boolean } | null> => {
    if (!options.idempotencyKey) return null
    const [previous] = await sql<{ id: number; request_hash: string }[]>`
      select id, request_hash from incident where idempotency_key = ${options.idempotencyKey}`
    if (!previous) return null
    if (previous.request_hash !== hash) {
      throw new HttpProblem(
        422,
        'Idempotency key reused',
        'This Idempotency-Key was already used with a different request body; use a new key for a new report.',
        [{ name: 'Idempotency-Key', reason: 'Expected the same body as the first request with this key.' }],
      )
    }
    return { incident: (await getIncident(sql, previous.id, options.scope))!, created: false }
  }
  // No lookup before the insert: the writer finds the point's cell once, in the insert, and
  // writes only inside the reporter's scope; a reused key shows up as the insert's conflict. Only
  // when nothing was written is the cause looked up (the common case, a new report, costs no
  // extra round trip).
  const outcome = await writerFor(sql).write({
    input,
    actor: options.actor,
    scope: options.scope,
    idempotencyKey: options.idempotencyKey ?? null,
    requestHash: hash,
  })
  if (outcome) {
    announceEvent(outcome.eventId)
    return { incident: withActions(outcome.row), created: true }
  }
  const [{ cell }] = await sql<[{ cell: string | null }]>`select ${householdGroupAt(sql, pointGeometry(sql, input.location))} as cell`
  if (cell && !cell.startsWith(options.scope)) refuseOutsideScope(cell, options.scope)
  const replayed = await replay()
  if (replayed) return replayed
  await explainRefusal(sql, input, cell)
  // Unreachable unless the refusal's cause went away in between (a key's first request rolled
  // back): answer as a conflict the client may retry.
  throw new HttpProblem(409, 'Report not stored', 'The report could not be stored just now; retry it with the same Idempotency-Key.')
}

/** One writer per database client, so concurrent reports through it share statements. */
const writers = new WeakMap<Sql, ReportWriter>()
function writerFor(sql: Sql): ReportWriter {
  let writer = writers.get(sql)
  if (!writer) writers.set(sql, (writer = new ReportWriter(sql)))
  return writer
}

/** Reports waiting in the writer of this database client (/metrics). */
export function reportQueueDepth(sql: Sql): number {
  return writers.get(sql)?.depth ?? 0
}

/** A report must fall in a cell of the reporter's scope. */
function refuseOutsideScope(cell: string, scope: string): never {
  throw new HttpProblem(
    403,
    'Location outside your grid',
    `The point (field location) lies in grid ${cell}, outside your area (grid ${scope}); report it to the grid it belongs to.`,
    [{ name: 'location', reason: `Expected a point inside grid ${scope}.` }],
  )
}

/** Why a report inserted nothing: an unknown category or a point outside the grid (`cell` null) (422s). */
async function explainRefusal(sql: SqlOrTx, input: NewIncident, cell: string | null): Promise<void> {
  const [known] = await sql`select 1 from incident_category where code = ${input.category} and parent_code is not null`
  if (!known) {
    throw new HttpProblem(422, 'Unknown category', `No incident subcategory has the code ${input.category} (field category); see GET /api/categories.`, [
      { name: 'category', reason: 'Expected a subcategory code from GET /api/categories.' },
    ])
  }
  if (!cell) {
    throw new HttpProblem(
      422,
      'Location outside the grid',
      `The point lon=${input.location.lon}, lat=${input.location.lat} (field location) lies outside every grid cell of the district.`,
      [{ name: 'location', reason: 'Expected a point inside the district.' }],
    )
  }
}

/**
 * `scope`: the actor's grid code prefix; a case outside it is answered as not found. A dispatch
 * goes to `assignee` when given (checked against the candidates, as a person's dispatch is), else
 * to the handling cell's own grid person.
 */
export async function applyTransition(
  sql: Sql,
  id: number,
  input: { action: Action; note?: string; assignee?: AssigneeChoice },
  actor: string,
  scope: string,
): Promise<IncidentView> {
  const eventId = await sql.begin(async (tx) => {
    const [current] = await tx<{ status: Status; handling_level: number; severity: number; due_hours: number[]; grid_code: string; category: string }[]>`
      select i.status, i.handling_level, i.severity, c.due_hours, i.grid_code, i.category
      from incident i join incident_category c on c.code = i.category
      where i.id = ${id} and ${incidentWhere(tx, { scope })} for update of i`
    if (!current) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
    const extra: EventExtra =
      input.action === 'dispatch' && current.status === 'registered'
        ? await resolveAssignee(tx, input.assignee, { gridCode: current.grid_code, level: current.handling_level, category: current.category })
        : {}
    return transitionLocked(
      tx,
      id,
      { status: current.status, handlingLevel: current.handling_level },
      current.due_hours[current.severity - 1]!,
      { action: input.action, note: input.note },
      actor,
      extra,
    )
  })
  announceEvent(eventId)
  return (await getIncident(sql, id, scope))!
}

/**
 * Applies an action to a locked case. A dispatch records its assignee (extra); escalation and
 * return clear it (the level above, or the command, chooses again).
 */
export async function transitionLocked(
  tx: Tx,
  id: number,
  state: { status: Status; handlingLevel: number },
  dueHours: number,
  input: { action: Action; note?: string },
  actor: string,
  extra: EventExtra = {},
): Promise<number> {
  const next = nextState(state, input.action)
  if (!next) {
    const allowed = allowedActions(state)
    throw new HttpProblem(
      409,
      'Action not allowed',
      `The action ${input.action} is not allowed while the incident is ${state.status}; allowed: ${allowed.join(', ') || 'none'}.`,
      [{ name: 'action', reason: `Expected one of: ${allowed.join(', ') || 'none (the case is finished)'}.` }],
      { allowedActions: allowed },
    )
  }
  await tx`
    update incident set
      status = ${next.status}, handling_level = ${next.handlingLevel}, updated_at = now(),
      closed_at = case when ${next.status} = 'closed' then now() else closed_at end,
      due_at = case when ${input.action} = 'escalate' then now() + make_interval(hours => ${dueHours}::int) else due_at end,
      ${assigneeUpdate(tx, input.action, extra)}
    where id = ${id}`
  return appendEvent(tx, {
    incidentId: id,
    actor,
    action: input.action,
    fromStatus: state.status,
    toStatus: next.status,
    fromLevel: state.handlingLevel,
    toLevel: next.handlingLevel,
    note: input.note,
    ...extra,
  })
}

function assigneeUpdate(tx: Tx, action: Action, extra: EventExtra) {
  if (action === 'dispatch') return tx`assignee_person = ${extra.assigneePerson ?? null}, assignee_department = ${extra.assigneeDepartment ?? null}`
  if (action === 'escalate' || action === 'return') return tx`assignee_person = null, assignee_department = null`
  return tx`assignee_person = assignee_person`
}

/**
 * Escalates every case being worked on whose due time has passed, one level up, with a fresh due
 * time. SKIP LOCKED lets several API processes run this at once without escalating a case twice.
 */
export async function escalateOverdue(sql: Sql, limit = 200): Promise<number> {
  const ids = await sql<{ id: number }[]>`
    select id from incident
    where status in ('registered', 'dispatched', 'handling') and handling_level > 1 and due_at < now()
    order by due_at limit ${limit}`
  let escalated = 0
  for (const { id } of ids) {
    const eventId = await sql.begin(async (tx) => {
      const [current] = await tx<{ status: Status; handling_level: number; severity: number; due_hours: number[] }[]>`
        select i.status, i.handling_level, i.severity, c.due_hours
        from incident i join incident_category c on c.code = i.category
        where i.id = ${id} and i.status in ('registered', 'dispatched', 'handling') and i.handling_level > 1 and i.due_at < now()
        for update of i skip locked`
      if (!current) return null
      return transitionLocked(
        tx,
        id,
        { status: current.status, handlingLevel: current.handling_level },
        current.due_hours[current.severity - 1]!,
        { action: 'escalate', note: '超期自动升级 · escalated automatically: past due' },
        'system',
      )
    })
    if (eventId !== null) {
      announceEvent(eventId)
      escalated++
    }
  }
  return escalated
}
