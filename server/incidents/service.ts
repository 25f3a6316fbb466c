/**
 * Incidents in the database: report, move through the workflow, escalate overdue cases. Every
 * change writes the incident row and its incident_event in one transaction. Events are committed
 * in id order (a transaction-scoped advisory lock around the event insert and commit), so a
 * reader that has seen event n has seen every event before n: the live feed and its replay from
 * Last-Event-ID rely on that. After commit the event id is announced in-process and, for other
 * API processes on the same PostgreSQL, by NOTIFY (payload: the id only).
 */
import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { IncidentEventView, IncidentView, NewIncident } from './types.ts'
import { ReportWriter } from './report-writer.ts'
import { allowedActions, nextState, type Action, type Status } from './workflow.ts'

export const EVENT_CHANNEL = 'incident_events'
export const EVENT_ORDER_LOCK = 0x696e6364 // "incd"

/** In-process announcements of committed event ids (the embedded database has no NOTIFY across connections). */
export const committedEvents = new EventEmitter().setMaxListeners(0)

type Tx = postgres.TransactionSql<{}>

/** Selects an incident as the API shows it: people masked, allowed actions added in code. */
export function incidentColumns(sql: Sql | Tx) {
  return sql`
    i.id, i.category, i.severity, i.title, i.description, i.source,
    case when i.reporter = '' then '' else mask_name(i.reporter) end as reporter,
    i.occurred_at as "occurredAt", i.reported_at as "reportedAt",
    json_build_object('lon', ST_X(i.location), 'lat', ST_Y(i.location)) as location,
    i.grid_code as "gridCode", i.handling_level as "handlingLevel", i.status, i.due_at as "dueAt", i.closed_at as "closedAt",
    (i.status not in ('closed', 'dismissed') and i.due_at < now()) as overdue,
    coalesce((select json_agg(json_build_object(
        'name', mask_name(p->>'name'),
        'phone', case when p->>'phone' is null then null else mask_phone(p->>'phone') end,
        'idNumber', case when p->>'idNumber' is null then null else mask_id_number(p->>'idNumber') end))
      from jsonb_array_elements(i.parties) p), '[]'::json) as parties`
}

function withActions(row: Omit<IncidentView, 'allowedActions'>): IncidentView {
  return { ...row, allowedActions: allowedActions({ status: row.status, handlingLevel: row.handlingLevel }) }
}

/** The incident if it lies inside `scope` (a grid code prefix; '' for internal callers), else null. */
export async function getIncident(sql: Sql | Tx, id: number, scope = ''): Promise<IncidentView | null> {
  const [row] = await sql<Omit<IncidentView, 'allowedActions'>[]>`
    select ${incidentColumns(sql)} from incident i where i.id = ${id} ${scope ? sql`and i.grid_code like ${scope + '%'}` : sql``}`
  return row ? withActions(row) : null
}

export async function getTimeline(sql: Sql, id: number): Promise<IncidentEventView[]> {
  return sql<IncidentEventView[]>`
    select id, incident_id as "incidentId", at, actor, action, from_status as "fromStatus", to_status as "toStatus",
           from_level as "fromLevel", to_level as "toLevel", note
    from incident_event where incident_id = ${id} order by id`
}

/**
 * Writes the event last in its transaction, holding the ordering lock until commit. One round
 * trip: the lock is taken by the row source of the insert, and NOTIFY is sent on commit.
 */
export async function appendEvent(tx: Tx, e: { incidentId: number; actor: string; action: string; fromStatus: Status | null; toStatus: Status; fromLevel: number | null; toLevel: number; note?: string }): Promise<number> {
  const [row] = await tx<{ id: number }[]>`
    with ordered as (select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})),
         appended as (
           insert into incident_event (incident_id, actor, action, from_status, to_status, from_level, to_level, note)
           select ${e.incidentId}, ${e.actor}, ${e.action}, ${e.fromStatus}, ${e.toStatus}, ${e.fromLevel}, ${e.toLevel}, ${e.note ?? ''}
           from ordered
           returning id)
    select id, pg_notify(${EVENT_CHANNEL}, id::text) from appended`
  return row!.id
}

export function announce(eventId: number) {
  committedEvents.emit('event', eventId)
}

/** A stable fingerprint of a request body, to tell a retry from a different request with the same key. */
export function requestHash(body: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex')
}

export interface CreateOptions {
  actor: string
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
      throw new HttpProblem(422, 'Idempotency key reused', 'This Idempotency-Key was already used with a different request body; use a new key for a new report.', [
        { name: 'Idempotency-Key', reason: 'Expected the same body as the first request with this key.' },
      ])
    }
    return { incident: (await getIncident(sql, previous.id))!, created: false }
  }
  // No lookup before the insert: a reused key shows up as the insert's conflict, and only then is
  // the first result read back (the common case, a new report, costs no extra round trip).
  const outcome = await writerFor(sql).write({ input, actor: options.actor, idempotencyKey: options.idempotencyKey ?? null, requestHash: hash })
  if (outcome) {
    announce(outcome.eventId)
    return { incident: withActions(outcome.row), created: true }
  }
  const replayed = await replay()
  if (replayed) return replayed
  await explainRefusal(sql, input)
  // Unreachable unless the refusal's cause went away in between (a key's first request rolled
  // back): answer as a conflict the client may retry.
  throw new HttpProblem(409, 'Report not stored', 'The report could not be stored just now; retry it with the same Idempotency-Key.')
}

/** One writer per database client, so concurrent reports through it share statements. */
const writers = new WeakMap<Sql, ReportWriter>()
function writerFor(sql: Sql): ReportWriter {
  let writer = writers.get(sql)
  if (!writer) writers.set(sql, (writer = new ReportWriter(sql, EVENT_CHANNEL, EVENT_ORDER_LOCK, incidentColumns)))
  return writer
}

/** Why a report inserted nothing: an unknown category or a point outside the grid (422s). */
async function explainRefusal(tx: Sql | Tx, input: NewIncident): Promise<void> {
  const [known] = await tx`select 1 from incident_category where code = ${input.category} and parent_code is not null`
  if (!known) {
    throw new HttpProblem(422, 'Unknown category', `No incident subcategory has the code ${input.category} (field category); see GET /api/categories.`, [
      { name: 'category', reason: 'Expected a subcategory code from GET /api/categories.' },
    ])
  }
  const [inside] = await tx`
    select 1 from grid_cell where level = 5
      and ST_Covers(geom, ST_SetSRID(ST_MakePoint(${input.location.lon}::float8, ${input.location.lat}::float8), 4326)) limit 1`
  if (!inside) {
    throw new HttpProblem(422, 'Location outside the grid', `The point lon=${input.location.lon}, lat=${input.location.lat} (field location) lies outside every grid cell of the district.`, [
      { name: 'location', reason: 'Expected a point inside the district.' },
    ])
  }
}

/** `scope`: the actor's grid code prefix; a case outside it is answered as not found. */
export async function applyTransition(sql: Sql, id: number, input: { action: Action; note?: string }, actor: string, scope = ''): Promise<IncidentView> {
  const eventId = await sql.begin(async (tx) => {
    const [current] = await tx<{ status: Status; handling_level: number; severity: number; due_hours: number[] }[]>`
      select i.status, i.handling_level, i.severity, c.due_hours
      from incident i join incident_category c on c.code = i.category
      where i.id = ${id} ${scope ? tx`and i.grid_code like ${scope + '%'}` : tx``} for update of i`
    if (!current) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
    return transitionLocked(tx, id, { status: current.status, handlingLevel: current.handling_level }, current.due_hours[current.severity - 1]!, input, actor)
  })
  announce(eventId)
  return (await getIncident(sql, id))!
}

async function transitionLocked(tx: Tx, id: number, state: { status: Status; handlingLevel: number }, dueHours: number, input: { action: Action; note?: string }, actor: string): Promise<number> {
  const next = nextState(state, input.action)
  if (!next) {
    const allowed = allowedActions(state)
    throw new HttpProblem(409, 'Action not allowed', `The action ${input.action} is not allowed while the incident is ${state.status}; allowed: ${allowed.join(', ') || 'none'}.`, [
      { name: 'action', reason: `Expected one of: ${allowed.join(', ') || 'none (the case is finished)'}.` },
    ], { allowedActions: allowed })
  }
  await tx`
    update incident set
      status = ${next.status}, handling_level = ${next.handlingLevel}, updated_at = now(),
      closed_at = case when ${next.status} = 'closed' then now() else closed_at end,
      due_at = case when ${input.action} = 'escalate' then now() + make_interval(hours => ${dueHours}::int) else due_at end
    where id = ${id}`
  return appendEvent(tx, { incidentId: id, actor, action: input.action, fromStatus: state.status, toStatus: next.status, fromLevel: state.handlingLevel, toLevel: next.handlingLevel, note: input.note })
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
      return transitionLocked(tx, id, { status: current.status, handlingLevel: current.handling_level }, current.due_hours[current.severity - 1]!,
        { action: 'escalate', note: '超期自动升级 · escalated automatically: past due' }, 'system')
    })
    if (eventId !== null) {
      announce(eventId)
      escalated++
    }
  }
  return escalated
}
