/**
 * GET /api/audit: the audit log, newest first, for roles with the audit permission (the
 * commander). Keyset pages: `limit` (1–200, default 50) and `before` (an id from the last page).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { validate } from '../http/validate.ts'
import { requirePermission } from './scope.ts'

const AuditQuery = z.object({
  limit: z.coerce.number({ message: 'Expected limit as an integer from 1 to 200.' }).int('Expected limit as an integer from 1 to 200.')
    .min(1, 'Expected limit as an integer from 1 to 200.').max(200, 'Expected limit as an integer from 1 to 200.').default(50),
  before: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected before as an audit record id.').transform(Number).optional(),
  incident: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected incident as an incident id.').transform(Number).optional(),
})

export interface AuditRecord {
  id: number
  at: string
  actor: string
  actorRole: string
  action: string
  incidentId: number | null
  reason: string
}

export function auditRoutes(sql: Sql) {
  return new Hono().get('/', validate('query', AuditQuery), async (c) => {
    requirePermission(c, 'audit')
    const { limit, before, incident } = c.req.valid('query')
    const items = await sql<AuditRecord[]>`
      select id, at, actor, actor_role as "actorRole", action, incident_id as "incidentId", reason
      from audit_log
      where true ${before ? sql`and id < ${before}` : sql``} ${incident ? sql`and incident_id = ${incident}` : sql``}
      order by id desc limit ${limit}`
    return c.json({ items, nextBefore: items.length === limit ? items.at(-1)!.id : null }, 200, { 'cache-control': 'no-store' })
  })
}
