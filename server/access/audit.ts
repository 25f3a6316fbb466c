/**
 * GET /api/audit: the audit log, newest first, for roles with the audit permission (the
 * commander). Keyset pages: `limit` (1–200, default 50) and `before` (an id from the last page).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { validate } from '../http/validate.ts'
import { listAuditRecords } from './queries.ts'
import { requirePermission } from './scope.ts'

export type { AuditRecord } from './queries.ts'

const AuditQuery = z.object({
  limit: z.coerce.number({ message: 'Expected limit as an integer from 1 to 200.' }).int('Expected limit as an integer from 1 to 200.')
    .min(1, 'Expected limit as an integer from 1 to 200.').max(200, 'Expected limit as an integer from 1 to 200.').default(50),
  before: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected before as an audit record id.').transform(Number).optional(),
  incident: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected incident as an incident id.').transform(Number).optional(),
})

export function auditRoutes(sql: Sql) {
  return new Hono().get('/', validate('query', AuditQuery), async (c) => {
    requirePermission(c, 'audit')
    const { limit, before, incident } = c.req.valid('query')
    const items = await listAuditRecords(sql, { limit, before, incident })
    return c.json({ items, nextBefore: items.length === limit ? items.at(-1)!.id : null }, 200, { 'cache-control': 'no-store' })
  })
}
