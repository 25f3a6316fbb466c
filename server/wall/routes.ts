/**
 * The wall display's API: one summary of the district or a town, everything the wall's panels
 * show besides the live feed, in one request a wall can repeat every minute.
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { notFound } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { viewerScope } from '../access/scope.ts'
import { findWallGrid, rootGridCode, wallAlerts, wallCategories, wallDisputeHeat, wallKpis, wallRanking } from './queries.ts'
import { HEAT_CELL_DEGREES, WallSummaryQuery, type WallSummary } from './types.ts'
import { summaryWindow } from './window.ts'

export function wallRoutes(sql: Sql) {
  return new Hono().get(
    '/summary',
    describeRoute({ tag: 'wall', summary: 'Everything the wall display shows: figures, categories, ranking, heat, alerts' }),
    validate('query', WallSummaryQuery),
    async (c) => {
      const scope = viewerScope(c)
      // Without a grid: the district, or the town a town-scoped wall is set up for.
      const code = c.req.valid('query').grid ?? (scope.length === 9 ? scope : await rootGridCode(sql))
      const grid = code ? await findWallGrid(sql, code) : null
      if (!grid) throw notFound('Grid cell', `No district or town has the code ${code ?? '(none: the database holds no grid)'} (parameter grid).`)
      const w = summaryWindow()
      const [kpis, categories, ranking, heat, alerts] = await Promise.all([
        wallKpis(sql, grid.code, scope, w),
        wallCategories(sql, grid.code, scope, w),
        wallRanking(sql, grid.code, scope, w),
        wallDisputeHeat(sql, grid.code, scope, w),
        wallAlerts(sql, grid.code, scope, w),
      ])
      const summary: WallSummary = {
        grid,
        window: { asOf: w.asOf.toISOString(), todayFrom: w.todayFrom.toISOString(), recentFrom: w.recentFrom.toISOString(), timeZone: 'Asia/Shanghai' },
        kpis,
        categories,
        ranking: { level: grid.level + 1, rows: ranking },
        heat: { cellDegrees: HEAT_CELL_DEGREES, points: heat },
        alerts,
      }
      return c.json(summary, 200, { 'cache-control': 'no-store' })
    },
  )
}
