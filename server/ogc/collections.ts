/**
 * The OGC API collections: one per grid level (polygons with households, population and the
 * incident figures the viewer may see) and `incidents` (points within the viewer's scope, parties
 * masked, temporal over reported_at). Each property is a queryable with its SQL expression: the
 * allow-list that query parameters and CQL2 filters are checked against.
 */
import type { Sql } from '../db/connect.ts'
import type { Fragment } from '../db/fragment.ts'
import { scopedStatsCode } from '../access/scope-sql.ts'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

export type QueryableType = 'string' | 'integer' | 'datetime'

export interface Queryable {
  type: QueryableType
  title: string
  /** The SQL expression over the collection's FROM (c: grid_cell, s: stats; or i: incident). */
  expr: (sql: Sql) => Fragment
  /** Allowed as a plain query parameter (`status=open`). */
  param?: boolean
  /** Values a query parameter must match. */
  pattern?: RegExp
  /** A query parameter's own condition (default: expr = value). */
  paramWhere?: (sql: Sql, value: string) => Fragment
}

export interface Collection {
  id: string
  titleZh: string
  titleEn: string
  /** Grid level, or null for incidents. */
  level: number | null
  queryables: Record<string, Queryable>
  geometry: (sql: Sql) => Fragment
  /** FROM … (and WHERE basics) for a viewer's scope. */
  from: (sql: Sql, scope: string) => Fragment
  /** The feature id column: keyset order. */
  idExpr: (sql: Sql) => Fragment
  idPattern: RegExp
  /** The column `datetime` and T_INTERSECTS apply to. */
  temporal?: (sql: Sql) => Fragment
}

const CODE = GRID_CODE_PATTERN

const gridQueryables: Record<string, Queryable> = {
  code: { type: 'string', title: 'Grid code', expr: (sql) => sql`c.code`, param: true, pattern: CODE },
  name: { type: 'string', title: 'Name', expr: (sql) => sql`c.name`, param: true },
  full_name: { type: 'string', title: 'Full name', expr: (sql) => sql`c.full_name` },
  parent_code: { type: 'string', title: 'Parent grid code', expr: (sql) => sql`c.parent_code`, param: true, pattern: CODE },
  households: { type: 'integer', title: 'Households', expr: (sql) => sql`c.households` },
  population: { type: 'integer', title: 'Population', expr: (sql) => sql`c.population` },
  incidents_total: { type: 'integer', title: 'Incidents', expr: (sql) => sql`coalesce(s.total, 0)` },
  incidents_open: { type: 'integer', title: 'Open incidents', expr: (sql) => sql`coalesce(s.open, 0)` },
  incidents_overdue: { type: 'integer', title: 'Overdue incidents', expr: (sql) => sql`coalesce(s.overdue, 0)` },
  incidents_resolved: { type: 'integer', title: 'Resolved incidents', expr: (sql) => sql`coalesce(s.resolved, 0)` },
}

function gridCollection(id: string, level: number, titleZh: string, titleEn: string): Collection {
  return {
    id,
    titleZh,
    titleEn,
    level,
    queryables: gridQueryables,
    geometry: (sql) => sql`c.geom`,
    from: (sql, scope) => sql`grid_cell c left join grid_incident_stats s on s.code = ${scopedStatsCode(sql, scope)} where c.level = ${level}`,
    idExpr: (sql) => sql`c.code`,
    idPattern: CODE,
  }
}

const OPEN_STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled']
const STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed']

const incidentQueryables: Record<string, Queryable> = {
  id: { type: 'integer', title: 'Incident id', expr: (sql) => sql`i.id` },
  category: { type: 'string', title: 'Category', expr: (sql) => sql`i.category`, param: true, pattern: /^[a-z_]+(\.[a-z_]+)?$/ },
  severity: { type: 'integer', title: 'Severity (1–4)', expr: (sql) => sql`i.severity`, param: true, pattern: /^[1-4]$/ },
  title: { type: 'string', title: 'Title', expr: (sql) => sql`i.title` },
  source: { type: 'string', title: 'Source', expr: (sql) => sql`i.source`, param: true, pattern: /^(patrol|resident|hotline|referral)$/ },
  status: {
    type: 'string',
    title: 'Status',
    expr: (sql) => sql`i.status`,
    param: true,
    pattern: new RegExp(`^(open|${STATUSES.join('|')})$`),
    paramWhere: (sql, v) => (v === 'open' ? sql`i.status in ${sql(OPEN_STATUSES)}` : sql`i.status = ${v}`),
  },
  grid_code: {
    type: 'string',
    title: 'Household group',
    expr: (sql) => sql`i.grid_code`,
    param: true,
    pattern: CODE,
    paramWhere: (sql, v) => sql`i.grid_code like ${v + '%'}`,
  },
  town: { type: 'string', title: 'Town code', expr: (sql) => sql`left(i.grid_code, 9)`, param: true, pattern: /^[0-9]{9}$/ },
  village: { type: 'string', title: 'Village code', expr: (sql) => sql`left(i.grid_code, 12)`, param: true, pattern: /^[0-9]{12}$/ },
  handling_level: { type: 'integer', title: 'Handling level', expr: (sql) => sql`i.handling_level`, param: true, pattern: /^[1-5]$/ },
  reported_at: { type: 'datetime', title: 'Reported at', expr: (sql) => sql`i.reported_at` },
  occurred_at: { type: 'datetime', title: 'Occurred at', expr: (sql) => sql`i.occurred_at` },
  due_at: { type: 'datetime', title: 'Due at', expr: (sql) => sql`i.due_at` },
  closed_at: { type: 'datetime', title: 'Closed at', expr: (sql) => sql`i.closed_at` },
}

export const COLLECTIONS: Collection[] = [
  gridCollection('district', 1, '区', 'District'),
  gridCollection('towns', 2, '镇（街道）', 'Towns'),
  gridCollection('villages', 3, '村（社区）', 'Villages'),
  gridCollection('villager-groups', 4, '村民小组', 'Villager groups'),
  gridCollection('household-groups', 5, '户组网格', 'Household groups'),
  {
    id: 'incidents',
    titleZh: '事件',
    titleEn: 'Incidents',
    level: null,
    queryables: incidentQueryables,
    geometry: (sql) => sql`i.location`,
    from: (sql, scope) => sql`incident i where i.grid_code like ${scope + '%'}`,
    idExpr: (sql) => sql`i.id`,
    idPattern: /^[1-9][0-9]{0,15}$/,
    temporal: (sql) => sql`i.reported_at`,
  },
]

export function findCollection(id: string): Collection | undefined {
  return COLLECTIONS.find((c) => c.id === id)
}

/** The properties of a feature, as JSON text built in SQL (parties masked in SQL). */
export function propertiesJson(sql: Sql, collection: Collection): Fragment {
  if (collection.level !== null) {
    return sql`json_build_object('code', c.code, 'name', c.name, 'full_name', c.full_name, 'parent_code', c.parent_code,
      'households', c.households, 'population', c.population, 'incidents_total', coalesce(s.total, 0),
      'incidents_open', coalesce(s.open, 0), 'incidents_overdue', coalesce(s.overdue, 0), 'incidents_resolved', coalesce(s.resolved, 0))`
  }
  return sql`json_build_object('id', i.id, 'category', i.category, 'severity', i.severity, 'title', i.title, 'source', i.source,
    'status', i.status, 'grid_code', i.grid_code, 'town', left(i.grid_code, 9), 'village', left(i.grid_code, 12),
    'handling_level', i.handling_level, 'reported_at', i.reported_at, 'occurred_at', i.occurred_at, 'due_at', i.due_at,
    'closed_at', i.closed_at,
    'parties', coalesce((select json_agg(json_build_object('name', mask_name(p->>'name'),
        'phone', case when p->>'phone' is null then null else mask_phone(p->>'phone') end,
        'idNumber', case when p->>'idNumber' is null then null else mask_id_number(p->>'idNumber') end))
      from jsonb_array_elements(i.parties) p), '[]'::json)::text)`
}
