/**
 * The query of GET requests: `service_request_id` (comma-separated, overrides every other
 * argument, as the specification says), `service_code` and `status` (comma-separated),
 * `start_date`/`end_date` (W3C date-times with a zone; a bare date is a day in China Standard
 * Time) spanning at most 90 days and defaulting to the 90 days before now. Anything else in the
 * query is ignored, as the specification treats optional arguments. A bad value is a 400 naming it.
 */
import { isWithinYears } from '../http/date-time.ts'
import { Open311Error } from './format.ts'

export interface RequestsQuery {
  ids?: number[]
  serviceCodes?: string[]
  status?: ('open' | 'closed')[]
  from: string
  to: string
}

/** The most requests one answer holds (the specification's default volume). */
export const MAX_REQUESTS = 1000
const DAY_MS = 86_400_000
export const MAX_SPAN_DAYS = 90
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/
const ID = /^[1-9][0-9]{0,15}$/

export function parseRequestsQuery(query: Record<string, string>, knownCodes: Set<string>, now = Date.now()): RequestsQuery {
  if (query.service_request_id !== undefined && query.service_request_id !== '') {
    const ids = listOf(query.service_request_id)
    if (ids.length > MAX_REQUESTS) throw bad('service_request_id', `at most ${MAX_REQUESTS} ids.`)
    const wrong = ids.find((id) => !ID.test(id) || !Number.isSafeInteger(Number(id)))
    if (wrong !== undefined || ids.length === 0) throw bad('service_request_id', 'expected request ids (positive integers), comma-separated.')
    return { ids: [...new Set(ids.map(Number))], from: '', to: '' }
  }
  const serviceCodes = query.service_code ? listOf(query.service_code) : undefined
  const unknown = serviceCodes?.find((code) => !knownCodes.has(code))
  if (unknown !== undefined) throw bad('service_code', `no service has the code ${JSON.stringify(unknown.slice(0, 100))}; see services.json.`)
  const status = query.status ? listOf(query.status) : undefined
  if (status?.some((s) => s !== 'open' && s !== 'closed')) throw bad('status', 'expected open, closed or both, comma-separated.')
  const { from, to } = windowOf(dateOf(query, 'start_date'), dateOf(query, 'end_date'), now)
  return { serviceCodes, status: status as RequestsQuery['status'], from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

function listOf(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()))].filter(Boolean)
}

/** The milliseconds of a date argument, or undefined when absent or empty. */
function dateOf(query: Record<string, string>, name: 'start_date' | 'end_date'): number | undefined {
  const text = query[name]
  if (text === undefined || text === '') return undefined
  const ms = W3C.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00+08:00` : text) : Number.NaN
  if (!isWithinYears(ms)) throw bad(name, 'expected a W3C date-time with a zone, e.g. 2026-11-01T00:00:00+08:00, in the years 0001 to 9999.')
  return ms
}

/** [from, to) in ms: the end date is included (to the millisecond); at most 90 days. */
function windowOf(start: number | undefined, end: number | undefined, now: number): { from: number; to: number } {
  const span = MAX_SPAN_DAYS * DAY_MS
  if (start !== undefined && end !== undefined) {
    if (end < start) throw bad('end_date', 'expected a date after start_date.')
    if (end - start > span) throw bad('end_date', `expected at most ${MAX_SPAN_DAYS} days after start_date.`)
    return { from: start, to: end + 1 }
  }
  if (start !== undefined) return checked({ from: start, to: start + span + 1 }, 'start_date')
  if (end !== undefined) return checked({ from: end - span, to: end + 1 }, 'end_date')
  return { from: now - span, to: now + 1 }
}

function checked(window: { from: number; to: number }, name: string): { from: number; to: number } {
  if (!isWithinYears(window.from) || !isWithinYears(window.to)) throw bad(name, 'expected a window of 90 days within the years 0001 to 9999.')
  return window
}

function bad(name: string, reason: string): Open311Error {
  return new Open311Error(400, `${name}: ${reason}`)
}
