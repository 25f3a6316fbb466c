/**
 * Signing in for tests: `signIn(db, role, scope)` makes (once) a test user of that role and
 * scope and opens a session for it directly in the database, returning the Cookie header value;
 * `asViewer(app, cookie)` wraps an in-memory app so every request carries it; `commanderApp(db)`
 * is the app as the district commander sees it (what the tests written before access control
 * expect). A `wall` role opens a session through a fresh wall token.
 */
import type { Hono } from 'hono'
import { createApp, type AppOptions } from '../../server/app.ts'
import { addWallToken } from '../../server/access/accounts.ts'
import { DUMMY_HASH } from '../../server/access/passwords.ts'
import type { Role } from '../../server/access/roles.ts'
import { createSession, SESSION_COOKIE } from '../../server/access/sessions.ts'
import type { Database } from '../../server/db/connect.ts'

export const DISTRICT = '440904'
const HOUR = 3_600_000

export async function signIn(db: Database, role: Role = 'commander', scope = DISTRICT): Promise<string> {
  if (role === 'wall') {
    const { row } = await addWallToken(db.sql, { label: `test wall ${scope}`, scope })
    return cookieOf((await createSession(db.sql, { wallTokenId: row.id }, HOUR)).token)
  }
  const username = `test-${role}-${scope}`
  // Not a usable password: test sessions are opened directly, sign-in is tested on its own.
  await db.sql`
    insert into app_user (username, password_hash, role, scope) values (${username}, ${DUMMY_HASH}, ${role}, ${scope})
    on conflict (username) do nothing`
  const [user] = await db.sql<{ id: number }[]>`select id from app_user where username = ${username}`
  return cookieOf((await createSession(db.sql, { userId: user!.id }, HOUR)).token)
}

export function cookieOf(token: string): string {
  return `${SESSION_COOKIE}=${token}`
}

export function withCookie(init: RequestInit = {}, cookie: string): RequestInit {
  const headers = new Headers(init.headers)
  headers.set('cookie', cookie)
  return { ...init, headers }
}

export interface RequestTarget {
  request(path: string, init?: RequestInit): Promise<Response>
}

export function asViewer(app: Hono, cookie: string): RequestTarget {
  return { request: async (path, init) => app.request(path, withCookie(init, cookie)) }
}

/** The real app, with every request signed in as the district commander. */
export async function commanderApp(db: Database, options?: AppOptions): Promise<RequestTarget & { cookie: string }> {
  const cookie = await signIn(db)
  return { ...asViewer(createApp(db, options), cookie), cookie }
}

/** Headers for fetch() against a served app, signed in as the commander. */
export async function commanderHeaders(db: Database, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  return { ...headers, cookie: await signIn(db) }
}
