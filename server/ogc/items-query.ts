/**
 * /items parameters → one bound SQL condition: limit (default 10, clamped to 10,000), bbox (4 or
 * 6 numbers, CRS84), datetime (instant, closed or open interval with ..), property parameters from
 * the collection's allow-list, a CQL2 text filter, and the keyset cursor `after` (the last id of
 * the previous page; ids only grow, so pages stay stable while reports arrive). Anything else is a
 * 400 naming the parameter. The other /ogc documents ignore these parameters (isItemsParam), so a
 * GIS client can open a filtered collection URL such as …/collections/towns?bbox=… .
 */
import type { Sql } from '../db/connect.ts'
import type { Fragment } from '../db/fragment.ts'
import { HttpProblem } from '../http/problem.ts'
import type { Collection } from './collections.ts'
import { cql2Where } from './cql2-sql.ts'
import { Cql2Error, parseCql2 } from './cql2-parse.ts'

export const DEFAULT_LIMIT = 10
export const MAX_LIMIT = 10_000
const FIXED_PARAMS = new Set(['limit', 'bbox', 'bbox-crs', 'datetime', 'filter', 'filter-lang', 'filter-crs', 'after', 'f', 'lang'])
const CRS84 = ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/4326']

export interface ItemsQuery {
  limit: number
  where: Fragment
  after: string | null
}

export function badParam(name: string, reason: string): HttpProblem {
  return new HttpProblem(400, 'Invalid request', `Invalid query parameter: ${name}. ${reason}`, [{ name, reason }])
}

function parseInstant(name: string, text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw badParam(name, `Expected an RFC 3339 date-time (e.g. 2026-03-01T00:00:00Z), a date, or an interval a/b with .. for an open end.`)
  }
  return new Date(text)
}

/** Whether `name` is an items parameter of the collection (of any collection when none is given). */
export function isItemsParam(collections: readonly Collection[], name: string): boolean {
  return FIXED_PARAMS.has(name) || collections.some((c) => c.queryables[name]?.param)
}

export function parseItemsQuery(sql: Sql, collection: Collection, params: URLSearchParams): ItemsQuery {
  for (const name of new Set(params.keys())) {
    // GDAL's OAPIF driver appends the query of the URL it opened to every request, next links
    // included, so a parameter may come twice with the same value; two different values are an error.
    if (new Set(params.getAll(name)).size > 1) throw badParam(name, 'Give this parameter once (or the same value each time).')
    if (!FIXED_PARAMS.has(name) && !collection.queryables[name]?.param) {
      const allowed = [
        ...FIXED_PARAMS,
        ...Object.entries(collection.queryables)
          .filter(([, q]) => q.param)
          .map(([n]) => n),
      ]
      throw badParam(name, `Unknown parameter; ${collection.id} takes ${allowed.join(', ')}.`)
    }
  }
  const clauses: Fragment[] = [sql`true`]
  const limitText = params.get('limit')
  let limit = DEFAULT_LIMIT
  if (limitText !== null) {
    if (!/^[0-9]{1,12}$/.test(limitText) || Number(limitText) < 1) throw badParam('limit', 'Expected a positive integer (at most 10000 are returned).')
    limit = Math.min(Number(limitText), MAX_LIMIT)
  }
  const bbox = params.get('bbox')
  if (bbox !== null) {
    const crs = params.get('bbox-crs')
    if (crs !== null && !CRS84.includes(crs)) throw badParam('bbox-crs', `Only ${CRS84[0]} is supported.`)
    const n = bbox.split(',').map((v) => (/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v) ? Number(v) : NaN))
    if ((n.length !== 4 && n.length !== 6) || n.some((v) => !Number.isFinite(v)))
      throw badParam('bbox', 'Expected 4 or 6 comma-separated numbers: minLon,minLat[,minZ],maxLon,maxLat[,maxZ].')
    const [x1, y1, x2, y2] = n.length === 6 ? [n[0]!, n[1]!, n[3]!, n[4]!] : (n as [number, number, number, number])
    if (y1 > y2 || y1 < -90 || y2 > 90) throw badParam('bbox', 'Expected minLat ≤ maxLat within −90…90.')
    clauses.push(
      sql`${collection.geometry(sql)} && ST_MakeEnvelope(${x1}, ${y1}, ${x2}, ${y2}, 4326) and ST_Intersects(${collection.geometry(sql)}, ST_MakeEnvelope(${x1}, ${y1}, ${x2}, ${y2}, 4326))`,
    )
  }
  const datetime = params.get('datetime')
  if (datetime !== null && collection.temporal) {
    const column = collection.temporal(sql)
    const parts = datetime.split('/')
    if (parts.length === 1) {
      // An instant matches the whole of its stated precision (a day, a second, a millisecond).
      const text = parts[0]!
      const start = parseInstant('datetime', text)
      const span = text.length === 10 ? 86_400_000 : /\.\d/.test(text) ? 1 : 1000
      clauses.push(sql`${column} >= ${start} and ${column} < ${new Date(start.getTime() + span)}`)
    } else if (parts.length === 2) {
      const [a, b] = parts as [string, string]
      if ((a === '..' || a === '') && (b === '..' || b === '')) throw badParam('datetime', 'An interval needs at least one end.')
      if (a !== '..' && a !== '') clauses.push(sql`${column} >= ${parseInstant('datetime', a)}`)
      if (b !== '..' && b !== '') clauses.push(sql`${column} <= ${parseInstant('datetime', b)}`)
    } else {
      throw badParam('datetime', 'Expected an instant or an interval start/end.')
    }
  }
  for (const [name, q] of Object.entries(collection.queryables)) {
    const value = params.get(name)
    if (value === null || !q.param) continue
    if (q.pattern && !q.pattern.test(value)) throw badParam(name, `The value does not fit ${name}${q.pattern === undefined ? '' : ` (${q.pattern.source})`}.`)
    clauses.push(q.paramWhere ? q.paramWhere(sql, value) : q.type === 'integer' ? sql`${q.expr(sql)} = ${Number(value)}` : sql`${q.expr(sql)} = ${value}`)
  }
  const filter = params.get('filter')
  const lang = params.get('filter-lang')
  if (lang !== null && lang !== 'cql2-text') throw badParam('filter-lang', 'Only cql2-text is supported.')
  const filterCrs = params.get('filter-crs')
  if (filterCrs !== null && !CRS84.includes(filterCrs)) throw badParam('filter-crs', `Only ${CRS84[0]} is supported.`)
  if (filter !== null) {
    try {
      clauses.push(cql2Where(sql, collection, parseCql2(filter)))
    } catch (error) {
      if (error instanceof Cql2Error) throw badParam('filter', `Invalid CQL2 text: ${error.message}.`)
      throw error
    }
  }
  const after = params.get('after')
  if (after !== null && !collection.idPattern.test(after)) throw badParam('after', 'Expected a feature id from a next link.')
  const where = clauses.reduce((acc, c) => sql`${acc} and ${c}`)
  return { limit, where, after }
}
