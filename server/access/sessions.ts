/**
 * Sessions: a random token in an HttpOnly, SameSite=Strict cookie; the database keeps only its
 * SHA-256 digest, the user (or wall token) and the expiry. A session found is remembered for at
 * most VIEWER_CACHE_MS (never past its expiry), so a map loading dozens of tiles costs one lookup,
 * not dozens. Logout, disabling a user and revoking a wall token in this process forget every
 * remembered session at once (effective on the next request); done by another process (the
 * `npm run user` command, a second API process) they take effect within VIEWER_CACHE_MS.
 */
import type { Context } from 'hono'
import { LRUCache } from 'lru-cache'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Sql } from '../db/connect.ts'
import { digestToken, newToken } from './passwords.ts'
import { emitSessionsEnded, SESSION_CHANNEL } from './session-events.ts'
import type { Role, Viewer } from './roles.ts'

export const SESSION_COOKIE = 'gridscope_session'

export const VIEWER_CACHE_MS = 2000
const viewers = new LRUCache<string, { viewer: Viewer; until: number }>({ max: 10_000 })

/** Forget every remembered session: after a logout, a disabled user or a revoked wall token. */
export function forgetViewers(): void {
  viewers.clear()
  emitSessionsEnded()
}

export async function createSession(sql: Sql, owner: { userId: number } | { wallTokenId: number }, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken()
  const expiresAt = new Date(Date.now() + ttlMs)
  const userId = 'userId' in owner ? owner.userId : null
  const wallTokenId = 'wallTokenId' in owner ? owner.wallTokenId : null
  await sql`
    insert into user_session (token_hash, user_id, wall_token_id, expires_at)
    values (${digestToken(token)}, ${userId}, ${wallTokenId}, ${expiresAt})`
  return { token, expiresAt }
}

/** The viewer a session token stands for, or null (unknown, expired, user disabled, token revoked). */
export async function findViewer(sql: Sql, token: string): Promise<Viewer | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const sessionHash = digestToken(token)
  const remembered = viewers.get(sessionHash)
  if (remembered && remembered.until > Date.now()) return remembered.viewer
  const [row] = await sql<{ kind: 'user' | 'wall'; id: number; name: string; role: Role; scope: string; expiresAt: Date }[]>`
    select 'user' as kind, u.id, u.username as name, u.role, u.scope, s.expires_at as "expiresAt"
    from user_session s join app_user u on u.id = s.user_id
    where s.token_hash = ${sessionHash} and s.expires_at > now() and u.disabled_at is null
    union all
    select 'wall', w.id, w.label, 'wall', w.scope, s.expires_at
    from user_session s join wall_token w on w.id = s.wall_token_id
    where s.token_hash = ${sessionHash} and s.expires_at > now() and w.revoked_at is null`
  if (!row) return null
  const { expiresAt, ...found } = row
  const viewer = { ...found, sessionHash }
  viewers.set(sessionHash, { viewer, until: Math.min(Date.now() + VIEWER_CACHE_MS, expiresAt.getTime()) })
  return viewer
}

export async function endSession(sql: Sql, sessionHash: string): Promise<void> {
  await sql`with ended as (delete from user_session where token_hash = ${sessionHash}) select pg_notify(${SESSION_CHANNEL}, '')`
  forgetViewers()
}

/** Expired sessions are dead already (findViewer checks expiry); this only keeps the table small. */
export async function purgeExpiredSessions(sql: Sql): Promise<number> {
  const rows = await sql`delete from user_session where expires_at < now() - interval '1 day' returning 1`
  return rows.length
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE)
}

/** Strict: the SPA's own requests are same-site, so the cookie never rides on another site's request. */
export function writeSessionCookie(c: Context, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: isHttps(c),
    path: '/',
    expires: expiresAt,
  })
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c) })
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}
