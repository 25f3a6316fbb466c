/**
 * The coverage API for the command centre: `GET /api/coverage` (per cell one level below a grid),
 * `GET /api/coverage/workers` (per grid worker; `format=csv` downloads it), `GET /api/coverage/silent`
 * (household groups with no patrol and no report for `days`, default 7; `format=geojson` for the
 * map layer). Aggregates only (worker names masked); each answers inside the viewer's scope: a grid
 * above it is narrowed to it, one beside it is a 404.
 */
import { Hono, type Context } from 'hono'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { narrowPrefix, viewerScope } from '../access/scope.ts'
import { csvField } from '../analytics/export.ts'
import { COUNTY_LEVEL, levelOfCode } from '../grids/codes.ts'
import { coverageByCell, coverageByWorker, silentCells, silentCellShapes } from './queries.ts'
import { CoverageQuery, SilentQuery, WorkersQuery, type WorkerCoverage } from './types.ts'

const DEFAULT_SILENT_DAYS = 7

/** The grid asked for, narrowed to the viewer's scope; 404 when the two do not overlap. */
function scopedGrid(c: Context, grid: string | undefined): string {
  const scoped = narrowPrefix(viewerScope(c), grid)
  if (scoped === null) throw new HttpProblem(404, 'Grid not found', `No grid ${grid} (parameter grid) lies in your area.`)
  return scoped
}

const WORKER_COLUMNS: [string, (w: WorkerCoverage) => string | number][] = [
  ['网格员 worker', (w) => w.worker],
  ['网格编码 grid code', (w) => w.cell],
  ['网格 grid', (w) => w.cellName],
  ['已巡查 visited', (w) => w.visitedShare],
  ['巡查次数 patrols', (w) => w.patrols],
  ['里程(公里) km', (w) => Math.round(w.km * 100) / 100],
  ['上报事件 reports', (w) => w.reports],
  ['活跃天数 days active', (w) => w.daysActive],
  ['最后活动 last activity', (w) => w.lastActivity ?? ''],
]

export function coverageRoutes(sql: Sql) {
  return new Hono()
    .get(
      '/',
      describeRoute({ tag: 'field-work', summary: 'Patrol coverage of the cells of a subtree over a period', errors: [404] }),
      validate('query', CoverageQuery),
      async (c) => {
        const q = c.req.valid('query')
        const coverage = await coverageByCell(sql, scopedGrid(c, q.grid), q.from, q.to)
        if (!coverage) throw new HttpProblem(404, 'Grid not found', `No grid has the code ${q.grid} (parameter grid).`)
        return c.json(coverage, 200, { 'cache-control': 'private, no-store' })
      },
    )
    .get(
      '/workers',
      describeRoute({
        tag: 'field-work',
        summary: 'Coverage per grid worker; JSON or CSV',
        errors: [404],
        ok: { description: 'Workers and their coverage', type: ['application/json', 'text/csv'] },
      }),
      validate('query', WorkersQuery),
      async (c) => {
        const q = c.req.valid('query')
        const grid = scopedGrid(c, q.grid)
        const workers = await coverageByWorker(sql, grid, q.from, q.to)
        if (q.format === 'csv') {
          const lines = [WORKER_COLUMNS.map(([h]) => h), ...workers.map((w) => WORKER_COLUMNS.map(([, value]) => value(w)))]
          const body = '\uFEFF' + lines.map((cells) => cells.map(csvField).join(',') + '\r\n').join('')
          return c.body(body, 200, {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="gridscope-coverage-${grid}-${q.from.toISOString().slice(0, 10)}.csv"`,
            'cache-control': 'no-store',
          })
        }
        return c.json({ grid, from: q.from.toISOString(), to: q.to.toISOString(), workers }, 200, { 'cache-control': 'private, no-store' })
      },
    )
    .get(
      '/silent',
      describeRoute({
        tag: 'field-work',
        summary: 'Silent grids: cells without activity for N days; JSON, GeoJSON or CSV',
        errors: [404, 422],
        ok: { description: 'The silent cells', type: ['application/json', 'application/geo+json', 'text/csv'] },
      }),
      validate('query', SilentQuery),
      async (c) => {
        const q = c.req.valid('query')
        const grid = scopedGrid(c, q.grid)
        // A city's or a province's silent grids would be hundreds of thousands of household groups.
        if (levelOfCode(grid) < COUNTY_LEVEL) {
          const reason = 'Silent grids are listed per county or below: give grid a county’s code (6 digits) or longer.'
          throw new HttpProblem(422, 'Grid too large', `Invalid query parameter: grid. ${reason}`, [{ name: 'grid', reason }])
        }
        const days = q.days ?? DEFAULT_SILENT_DAYS
        const now = new Date()
        const cells = await silentCells(sql, grid, days, now)
        if (q.format === 'geojson') {
          const shapes = new Map(
            (
              await silentCellShapes(
                sql,
                cells.map((s) => s.code),
              )
            ).map((s) => [s.code, s.geometry]),
          )
          return c.json(
            {
              type: 'FeatureCollection',
              features: cells.map((s) => ({ type: 'Feature', id: s.code, geometry: shapes.get(s.code), properties: s })),
            },
            200,
            { 'cache-control': 'private, max-age=60', 'content-type': 'application/geo+json; charset=utf-8' },
          )
        }
        return c.json({ grid, days, asOf: now.toISOString(), total: cells.length, cells }, 200, { 'cache-control': 'private, max-age=60' })
      },
    )
}
