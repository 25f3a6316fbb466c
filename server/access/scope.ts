/**
 * Scope enforcement: what a viewer may see is the subtree of one grid code (a code prefix), and
 * it is applied in the database query of every endpoint that returns incidents or their figures.
 *
 * How an endpoint applies it (the authentication middleware has already answered 401 when no one
 * is signed in, so `c.get('viewer')` is set inside every /api and /tiles handler):
 *
 * - Incident rows, counts, aggregates, exports: pass the filter through `scopeFilter(c, filter)`
 *   to `incidentWhere` (server/incidents/sql/filter.ts). incidentWhere requires a `scope` field (a
 *   type error without it, and it throws at run time if one slips through) and always adds
 *   `grid_code like scope%` to the other filters:
 *       const where = incidentWhere(sql, scopeFilter(c, c.req.valid('query')))
 * - One incident by id: `getIncident(sql, id, viewerScope(c))` returns null outside the scope,
 *   which the route answers with 404 (the same answer as for an id that does not exist).
 * - A subtree by code (the live stream, roll-ups): `narrowPrefix(viewerScope(c), grid)` gives the
 *   prefix both allow, or null when they do not overlap: then answer with no rows / zeros.
 * - A cell's figures from grid_incident_stats (tiles, child lists, geometry properties): join
 *   `grid_incident_stats s on s.code = ${scopedStatsCode(sql, viewerScope(c))}` (scope-sql.ts),
 *   not on `s.code = c.code`: cells outside the scope then show zeros.
 * - A report: `createIncident(sql, body, { actor, scope: viewer.scope })` writes it only inside the
 *   scope (the point's cell is looked up once, in the insert) and answers 403 naming location otherwise.
 * - Anything cached (tiles, responses): put `viewerScope(c)` in the cache key, and answer with
 *   `Cache-Control: private` so shared caches never hand one viewer's figures to another.
 * - Writes: the middleware refuses them (403) for roles without the write permission; a write
 *   route still scopes the row it touches (create inside the scope, transition by scoped id).
 * - Grid polygons and non-personal figures (households, population) are not scoped.
 */
import type { Context } from 'hono'
import { HttpProblem } from '../http/problem.ts'
import { PERMISSIONS, type Permissions, type Viewer } from './roles.ts'

/** The signed-in viewer; 401 when there is none (public routes never call this). */
export function viewerOf(c: Context): Viewer {
  const viewer = c.get('viewer')
  if (!viewer) throw new HttpProblem(401, 'Sign-in required', 'Sign in (POST /api/auth/login) to use this endpoint.')
  return viewer
}

/** The grid code prefix the viewer sees. */
export function viewerScope(c: Context): string {
  return viewerOf(c).scope
}

/** The filter with the viewer's scope added: what incidentWhere needs. */
export function scopeFilter<F extends object>(c: Context, filter: F): F & { scope: string } {
  return { ...filter, scope: viewerScope(c) }
}

export { narrowPrefix } from '../grids/codes.ts'

/** The viewer, if their role has `permission`; else 403. */
export function requirePermission(c: Context, permission: keyof Permissions): Viewer {
  const viewer = viewerOf(c)
  if (!PERMISSIONS[viewer.role][permission]) {
    throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not do this (${permission}).`)
  }
  return viewer
}
