/**
 * GET /api/audit: the audit log, newest first, for roles with the audit permission (the
 * commander). Keyset pages: `limit` (1–200, default 50) and `before` (an id from the last page).
 * Filters: `actor` (a username), `incident`, `action`, `from`/`to` (yyyy-mm-dd, China time, both
 * days included). `format=csv` exports every matching record (at most 50,000) as CSV.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { exportAuditRecords, listAuditRecords } from './queries.ts'
import { requirePermission } from './scope.ts'
import { csvField } from '../analytics/export.ts'

export type { AuditRecord } from './queries.ts'

const AuditQuery = z.object({
  limit: z.coerce
    .number({ message: 'Expected limit as an integer from 1 to 200.' })
    .int('Expected limit as an integer from 1 to 200.')
    .min(1, 'Expected limit as an integer from 1 to 200.')
    .max(200, 'Expected limit as an integer from 1 to 200.')
    .default(50),
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected before as an audit record id.')
    .transform(Number)
    .optional(),
  incident: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected incident as an incident id.')
    .transform(Number)
    .optional(),
  actor: z.string().trim().min(1, 'Expected actor as a username.').max(64, 'Expected actor as a username.').optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z_-]{0,39}$/, 'Expected action as an audit action code such as reveal_parties or api-token-read.')
    .optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected from as a date yyyy-mm-dd.')
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected to as a date yyyy-mm-dd.')
    .optional(),
  format: z.enum(['json', 'csv'], { message: 'Expected format json or csv.' }).default('json'),
})

const MAX_CSV_ROWS = 50_000
const CSV_HEADER = ['编号 id', '时间 at', '操作人 actor', '角色 role', '操作 action', '事件 incident', '理由 reason']

export function auditRoutes(sql: Sql) {
  return new Hono().get(
    '/',
    describeRoute({
      tag: 'admin',
      summary: 'The audit log (commander): reveals and token reads, filtered; JSON or CSV',
      errors: [403],
      ok: { description: 'Audit records', type: ['application/json', 'text/csv'] },
    }),
    validate('query', AuditQuery),
    async (c) => {
      requirePermission(c, 'audit')
      const { limit, before, format, ...filter } = c.req.valid('query')
      if (format === 'csv') {
        const rows = await exportAuditRecords(sql, filter, MAX_CSV_ROWS)
        const lines = [CSV_HEADER, ...rows.map((r) => [r.id, r.at, r.actor, r.actorRole, r.action, r.incidentId ?? '', r.reason])]
        const body = '\ufeff' + lines.map((cells) => cells.map((v) => csvField(v)).join(',')).join('\r\n') + '\r\n'
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="audit-log.csv"',
          'cache-control': 'no-store',
        })
      }
      const items = await listAuditRecords(sql, { limit, before, ...filter })
      return c.json({ items, nextBefore: items.length === limit ? items.at(-1)!.id : null }, 200, { 'cache-control': 'no-store' })
    },
  )
}
