/**
 * Reading incidents (the read side: the write side, service.ts, builds on it, never the other way
 * round): the filter every incident endpoint applies (parsed by the schema in types.ts, checked
 * here, turned into SQL by sql/filter.ts), keyset pagination in a stable order (newest report
 * first, id as tie-break), one incident with its timeline, and the roll-up figures of a grid
 * subtree. Every read takes the viewer's scope.
 */
import type { Sql } from '../db/connect.ts'
import type { SqlOrTx } from '../db/fragment.ts'
import { HttpProblem, invalidRequest } from '../http/problem.ts'
import { IncidentFilterQuery, type IncidentFilter, type IncidentListQuery, type IncidentRollup, type IncidentView } from './types.ts'
import { incidentColumns, withActions } from './sql/columns.ts'
import { closedRateFigures, openFigures } from './sql/figures.ts'
import { incidentWhere } from './sql/filter.ts'

export interface CategoryCodes {
  /** Subcategory codes in the order of GET /api/categories: the points format's category index. */
  subcategories: string[]
  all: Set<string>
}

const categoryCache = new WeakMap<Sql, Promise<CategoryCodes>>()

/** The category codes (loaded once per database client: categories are upserted only at start-up). */
export function categoryCodes(sql: Sql): Promise<CategoryCodes> {
  let codes = categoryCache.get(sql)
  if (!codes) {
    codes = sql<{ code: string; parent: string | null }[]>`select code, parent_code as parent from incident_category order by sort, code`.then((rows) => ({
      subcategories: rows.filter((r) => r.parent !== null).map((r) => r.code),
      all: new Set(rows.map((r) => r.code)),
    }))
    codes.catch(() => categoryCache.delete(sql))
    categoryCache.set(sql, codes)
  }
  return codes
}

/** Unknown category codes are a 400 naming `category`, checked in code (no SQL error on the embedded database). */
export async function checkIncidentFilter(sql: Sql, f: IncidentFilter): Promise<void> {
  if (!f.category?.length) return
  const { all } = await categoryCodes(sql)
  const unknown = f.category.filter((code) => !all.has(code))
  if (unknown.length) {
    const reason = `Unknown category ${unknown.join(', ')}; expected category or subcategory codes from GET /api/categories.`
    throw new HttpProblem(400, 'Invalid request', `Invalid query parameter: category. ${reason}`, [{ name: 'category', reason }])
  }
}

/**
 * Parses query parameters (e.g. a URL's searchParams) into a checked filter, throwing the same
 * 400 problem as the API's edge validation; for code that reads a filter outside a route.
 */
export async function parseIncidentFilter(sql: Sql, query: Record<string, string> | URLSearchParams): Promise<IncidentFilter> {
  const result = await IncidentFilterQuery.safeParseAsync(query instanceof URLSearchParams ? Object.fromEntries(query) : query)
  if (!result.success) throw invalidRequest('query', result.error)
  await checkIncidentFilter(sql, result.data)
  return result.data
}

/**
 * A page cursor: the last row's reported_at in whole microseconds since 1970 (PostgreSQL's own
 * precision: reports written together share a time, and milliseconds would skip rows) and its id.
 */
function encodeCursor(reportedMicros: string, id: number): string {
  return Buffer.from(`${reportedMicros}|${id}`).toString('base64url')
}

/** Microseconds of 0001-01-01 and 10000-01-01 since 1970: the range a cursor's time may hold. */
const CURSOR_MICROS = [-62_135_596_800_000_000n, 253_402_300_800_000_000n] as const

function decodeCursor(cursor: string): { reportedMicros: string; id: number } {
  const [micros, id, extra] = Buffer.from(cursor, 'base64url').toString('latin1').split('|')
  const valid =
    extra === undefined &&
    /^-?[0-9]{1,18}$/.test(micros ?? '') &&
    /^[1-9][0-9]{0,15}$/.test(id ?? '') &&
    BigInt(micros!) >= CURSOR_MICROS[0] &&
    BigInt(micros!) < CURSOR_MICROS[1] &&
    Number(id) <= Number.MAX_SAFE_INTEGER
  if (!valid) {
    throw new HttpProblem(400, 'Invalid request', 'Invalid query parameter: cursor. Expected cursor as returned in nextCursor.', [
      { name: 'cursor', reason: 'Expected cursor as returned in nextCursor.' },
    ])
  }
  return { reportedMicros: micros!, id: Number(id) }
}

export async function listIncidents(
  sql: Sql,
  f: IncidentListQuery & { scope: string },
): Promise<{ items: IncidentView[]; total: number; nextCursor: string | null }> {
  await checkIncidentFilter(sql, f)
  const after = f.cursor ? decodeCursor(f.cursor) : null
  const where = incidentWhere(sql, f)
  const [rows, [count]] = await Promise.all([
    sql<(Omit<IncidentView, 'allowedActions'> & { cursorMicros: string })[]>`
      select ${incidentColumns(sql)}, (extract(epoch from i.reported_at) * 1000000)::int8::text as "cursorMicros" from incident i
      where ${where} ${after ? sql`and (i.reported_at, i.id) < (timestamptz 'epoch' + ${after.reportedMicros}::int8 * interval '1 microsecond', ${after.id}::int8)` : sql``}
      order by i.reported_at desc, i.id desc
      limit ${f.limit + 1}`,
    sql<{ total: number }[]>`select count(*) as total from incident i where ${where}`,
  ])
  const page = rows.slice(0, f.limit)
  const last = page.at(-1)
  return {
    items: page.map(({ cursorMicros: _, ...row }) => withActions(row)),
    total: count!.total,
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.cursorMicros, last.id) : null,
  }
}

/** The incident if it lies inside `scope` (the viewer's grid code prefix), else null. */
export async function getIncident(sql: SqlOrTx, id: number, scope: string): Promise<IncidentView | null> {
  const [row] = await sql<Omit<IncidentView, 'allowedActions'>[]>`
    select ${incidentColumns(sql)} from incident i where i.id = ${id} and ${incidentWhere(sql, { scope })}`
  return row ? withActions(row) : null
}

/** Figures of the incidents in a grid subtree (the cell's code is the prefix of its cells') that the scope lets through. */
export async function subtreeRollup(sql: Sql, code: string, scope: string): Promise<IncidentRollup> {
  const [row] = await sql<IncidentRollup[]>`
    select count(*) as total,
           ${openFigures(sql)},
           count(*) filter (where i.status = 'closed') as resolved,
           ${closedRateFigures(sql)}
    from incident i where ${incidentWhere(sql, { grid: code, scope })}`
  return row!
}
