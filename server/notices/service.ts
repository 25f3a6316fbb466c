/**
 * Notices in the database: send (recipients fixed at the moment of sending, idempotent), read
 * one as the viewer may see it, the inbox of a grid worker, acknowledge, reply (a clue or
 * "searched, not found"), remind those who have not acknowledged, close. Every change writes its
 * rows, its live event and its outbound deliveries (outbox.ts) in one transaction; acknowledgements
 * and replies announce themselves through the coalesced progress events (progress.ts).
 */
import type { Sql } from '../db/connect.ts'
import type { Viewer } from '../access/roles.ts'
import { HttpProblem } from '../http/problem.ts'
import { requestHash } from '../incidents/service.ts'
import type { OutboundOptions } from './channels.ts'
import { linkAttachments } from './attachments.ts'
import { announceNoticeEvent, appendNoticeEvent } from './events.ts'
import { enqueueOutbound, type Outbox } from './outbox.ts'
import type { ProgressCoalescer } from './progress.ts'
import { insertRecipients, isSender, ownRecipients, readByCell, readFigures, readOutline, readProgress, summaryColumns, visibleTo, type Tx } from './queries.ts'
import {
  URGENT_KINDS,
  type Clue,
  type InboxItem,
  type InboxState,
  type MissingPerson,
  type NewNotice,
  type NewReply,
  type NoticeDetail,
  type NoticeSummary,
  type OutboundView,
  type PendingRecipient,
  type Priority,
  type Progress,
  type TimelineEntry,
} from './types.ts'

export interface NoticeContext {
  sql: Sql
  outbound: OutboundOptions
  /** Sends the outbound deliveries the actions below write. */
  outbox: Outbox
  /** Announces acknowledgements, replies and deliveries as coalesced progress events. */
  progress: ProgressCoalescer
}

const notFound = (id: number) => new HttpProblem(404, 'Notice not found', `No notice has the id ${id} (parameter id).`)

function assertTargetInScope(viewer: Viewer, input: NewNotice): void {
  if ('grids' in input.target) {
    input.target.grids.forEach((code, i) => {
      if (!code.startsWith(viewer.scope)) {
        throw new HttpProblem(403, 'Outside your scope', `Grid ${code} is outside your scope ${viewer.scope}.`, [
          { name: `target.grids[${i}]`, reason: 'Expected a grid inside your scope.' },
        ])
      }
    })
  }
}

export async function createNotice(
  ctx: NoticeContext,
  input: NewNotice,
  viewer: Viewer,
  idempotencyKey?: string,
): Promise<{ id: number; recipients: number; created: boolean }> {
  if (!isSender(viewer)) throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not send notices.`)
  assertTargetInScope(viewer, input)
  const hash = requestHash(input)
  if (idempotencyKey) {
    const [previous] = await ctx.sql<{ id: number; recipients: number; request_hash: string }[]>`
      select id, recipients, request_hash from notice where idempotency_key = ${idempotencyKey}`
    if (previous) {
      if (previous.request_hash !== hash) {
        throw new HttpProblem(422, 'Idempotency key reused', 'This Idempotency-Key was already used with a different notice; use a new key for a new notice.', [
          { name: 'Idempotency-Key', reason: 'Expected the same body as the first request with this key.' },
        ])
      }
      return { id: previous.id, recipients: previous.recipients, created: false }
    }
  }
  const urgent = URGENT_KINDS.includes(input.kind)
  const priority: Priority = input.priority ?? (urgent ? 'urgent' : 'normal')
  const deadlineMinutes = input.ackDeadlineMinutes ?? (urgent ? 30 : 24 * 60)
  const grids = 'grids' in input.target ? input.target.grids : null
  const centre = 'point' in input.target ? input.target : null
  const person = input.person ?? null
  let result: { id: number; recipients: number; eventId: number }
  try {
    result = await ctx.sql.begin(async (tx) => {
      const [row] = await tx<{ id: number }[]>`
        insert into notice (kind, priority, title, body, sender_id, sender_name, sender_role, target_grids, target_point, target_radius_m,
                            person, last_seen, attachments, ack_deadline, idempotency_key, request_hash)
        values (${input.kind}, ${priority}, ${input.title}, ${input.body}, ${viewer.kind === 'user' ? viewer.id : null}, ${viewer.name}, ${viewer.role},
                ${grids}::text[], ${centre ? tx`ST_SetSRID(ST_MakePoint(${centre.point.lon}, ${centre.point.lat}), 4326)` : null}, ${centre?.radiusM ?? null},
                ${person ? tx.json(person as never) : null}, ${person?.lastSeen ? tx`ST_SetSRID(ST_MakePoint(${person.lastSeen.lon}, ${person.lastSeen.lat}), 4326)` : null},
                ${input.attachments ?? []}::bigint[], now() + make_interval(mins => ${deadlineMinutes}), ${idempotencyKey ?? null}, ${hash})
        returning id`
      const id = row!.id
      const recipients = await insertRecipients(tx, id, input.target, viewer.scope)
      if (recipients === 0) {
        throw new HttpProblem(422, 'No recipients', 'No grid worker or grid leader is in the target area (inside your scope).', [
          { name: 'target', reason: 'Expected an area with grid persons.' },
        ])
      }
      await tx`update notice set recipients = ${recipients} where id = ${id}`
      await linkAttachments(tx, id, input.attachments, viewer)
      const eventId = await appendNoticeEvent(tx, { noticeId: id, kind: 'notice', action: 'sent' })
      await enqueueOutbound(tx, ctx.outbound.channels, { noticeId: id, action: 'sent', eventId })
      return { id, recipients, eventId }
    })
  } catch (error) {
    // Two requests with one key at once: the second finds the first's notice.
    if (idempotencyKey && (error as { code?: string }).code === '23505') return createNotice(ctx, input, viewer, idempotencyKey)
    throw error
  }
  announceNoticeEvent(result.eventId)
  ctx.outbox.kick()
  return { id: result.id, recipients: result.recipients, created: true }
}

/** How many grid persons a target would reach now (the compose page's count before sending). */
export async function countRecipients(sql: Sql, target: NewNotice['target'], viewer: Viewer): Promise<number> {
  // Counted by the same insert the send uses, rolled back: one definition of "the recipients".
  let count = 0
  await sql
    .begin(async (tx) => {
      const [row] = await tx<{ id: number }[]>`
      insert into notice (kind, priority, title, sender_name, sender_role, target_grids, target_point, target_radius_m, ack_deadline)
      values ('work', 'normal', 'count', '', '', ${'grids' in target ? target.grids : null}::text[],
              ${'point' in target ? tx`ST_SetSRID(ST_MakePoint(${target.point.lon}, ${target.point.lat}), 4326)` : null},
              ${'point' in target ? target.radiusM : null}, now()) returning id`
      count = await insertRecipients(tx, row!.id, target, viewer.scope)
      throw new RollBack()
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error
    })
  return count
}
class RollBack extends Error {}

async function findVisible(sql: Sql | Tx, id: number, viewer: Viewer): Promise<{ status: string; senderScopeOk: boolean } | null> {
  const [row] = await sql<{ status: string }[]>`select n.status from notice n where n.id = ${id} and ${visibleTo(sql, viewer)}`
  return row ? { status: row.status, senderScopeOk: isSender(viewer) } : null
}

export async function listNotices(sql: Sql, viewer: Viewer, status?: 'active' | 'closed'): Promise<(NoticeSummary & { progress: Progress })[]> {
  const rows = await sql<NoticeSummary[]>`
    select ${summaryColumns(sql)} from notice n
    where ${visibleTo(sql, viewer)} ${status ? sql`and n.status = ${status}` : sql``}
    order by n.id desc limit 100`
  return Promise.all(rows.map(async (row) => ({ ...row, progress: await readProgress(sql, row.id) })))
}

/** The signed-in grid worker's notices, newest first; listing them counts as delivered. */
export async function readInbox(sql: Sql, viewer: Viewer): Promise<InboxItem[]> {
  if (viewer.role !== 'grid_worker') return []
  await sql`update notice_recipient set delivered_at = now() where cell_code = ${viewer.scope} and delivered_at is null`
  return sql<InboxItem[]>`
    select ${summaryColumns(sql)}, n.body,
           min(r.delivered_at) as "deliveredAt", min(r.read_at) as "readAt", min(r.acked_at) as "ackedAt",
           min(r.searched_at) as "searchedAt", min(r.clue_at) as "clueAt"
    from notice n join notice_recipient r on r.notice_id = n.id and r.cell_code = ${viewer.scope}
    group by n.id order by n.id desc limit 50`
}

function maskPerson(person: Record<string, unknown> | null, closed: boolean, viewer: Viewer): MissingPerson | null {
  if (!person) return null
  const whole = viewer.role === 'commander' || (!closed && viewer.role !== 'analyst' && viewer.role !== 'wall')
  const name = String(person.name ?? '')
  if (whole) {
    return {
      name,
      age: (person.age as number | undefined) ?? null,
      sex: (person.sex as MissingPerson['sex'] | undefined) ?? null,
      clothing: String(person.clothing ?? ''),
      lastSeenAt: (person.lastSeenAt as string | undefined) ?? null,
      lastSeen: (person.lastSeen as MissingPerson['lastSeen'] | undefined) ?? null,
      masked: false,
    }
  }
  return { name: `${name.slice(0, 1)}*`, age: null, sex: null, clothing: '', lastSeenAt: null, lastSeen: null, masked: true }
}

export async function getNotice(sql: Sql, id: number, viewer: Viewer, options: { level?: number; geometry?: boolean }): Promise<NoticeDetail> {
  const [row] = await sql<
    (NoticeSummary & { body: string; person: Record<string, unknown> | null; attachments: number[]; closeNote: string | null; targetLevel: number })[]
  >`
    select ${summaryColumns(sql)}, n.body, n.person, n.attachments, n.close_note as "closeNote",
           coalesce((select min(length(c)) from unnest(n.target_grids) c), 18) as "targetLevel"
    from notice n where n.id = ${id} and ${visibleTo(sql, viewer)}`
  if (!row) throw notFound(id)
  const own = await sql<InboxState[]>`
    update notice_recipient r set read_at = coalesce(read_at, now()), delivered_at = coalesce(delivered_at, now())
    where r.notice_id = ${id} and ${ownRecipients(sql, viewer)}
    returning delivered_at as "deliveredAt", read_at as "readAt", acked_at as "ackedAt", searched_at as "searchedAt", clue_at as "clueAt"`
  // A worker's view stays within their own cell; leaders see their scope's part; figures of the whole notice for all.
  const scope = viewer.scope
  const level = options.level ?? Math.min(5, Math.max(2, (row.targetLevel - 3) / 3 + 1))
  const progress = await readProgress(sql, id)
  const closed = row.status === 'closed'
  const pastDeadline = new Date(row.ackDeadline).getTime() <= Date.now()
  const [figures, byCell, clues, timeline, pending, outbound, outline] = await Promise.all([
    readFigures(sql, id, progress),
    readByCell(sql, id, level, scope, options.geometry ?? false),
    sql<Clue[]>`
      select p.id, p.at, p.kind, p.cell_code as "cellCode", g.name as "cellName", p.author, p.text, p.attachments,
             case when p.location is null then null else json_build_object('lon', ST_X(p.location), 'lat', ST_Y(p.location)) end as location
      from notice_reply p join grid_cell g on g.code = p.cell_code
      where p.notice_id = ${id} and p.kind = 'clue' and p.cell_code like ${scope + '%'} order by p.id desc limit 500`,
    readTimeline(sql, id, scope),
    isSender(viewer) ? readPending(sql, id, viewer.scope) : Promise.resolve(null),
    isSender(viewer)
      ? sql<OutboundView[]>`
      select channel, action, status, attempts, last_error as "lastError", recipients, updated_at as "updatedAt"
      from notice_outbound where notice_id = ${id} order by id`
      : Promise.resolve([]),
    readOutline(sql, id),
  ])
  const { person, targetLevel: _level, ...rest } = row
  return {
    ...rest,
    person: maskPerson(person, closed, viewer),
    progress,
    figures,
    level,
    byCell,
    clues,
    timeline,
    pending,
    pastDeadline,
    outbound,
    outline,
    mine: own.length ? own[0]! : null,
  }
}

/** Recipients inside `scope` who have not acknowledged, with their work phones (sender roles only). */
async function readPending(sql: Sql, id: number, scope: string): Promise<PendingRecipient[]> {
  return sql<PendingRecipient[]>`
    select r.person_id as "personId", r.cell_code as "cellCode", g.full_name as "cellName", r.role,
           mask_name(r.full_name) as name, r.phone, r.delivered_at as "deliveredAt", r.read_at as "readAt",
           r.reminded_at as "remindedAt", r.reminders
    from notice_recipient r join grid_cell g on g.code = r.cell_code
    where r.notice_id = ${id} and r.acked_at is null and r.cell_code like ${scope + '%'}
    order by r.cell_code, r.person_id limit 2000`
}

async function readTimeline(sql: Sql, id: number, scope: string): Promise<TimelineEntry[]> {
  return sql<TimelineEntry[]>`
    select * from (
      select e.at, e.action, null as "cellCode", coalesce(e.payload->>'note', '') as note from notice_event e where e.notice_id = ${id} and e.kind = 'notice'
      union all
      select r.acked_at, 'acknowledged', r.cell_code, '' from notice_recipient r where r.notice_id = ${id} and r.acked_at is not null and r.cell_code like ${scope + '%'}
      union all
      select p.at, p.kind, p.cell_code, p.text from notice_reply p where p.notice_id = ${id} and p.cell_code like ${scope + '%'}
    ) t order by at desc limit 200`
}

async function ownRows(tx: Tx, id: number, viewer: Viewer): Promise<{ status: string; persons: number[]; cell: string }> {
  const visible = await findVisible(tx, id, viewer)
  if (!visible) throw notFound(id)
  const rows = await tx<{ person_id: number; cell_code: string }[]>`
    select r.person_id, r.cell_code from notice_recipient r where r.notice_id = ${id} and ${ownRecipients(tx, viewer)} for update`
  if (!rows.length) throw new HttpProblem(403, 'Not a recipient', 'Only the grid persons who received this notice acknowledge it or reply to it.')
  if (visible.status === 'closed') throw new HttpProblem(409, 'Notice closed', 'This notice is closed; acknowledgements and replies are no longer taken.')
  return { status: visible.status, persons: rows.map((r) => r.person_id), cell: rows[0]!.cell_code }
}

export async function acknowledgeNotice(ctx: NoticeContext, id: number, viewer: Viewer): Promise<InboxState> {
  const { state, cell } = await ctx.sql.begin(async (tx) => {
    const own = await ownRows(tx, id, viewer)
    const [state] = await tx<(InboxState & { changed: boolean })[]>`
      update notice_recipient set acked_at = coalesce(acked_at, now()), read_at = coalesce(read_at, now()), delivered_at = coalesce(delivered_at, now())
      where notice_id = ${id} and person_id = any(${own.persons}::int[])
      returning delivered_at as "deliveredAt", read_at as "readAt", acked_at as "ackedAt", searched_at as "searchedAt", clue_at as "clueAt",
                (acked_at = now()) as changed`
    const { changed, ...rest } = state!
    return { state: rest as InboxState, cell: changed ? own.cell : null }
  })
  // A repeated acknowledgement changes nothing and announces nothing.
  if (cell) ctx.progress.note(id, 'acknowledged', [cell])
  return state
}

export async function replyToNotice(ctx: NoticeContext, id: number, viewer: Viewer, input: NewReply): Promise<Clue> {
  const { clue, cell } = await ctx.sql.begin(async (tx) => {
    const own = await ownRows(tx, id, viewer)
    await linkAttachments(tx, id, input.attachments, viewer)
    const [clue] = await tx<Clue[]>`
      insert into notice_reply (notice_id, person_id, cell_code, kind, text, location, attachments, author)
      values (${id}, ${own.persons[0]!}, ${own.cell}, ${input.kind}, ${input.text}, ${input.location ? tx`ST_SetSRID(ST_MakePoint(${input.location.lon}, ${input.location.lat}), 4326)` : null},
              ${input.attachments ?? []}::bigint[], ${viewer.name})
      returning id, at, kind, cell_code as "cellCode", (select name from grid_cell where code = cell_code) as "cellName", author, text, attachments,
                case when location is null then null else json_build_object('lon', ST_X(location), 'lat', ST_Y(location)) end as location`
    await tx`
      update notice_recipient set acked_at = coalesce(acked_at, now()), read_at = coalesce(read_at, now()), delivered_at = coalesce(delivered_at, now()),
             searched_at = case when ${input.kind} = 'not-found' then coalesce(searched_at, now()) else searched_at end,
             clue_at = case when ${input.kind} = 'clue' then coalesce(clue_at, now()) else clue_at end
      where notice_id = ${id} and person_id = any(${own.persons}::int[])`
    return { clue: clue!, cell: own.cell }
  })
  ctx.progress.note(id, input.kind, [cell])
  return clue
}

async function assertSenderOf(tx: Tx, id: number, viewer: Viewer): Promise<void> {
  const visible = await findVisible(tx, id, viewer)
  if (!visible) throw notFound(id)
  if (!isSender(viewer)) throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not remind or close notices.`)
  if (visible.status === 'closed') throw new HttpProblem(409, 'Notice closed', 'This notice is already closed.')
}

/** Re-sends the notice to the recipients inside the viewer's scope who have not acknowledged. */
export async function remindNotice(ctx: NoticeContext, id: number, viewer: Viewer): Promise<{ reminded: number }> {
  const result = await ctx.sql.begin(async (tx) => {
    await assertSenderOf(tx, id, viewer)
    const rows = await tx<{ person_id: number; cell_code: string }[]>`
      update notice_recipient set reminded_at = now(), reminders = reminders + 1
      where notice_id = ${id} and acked_at is null and cell_code like ${viewer.scope + '%'}
      returning person_id, cell_code`
    if (!rows.length) return { reminded: 0, eventId: null }
    const cells = [...new Set(rows.map((r) => r.cell_code))]
    const eventId = await appendNoticeEvent(tx, { noticeId: id, kind: 'notice', action: 'reminded', cells })
    await enqueueOutbound(tx, ctx.outbound.channels, { noticeId: id, action: 'reminded', eventId, personIds: rows.map((r) => r.person_id) })
    return { reminded: rows.length, eventId }
  })
  if (result.eventId) {
    announceNoticeEvent(result.eventId)
    ctx.outbox.kick()
  }
  return { reminded: result.reminded }
}

export async function closeNotice(
  ctx: NoticeContext,
  id: number,
  viewer: Viewer,
  input: { outcome: 'found' | 'cancelled'; note: string },
): Promise<{ id: number; status: 'closed' }> {
  const eventId = await ctx.sql.begin(async (tx) => {
    await assertSenderOf(tx, id, viewer)
    await tx`update notice set status = 'closed', closed_at = now(), close_outcome = ${input.outcome}, close_note = ${input.note}, closed_by = ${viewer.name} where id = ${id}`
    const eventId = await appendNoticeEvent(tx, { noticeId: id, kind: 'notice', action: 'closed' })
    await enqueueOutbound(tx, ctx.outbound.channels, { noticeId: id, action: 'closed', eventId })
    return eventId
  })
  announceNoticeEvent(eventId)
  ctx.outbox.kick()
  return { id, status: 'closed' }
}

/** Marks notices delivered to the grid workers of these cells (a page received the event). */
export async function markDelivered(sql: Sql, pairs: { noticeId: number; cell: string }[]): Promise<void> {
  if (!pairs.length) return
  await sql`
    update notice_recipient r set delivered_at = now()
    from unnest(${pairs.map((p) => p.noticeId)}::bigint[], ${pairs.map((p) => p.cell)}::text[]) as d(notice_id, cell)
    where r.notice_id = d.notice_id and r.cell_code = d.cell and r.delivered_at is null`
}
