/**
 * The Idempotency-Key header of a write (a report, a notice): a client that retries after a lost
 * answer sends the same key and gets the first answer again instead of a second record. Keys are
 * the viewer's own: stored with the viewer as last segment, so another user's key never replays
 * (or reveals) a record to them.
 */
import type { Context } from 'hono'
import type { Viewer } from '../access/roles.ts'
import { HttpProblem } from './problem.ts'

const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/
const EXPECTED = 'Expected 8 to 200 letters, digits or . _ : -'

/** The viewer's own key for this request; undefined without the header; 400 naming it when malformed. */
export function viewerIdempotencyKey(c: Context, viewer: Viewer): string | undefined {
  const key = c.req.header('idempotency-key')
  if (key === undefined) return undefined
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'Invalid request', `Invalid header: Idempotency-Key. ${EXPECTED}`, [{ name: 'Idempotency-Key', reason: EXPECTED }])
  }
  return `${key}:${viewer.kind === 'user' ? 'u' : viewer.kind === 'wall' ? 'w' : 't'}${viewer.id}`
}
