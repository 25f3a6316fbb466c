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
import { heatCellDegrees, WallSummaryQuery, type WallSummary } from './types.ts'
import { PROVINCE_LEVEL } from '../grids/codes.ts'
import { summaryWindow } from './window.ts'

export function wallRoutes(sql: Sql) {
  return new Hono().get(
    '/summary',
    describeRoute({ tag: 'wall', summary: 'Everything the wall display shows: figures, categories, ranking, heat, alerts' }),
    validate('query', WallSummaryQuery),
    async (c) => {
      const scope = viewerScope(c)
      // Without a grid: the province, city, district or town the wall is set up for (a wall set up
      // for a village or below shows the top of the grid, with only its own cases counted).
      const code = c.req.valid('query').grid ?? (scope.length <= 9 ? scope : await rootGridCode(sql))
      const grid = code ? await findWallGrid(sql, code) : null
      if (!grid)
        throw notFound('Grid cell', `No province, city, district or town has the code ${code ?? '(none: the database holds no grid)'} (parameter grid).`)
      const w = summaryWindow()
      const cellDegrees = heatCellDegrees(grid.level)
      const [kpis, categories, ranking, countyRanking, heat, alerts] = await Promise.all([
        wallKpis(sql, grid.code, scope, w),
        wallCategories(sql, grid.code, scope, w),
        wallRanking(sql, grid.code, grid.level + 1, scope, w),
        grid.level === PROVINCE_LEVEL ? wallRanking(sql, grid.code, 1, scope, w) : null,
        wallDisputeHeat(sql, grid.code, scope, w, cellDegrees),
        wallAlerts(sql, grid.code, scope, w),
      ])
      const summary: WallSummary = {
        grid,
        window: { asOf: w.asOf.toISOString(), todayFrom: w.todayFrom.toISOString(), recentFrom: w.recentFrom.toISOString(), timeZone: 'Asia/Shanghai' },
        kpis,
        categories,
        ranking: { level: grid.level + 1, rows: ranking },
        countyRanking,
        heat: { cellDegrees, points: heat },
        alerts,
      }
      return c.json(summary, 200, { 'cache-control': 'no-store' })
    },
  )
}
