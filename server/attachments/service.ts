/**
 * Photos of cases in the database: store one (content-addressed blob + the case's link + its
 * "photo" timeline entry in one transaction), list a case's photos, read one inside the viewer's
 * scope, and the finish rule of categories that require a photo.
 *
 * Replays never duplicate: the same bytes on the same case are one attachment (unique
 * (incident_id, sha256)), and an Idempotency-Key names one upload (a second upload of other bytes
 * with the same key is a 422).
 */
import { createHash } from 'node:crypto'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { appendEvent } from '../incidents/service.ts'
import { announceEvent } from '../incidents/committed-events.ts'
import type { Status } from '../incidents/workflow.ts'
import type { StoredImage } from './image.ts'
import { insertBlob, type BlobTransfer } from './blob-copy.ts'

export interface AttachmentView {
  id: number
  url: string
  thumbnailUrl: string
  width: number
  height: number
  bytes: number
  mediaType: string
  addedBy: string
  addedAt: string
  takenAt: string | null
  /** The timeline entry that recorded it. */
  eventId: number | null
}

function attachmentColumns(sql: Sql) {
  return sql`
    a.id, '/api/attachments/' || a.id as url, '/api/attachments/' || a.id || '?size=thumb' as "thumbnailUrl",
    b.width, b.height, b.size as bytes, b.media_type as "mediaType", a.added_by as "addedBy", a.added_at as "addedAt",
    a.taken_at as "takenAt", a.event_id as "eventId"`
}

export function sha256Of(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest()
}

function caseNotFound(id: number): HttpProblem {
  return new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
}

/**
 * Stores the photo on case `incidentId` (inside `scope`, else 404). `created` is false when the
 * same photo (or the same Idempotency-Key) was already stored: the first attachment is returned.
 */
export async function storeAttachment(
  sql: Sql,
  incidentId: number,
  image: StoredImage,
  options: { actor: string; scope: string; idempotencyKey?: string; transfer?: BlobTransfer },
): Promise<{ attachment: AttachmentView; created: boolean }> {
  const sha = sha256Of(image.bytes)
  const replay = async (): Promise<AttachmentView | null> => {
    const [byKey] = options.idempotencyKey
      ? await sql<
          { id: number; incident_id: number; sha256: Buffer }[]
        >`select id, incident_id, sha256 from incident_attachment where idempotency_key = ${options.idempotencyKey}`
      : []
    if (byKey && (byKey.incident_id !== incidentId || !byKey.sha256.equals(sha))) {
      throw new HttpProblem(422, 'Idempotency key reused', 'This Idempotency-Key was already used for another photo or case; use a new key for a new photo.', [
        { name: 'Idempotency-Key', reason: 'Expected the same photo and case as the first upload with this key.' },
      ])
    }
    const [existing] = await sql<AttachmentView[]>`
      select ${attachmentColumns(sql)} from incident_attachment a join attachment_blob b on b.sha256 = a.sha256
      where a.incident_id = ${incidentId} and a.sha256 = ${sha}`
    return existing ?? null
  }
  const [incident] = await sql<{ status: Status; handling_level: number }[]>`
    select status, handling_level from incident where id = ${incidentId} and starts_with(grid_code, ${options.scope}::text)`
  if (!incident) throw caseNotFound(incidentId)
  const previous = await replay()
  if (previous) return { attachment: previous, created: false }
  if (incident.status === 'closed' || incident.status === 'dismissed') {
    throw new HttpProblem(409, 'Case finished', `The case is ${incident.status}; photos can be added until it is closed.`, [
      { name: 'id', reason: 'Expected a case that is still open.' },
    ])
  }
  const outcome = await sql.begin(async (tx) => {
    // The case row first (as transitions do): uploads to one case queue here instead of each
    // holding the row's key-share lock from its insert while waiting for the others' (a deadlock).
    const [now] = await tx<{ status: Status; handling_level: number }[]>`select status, handling_level from incident where id = ${incidentId} for update`
    await insertBlob(tx, sha, image, options.transfer ?? 'parameter')
    const [row] = await tx<{ id: number }[]>`
      insert into incident_attachment (incident_id, sha256, added_by, taken_at, idempotency_key)
      values (${incidentId}, ${sha}, ${options.actor}, ${image.takenAt}, ${options.idempotencyKey ?? null})
      on conflict do nothing returning id`
    if (!row) return null // a concurrent upload of the same photo or key won: read it back below
    // The timeline records the case's status at this moment.
    const eventId = await appendEvent(tx, {
      incidentId,
      actor: options.actor,
      action: 'photo',
      fromStatus: now!.status,
      toStatus: now!.status,
      fromLevel: now!.handling_level,
      toLevel: now!.handling_level,
    })
    await tx`update incident_attachment set event_id = ${eventId} where id = ${row.id}`
    return { id: row.id, eventId }
  })
  if (outcome) {
    announceEvent(outcome.eventId)
    const [attachment] = await sql<AttachmentView[]>`
      select ${attachmentColumns(sql)} from incident_attachment a join attachment_blob b on b.sha256 = a.sha256 where a.id = ${outcome.id}`
    return { attachment: attachment!, created: true }
  }
  const raced = await replay()
  if (raced) return { attachment: raced, created: false }
  throw new HttpProblem(409, 'Photo not stored', 'The photo could not be stored just now; retry it with the same Idempotency-Key.')
}

/** A case's photos in the order they were added (the caller has already checked the case's scope). */
export async function listAttachments(sql: Sql, incidentId: number): Promise<AttachmentView[]> {
  return sql<AttachmentView[]>`
    select ${attachmentColumns(sql)} from incident_attachment a join attachment_blob b on b.sha256 = a.sha256
    where a.incident_id = ${incidentId} order by a.id`
}

/** The stored bytes of a photo (or its thumbnail) if its case lies inside `scope`, else null. */
export async function readAttachment(
  sql: Sql,
  id: number,
  scope: string,
  size: 'full' | 'thumb',
): Promise<{ mediaType: string; bytes: Buffer; etag: string } | null> {
  const [row] = await sql<{ media_type: string; bytes: Buffer; sha256: Buffer }[]>`
    select ${size === 'thumb' ? sql`'image/jpeg'` : sql`b.media_type`} as media_type,
           ${size === 'thumb' ? sql`b.thumb` : sql`b.bytes`} as bytes, b.sha256
    from incident_attachment a join attachment_blob b on b.sha256 = a.sha256 join incident i on i.id = a.incident_id
    where a.id = ${id} and starts_with(i.grid_code, ${scope}::text)`
  return row ? { mediaType: row.media_type, bytes: row.bytes, etag: `"${row.sha256.toString('hex').slice(0, 32)}${size === 'thumb' ? '-t' : ''}"` } : null
}

/**
 * Refuses `finish` on a case whose category requires a photo while it has none (409 naming the
 * field). Other actions, categories without the rule and cases outside `scope` (the transition
 * itself answers those with 404) pass.
 */
export async function assertFinishable(sql: Sql, incidentId: number, action: string, scope: string): Promise<void> {
  if (action !== 'finish') return
  const [row] = await sql<{ required: boolean; photos: number }[]>`
    select c.requires_photo_on_finish as required,
           (select count(*) from incident_attachment a where a.incident_id = i.id)::int as photos
    from incident i join incident_category c on c.code = i.category
    where i.id = ${incidentId} and starts_with(i.grid_code, ${scope}::text)`
  if (row?.required && row.photos === 0) {
    throw new HttpProblem(
      409,
      'Photo required',
      'Cases of this category can be finished only with a photo of the result: add one (POST /api/incidents/:id/attachments, field file) first.',
      [{ name: 'file', reason: 'Expected at least one photo on the case before finish.' }],
    )
  }
}
