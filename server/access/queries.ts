/**
 * The reads behind sign-in and the audit log: an active user by name, an unrevoked wall token
 * by its digest, the name of a viewer's scope, and pages of the audit log. Routes call these;
 * they hold no SQL of their own.
 */
import type { Sql } from '../db/connect.ts'
import type { UserRole } from './roles.ts'

export interface SignInUser {
  id: number
  username: string
  password_hash: string
  role: UserRole
  scope: string
}

/** The active (not disabled) user with this exact username, or undefined. */
export async function findSignInUser(sql: Sql, username: string): Promise<SignInUser | undefined> {
  const [user] = await sql<SignInUser[]>`
    select id, username, password_hash, role, scope from app_user where username = ${username} and disabled_at is null`
  return user
}

export const SIGN_IN_ACTION = 'sign_in'

/** A successful sign-in, for the audit log (who, from which address; never the password). */
export async function recordSignIn(sql: Sql, user: { id: number; username: string; role: string }, clientIp: string): Promise<void> {
  await sql`
    insert into audit_log (actor_id, actor, actor_role, action, incident_id, reason, client_ip)
    values (${user.id}, ${user.username}, ${user.role}, ${SIGN_IN_ACTION}, null, '', ${clientIp})`
}

/** The unrevoked wall token with this digest, or undefined. */
export async function findWallToken(sql: Sql, tokenHash: string): Promise<{ id: number; label: string; scope: string } | undefined> {
  const [wall] = await sql<{ id: number; label: string; scope: string }[]>`
    select id, label, scope from wall_token where token_hash = ${tokenHash} and revoked_at is null`
  return wall
}

/** The name of the grid cell a scope names ('' when there is none). */
export async function scopeName(sql: Sql, scope: string): Promise<string> {
  const [cell] = await sql<{ name: string }[]>`select name from grid_cell where code = ${scope}`
  return cell?.name ?? ''
}

export interface AuditRecord {
  id: number
  at: string
  actor: string
  actorRole: string
  action: string
  incidentId: number | null
  reason: string
}

export interface AuditFilter {
  incident?: number
  /** A username. */
  actor?: string
  action?: string
  /** yyyy-mm-dd, China time, both days included. */
  from?: string
  to?: string
}

function auditWhere(sql: Sql, f: AuditFilter) {
  return sql`true
    ${f.incident ? sql`and incident_id = ${f.incident}` : sql``}
    ${f.actor ? sql`and actor = ${f.actor}` : sql``}
    ${f.action ? sql`and action = ${f.action}` : sql``}
    ${f.from ? sql`and at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'` : sql``}
    ${f.to ? sql`and at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'` : sql``}`
}

/** Audit records newest first: `before` an id (keyset page), filtered. */
export async function listAuditRecords(sql: Sql, page: { limit: number; before?: number } & AuditFilter): Promise<AuditRecord[]> {
  return sql<AuditRecord[]>`
    select id, at, actor, actor_role as "actorRole", action, incident_id as "incidentId", reason
    from audit_log
    where ${auditWhere(sql, page)} ${page.before ? sql`and id < ${page.before}` : sql``}
    order by id desc limit ${page.limit}`
}

/** Audit records for an export: times as China time text. */
export async function exportAuditRecords(sql: Sql, f: AuditFilter, limit: number): Promise<AuditRecord[]> {
  return sql<AuditRecord[]>`
    select id, to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as at, actor, actor_role as "actorRole", action, incident_id as "incidentId", reason
    from audit_log where ${auditWhere(sql, f)} order by id desc limit ${limit}`
}
