/**
 * The request guards in front of the API and the tiles, in order: body size limit, CSRF check on
 * writes (a write whose Sec-Fetch-Site or Origin names another site is refused; a form-encoded
 * or body-less write must carry one of them, as hono/csrf checks; JSON cannot be sent cross-site
 * without a CORS preflight, which this server never grants; and the cookie is SameSite=Strict), then
 * `authenticate`: the session cookie → the viewer on the context, 401 without one (except the
 * public routes), 403 for writes by read-only roles, and a per-session write rate limit. An
 * `Authorization: Bearer` API token instead: read-only, limited per token, personal reads audited.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { Limiter } from './rate-limit.ts'
import { PERMISSIONS } from './roles.ts'
import { findViewer, readSessionCookie } from './sessions.ts'
import { findTokenViewer, readBearer } from './api-tokens.ts'
import { auditTokenRead } from './token-audit.ts'
import { clientIp } from './client-ip.ts'

/** Answer without a session: health and product info for probes, signing in itself, and the API's documentation. */
const PUBLIC_PATHS = /^\/api\/(health|meta|auth\/(login|logout|wall|session)|openapi\.json|docs(\/[\w.-]+)?)\/?$/
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function limitBodySize(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpProblem(413, 'Request body too large', `The request body is larger than ${maxBytes} bytes.`)
    },
  })
}

export function refuseCrossSiteWrites(): MiddlewareHandler {
  const formCheck = csrf()
  const refuse = () =>
    new HttpProblem(403, 'Cross-site request refused', 'Writes must come from this site (the Origin or Sec-Fetch-Site header did not match).')
  return async (c, next) => {
    if (!SAFE_METHODS.has(c.req.method)) {
      // Sec-Fetch-Site is set by the browser itself (a page cannot forge it): trust it when present.
      // Behind the dev server's proxy the Origin differs from the proxied URL, but this holds.
      const site = c.req.header('sec-fetch-site')
      const origin = c.req.header('origin')
      if (site !== undefined && site !== 'same-origin') throw refuse()
      if (site === undefined && origin !== undefined && origin !== new URL(c.req.url).origin) throw refuse()
      // Form-encoded or body-less writes without either header: hono/csrf refuses them.
      try {
        await formCheck(c, async () => {})
      } catch (error) {
        if (error instanceof HTTPException) throw refuse()
        throw error
      }
    }
    await next()
  }
}

export function authenticate(sql: Sql, writes: Limiter, tokens: Limiter): MiddlewareHandler {
  return async (c, next) => {
    const bearer = readBearer(c.req.header('authorization'))
    if (bearer !== undefined) return authenticateToken(c, next, sql, tokens, bearer)
    const token = readSessionCookie(c)
    const viewer = token ? await findViewer(sql, token) : null
    c.set('viewer', viewer ?? undefined)
    const path = c.req.path
    if (PUBLIC_PATHS.test(path) || path === '/api/auth/me') return next() // /me answers 401 itself
    if (!viewer)
      throw new HttpProblem(401, 'Sign-in required', token ? 'The session has ended; sign in again.' : 'Sign in (POST /api/auth/login) to use this endpoint.')
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!PERMISSIONS[viewer.role].write) {
        throw new HttpProblem(403, 'Read-only access', `The role ${viewer.role} may read but not change anything.`)
      }
      const wait = await writes.hit(viewer.sessionHash)
      if (wait) throw tooManyRequests(c, wait, 'Too many changes from this session; wait a moment.')
    }
    return next()
  }
}

export function tooManyRequests(c: Context, retryAfterSeconds: number, detail: string): HttpProblem {
  c.header('retry-after', String(retryAfterSeconds))
  return new HttpProblem(429, 'Too many requests', detail, undefined, { retryAfter: retryAfterSeconds })
}

/** A request carrying an API token: reads only, within the token's role and scope. */
async function authenticateToken(c: Context, next: () => Promise<void>, sql: Sql, tokens: Limiter, bearer: string): Promise<void> {
  const viewer = await findTokenViewer(sql, bearer, clientIp(c))
  if (!viewer) throw new HttpProblem(401, 'Unknown API token', 'The bearer token is unknown, revoked or expired.')
  c.set('viewer', viewer)
  const wait = await tokens.hit(viewer.sessionHash)
  if (wait) throw tooManyRequests(c, wait, 'Too many requests with this API token; wait a moment.')
  if (!SAFE_METHODS.has(c.req.method)) throw new HttpProblem(403, 'Read-only access', 'API tokens may read but not change anything.')
  await auditTokenRead(sql, c, viewer)
  await next()
}
