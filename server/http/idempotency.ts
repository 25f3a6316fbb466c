/**
 * The Idempotency-Key header of a write (a report, a notice, a patrol, a photo): a client that
 * retries after a lost answer sends the same key and gets the first answer again instead of a
 * second record. Keys are the viewer's own: stored with the viewer as last segment, so another
 * user's key never replays (or reveals, or blocks) a record to them.
 */
import type { Context } from 'hono'
import type { Viewer } from '../access/roles.ts'
import { HttpProblem } from './problem.ts'

/** What a key may be; Open311 checks it too, with its own error format. */
export const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/
export const IDEMPOTENCY_KEY_EXPECTED = 'Expected 8 to 200 letters, digits or . _ : -'

/** A client's key as stored: the viewer (user, wall or API token) as its last segment. */
export function keyOfViewer(key: string, viewer: Pick<Viewer, 'kind' | 'id'>): string {
  return `${key}:${viewer.kind === 'user' ? 'u' : viewer.kind === 'wall' ? 'w' : 't'}${viewer.id}`
}

/** The viewer's own key for this request; undefined without the header; 400 naming it when malformed. */
export function viewerIdempotencyKey(c: Context, viewer: Viewer): string | undefined {
  const key = c.req.header('idempotency-key')
  if (key === undefined) return undefined
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'Invalid request', `Invalid header: Idempotency-Key. ${IDEMPOTENCY_KEY_EXPECTED}`, [
      { name: 'Idempotency-Key', reason: IDEMPOTENCY_KEY_EXPECTED },
    ])
  }
  return keyOfViewer(key, viewer)
}
