/**
 * /api/imports/<kind> (households, people, workers, party): the commander's base-data import.
 * `GET /api/imports/templates/<kind>.xlsx` hands out the template; `POST /api/imports/<kind>`
 * (multipart, field `file`, .xlsx or .csv) checks the file and answers what it would add and
 * change, or applies it with `?apply=true`; a file with row problems is 422 problem+json listing
 * them (values of personal columns masked), and nothing is written. `POST …/<kind>/report`
 * answers the row report of a file as a spreadsheet. With `Accept: application/x-ndjson` the check
 * streams its stages first (http/progress-stream.ts). /api/households: homes on the map, in scope.
 */
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { viewerOf, viewerScope } from '../access/scope.ts'
import { describeRoute } from '../http/describe.ts'
import { HttpProblem } from '../http/problem.ts'
import { type Progress, streamProgress, wantsProgress } from '../http/progress-stream.ts'
import { validate } from '../http/validate.ts'
import type { BaseDataKind } from './kinds.ts'
import { homesInView } from './queries.ts'
import { formatOf, type TableFormat, TableReadError } from './read-table.ts'
import { importBaseData } from './service.ts'
import { type BaseDataChecked, HouseholdQuery, ImportQuery, KindParams, TemplateParams } from './types.ts'
import { reportWorkbook, templateWorkbook, XLSX_TYPE } from './workbooks.ts'

/** At most 32 MB per file: about 300,000 people rows as CSV. */
export const BASE_DATA_MAX_BYTES = 32 * 1024 * 1024
/** The request: one file and the form's framing. */
export const BASE_DATA_UPLOAD_MAX_BYTES = BASE_DATA_MAX_BYTES + 64 * 1024
/** The paths whose requests may carry a base-data file. */
export const BASE_DATA_UPLOAD_PATH = /^\/api\/imports\/(households|people|workers|party)(\/report)?\/?$/

function requireCommander(c: Context) {
  const viewer = viewerOf(c)
  if (viewer.role !== 'commander') throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not import base data (commander only).`)
  return viewer
}

async function uploadedFile(c: Context): Promise<{ bytes: Uint8Array; format: TableFormat }> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new HttpProblem(415, 'Multipart form expected', 'Send the spreadsheet as multipart/form-data with the field file.', [
      { name: 'file', reason: 'Expected a multipart/form-data body.' },
    ])
  }
  let form: FormData
  try {
    form = await c.req.formData()
  } catch {
    throw new HttpProblem(400, 'Invalid request', 'The multipart body could not be read; send the spreadsheet in the field file.', [
      { name: 'file', reason: 'Expected a well-formed multipart/form-data body.' },
    ])
  }
  const file = form.get('file')
  if (!(file instanceof File)) {
    throw new HttpProblem(400, 'Invalid request', 'Invalid body parameter: file. Expected one spreadsheet in the multipart field file.', [
      { name: 'file', reason: 'Expected a file in the field file.' },
    ])
  }
  const format = formatOf(file.name)
  if (!format) {
    throw new HttpProblem(415, 'Unsupported file type', 'Invalid body parameter: file. Expected an Excel workbook (.xlsx) or a CSV file (.csv).', [
      { name: 'file', reason: 'Expected a .xlsx or .csv file.' },
    ])
  }
  if (file.size > BASE_DATA_MAX_BYTES) {
    throw new HttpProblem(413, 'File too large', `The file has ${file.size} bytes; at most ${BASE_DATA_MAX_BYTES} bytes (32 MB) are accepted.`, [
      { name: 'file', reason: 'Expected at most 32 MB.' },
    ])
  }
  return { bytes: new Uint8Array(await file.arrayBuffer()), format }
}

async function checkFile(sql: Sql, kind: BaseDataKind, file: { bytes: Uint8Array; format: TableFormat }, apply: boolean, progress?: Progress) {
  try {
    return await importBaseData(sql, { kind, ...file, apply }, progress)
  } catch (error) {
    if (error instanceof TableReadError)
      throw new HttpProblem(422, 'File not readable', `Invalid body parameter: file. ${error.message}.`, [{ name: 'file', reason: error.message }])
    throw error
  }
}

const XLSX_HEADERS = { 'content-type': XLSX_TYPE, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' }

/** `figuresChanged`: an applied import changed cells' household or population figures (the tiles carry them). */
export function baseDataImportRoutes(sql: Sql, figuresChanged: () => void = () => {}) {
  return new Hono()
    .get(
      '/templates/:file',
      describeRoute({
        tag: 'imports',
        summary: 'The template of a base-data kind (households, people, workers, party) as .xlsx',
        errors: [403],
        ok: { description: 'The template', type: XLSX_TYPE },
      }),
      validate('param', TemplateParams),
      async (c) => {
        requireCommander(c)
        const file = c.req.valid('param').file
        const body = await templateWorkbook(file.replace(/\.xlsx$/, '') as BaseDataKind)
        return c.body(new Uint8Array(body), 200, { ...XLSX_HEADERS, 'content-disposition': `attachment; filename="gridscope-${file}"` })
      },
    )
    .post(
      '/:kind',
      describeRoute({
        tag: 'imports',
        summary: 'Check a base-data file (multipart, field file: .xlsx or .csv); with apply=true, import it in one transaction',
        errors: [413, 415, 422],
      }),
      validate('param', KindParams),
      validate('query', ImportQuery),
      async (c) => {
        requireCommander(c)
        const { kind } = c.req.valid('param')
        const apply = c.req.valid('query').apply === 'true'
        const file = await uploadedFile(c)
        const answer = async (progress?: Progress): Promise<BaseDataChecked> => {
          const result = await checkFile(sql, kind, file, apply, progress)
          if (result.problems.length > 0) {
            const n = result.problems.length
            throw new HttpProblem(
              422,
              'Rows with problems',
              `${n} problem${n === 1 ? '' : 's'} in ${result.rows} rows; nothing was written. Fix the rows (the report lists row, column, value and why) and upload again.`,
              [{ name: 'file', reason: `${n} rows or values to fix.` }],
              { kind, rows: result.rows, problems: result.problems },
            )
          }
          if (result.applied && result.cellFigures) figuresChanged()
          return { kind, rows: result.rows, counts: result.counts!, cellFigures: result.cellFigures ?? 0, applied: result.applied }
        }
        // The page asks for the stages as they pass (a county's people take a while); the answer is the same.
        if (wantsProgress(c)) return streamProgress(c, async (progress) => ({ status: 200, body: await answer(progress) }))
        return c.json(await answer(), 200, { 'cache-control': 'private, no-store' })
      },
    )
    .post(
      '/:kind/report',
      describeRoute({
        tag: 'imports',
        summary: 'The row report (row, column, value, why) of a base-data file as .xlsx',
        errors: [413, 415, 422],
        ok: { description: 'The row report', type: XLSX_TYPE },
      }),
      validate('param', KindParams),
      async (c) => {
        requireCommander(c)
        const { kind } = c.req.valid('param')
        const result = await checkFile(sql, kind, await uploadedFile(c), false)
        const body = await reportWorkbook(kind, result.problems)
        return c.body(new Uint8Array(body), 200, { ...XLSX_HEADERS, 'content-disposition': `attachment; filename="gridscope-${kind}-report.xlsx"` })
      },
    )
}

export function householdRoutes(sql: Sql) {
  return new Hono().get(
    '/',
    describeRoute({ tag: 'grids', summary: 'Homes in the view, in scope: single points from household-group zoom, clusters further out' }),
    validate('query', HouseholdQuery),
    async (c) => c.json(await homesInView(sql, viewerScope(c), c.req.valid('query')), 200, { 'cache-control': 'private, no-store' }),
  )
}
