/**
 * Reading service requests: incidents inside the viewer's scope (incidentWhere, which refuses a
 * read without one), newest first, at most 1,000, shaped by sql/request-columns.ts. The detailed
 * status, the handling level and a merge become `status_notes`; open and closed are the
 * specification's two states (closed = 结案 or 不予立案).
 */
import type { Sql } from '../db/connect.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import { CLOSED_STATUSES, OPEN_STATUSES, type Status } from '../incidents/workflow.ts'
import { MAX_REQUESTS, type RequestsQuery } from './requests-query.ts'
import { requestColumns, requestSource } from './sql/request-columns.ts'

export interface ServiceRequest {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string
  service_name: string
  service_code: string
  description: string
  agency_responsible: string | null
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string
  address_id: string
  zipcode: null
  lat: number
  long: number
  media_url: string | null
}

interface Row
  extends Omit<ServiceRequest, 'status' | 'status_notes' | 'service_notice' | 'zipcode' | 'requested_datetime' | 'updated_datetime' | 'expected_datetime'> {
  detailStatus: Status
  handlingLevel: number
  mergedInto: number | null
  requested_datetime: Date
  updated_datetime: Date
  expected_datetime: Date | null
}

const STATUS_NAMES: Record<Status, string> = {
  reported: '待受理',
  registered: '已立案',
  dispatched: '已派遣',
  handling: '处置中',
  handled: '已处置待核查',
  verified: '已核查',
  closed: '已结案',
  dismissed: '不予立案',
}
const LEVEL_NAMES = ['', '区 district', '镇(街道) town', '村(社区) village', '村(居)民小组 villager group', '住户小组 household group']

export async function readRequests(sql: Sql, q: RequestsQuery, scope: string): Promise<ServiceRequest[]> {
  const where =
    q.ids !== undefined
      ? sql`${incidentWhere(sql, { scope })} and i.id = any(${q.ids}::int8[])`
      : incidentWhere(sql, { scope, category: q.serviceCodes, status: statusesOf(q.status), from: q.from, to: q.to })
  const rows = await sql<Row[]>`
    select ${requestColumns(sql)} from ${requestSource(sql)}
    where ${where}
    order by i.reported_at desc, i.id desc
    limit ${MAX_REQUESTS}`
  return rows.map(toRequest)
}

/** One request inside the scope, or null. */
export async function readRequest(sql: Sql, id: number, scope: string): Promise<ServiceRequest | null> {
  const [row] = await sql<Row[]>`select ${requestColumns(sql)} from ${requestSource(sql)} where ${incidentWhere(sql, { scope })} and i.id = ${id}`
  return row ? toRequest(row) : null
}

function statusesOf(states: ('open' | 'closed')[] | undefined): Status[] | undefined {
  if (!states?.length) return undefined
  return [...(states.includes('open') ? OPEN_STATUSES : []), ...(states.includes('closed') ? CLOSED_STATUSES : [])]
}

function toRequest({ detailStatus, handlingLevel, mergedInto, ...row }: Row): ServiceRequest {
  const merged = mergedInto === null ? '' : ` · 已合并至 merged into ${mergedInto}`
  return {
    service_request_id: row.service_request_id,
    status: CLOSED_STATUSES.includes(detailStatus) ? 'closed' : 'open',
    status_notes: `${STATUS_NAMES[detailStatus]} ${detailStatus} · 处置层级 ${LEVEL_NAMES[handlingLevel]}${merged}`,
    service_name: row.service_name,
    service_code: row.service_code,
    description: row.description,
    agency_responsible: row.agency_responsible,
    service_notice: null,
    requested_datetime: w3(row.requested_datetime),
    updated_datetime: w3(row.updated_datetime),
    expected_datetime: row.expected_datetime && w3(row.expected_datetime),
    address: row.address,
    address_id: row.address_id,
    zipcode: null,
    lat: row.lat,
    long: row.long,
    media_url: row.media_url,
  }
}

/** The codes a jurisdiction_id may name: the counties (root cells) this server holds. */
export async function listJurisdictions(sql: Sql): Promise<string[]> {
  return (await sql<{ code: string }[]>`select code from grid_cell where level = 1 order by code`).map((r) => r.code)
}

/** The W3C date-time profile the specification asks for, to the second, in UTC. */
export function w3(date: Date | string): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
