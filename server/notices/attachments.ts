/**
 * Photos of notices: `POST /api/notices/attachments` (multipart, field `file`, checked and
 * stripped of location data like every photo, see attachments/image.ts) stores one for the
 * uploader and answers 201 `{ id, url, thumbnailUrl }`; a send or a reply then references the id,
 * which links the photo to that notice (`linkAttachments`). `GET /api/notices/attachments/:id`
 * serves a photo to whoever may see its notice (an unlinked one to its uploader only).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import type { Viewer } from '../access/roles.ts'
import { viewerOf } from '../access/scope.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { prepareImage } from '../attachments/image.ts'
import { PHOTO_MAX_BYTES } from '../attachments/routes.ts'
import { sha256Of } from '../attachments/service.ts'
import { visibleTo, type Tx } from './queries.ts'

/** The upload path, whose requests may be larger than the API's usual body limit. */
export const NOTICE_UPLOAD_PATH = /^\/api\/notices\/attachments\/?$/

const IdParams = z.object({
  attachmentId: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected attachmentId as a positive integer.')
    .transform(Number),
})
const SizeQuery = z.strictObject({ size: z.enum(['full', 'thumb'], { message: 'Expected size: thumb (or full, the default).' }).optional() })

const urlOf = (id: number) => `/api/notices/attachments/${id}`

export function noticeAttachmentRoutes(sql: Sql) {
  return new Hono()
    .post(
      '/attachments',
      describeRoute({
        tag: 'notices',
        summary: 'Upload a photo for a notice reply (multipart, field file; JPEG, PNG or WebP, 10 MB)',
        errors: [413, 415, 422],
        ok: { status: 201, description: 'The stored photo and its URLs' },
      }),
      async (c) => {
        const viewer = viewerOf(c)
        if (viewer.kind !== 'user') throw new HttpProblem(403, 'Not permitted', 'A wall display does not upload photos.')
        if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
          throw new HttpProblem(415, 'Multipart form expected', 'Send the photo as multipart/form-data with the field file.', [
            { name: 'file', reason: 'Expected a multipart/form-data body.' },
          ])
        }
        const form = await c.req.formData().catch(() => {
          throw new HttpProblem(400, 'Invalid request', 'The multipart body could not be read; send the photo in the field file.', [
            { name: 'file', reason: 'Expected a well-formed multipart/form-data body.' },
          ])
        })
        const file = form.get('file')
        if (!(file instanceof File) || file.size === 0) {
          throw new HttpProblem(400, 'Invalid request', 'Invalid body parameter: file. Expected one photo in the multipart field file.', [
            { name: 'file', reason: 'Expected a photo in the field file.' },
          ])
        }
        if (file.size > PHOTO_MAX_BYTES) {
          throw new HttpProblem(
            413,
            'Photo too large',
            `The photo (field file) has ${file.size} bytes; at most ${PHOTO_MAX_BYTES} bytes (10 MB) are accepted.`,
            [{ name: 'file', reason: 'Expected at most 10 MB.' }],
          )
        }
        const image = await prepareImage(Buffer.from(await file.arrayBuffer()))
        const sha = sha256Of(image.bytes)
        const id = await sql.begin(async (tx) => {
          await tx`
          insert into attachment_blob (sha256, media_type, bytes, size, width, height, thumb, thumb_width, thumb_height)
          values (${sha}, ${image.mediaType}, ${image.bytes}, ${image.bytes.length}, ${image.width}, ${image.height}, ${image.thumb}, ${image.thumbWidth}, ${image.thumbHeight})
          on conflict (sha256) do nothing`
          const [row] = await tx<{ id: number }[]>`
          insert into notice_attachment (sha256, uploaded_by, added_by) values (${sha}, ${viewer.id}, ${viewer.name}) returning id`
          return row!.id
        })
        return c.json({ id, url: urlOf(id), thumbnailUrl: `${urlOf(id)}?size=thumb`, width: image.width, height: image.height }, 201)
      },
    )
    .get(
      '/attachments/:attachmentId',
      describeRoute({
        tag: 'notices',
        summary: 'A notice photo (or its thumbnail)',
        errors: [404],
        ok: { description: 'The image', type: ['image/jpeg', 'image/webp'] },
      }),
      validate('param', IdParams),
      validate('query', SizeQuery),
      async (c) => {
        const viewer = viewerOf(c)
        const { attachmentId } = c.req.valid('param')
        const thumb = c.req.valid('query').size === 'thumb'
        const [row] = await sql<{ media_type: string; bytes: Buffer; sha256: Buffer }[]>`
        select ${thumb ? sql`'image/jpeg'` : sql`b.media_type`} as media_type, ${thumb ? sql`b.thumb` : sql`b.bytes`} as bytes, b.sha256
        from notice_attachment a join attachment_blob b on b.sha256 = a.sha256
        where a.id = ${attachmentId} and (
          (a.notice_id is null and a.uploaded_by = ${viewer.kind === 'user' ? viewer.id : -1})
          or exists (select 1 from notice n where n.id = a.notice_id and ${visibleTo(sql, viewer)}))`
        if (!row) throw new HttpProblem(404, 'Photo not found', `No photo has the id ${attachmentId} (parameter attachmentId).`)
        const etag = `"${row.sha256.toString('hex').slice(0, 32)}${thumb ? '-t' : ''}"`
        const headers = { 'content-type': row.media_type, 'cache-control': 'private, max-age=31536000, immutable', etag, 'x-content-type-options': 'nosniff' }
        if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
        return c.body(new Uint8Array(row.bytes), 200, headers)
      },
    )
}

/** Links the viewer's unlinked photos to a notice; 422 naming the field when one is not theirs to use. */
export async function linkAttachments(tx: Tx, noticeId: number, ids: number[] | undefined, viewer: Viewer): Promise<void> {
  if (!ids?.length) return
  const unique = [...new Set(ids)]
  const linked = await tx`
    update notice_attachment set notice_id = ${noticeId}
    where id = any(${unique}::bigint[]) and notice_id is null and uploaded_by = ${viewer.kind === 'user' ? viewer.id : -1}
    returning id`
  if (linked.count !== unique.length) {
    throw new HttpProblem(422, 'Unknown photo', 'Each attachment must be a photo you uploaded (POST /api/notices/attachments) and not yet used.', [
      { name: 'attachments', reason: 'Expected ids of your own unused notice photos.' },
    ])
  }
}
