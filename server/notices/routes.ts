/**
 * The notices API: send (idempotent), preview the recipient count of a target, list, the
 * signed-in worker's inbox, one notice (progress, per-cell states at a level, clues, timeline,
 * who has not acknowledged), acknowledge, reply, remind, close. Scope: see queries.ts visibleTo.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { viewerIdempotencyKey } from '../http/idempotency.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerOf } from '../access/scope.ts'
import { isSender } from './queries.ts'
import { noticeAttachmentRoutes } from './attachments.ts'
import {
  acknowledgeNotice,
  closeNotice,
  countRecipients,
  createNotice,
  getNotice,
  listNotices,
  readInbox,
  remindNotice,
  replyToNotice,
  type NoticeContext,
} from './service.ts'
import { CloseBody, NewNoticeBody, NoticeTarget, NoticeDetailQuery, NoticeIdParams, NoticeListQuery, ReplyBody } from './types.ts'

const PreviewBody = z.strictObject({ target: NoticeTarget })

export function noticeRoutes(ctx: NoticeContext) {
  const { sql } = ctx
  return (
    new Hono()
      // Before /:id: the photos' own paths.
      .route('/', noticeAttachmentRoutes(sql))
      .post(
        '/',
        describeRoute({
          tag: 'notices',
          summary: 'Send an area notice to the grid persons of a cell subtree or radius (Idempotency-Key honoured)',
          errors: [409, 422],
          ok: { status: 201, description: 'The notice id and its recipient count' },
        }),
        validate('json', NewNoticeBody),
        async (c) => {
          const viewer = viewerOf(c)
          const { id, recipients, created } = await createNotice(ctx, c.req.valid('json'), viewer, viewerIdempotencyKey(c, viewer))
          return c.json({ id, recipients }, 201, created ? {} : { 'idempotent-replayed': 'true' })
        },
      )
      .post(
        '/preview',
        describeRoute({ tag: 'notices', summary: 'How many grid persons a notice would reach', errors: [422] }),
        validate('json', PreviewBody),
        async (c) => {
          const viewer = viewerOf(c)
          if (!isSender(viewer)) throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not send notices.`)
          const { target } = c.req.valid('json')
          if ('grids' in target) {
            const outside = target.grids.findIndex((code) => !code.startsWith(viewer.scope))
            if (outside >= 0)
              throw new HttpProblem(403, 'Outside your scope', `Grid ${target.grids[outside]} is outside your scope ${viewer.scope}.`, [
                { name: `target.grids[${outside}]`, reason: 'Expected a grid inside your scope.' },
              ])
          }
          return c.json({ recipients: await countRecipients(sql, target, viewer) })
        },
      )
      .get('/', describeRoute({ tag: 'notices', summary: "Notices sent within the viewer's scope" }), validate('query', NoticeListQuery), async (c) =>
        c.json({ notices: await listNotices(sql, viewerOf(c), c.req.valid('query').status) }),
      )
      .get('/inbox', describeRoute({ tag: 'notices', summary: 'Notices addressed to the signed-in person' }), async (c) =>
        c.json({ notices: await readInbox(sql, viewerOf(c)) }),
      )
      .get(
        '/:id',
        describeRoute({ tag: 'notices', summary: 'One notice: recipients by state, clues, timeline, map by cell', errors: [404] }),
        validate('param', NoticeIdParams),
        validate('query', NoticeDetailQuery),
        async (c) => {
          const query = c.req.valid('query')
          return c.json(await getNotice(sql, c.req.valid('param').id, viewerOf(c), { level: query.level, geometry: query.geometry === '1' }), 200, {
            'cache-control': 'private, no-store',
          })
        },
      )
      .post(
        '/:id/ack',
        describeRoute({ tag: 'notices', summary: 'Acknowledge a notice (recipient)', errors: [403, 404, 409] }),
        validate('param', NoticeIdParams),
        async (c) => c.json(await acknowledgeNotice(ctx, c.req.valid('param').id, viewerOf(c))),
      )
      .post(
        '/:id/replies',
        describeRoute({
          tag: 'notices',
          summary: 'Reply to a notice: a clue or searched, with photos',
          errors: [403, 404, 409, 422],
          ok: { status: 201, description: 'The reply' },
        }),
        validate('param', NoticeIdParams),
        validate('json', ReplyBody),
        async (c) => c.json(await replyToNotice(ctx, c.req.valid('param').id, viewerOf(c), c.req.valid('json')), 201),
      )
      .post(
        '/:id/remind',
        describeRoute({ tag: 'notices', summary: 'Remind the recipients who have not acknowledged', errors: [403, 404, 409] }),
        validate('param', NoticeIdParams),
        async (c) => c.json(await remindNotice(ctx, c.req.valid('param').id, viewerOf(c))),
      )
      .post(
        '/:id/close',
        describeRoute({ tag: 'notices', summary: 'Close a notice (found or cancelled)', errors: [403, 404, 409] }),
        validate('param', NoticeIdParams),
        validate('json', CloseBody),
        async (c) => c.json(await closeNotice(ctx, c.req.valid('param').id, viewerOf(c), c.req.valid('json'))),
      )
  )
}
