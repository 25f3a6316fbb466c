/**
 * Reads for the OGC API: a page of features as GeoJSON text assembled from JSON the database
 * builds (no parse/serialise round trip in Node), the count that matched, one feature by id, and
 * a collection's extent within the viewer's scope.
 */
import type { Sql } from '../db/connect.ts'
import type { Collection } from './collections.ts'
import { propertiesJson } from './collections.ts'
import type { ItemsQuery } from './items-query.ts'

export interface FeaturePage {
  features: string[]
  lastId: string | null
  numberMatched: number
}

function afterValue(collection: Collection, after: string): string | number {
  return collection.level === null ? Number(after) : after
}

export async function readFeaturePage(sql: Sql, collection: Collection, scope: string, q: ItemsQuery): Promise<FeaturePage> {
  const id = collection.idExpr(sql)
  const keyset = q.after === null ? sql`` : sql`and ${id} > ${afterValue(collection, q.after)}`
  const [rows, [count]] = await Promise.all([
    sql<{ id: string; feature: string }[]>`
      select ${id}::text as id, json_build_object('type', 'Feature', 'id', ${id}::text,
          'geometry', ST_AsGeoJSON(${collection.geometry(sql)}, 7)::json, 'properties', ${propertiesJson(sql, collection)})::text as feature
      from ${collection.from(sql, scope)} and ${q.where} ${keyset}
      order by ${id} limit ${q.limit}`,
    sql<{ n: number }[]>`select count(*)::int as n from ${collection.from(sql, scope)} and ${q.where}`,
  ])
  return { features: rows.map((r) => r.feature), lastId: rows.length === q.limit ? rows.at(-1)!.id : null, numberMatched: count!.n }
}

export async function readFeature(sql: Sql, collection: Collection, scope: string, featureId: string): Promise<string | null> {
  if (!collection.idPattern.test(featureId)) return null
  const id = collection.idExpr(sql)
  const [row] = await sql<{ feature: string }[]>`
    select json_build_object('type', 'Feature', 'id', ${id}::text,
        'geometry', ST_AsGeoJSON(${collection.geometry(sql)}, 7)::json, 'properties', ${propertiesJson(sql, collection)})::text as feature
    from ${collection.from(sql, scope)} and ${id} = ${afterValue(collection, featureId)}`
  return row?.feature ?? null
}

export interface Extent {
  bbox: [number, number, number, number] | null
  interval: [string | null, string | null] | null
}

export async function readExtent(sql: Sql, collection: Collection, scope: string): Promise<Extent> {
  const temporal = collection.temporal ? collection.temporal(sql) : sql`null::timestamptz`
  const [row] = await sql<{ x1: number | null; y1: number; x2: number; y2: number; t1: Date | null; t2: Date | null }[]>`
    with e as (select ST_Extent(${collection.geometry(sql)}) as box, min(${temporal}) as t1, max(${temporal}) as t2 from ${collection.from(sql, scope)})
    select ST_XMin(box) as x1, ST_YMin(box) as y1, ST_XMax(box) as x2, ST_YMax(box) as y2, t1, t2 from e`
  return {
    bbox: row?.x1 == null ? null : [row.x1, row.y1, row.x2, row.y2],
    interval: collection.temporal ? [row?.t1?.toISOString() ?? null, row?.t2?.toISOString() ?? null] : null,
  }
}
