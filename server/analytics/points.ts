/**
 * The filtered incidents as binary points (points-format.ts). PostgreSQL produces the bytes: one
 * statement aggregates the ordered rows into one bytea of fixed 18-byte records
 * (float4send lon, lat; int2send category << 8 | severityStatus; timestamptz_send), which is
 * transposed into the preallocated columns of the response buffer: no per-row JavaScript
 * objects, no number parsing. Measured on 1,000,000 rows it beat a row cursor by far and took
 * about as long as `COPY … TO STDOUT (FORMAT binary)` of the same rows, which cannot be used
 * itself because COPY takes no bind parameters (the filter is always bound, never spliced).
 * Works the same on the embedded database.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { categoryCodes, checkIncidentFilter } from '../incidents/queries.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import type { IncidentFilter } from '../incidents/types.ts'
import { allocatePoints, POINT_STATUSES, timeUnitFor, writePointsHeader } from './points-format.ts'
import { MAX_POINTS } from './types.ts'

const RECORD = 4 + 4 + 2 + 8
const PG_EPOCH_MS = Date.UTC(2000, 0, 1)
const MINUTE_MICROS = 60_000_000

/**
 * A window bound as whole epoch ms that claims no more than the server selected: a bound given
 * finer than a millisecond (PostgreSQL compares microseconds) starts at the next millisecond, or
 * ends at its own. Open: ±Infinity.
 */
export function windowBoundMs(iso: string | undefined, side: 'from' | 'to'): number {
  if (!iso) return side === 'from' ? -Infinity : Infinity
  const ms = Date.parse(iso)
  const finer = /\.\d{3}(\d*)/.exec(iso)?.[1] ?? ''
  return side === 'from' && /[1-9]/.test(finer) ? ms + 1 : ms
}

export interface PointsResult {
  /** The encoded response body. */
  body: Uint8Array
  count: number
  /** Incidents matching the filter (more than count when `limit` cut the selection). */
  total: number
  /** The subcategory order the category column indexes. */
  categories: string[]
}

/** The rows behind the points, in order: what the bench also COPYs as its baseline. */
export function pointsSelect(sql: Sql, f: IncidentFilter & { scope: string }, categories: string[], limit: number) {
  return sql`
    select ST_X(i.location)::float4 as lon, ST_Y(i.location)::float4 as lat,
           (array_position(${categories}::text[], i.category) - 1)::int2 as category,
           (i.severity | ((array_position(${[...POINT_STATUSES]}::text[], i.status) - 1) << 3))::int2 as severity_status,
           i.reported_at
    from incident i where ${incidentWhere(sql, f)}
    order by i.reported_at, i.id
    limit ${limit}`
}

export async function selectPoints(sql: Sql, f: IncidentFilter & { scope: string }, limit?: number): Promise<PointsResult> {
  await checkIncidentFilter(sql, f)
  const { subcategories } = await categoryCodes(sql)
  // The aggregate reads the ordered subquery as it comes (an index scan on reported_at, id): an
  // ORDER BY inside string_agg would sort a million rows again. One row past the cap tells a
  // selection that is too large without counting it first.
  const [row] = await sql<{ records: Buffer | null }[]>`
    select string_agg(float4send(p.lon) || float4send(p.lat) || int2send((p.category << 8 | p.severity_status)::int2) || timestamptz_send(p.reported_at), ''::bytea) as records
    from (${pointsSelect(sql, f, subcategories, limit ?? MAX_POINTS + 1)}) p`
  const records = row?.records ?? Buffer.alloc(0)
  if (limit === undefined && records.length > MAX_POINTS * RECORD) {
    throw new HttpProblem(
      413,
      'Selection too large',
      `The filter selects more than ${MAX_POINTS} incidents, the most one response carries. Narrow the filter or set limit.`,
      [{ name: 'limit', reason: `Expected a filter selecting at most ${MAX_POINTS} incidents, or limit from 1 to ${MAX_POINTS} to take the earliest.` }],
    )
  }
  // Without a limit the rows are the total; with one, the total is counted.
  const count = Math.floor(records.length / RECORD)
  const total =
    limit === undefined ? count : (await sql<{ total: number }[]>`select count(*) as total from incident i where ${incidentWhere(sql, f)}`)[0]!.total
  // Cut by limit, the points hold the window only up to the last one's time (ties after it may be left out).
  const window = { from: windowBoundMs(f.from, 'from'), to: windowBoundMs(f.to, 'to') }
  if (total > count && count > 0) window.to = Math.min(window.to, PG_EPOCH_MS + Math.floor(lastMicros(records, count) / 1000))
  return { ...encodeRecords(records, window), total, categories: subcategories }
}

const microsAt = (records: Buffer, at: number) => records.readInt32BE(at + 10) * 4294967296 + records.readUInt32BE(at + 14)
const lastMicros = (records: Buffer, count: number) => microsAt(records, (count - 1) * RECORD)

/** Transposes the big-endian 18-byte records into a points-format buffer; `window` is the selection's (epoch ms). */
export function encodeRecords(records: Buffer, window: { from: number; to: number } = { from: -Infinity, to: Infinity }): { body: Uint8Array; count: number } {
  const count = Math.floor(records.length / RECORD)
  const { buffer, columns } = allocatePoints(count)
  const { positions, category, severityStatus, time } = columns
  // Times first into a scratch array: the unit depends on the span, known once the last row is read.
  const micros = new Float64Array(count)
  let west = Infinity,
    south = Infinity,
    east = -Infinity,
    north = -Infinity
  for (let i = 0, at = 0; i < count; i++, at += RECORD) {
    const lon = records.readFloatBE(at)
    const lat = records.readFloatBE(at + 4)
    positions[2 * i] = lon
    positions[2 * i + 1] = lat
    if (lon < west) west = lon
    if (lon > east) east = lon
    if (lat < south) south = lat
    if (lat > north) north = lat
    category[i] = records[at + 8]!
    severityStatus[i] = records[at + 9]!
    // timestamptz: i64 microseconds since 2000-01-01 (below 2^53 for millennia, so a double is exact).
    micros[i] = microsAt(records, at)
  }
  // Counted in whole microseconds from the start of the first point's minute: exact integers, so a
  // point a microsecond before a minute lands in the minute before it.
  const t0Micros = count ? Math.floor(micros[0]! / MINUTE_MICROS) * MINUTE_MICROS : 0
  const t0 = count ? PG_EPOCH_MS + t0Micros / 1000 : 0
  const t1 = count ? PG_EPOCH_MS + Math.floor(micros[count - 1]! / 1000) : 0
  const timeUnitSeconds = timeUnitFor(t0, t1)
  const unitMicros = timeUnitSeconds * 1_000_000
  for (let i = 0; i < count; i++) time[i] = Math.floor((micros[i]! - t0Micros) / unitMicros)
  writePointsHeader(buffer, {
    count,
    timeUnitSeconds,
    t0,
    t1,
    bounds: count ? [west, south, east, north] : [0, 0, 0, 0],
    windowFrom: window.from,
    windowTo: window.to,
  })
  return { body: buffer, count }
}
