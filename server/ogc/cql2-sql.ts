/**
 * A parsed CQL2 tree → a SQL condition over a collection's queryables. Property names come only
 * from the collection's allow-list (an unknown one is a 400 naming it), operators from a fixed
 * table, and every literal — strings, numbers, instants, geometry as GeoJSON — is a bound parameter.
 */
import type { Sql } from '../db/connect.ts'
import type { Fragment } from '../db/fragment.ts'
import type { Collection } from './collections.ts'
import { Cql2Error, type ComparisonOp, type Cql2Node, type Geometry, type Literal } from './cql2-parse.ts'

function compare(sql: Sql, a: Fragment, cmp: ComparisonOp, b: unknown): Fragment {
  switch (cmp) {
    case '=':
      return sql`${a} = ${b as string}`
    case '<>':
      return sql`${a} <> ${b as string}`
    case '<':
      return sql`${a} < ${b as string}`
    case '>':
      return sql`${a} > ${b as string}`
    case '<=':
      return sql`${a} <= ${b as string}`
    case '>=':
      return sql`${a} >= ${b as string}`
  }
}

function geoJsonOf(g: Geometry): object {
  if (g.kind === 'point') return { type: 'Point', coordinates: g.coords }
  if (g.kind === 'polygon') return { type: 'Polygon', coordinates: g.rings }
  const [x1, y1, x2, y2] = g.coords as [number, number, number, number]
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x1, y1],
        [x2, y1],
        [x2, y2],
        [x1, y2],
        [x1, y1],
      ],
    ],
  }
}

export function cql2Where(sql: Sql, collection: Collection, node: Cql2Node): Fragment {
  const queryable = (name: string) => {
    const q = collection.queryables[name]
    if (q) return q
    if (name === 'geometry' || name === 'datetime') return undefined
    throw new Cql2Error(`unknown property "${name}"; the queryables of ${collection.id} are ${Object.keys(collection.queryables).join(', ')}`)
  }
  const literalValue = (name: string, type: string, v: Literal): unknown => {
    if (type === 'integer') {
      if (v.kind !== 'number' || !Number.isInteger(v.value)) throw new Cql2Error(`${name} is compared with an integer`)
      if (!Number.isSafeInteger(v.value)) throw new Cql2Error(`the integer compared with ${name} is out of range`)
      return sql`${v.value}::bigint` // bigint: any safe integer compares with a smallint column
    }
    if (type === 'datetime') {
      if (v.kind !== 'timestamp' && v.kind !== 'date') throw new Cql2Error(`${name} is compared with TIMESTAMP('…') or DATE('…')`)
      return new Date(v.value)
    }
    if (v.kind !== 'string') throw new Cql2Error(`${name} is compared with a string in single quotes`)
    return v.value
  }
  const walk = (n: Cql2Node): Fragment => {
    switch (n.op) {
      case 'and':
      case 'or': {
        const parts = n.args.map(walk)
        const joined = parts.slice(1).reduce((acc, p) => (n.op === 'and' ? sql`${acc} and ${p}` : sql`${acc} or ${p}`), parts[0]!)
        return sql`(${joined})`
      }
      case 'not':
        return sql`(not coalesce(${walk(n.arg)}, false))`
      case 'isNull': {
        const q = queryable(n.property)
        if (!q) throw new Cql2Error(`IS NULL does not apply to ${n.property}`)
        return n.negated ? sql`(${q.expr(sql)} is not null)` : sql`(${q.expr(sql)} is null)`
      }
      case 'compare': {
        const q = queryable(n.property)
        if (!q) throw new Cql2Error(`compare ${n.property} with S_INTERSECTS or T_INTERSECTS`)
        return sql`(${compare(sql, q.expr(sql), n.cmp, literalValue(n.property, q.type, n.value))})`
      }
      case 's_intersects': {
        if (n.property !== 'geometry') throw new Cql2Error(`S_INTERSECTS applies to the property geometry, not ${n.property}`)
        const shape = JSON.stringify(geoJsonOf(n.geometry))
        return sql`ST_Intersects(${collection.geometry(sql)}, ST_SetSRID(ST_GeomFromGeoJSON(${shape}), 4326))`
      }
      case 't_intersects': {
        const column =
          n.property === 'datetime'
            ? collection.temporal
            : collection.queryables[n.property]?.type === 'datetime'
              ? collection.queryables[n.property]!.expr
              : undefined
        if (!column) {
          queryable(n.property)
          throw new Cql2Error(`T_INTERSECTS applies to a datetime property, not ${n.property}`)
        }
        const t = n.temporal
        if (t.kind === 'instant') {
          if (t.value.length === 10)
            return sql`(${column(sql)} >= ${new Date(t.value)} and ${column(sql)} < ${new Date(t.value)}::timestamptz + interval '1 day')`
          const span = /\.\d/.test(t.value) ? 1 : 1000 // the instant's stated precision
          return sql`(${column(sql)} >= ${new Date(t.value)} and ${column(sql)} < ${new Date(Date.parse(t.value) + span)})`
        }
        const from = t.start ? sql`${column(sql)} >= ${new Date(t.start)}` : sql`${column(sql)} is not null`
        const to = t.end ? sql`${column(sql)} <= ${new Date(t.end)}` : sql`true`
        return sql`(${from} and ${to})`
      }
    }
  }
  return walk(node)
}
