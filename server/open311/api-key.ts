/**
 * Who is asking, for Open311: an API token, sent as `api_key` (the specification's name; in the
 * form of a POST, the query of a GET) or as `Authorization: Bearer`. A missing or unknown key is
 * the specification's 403. Each token shares the per-token request limit of every other route
 * (429 with Retry-After). Sessions are not accepted here: a cookie would make the form POST
 * reachable from other sites, and Open311 is for systems that hold a token.
 */
import type { Context } from 'hono'
import { findTokenViewer, readBearer } from '../access/api-tokens.ts'
import { clientIp } from '../access/client-ip.ts'
import type { Limiter } from '../access/rate-limit.ts'
import type { Viewer } from '../access/roles.ts'
import type { Sql } from '../db/connect.ts'
import { Open311Error } from './format.ts'

export async function requireApiKey(c: Context, sql: Sql, limiter: Limiter, apiKey: string | undefined): Promise<Viewer> {
  const key = apiKey ?? readBearer(c.req.header('authorization'))
  if (key === undefined || key === '') throw new Open311Error(403, 'api_key: required; ask the administrator for an API token.')
  const viewer = await findTokenViewer(sql, key, clientIp(c))
  if (!viewer) throw new Open311Error(403, 'api_key: unknown, revoked or expired.')
  const wait = await limiter.hit(viewer.sessionHash)
  if (wait) {
    throw new Open311Error(429, 'api_key: too many requests with this key; wait a moment.', { 'retry-after': String(wait) })
  }
  return viewer
}
