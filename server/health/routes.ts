/**
 * GET /api/health: whether the API can reach its database, and which one it is. Answers 503
 * with the reason when the database is down, so a load balancer takes the instance out.
 */
import { Hono } from 'hono'
import type { Database } from '../db/connect.ts'
import { describeDatabase } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'

export function healthRoutes(db: Database) {
  return new Hono().get('/', async (c) => {
    let versions: { postgres: string; postgis: string }
    try {
      versions = await describeDatabase(db.sql)
    } catch (error) {
      throw new HttpProblem(503, 'Database unavailable', `The ${db.mode} database does not answer (${(error as NodeJS.ErrnoException).code ?? 'no connection'}).`, undefined, {
        database: { mode: db.mode },
      })
    }
    return c.json({ status: 'ok' as const, database: { mode: db.mode, ...versions } })
  })
}
