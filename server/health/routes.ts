/**
 * GET /api/health: whether the API can reach its database, and which one it is. Answers 503
 * with the reason when the database is down or gives no answer within HEALTH_TIMEOUT_MS (every
 * connection busy), so a load balancer takes the instance out instead of waiting on it.
 */
import { describeRoute } from '../http/describe.ts'
import { Hono } from 'hono'
import type { Database } from '../db/connect.ts'
import { describeDatabase } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { RETRY_AFTER_SECONDS, within } from '../db/unavailable.ts'

const HEALTH_TIMEOUT_MS = 3000

export function healthRoutes(db: Database) {
  return new Hono().get(
    '/',
    describeRoute({ tag: 'meta', summary: 'Health: the database answers (503 when it does not within 3 s)', access: 'public' }),
    async (c) => {
      let versions: { postgres: string; postgis: string }
      try {
        versions = await within(describeDatabase(db.sql), HEALTH_TIMEOUT_MS)
      } catch (error) {
        c.header('retry-after', String(RETRY_AFTER_SECONDS))
        throw new HttpProblem(
          503,
          'Database unavailable',
          `The ${db.mode} database does not answer (${(error as NodeJS.ErrnoException).code ?? 'no connection'}).`,
          undefined,
          {
            database: { mode: db.mode },
          },
        )
      }
      // The replica's state is reported, never a reason for 503: reads fall back to the primary.
      const replica = db.replica?.state()
      return c.json({ status: 'ok' as const, database: { mode: db.mode, ...versions }, ...(replica ? { replica } : {}) }, 200, {
        'cache-control': 'no-store',
      })
    },
  )
}
