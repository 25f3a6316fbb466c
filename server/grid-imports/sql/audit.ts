/** The audit records of the web grid import (checked, applied), every value bound. */
import type { Sql } from '../../db/connect.ts'

export const IMPORT_CHECK_ACTION = 'grid-import-check'
export const IMPORT_APPLY_ACTION = 'grid-import-apply'

export interface ImportActor {
  actorId: number | null
  actor: string
  role: string
  clientIp: string
}

export async function recordImportAction(sql: Sql, by: ImportActor, action: string, reason: string): Promise<void> {
  await sql`
    insert into audit_log (actor_id, actor, actor_role, action, incident_id, reason, client_ip)
    values (${by.actorId}, ${by.actor}, ${by.role}, ${action}, null, ${reason}, ${by.clientIp})`
}
