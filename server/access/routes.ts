/**
 * Signing in and out: POST /api/auth/login ({ username, password } → session cookie), POST
 * /api/auth/wall ({ token } of a wall display → a read-only session cookie), POST
 * /api/auth/logout, GET /api/auth/me (who is signed in, their scope and permissions).
 * A successful sign-in is written to the audit log (action sign_in). Sign-in attempts are limited per address, per username and per both, and the hashing is
 * queued (login-limits.ts); a wrong username and a wrong password get the same answer after the
 * same work.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { log } from '../log.ts'
import type { LoginGate } from './login-limits.ts'
import { digestToken, DUMMY_HASH } from './passwords.ts'
import { findSignInUser, findWallToken, recordSignIn, scopeName } from './queries.ts'
import { clientIp } from './client-ip.ts'
import { PERMISSIONS, type Role } from './roles.ts'
import { viewerOf } from './scope.ts'
import { clearSessionCookie, createSession, endSession, readSessionCookie, writeSessionCookie } from './sessions.ts'

const LoginBody = z.strictObject({
  username: z.string({ message: 'Expected username as text.' }).min(1, 'Expected a username.').max(64, 'Expected username of at most 64 characters.'),
  password: z.string({ message: 'Expected password as text.' }).min(1, 'Expected a password.').max(200, 'Expected password of at most 200 characters.'),
})

const WallBody = z.strictObject({
  token: z
    .string({ message: 'Expected token as text.' })
    .regex(/^gsw_[A-Za-z0-9_-]{43}$/, 'Expected a wall display token as issued by npm run user -- wall-token add.'),
})

export interface SessionLifetimes {
  sessionTtlMs: number
  wallSessionTtlMs: number
}

export interface Me {
  kind: 'user' | 'wall' | 'token'
  name: string
  role: Role
  scope: string
  scopeName: string
  permissions: { write: boolean; reveal: boolean; audit: boolean }
}

export { clientIp } from './client-ip.ts'

async function describe(sql: Sql, viewer: { kind: Me['kind']; name: string; role: Role; scope: string }): Promise<Me> {
  return {
    kind: viewer.kind,
    name: viewer.name,
    role: viewer.role,
    scope: viewer.scope,
    scopeName: await scopeName(sql, viewer.scope),
    permissions: PERMISSIONS[viewer.role],
  }
}

export function authRoutes(sql: Sql, logins: LoginGate, lifetimes: SessionLifetimes) {
  return (
    new Hono()
      .post(
        '/login',
        describeRoute({ tag: 'auth', summary: 'Sign in with username and password: sets the session cookie', access: 'public', errors: [401, 403, 429] }),
        validate('json', LoginBody),
        async (c) => {
          const { username, password } = c.req.valid('json')
          await logins.admit(c, username)
          const user = await findSignInUser(sql, username)
          const ok = await logins.verify(c, password, user?.password_hash ?? DUMMY_HASH)
          if (!user || !ok) {
            log.info({ event: 'sign-in refused' }, 'sign-in refused')
            throw new HttpProblem(401, 'Wrong username or password', 'The username or the password is wrong, or the account is disabled.', [
              { name: 'password', reason: 'Expected the password of an active user.' },
            ])
          }
          const session = await createSession(sql, { userId: user.id }, lifetimes.sessionTtlMs)
          writeSessionCookie(c, session.token, session.expiresAt)
          await recordSignIn(sql, user, clientIp(c))
          log.info({ userId: user.id, role: user.role }, 'signed in')
          return c.json(await describe(sql, { kind: 'user', name: user.username, role: user.role, scope: user.scope }))
        },
      )
      .post(
        '/wall',
        describeRoute({ tag: 'auth', summary: 'Sign a wall display in with its token: a read-only session cookie', access: 'public', errors: [401, 403, 429] }),
        validate('json', WallBody),
        async (c) => {
          await logins.admitWall(c)
          const wall = await findWallToken(sql, digestToken(c.req.valid('json').token))
          if (!wall)
            throw new HttpProblem(401, 'Unknown wall token', 'This wall display link is unknown or has been revoked.', [
              { name: 'token', reason: 'Expected a valid, unrevoked wall token.' },
            ])
          const session = await createSession(sql, { wallTokenId: wall.id }, lifetimes.wallSessionTtlMs)
          writeSessionCookie(c, session.token, session.expiresAt)
          log.info({ wallTokenId: wall.id }, 'wall display signed in')
          return c.json(await describe(sql, { kind: 'wall', name: wall.label, role: 'wall', scope: wall.scope }))
        },
      )
      .post(
        '/logout',
        describeRoute({
          tag: 'auth',
          summary: 'Sign out: ends the session and clears the cookie',
          access: 'public',
          ok: { status: 204, description: 'Signed out' },
        }),
        async (c) => {
          const viewer = c.get('viewer')
          if (viewer) await endSession(sql, viewer.sessionHash)
          else if (readSessionCookie(c)) await endSession(sql, digestToken(readSessionCookie(c)!))
          clearSessionCookie(c)
          return c.body(null, 204)
        },
      )
      .get('/me', describeRoute({ tag: 'auth', summary: 'Who is signed in: name, role, scope and permissions' }), async (c) =>
        c.json(await describe(sql, viewerOf(c)), 200, { 'cache-control': 'no-store' }),
      )
      // The same, or { me: null } with 200: the web client's first question, so a browser without a
      // session logs no failed request on the sign-in page.
      .get('/session', describeRoute({ tag: 'auth', summary: 'Who is signed in, or null (always 200)' }), async (c) => {
        const viewer = c.get('viewer')
        return c.json({ me: viewer ? await describe(sql, viewer) : null }, 200, { 'cache-control': 'no-store' })
      })
  )
}
