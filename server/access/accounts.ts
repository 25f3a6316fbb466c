/**
 * Users and wall tokens in the database: created by `npm run user` (server/access/cli.ts), the
 * embedded demo's seed (server/demo/users.ts) and tests. A scope must name an existing grid cell at the level
 * the role works at (a town leader's is a town, a grid worker's a household group).
 */
import type { Sql } from '../db/connect.ts'
import { digestToken, hashPassword, newToken } from './passwords.ts'
import { levelOfCode, SCOPE_LEVEL, USER_ROLES, type Role, type UserRole } from './roles.ts'
import { forgetViewers } from './sessions.ts'
import { SESSION_CHANNEL } from './session-events.ts'

export class AccountError extends Error {}

export interface UserRow {
  id: number
  username: string
  displayName: string
  role: UserRole
  scope: string
  createdAt: Date
  disabledAt: Date | null
}

/** Checks that `scope` is a grid cell at the level `role` works at; the top of the grid (the province, city or district) when omitted. */
export async function resolveScope(sql: Sql, role: Role, scope: string | undefined): Promise<string> {
  const code = scope ?? (await sql<{ code: string }[]>`select code from grid_cell order by level, code limit 1`)[0]?.code
  if (!code) throw new AccountError('The grid is empty: start Gridscope once to seed it, or pass --scope.')
  const [cell] = await sql<{ level: number }[]>`select level from grid_cell where code = ${code}`
  if (!cell) throw new AccountError(`No grid cell has the code ${code} (--scope).`)
  const level = SCOPE_LEVEL[role]
  if (level !== null && levelOfCode(code) !== level) {
    throw new AccountError(`A ${role}'s scope must be a level-${level} cell; ${code} is level ${levelOfCode(code)}.`)
  }
  return code
}

export async function addUser(sql: Sql, input: { username: string; role: UserRole; scope?: string; password: string; displayName?: string }): Promise<UserRow> {
  if (!USER_ROLES.includes(input.role)) throw new AccountError(`Unknown role ${input.role}; expected one of ${USER_ROLES.join(', ')}.`)
  if (!/^[A-Za-z0-9_.@-]{2,64}$/.test(input.username)) throw new AccountError('A username is 2 to 64 letters, digits or . _ @ -.')
  if (input.password.length < 8 || input.password.length > 200) throw new AccountError('A password is 8 to 200 characters.')
  const scope = await resolveScope(sql, input.role, input.scope)
  const hash = await hashPassword(input.password)
  const [row] = await sql<UserRow[]>`
    insert into app_user (username, display_name, password_hash, role, scope)
    values (${input.username}, ${input.displayName ?? ''}, ${hash}, ${input.role}, ${scope})
    on conflict (username) do nothing
    returning id, username, display_name as "displayName", role, scope, created_at as "createdAt", disabled_at as "disabledAt"`
  if (!row) throw new AccountError(`A user named ${input.username} already exists.`)
  return row
}

export async function listUsers(sql: Sql): Promise<UserRow[]> {
  return sql<UserRow[]>`
    select id, username, display_name as "displayName", role, scope, created_at as "createdAt", disabled_at as "disabledAt"
    from app_user order by id`
}

/** Disables a user and ends their sessions at once. */
export async function disableUser(sql: Sql, username: string): Promise<void> {
  const done = await sql.begin(async (tx) => {
    const [row] = await tx<{ id: number }[]>`update app_user set disabled_at = coalesce(disabled_at, now()) where username = ${username} returning id`
    if (!row) return false
    await tx`delete from user_session where user_id = ${row.id}`
    await tx`select pg_notify(${SESSION_CHANNEL}, '')` // API processes end its live streams
    return true
  })
  forgetViewers()
  if (!done) throw new AccountError(`No user is named ${username}.`)
}

export interface WallTokenRow {
  id: number
  label: string
  scope: string
  createdAt: Date
  revokedAt: Date | null
}

/** Creates a wall display token; the token itself is returned here once and never stored. */
export async function addWallToken(sql: Sql, input: { label: string; scope?: string }): Promise<{ token: string; row: WallTokenRow }> {
  if (input.label.length < 1 || input.label.length > 100) throw new AccountError('A label is 1 to 100 characters.')
  const scope = await resolveScope(sql, 'wall', input.scope)
  const token = newToken('gsw_')
  const [row] = await sql<WallTokenRow[]>`
    insert into wall_token (label, token_hash, scope) values (${input.label}, ${digestToken(token)}, ${scope})
    returning id, label, scope, created_at as "createdAt", revoked_at as "revokedAt"`
  return { token, row: row! }
}

export async function listWallTokens(sql: Sql): Promise<WallTokenRow[]> {
  return sql<WallTokenRow[]>`select id, label, scope, created_at as "createdAt", revoked_at as "revokedAt" from wall_token order by id`
}

/** Revokes a wall token and ends the sessions opened with it. */
export async function revokeWallToken(sql: Sql, id: number): Promise<void> {
  const done = await sql.begin(async (tx) => {
    const [row] = await tx`update wall_token set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning id`
    if (!row) return false
    await tx`delete from user_session where wall_token_id = ${id}`
    await tx`select pg_notify(${SESSION_CHANNEL}, '')` // API processes end its displays' streams
    return true
  })
  forgetViewers()
  if (!done) throw new AccountError(`No wall token has the id ${id}.`)
}
