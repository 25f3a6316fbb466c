/**
 * Photos of cases: `POST /api/incidents/:id/attachments` (multipart, field `file`) stores one and
 * answers 201 `{ id, url, thumbnailUrl, width, height, bytes }` (a replay gets the first one,
 * with `Idempotent-Replayed: true`); `GET /api/attachments/:id[?size=thumb]` serves it inside the viewer's scope (404
 * outside), cacheable for a year by the viewer's browser only (the bytes behind an id never change).
 * The upload has its own body limit (UPLOAD_MAX_BYTES); every other API route keeps the small one.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { viewerIdempotencyKey } from '../http/idempotency.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerOf, viewerScope } from '../access/scope.ts'
import { prepareImage } from './image.ts'
import { readAttachment, storeAttachment } from './service.ts'
import { blobTransferFor, type BlobTransfer } from './blob-copy.ts'

/** At most 10 MB per photo. */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024
/** The whole multipart request: one photo and the form's framing. */
export const UPLOAD_MAX_BYTES = PHOTO_MAX_BYTES + 64 * 1024
/** The one path whose requests may be larger than the API's usual body limit. */
export const UPLOAD_PATH = /^\/api\/incidents\/[^/]+\/attachments\/?$/

const IdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected id as a positive integer.')
    .transform(Number),
})
const SizeQuery = z.strictObject({ size: z.enum(['full', 'thumb'], { message: 'Expected size: thumb (or full, the default).' }).optional() })

function tooLarge(size: number): HttpProblem {
  return new HttpProblem(413, 'Photo too large', `The photo (field file) has ${size} bytes; at most ${PHOTO_MAX_BYTES} bytes (10 MB) are accepted.`, [
    { name: 'file', reason: 'Expected at most 10 MB.' },
  ])
}

export function attachmentRoutes(sql: Sql) {
  // How photo bytes reach the database (blob-copy.ts), asked of the server on the first upload.
  let transfer: Promise<BlobTransfer> | undefined
  return new Hono()
    .post(
      '/incidents/:id/attachments',
      describeRoute({
        tag: 'field-work',
        summary: 'Add a photo to a case (multipart, field file; GPS removed; Idempotency-Key honoured)',
        errors: [404, 409, 413, 415, 422],
        ok: { status: 201, description: 'The stored photo' },
      }),
      validate('param', IdParams),
      async (c) => {
        const viewer = viewerOf(c)
        const key = viewerIdempotencyKey(c, viewer)
        if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
          throw new HttpProblem(415, 'Multipart form expected', 'Send the photo as multipart/form-data with the field file.', [
            { name: 'file', reason: 'Expected a multipart/form-data body.' },
          ])
        }
        let form: FormData
        try {
          form = await c.req.formData()
        } catch {
          throw new HttpProblem(400, 'Invalid request', 'The multipart body could not be read; send the photo in the field file.', [
            { name: 'file', reason: 'Expected a well-formed multipart/form-data body.' },
          ])
        }
        const file = form.get('file')
        if (!(file instanceof File)) {
          throw new HttpProblem(400, 'Invalid request', 'Invalid body parameter: file. Expected one photo in the multipart field file.', [
            { name: 'file', reason: 'Expected a file in the field file.' },
          ])
        }
        if (file.size > PHOTO_MAX_BYTES) throw tooLarge(file.size)
        if (file.size === 0)
          throw new HttpProblem(400, 'Invalid request', 'Invalid body parameter: file. The file is empty.', [
            { name: 'file', reason: 'Expected a photo, not an empty file.' },
          ])
        const image = await prepareImage(Buffer.from(await file.arrayBuffer()))
        const { attachment, created } = await storeAttachment(sql, c.req.valid('param').id, image, {
          actor: viewer.name,
          scope: viewer.scope,
          idempotencyKey: key,
          transfer: await (transfer ??= blobTransferFor(sql).catch((error) => {
            transfer = undefined // asked again next time: the database may have been away
            throw error
          })),
        })
        return c.json(attachment, 201, created ? {} : { 'idempotent-replayed': 'true' })
      },
    )
    .get(
      '/attachments/:id',
      describeRoute({
        tag: 'field-work',
        summary: 'A case photo (or its 320 px thumbnail)',
        errors: [404],
        ok: { description: 'The image', type: 'image/jpeg' },
      }),
      validate('param', IdParams),
      validate('query', SizeQuery),
      async (c) => {
        const { id } = c.req.valid('param')
        const found = await readAttachment(sql, id, viewerScope(c), c.req.valid('query').size ?? 'full')
        if (!found) throw new HttpProblem(404, 'Photo not found', `No photo has the id ${id} (parameter id).`)
        const headers = {
          'content-type': found.mediaType,
          'cache-control': 'private, max-age=31536000, immutable',
          etag: found.etag,
          'x-content-type-options': 'nosniff',
        }
        if (c.req.header('if-none-match') === found.etag) return c.body(null, 304, headers)
        return c.body(new Uint8Array(found.bytes), 200, headers)
      },
    )
}
