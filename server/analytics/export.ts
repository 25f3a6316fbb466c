/**
 * Exports of exactly the filtered incidents as CSV (UTF-8 with a BOM, so Excel reads the Chinese)
 * or GeoJSON, streamed in keyset batches: a million rows never sit in memory at once. The count is read first and sent as x-total-count, so the client can show rows/total.
 * Residents stay masked (mask_name, mask_phone in SQL: the raw values never reach Node).
 */
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { checkIncidentFilter } from '../incidents/queries.ts'
import { incidentWhere } from '../incidents/sql/filter.ts'
import { caseIsOverdue } from '../incidents/sql/status.ts'
import { maskedTitle } from '../incidents/free-text-mask.ts'
import type { IncidentFilter } from '../incidents/types.ts'
import { log } from '../log.ts'
import { trackStream, writeWithin } from '../http/stream-guard.ts'
import type { StreamSlotSource } from '../access/shared-limits.ts'

/** The most rows one export carries. */
export const MAX_EXPORT_ROWS = 2_000_000
const BATCH = 1000

export interface ExportRow {
  id: number
  category: string
  categoryName: string
  severity: number
  status: string
  title: string
  reportedAt: string
  gridCode: string
  town: string
  lon: number
  lat: number
  handlingLevel: number
  overdue: boolean
  parties: { name: string; phone: string | null }[]
}

/** Status names as the spreadsheet's readers say them; the code goes in the next column. */
const STATUS_ZH: Record<string, string> = {
  reported: '待受理',
  registered: '已立案',
  dispatched: '已派遣',
  handling: '处置中',
  handled: '已处置',
  verified: '已核查',
  closed: '已结案',
  dismissed: '不予立案',
}

const CSV_COLUMNS: [header: string, value: (r: ExportRow) => string | number | boolean][] = [
  ['编号 id', (r) => r.id],
  ['类别代码 category', (r) => r.category],
  ['类别 category name', (r) => r.categoryName],
  ['严重程度 severity', (r) => r.severity],
  ['状态 status', (r) => STATUS_ZH[r.status] ?? r.status],
  ['状态代码 status code', (r) => r.status],
  ['标题 title', (r) => r.title],
  ['上报时间 reported at', (r) => r.reportedAt],
  ['网格编码 grid code', (r) => r.gridCode],
  ['镇街 town', (r) => r.town],
  ['经度 lon', (r) => r.lon],
  ['纬度 lat', (r) => r.lat],
  ['处置层级 handling level', (r) => r.handlingLevel],
  ['超期 overdue', (r) => r.overdue],
  ['当事人 parties', (r) => r.parties.map((p) => (p.phone ? `${p.name} ${p.phone}` : p.name)).join('; ')],
]

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with ' (CSV injection). */
export function csvField(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const csvLine = (cells: (string | number | boolean)[]) => cells.map(csvField).join(',') + '\r\n'

function geojsonFeature(r: ExportRow): string {
  const { id, lon, lat, ...properties } = r
  return JSON.stringify({ type: 'Feature', id, geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { id, ...properties } })
}

/** One batch of the export after `after` (the last row's time in microseconds and id), in (reported_at, id) order. */
function exportBatch(sql: Sql, f: IncidentFilter & { scope: string }, upToId: number, after: BatchKey | null) {
  return sql<(ExportRow & { keyMicros: string })[]>`
    select i.id, i.category, c.name_zh as "categoryName", i.severity, i.status, ${maskedTitle(sql)} as title,
           to_char(i.reported_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') as "reportedAt",
           i.grid_code as "gridCode", coalesce(t.name, '') as town,
           round(ST_X(i.location)::numeric, 7)::float8 as lon, round(ST_Y(i.location)::numeric, 7)::float8 as lat,
           i.handling_level as "handlingLevel",
           (${caseIsOverdue(sql)}) as overdue,
           coalesce((select json_agg(json_build_object(
               'name', mask_name(p->>'name'),
               'phone', case when p->>'phone' is null then null else mask_phone(p->>'phone') end))
             from jsonb_array_elements(i.parties) p), '[]'::json) as parties,
           (extract(epoch from i.reported_at) * 1000000)::int8::text as "keyMicros"
    from incident i
    join incident_category c on c.code = i.category
    left join grid_cell t on t.code = left(i.grid_code, 9)
    where ${incidentWhere(sql, f)} and i.id <= ${upToId}
      ${after ? sql`and (i.reported_at, i.id) > (timestamptz 'epoch' + ${after.micros}::int8 * interval '1 microsecond', ${after.id}::int8)` : sql``}
    order by i.reported_at, i.id
    limit ${BATCH}`
}

/**
 * Streams the export as the response; 413 before anything is sent when the selection is too large.
 * Rows are read in keyset batches, each its own short statement: no cursor holds a database
 * connection while the client reads, so a slow or stalled client costs one batch of memory and is
 * cut off after `limits.writeTimeoutMs`. Rows reported after the count (a higher id) are left out,
 * so the rows match x-total-count. HEAD answers the headers without reading any row.
 */
export async function exportIncidents(
  c: Context,
  sql: Sql,
  f: IncidentFilter & { scope: string },
  format: 'csv' | 'geojson',
  limits: ExportLimits,
): Promise<Response> {
  await checkIncidentFilter(sql, f)
  const [counted] = await sql<
    { total: number; upToId: number | null }[]
  >`select count(*) as total, max(i.id) as "upToId" from incident i where ${incidentWhere(sql, f)}`
  const total = counted!.total
  if (total > MAX_EXPORT_ROWS) {
    throw new HttpProblem(413, 'Selection too large', `The filter selects ${total} incidents; an export holds at most ${MAX_EXPORT_ROWS}. Narrow the filter.`, [
      { name: 'filter', reason: `Expected a filter selecting at most ${MAX_EXPORT_ROWS} incidents.` },
    ])
  }
  const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10) // today in Asia/Shanghai
  c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/geo+json; charset=utf-8')
  c.header('content-disposition', `attachment; filename="gridscope-incidents-${day}.${format}"`)
  c.header('x-total-count', String(total))
  c.header('cache-control', 'no-store')
  c.header('x-accel-buffering', 'no')
  if (c.req.method === 'HEAD') return c.body(null, 200)
  const release = await limits.slots.acquire(c, limits.owner)
  const started = performance.now()
  return stream(
    c,
    async (out) => {
      const untrack = trackStream(() => out.abort())
      let rows = 0
      try {
        const send = (text: string) => writeWithin(c, out, text, limits.writeTimeoutMs)
        let ok = await send(format === 'csv' ? '\uFEFF' + csvLine(CSV_COLUMNS.map(([header]) => header)) : '{"type":"FeatureCollection","features":[\n')
        let after: BatchKey | null = null
        while (ok && counted!.upToId !== null) {
          const batch = await exportBatch(sql, f, counted!.upToId, after)
          if (!batch.length) break
          const last = batch.at(-1)!
          after = { micros: last.keyMicros, id: last.id }
          const text =
            format === 'csv'
              ? batch.map((r) => csvLine(CSV_COLUMNS.map(([, value]) => value(r)))).join('')
              : batch.map(({ keyMicros: _, ...r }, k) => (rows + k === 0 ? '' : ',\n') + geojsonFeature(r)).join('')
          rows += batch.length
          ok = await send(text)
          if (batch.length < BATCH) break
        }
        if (ok && format === 'geojson') ok = await send('\n]}\n')
        log.info({ format, rows, total, aborted: !ok, ms: Math.round(performance.now() - started) }, 'incident export streamed')
      } finally {
        untrack()
        release()
      }
    },
    async (error) => {
      log.error({ err: error, format }, 'incident export failed mid-stream')
    },
  )
}

interface BatchKey {
  micros: string
  id: number
}

export interface ExportLimits {
  slots: StreamSlotSource
  /** Whose export this is (the user), for the per-user limit. */
  owner: string
  writeTimeoutMs: number
}
