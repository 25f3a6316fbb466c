/**
 * API tokens: how GIS clients (QGIS, GDAL's OAPIF driver) and other city systems (Open311) read
 * Gridscope without a browser session. A token has a role and a scope like a user and is sent as
 * `Authorization: Bearer <token>` (or `api_key` for Open311); the database keeps only its SHA-256
 * digest. Every request looks the token up again (no cache), so revoking is immediate, and the
 * same statement records the last use (at most every few seconds, to spare writes on tile bursts).
 */
import type { Sql } from '../db/connect.ts'
import { AccountError, resolveScope } from './accounts.ts'
import { digestToken, newToken } from './passwords.ts'
import { USER_ROLES, type UserRole, type Viewer } from './roles.ts'

export const API_TOKEN_PATTERN = /^gst_[A-Za-z0-9_-]{43}$/

export interface ApiTokenRow {
  id: number
  name: string
  role: UserRole
  scope: string
  createdAt: Date
  expiresAt: Date | null
  revokedAt: Date | null
  lastUsedAt: Date | null
  lastUsedIp: string | null
}

const COLUMNS = (sql: Sql) => sql`id, name, role, scope, created_at as "createdAt", expires_at as "expiresAt", revoked_at as "revokedAt",
  last_used_at as "lastUsedAt", last_used_ip as "lastUsedIp"`

export async function addApiToken(
  sql: Sql,
  input: { name: string; role: string; scope?: string; expires?: string },
): Promise<{ token: string; row: ApiTokenRow }> {
  if (input.name.length < 1 || input.name.length > 100) throw new AccountError('A token name is 1 to 100 characters.')
  if (!USER_ROLES.includes(input.role as UserRole)) throw new AccountError(`--role is one of ${USER_ROLES.join(', ')}.`)
  let expiresAt: Date | null = null
  if (input.expires !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expires) || Number.isNaN(Date.parse(`${input.expires}T00:00:00Z`))) {
      throw new AccountError('--expires is a date YYYY-MM-DD (the token stops working at its start, UTC).')
    }
    expiresAt = new Date(`${input.expires}T00:00:00Z`)
    if (expiresAt.getTime() <= Date.now()) throw new AccountError(`--expires ${input.expires} is already past.`)
  }
  const scope = await resolveScope(sql, input.role as UserRole, input.scope)
  const token = newToken('gst_')
  const [row] = await sql<ApiTokenRow[]>`
    insert into api_token (name, token_hash, role, scope, expires_at)
    values (${input.name}, ${digestToken(token)}, ${input.role}, ${scope}, ${expiresAt})
    returning ${COLUMNS(sql)}`
  return { token, row: row! }
}

export async function listApiTokens(sql: Sql): Promise<ApiTokenRow[]> {
  return sql<ApiTokenRow[]>`select ${COLUMNS(sql)} from api_token order by id`
}

export async function revokeApiToken(sql: Sql, id: number): Promise<void> {
  const [row] = await sql`update api_token set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning id`
  if (!row) throw new AccountError(`No API token has the id ${id}.`)
}

/** The viewer a bearer token stands for (null: unknown, revoked or expired); records the use. */
export async function findTokenViewer(sql: Sql, token: string, clientIp: string): Promise<Viewer | null> {
  if (!API_TOKEN_PATTERN.test(token)) return null
  const hash = digestToken(token)
  const [row] = await sql<{ id: number; name: string; role: UserRole; scope: string }[]>`
    with found as (
      select id, name, role, scope, last_used_at from api_token
      where token_hash = ${hash} and revoked_at is null and (expires_at is null or expires_at > now())
    ), used as (
      update api_token set last_used_at = now(), last_used_ip = ${clientIp}
      where id = (select id from found) and (last_used_at is null or last_used_at < now() - interval '5 seconds')
    )
    select id, name, role, scope from found`
  if (!row) return null
  return { kind: 'token', id: row.id, name: row.name, role: row.role, scope: row.scope, sessionHash: hash }
}

/** The bearer token of a request, if it carries one. */
export function readBearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match?.[1]
}
