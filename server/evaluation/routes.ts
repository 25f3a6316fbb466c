/**
 * The evaluation API (考核评价): GET /api/evaluation (cells of one level under a grid),
 * /api/evaluation/workers (grid workers) and /api/evaluation/report (one grid's report), for a
 * month or ISO week; `format=csv` exports the rows. Scoped like every incident read.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { viewerScope } from '../access/scope.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { SCORED_INDICATORS, LOWER_IS_BETTER } from './indicators.ts'
import { parsePeriod, PERIOD_PATTERN } from './period.ts'
import { evaluateCells, evaluateGrid, evaluateWorkers, resolveGrid } from './queries.ts'
import { buildReport } from './report.ts'
import { scoreTrend } from './trend.ts'
import { cellsCsv, workersCsv } from './csv.ts'
import { readWeights, WeightsSchema, type Weights } from './weights.ts'
import { saveWeights, weightsInForce } from './weights-store.ts'
import { viewerOf } from '../access/scope.ts'
import { clientIp } from '../access/client-ip.ts'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

const GridParam = z
  .string()
  .regex(GRID_CODE_PATTERN, 'Expected a grid code: 2 digits for a province, 4 for a city, 6 for a county, then groups of 3.')
  .optional()
const PeriodParam = z
  .string()
  .regex(PERIOD_PATTERN, 'Expected a month (2026-11) or an ISO week (2026-W48).')
  .refine((p) => parsePeriod(p) !== null, 'That year has no such ISO week.')
const FormatParam = z.enum(['json', 'csv']).default('json')

const CellsQuery = z.object({ grid: GridParam, period: PeriodParam, level: z.coerce.number().int().min(2).max(5).optional(), format: FormatParam })
const WorkersQuery = z.object({ grid: GridParam, period: PeriodParam, format: FormatParam })
const ReportQuery = z.object({ grid: GridParam, period: PeriodParam })
const TrendQuery = z.object({ grid: GridParam, period: PeriodParam, months: z.coerce.number().int().min(2).max(24).default(6) })
const WeightsBody = z.strictObject({ weights: WeightsSchema }).refine((b) => Object.values(b.weights).some((w) => w > 0), {
  message: 'At least one weight must be positive.',
  path: ['weights'],
})

const INDICATORS = SCORED_INDICATORS.map((key) => ({ key, better: LOWER_IS_BETTER.has(key) ? 'lower' : 'higher' }))

function csvResponse(body: string, name: string): Response {
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"`, 'cache-control': 'private, no-store' },
  })
}

export function evaluationRoutes(sql: Sql, fileWeights: Weights = readWeights()) {
  const current = async () => (await weightsInForce(sql, fileWeights)).weights
  return new Hono()
    .get(
      '/weights',
      describeRoute({ tag: 'evaluation', summary: 'The weights in force, the file defaults, who changed them last and whether you may' }),
      async (c) => {
        const viewer = viewerOf(c)
        return c.json({ ...(await weightsInForce(sql, fileWeights)), indicators: INDICATORS, editable: viewer.role === 'commander' && viewer.kind === 'user' })
      },
    )
    .put(
      '/weights',
      describeRoute({ tag: 'evaluation', summary: 'Change the weights (commander); audited, in force for every score from then on', errors: [403] }),
      validate('json', WeightsBody),
      async (c) => {
        const viewer = viewerOf(c)
        if (viewer.role !== 'commander' || viewer.kind !== 'user') {
          throw new HttpProblem(403, 'Not permitted', 'Only the commander may change the evaluation weights.')
        }
        const { weights } = c.req.valid('json')
        const saved = await saveWeights(sql, fileWeights, weights as Weights, {
          actorId: viewer.id,
          actor: viewer.name,
          role: viewer.role,
          clientIp: clientIp(c),
        })
        return c.json({ ...saved, indicators: INDICATORS, editable: true })
      },
    )
    .get(
      '/',
      describeRoute({
        tag: 'evaluation',
        summary: 'Indicators and scores of cells for a month or ISO week; JSON or CSV',
        errors: [404],
        ok: { description: 'Cells with indicators and scores', type: ['application/json', 'text/csv'] },
      }),
      validate('query', CellsQuery),
      async (c) => {
        const { grid: gridCode, period: label, level: asked, format } = c.req.valid('query')
        const scope = viewerScope(c)
        const grid = await resolveGrid(sql, scope, gridCode)
        const level = asked ?? grid.level + 1
        if (level <= grid.level || level > 5) {
          throw new HttpProblem(400, 'Invalid request', `Invalid query parameter: level. Expected a level below the grid's (${grid.level}), at most 5.`, [
            { name: 'level', reason: `Expected a level from ${grid.level + 1} to 5.` },
          ])
        }
        const period = parsePeriod(label)!
        const weights = await current()
        const cells = await evaluateCells(sql, scope, grid, level, period, weights)
        if (format === 'csv') return csvResponse(cellsCsv(cells), `evaluation-${grid.code}-${period.label}-level${level}`)
        const self = await evaluateGrid(sql, scope, grid, period, weights)
        return c.json({ grid, period, level, weights, indicators: INDICATORS, self, cells })
      },
    )
    .get(
      '/workers',
      describeRoute({
        tag: 'evaluation',
        summary: 'Indicators and scores of grid workers; JSON or CSV',
        errors: [404],
        ok: { description: 'Workers with indicators and scores', type: ['application/json', 'text/csv'] },
      }),
      validate('query', WorkersQuery),
      async (c) => {
        const { grid: gridCode, period: label, format } = c.req.valid('query')
        const scope = viewerScope(c)
        const grid = await resolveGrid(sql, scope, gridCode)
        const period = parsePeriod(label)!
        const weights = await current()
        const workers = await evaluateWorkers(sql, scope, grid, period, weights)
        if (format === 'csv') return csvResponse(workersCsv(workers), `evaluation-workers-${grid.code}-${period.label}`)
        return c.json({ grid, period, weights, indicators: INDICATORS, workers })
      },
    )
    .get(
      '/trend',
      describeRoute({ tag: 'evaluation', summary: 'Scores of a grid and its children over months, and the biggest movers', errors: [404] }),
      validate('query', TrendQuery),
      async (c) => {
        const { grid: gridCode, period: label, months } = c.req.valid('query')
        const scope = viewerScope(c)
        const grid = await resolveGrid(sql, scope, gridCode)
        return c.json(await scoreTrend(sql, scope, grid, parsePeriod(label)!, months, await current()))
      },
    )
    .get(
      '/report',
      describeRoute({ tag: 'evaluation', summary: 'The monthly report of a cell (环比/同比, breakdown, categories, overdue)', errors: [404] }),
      validate('query', ReportQuery),
      async (c) => {
        const { grid: gridCode, period: label } = c.req.valid('query')
        const scope = viewerScope(c)
        const grid = await resolveGrid(sql, scope, gridCode)
        const weights = await current()
        return c.json({ weights, indicators: INDICATORS, ...(await buildReport(sql, scope, grid, parsePeriod(label)!, weights)) })
      },
    )
}
