/**
 * POST requests: a report made through Open311 is made by the incident service itself
 * (createIncident), so it gets the same checks, the database's choice of household group, the
 * token's scope (a point outside it is a 403), the workflow and the live feed as any report. What
 * Open311 adds: the token's role must be one that may report; a retry is answered with the first
 * request's id, both when the client sends an Idempotency-Key and when it resends the same form
 * within 10 minutes without one (found by the form's fingerprint, and made safe against two
 * copies arriving at once by a key derived from it); the answer's service_notice says who handles
 * the case, by when, and which open cases of the same kind lie within 50 m.
 */
import { PERMISSIONS, type Viewer } from '../access/roles.ts'
import type { Sql } from '../db/connect.ts'
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_EXPECTED, keyOfViewer } from '../http/idempotency.ts'
import { HttpProblem } from '../http/problem.ts'
import { findDuplicates } from '../incidents/duplicates.ts'
import { createIncident, requestHash } from '../incidents/service.ts'
import { Open311Error } from './format.ts'
import { locate, type Located } from './locate.ts'
import { readRequest } from './queries.ts'
import { bad, incidentOf, readForm, type FormBody } from './report-form.ts'
import { findService } from './services.ts'

export interface Submitted {
  service_request_id: string
  service_notice: string
  account_id: null
}

const RETRY_WINDOW_MINUTES = 10

export async function submitRequest(
  sql: Sql,
  body: FormBody,
  viewer: Viewer,
  idempotencyKey: string | undefined,
): Promise<{ answer: Submitted; replayed: boolean }> {
  if (!PERMISSIONS[viewer.role].write) throw new Open311Error(403, `api_key: this key's role (${viewer.role}) may read but not report.`)
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw bad('Idempotency-Key', IDEMPOTENCY_KEY_EXPECTED.toLowerCase())
  const form = readForm(body)
  const code = form.fields.service_code
  if (!code) throw bad('service_code', 'required; see services.json.')
  const service = await findService(sql, code)
  if (!service) throw new Open311Error(404, `service_code: no service has the code ${JSON.stringify(code.slice(0, 100))}; see services.json.`)
  const address = form.fields.address_string?.trim() ?? ''
  if (address.length > 500) throw bad('address_string', 'expected at most 500 characters.')
  const mediaUrl = form.fields.media_url?.trim() || null
  if (mediaUrl !== null && !isHttpUrl(mediaUrl)) throw bad('media_url', 'expected an http or https URL of at most 2000 characters.')
  const located = await locate(sql, form.fields)
  const input = incidentOf(form, service.service_name, located.location)

  const { api_key: _, ...signed } = form.fields
  const formHash = requestHash({ ...signed, attributes: form.attributes })
  const previous = idempotencyKey === undefined ? await findRetry(sql, viewer.id, formHash) : null
  if (previous !== null) return { answer: await answerFor(sql, previous, viewer.scope, true), replayed: true }
  const key = idempotencyKey !== undefined ? keyOfViewer(idempotencyKey, viewer) : derivedKey(viewer.id, formHash)

  const { incident, created } = await createIncident(sql, input, { actor: viewer.name, scope: viewer.scope, idempotencyKey: key }).catch((error) => {
    throw asOpen311Error(error, located)
  })
  await sql`
    insert into open311_request (incident_id, token_id, form_hash, address, media_url)
    values (${incident.id}, ${viewer.id}, ${formHash}, ${address}, ${mediaUrl})
    on conflict (incident_id) do nothing`
  return { answer: await answerFor(sql, incident.id, viewer.scope, !created), replayed: !created }
}

function isHttpUrl(text: string): boolean {
  if (text.length > 2000 || !URL.canParse(text)) return false
  return ['http:', 'https:'].includes(new URL(text).protocol)
}

/** The request this token sent with the same form in the last minutes, if any. */
async function findRetry(sql: Sql, tokenId: number, formHash: string): Promise<number | null> {
  const [row] = await sql<{ id: number }[]>`
    select incident_id as id from open311_request
    where token_id = ${tokenId} and form_hash = ${formHash} and created_at > now() - make_interval(mins => ${RETRY_WINDOW_MINUTES})
    order by created_at desc limit 1`
  return row?.id ?? null
}

/** Two copies of one form sent at once share this key, so the second finds the first. */
function derivedKey(tokenId: number, formHash: string): string {
  const window = Math.floor(Date.now() / (RETRY_WINDOW_MINUTES * 60_000))
  return `open311:${formHash}:${window}:t${tokenId}`
}

async function answerFor(sql: Sql, id: number, scope: string, replayed: boolean): Promise<Submitted> {
  const request = await readRequest(sql, id, scope)
  if (!request) throw new Open311Error(404, `service_request_id: no request ${id} in this key's area.`)
  const due = request.expected_datetime ? `，处置时限 ${chinaTime(request.expected_datetime)}` : ''
  const nearby = await findDuplicates(sql, { category: request.service_code, lon: request.long, lat: request.lat, exclude: id }, scope)
  const notice = [
    `已受理：由${request.agency_responsible ?? ''}处置${due}。Received: handled by ${request.agency_responsible ?? ''}${request.expected_datetime ? `, due ${request.expected_datetime}` : ''}.`,
    nearby.length ? `附近 50 米内 7 天内有同类未结案件 Open requests of this kind within 50 m: ${nearby.map((n) => n.id).join(', ')}.` : '',
    replayed ? '重复提交，返回首次受理的编号。A repeated submission: this is the first request’s id.' : '',
  ]
  return { service_request_id: request.service_request_id, service_notice: notice.filter(Boolean).join(' '), account_id: null }
}

function chinaTime(w3: string): string {
  return new Date(Date.parse(w3) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
}

/** The incident service's refusals, in Open311's words and fields. */
function asOpen311Error(error: unknown, located: Located): unknown {
  if (!(error instanceof HttpProblem)) return error
  const name = error.invalidParams?.[0]?.name
  const field = name === 'location' ? located.field : name === 'category' ? 'service_code' : (name ?? 'request')
  // A point outside the district is the specification's 400, as is any other refused value.
  const status = error.status === 422 && name === 'location' ? 400 : error.status
  return new Open311Error(status, `${field}: ${error.detail ?? error.title}`, error.extra?.retryAfter ? { 'retry-after': String(error.extra.retryAfter) } : {})
}
