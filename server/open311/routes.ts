/**
 * Open311 GeoReport v2 at /open311/v2, for other city systems (a 12345 hotline, a department's
 * case system, residents' reporting apps): discovery, the services (the incident categories) and
 * their definitions, service requests to list, read and POST. Every path answers as `.json` or
 * `.xml`. Discovery and services are public, as the specification has them (no personal data);
 * requests need an API token as `api_key` and show only incidents in the token's scope, masked,
 * each read of them audited like any token read. Errors are the specification's list of
 * `{ code, description }`, the description starting with the field at fault.
 */
import { statSync } from 'node:fs'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { Limiter } from '../access/rate-limit.ts'
import { auditTokenRead } from '../access/token-audit.ts'
import type { Sql } from '../db/connect.ts'
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable.ts'
import { CATEGORIES_FILE } from '../incidents/categories.ts'
import { categoryCodes } from '../incidents/queries.ts'
import { HttpProblem } from '../http/problem.ts'
import { log } from '../log.ts'
import { requireApiKey } from './api-key.ts'
import { answer, answerError, Open311Error, splitFormat, type Format } from './format.ts'
import { listJurisdictions, readRequest, readRequests, w3 } from './queries.ts'
import { parseRequestsQuery } from './requests-query.ts'
import { submitRequest } from './service.ts'
import { ATTRIBUTES, findService, listServices } from './services.ts'
import type { FormBody } from './report-form.ts'

export const GEOREPORT_V2 = 'http://wiki.open311.org/GeoReport_v2'
const PUBLIC = { 'cache-control': 'public, max-age=300' }
const PRIVATE = { 'cache-control': 'private, no-cache', vary: 'authorization' }
const MAX_BODY_BYTES = 64 * 1024
/** Services change when the category file does: its time is the discovery changeset. */
const CHANGESET = w3(statSync(CATEGORIES_FILE).mtime)

export function open311Routes(sql: Sql, tokens: Limiter) {
  return new Hono()
    .get('/v2/:file', async (c) => {
      const { name, format } = fileOf(c.req.param('file'))
      if (name === 'discovery') return answer(c, 'discovery', discovery(c), format, 200, PUBLIC)
      if (name === 'services') {
        await checkJurisdiction(sql, c.req.query('jurisdiction_id'))
        return answer(c, 'services', await listServices(sql), format, 200, PUBLIC)
      }
      if (name !== 'requests') throw notFound()
      await checkJurisdiction(sql, c.req.query('jurisdiction_id'))
      const viewer = await requireApiKey(c, sql, tokens, c.req.query('api_key'))
      const query = parseRequestsQuery(c.req.query(), new Set((await categoryCodes(sql)).subcategories))
      await auditTokenRead(sql, c, viewer)
      return answer(c, 'service_requests', await readRequests(sql, query, viewer.scope), format, 200, PRIVATE)
    })
    .get('/v2/services/:file', async (c) => {
      const { name: code, format } = fileOf(c.req.param('file'))
      await checkJurisdiction(sql, c.req.query('jurisdiction_id'))
      const service = await findService(sql, code)
      if (!service) throw new Open311Error(404, `service_code: no service has the code ${JSON.stringify(code.slice(0, 100))}; see services.json.`)
      return answer(c, 'service_definition', { service_code: service.service_code, attributes: ATTRIBUTES }, format, 200, PUBLIC)
    })
    .get('/v2/requests/:file', async (c) => {
      const { name: id, format } = fileOf(c.req.param('file'))
      await checkJurisdiction(sql, c.req.query('jurisdiction_id'))
      const viewer = await requireApiKey(c, sql, tokens, c.req.query('api_key'))
      if (!/^[1-9][0-9]{0,15}$/.test(id) || !Number.isSafeInteger(Number(id)))
        throw notFound(`service_request_id: no request has the id ${JSON.stringify(id.slice(0, 20))}.`)
      await auditTokenRead(sql, c, viewer)
      const request = await readRequest(sql, Number(id), viewer.scope)
      if (!request) throw notFound(`service_request_id: no request has the id ${id} in this key's area.`)
      return answer(c, 'service_requests', [request], format, 200, PRIVATE)
    })
    .post('/v2/:file', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => tooLarge() }), async (c) => {
      const { name, format } = fileOf(c.req.param('file'))
      if (name !== 'requests') throw notFound()
      const type = c.req.header('content-type') ?? ''
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
        throw new Open311Error(415, 'Content-Type: expected application/x-www-form-urlencoded; charset=utf-8.')
      }
      const body = (await c.req.parseBody({ all: true })) as FormBody
      const field = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined)
      await checkJurisdiction(sql, field('jurisdiction_id'))
      const viewer = await requireApiKey(c, sql, tokens, field('api_key'))
      const { answer: submitted, replayed } = await submitRequest(sql, body, viewer, c.req.header('idempotency-key'))
      return answer(c, 'service_requests', [submitted], format, replayed ? 200 : 201, {
        'cache-control': 'no-store',
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      })
    })
    .all('*', () => {
      throw notFound()
    })
    .onError((error, c) => answerError(c, asOpen311Error(error, c)))
}

function fileOf(file: string): { name: string; format: Format } {
  const parsed = splitFormat(file)
  if (!parsed) throw notFound('format: expected the path to end in .json or .xml.')
  return parsed
}

function discovery(c: Context) {
  const url = new URL(c.req.url)
  const proto = c.req.header('x-forwarded-proto') === 'https' ? 'https:' : url.protocol
  return {
    changeset: CHANGESET,
    contact: 'Gridscope 网格态势: 请联系区综治中心 (the district command centre).',
    key_service: '向区综治中心管理员申请 API 令牌 (API token); send it as api_key. Ask the district administrator for a key.',
    endpoints: [
      {
        specification: GEOREPORT_V2,
        url: `${proto}//${url.host}/open311/v2`,
        changeset: CHANGESET,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ],
  }
}

/** jurisdiction_id is optional (one county per server); when given it must be the county's code. */
async function checkJurisdiction(sql: Sql, jurisdiction: string | undefined): Promise<void> {
  if (jurisdiction === undefined || jurisdiction === '') return
  const roots = await listJurisdictions(sql)
  if (!roots.includes(jurisdiction)) {
    throw new Open311Error(404, `jurisdiction_id: this server serves ${roots.join(', ')}, not ${JSON.stringify(jurisdiction.slice(0, 50))}.`)
  }
}

function notFound(description = 'path: no Open311 resource here; see /open311/v2/discovery.json.'): Open311Error {
  return new Open311Error(404, description)
}

function tooLarge(): never {
  throw new Open311Error(413, `request body: larger than ${MAX_BODY_BYTES} bytes.`)
}

function asOpen311Error(error: unknown, c: Context): Open311Error {
  if (error instanceof Open311Error) return error
  if (error instanceof HttpProblem) return new Open311Error(error.status, `${error.invalidParams?.[0]?.name ?? 'request'}: ${error.detail ?? error.title}`)
  if (error instanceof HTTPException) return new Open311Error(error.status === 413 ? 413 : 400, `request: ${error.message || 'malformed'}`)
  if (isDatabaseUnavailable(error)) {
    return new Open311Error(503, 'database: not answering just now; retry in a few seconds.', { 'retry-after': String(RETRY_AFTER_SECONDS) })
  }
  log.error({ err: error, method: c.req.method, path: c.req.path }, 'open311 request failed')
  return new Open311Error(500, 'server: the request could not be completed.')
}
