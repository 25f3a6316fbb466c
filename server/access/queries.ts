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

/** Audit records newest first: `before` an id (keyset page), optionally of one incident. */
export async function listAuditRecords(sql: Sql, page: { limit: number; before?: number; incident?: number }): Promise<AuditRecord[]> {
  const { limit, before, incident } = page
  return sql<AuditRecord[]>`
    select id, at, actor, actor_role as "actorRole", action, incident_id as "incidentId", reason
    from audit_log
    where true ${before ? sql`and id < ${before}` : sql``} ${incident ? sql`and incident_id = ${incident}` : sql``}
    order by id desc limit ${limit}`
}
