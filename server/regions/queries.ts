/**
 * The neighbouring divisions drawn around the grid for orientation, as one GeoJSON
 * FeatureCollection built in the database.
 */
import type { Sql } from '../db/connect.ts'

export async function contextRegions(sql: Sql): Promise<unknown> {
  const [row] = await sql<{ collection: unknown }[]>`
    select json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
      'type', 'Feature', 'id', code,
      'properties', json_build_object('code', code, 'name', name),
      'geometry', ST_AsGeoJSON(geom, 5)::json) order by code), '[]'::json)) as collection
    from context_region`
  return row!.collection
}
