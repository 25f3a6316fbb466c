/**
 * Every read of residents' data (incidents, their parties masked or not) through an API token is
 * written to the audit log: a token has no person behind a screen, so its use is the trail. The
 * reason records the path only (a query string may carry search text).
 */
import type { Context } from 'hono'
import type { Sql } from '../db/connect.ts'
import type { Viewer } from './roles.ts'
import { clientIp } from './client-ip.ts'

export const TOKEN_READ_ACTION = 'api-token-read'

/** Paths whose answers hold incidents (and so their parties, masked). */
const PERSONAL_PATHS = /^\/(api\/incidents|api\/wall|ogc\/collections\/incidents|open311\/)/

export async function auditTokenRead(sql: Sql, c: Context, viewer: Viewer): Promise<void> {
  const path = c.req.path
  if (!PERSONAL_PATHS.test(path)) return
  await sql`
    insert into audit_log (actor_id, actor, actor_role, action, incident_id, reason, client_ip)
    values (null, ${`api-token:${viewer.id}:${viewer.name}`}, ${viewer.role}, ${TOKEN_READ_ACTION}, null, ${`${c.req.method} ${path}`.slice(0, 500)}, ${clientIp(c)})`
}
