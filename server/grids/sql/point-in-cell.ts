/**
 * Which grid cell a point lies in, written once. A point on the edge shared by two household
 * groups belongs to the one with the lower code, so a report, the reporter's scope check and an
 * explanation of a refusal always name the same cell.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'

/** A WGS 84 point from bound coordinates. */
export function pointGeometry(sql: SqlOrTx, point: { lon: number; lat: number }): Fragment {
  return sql`ST_SetSRID(ST_MakePoint(${point.lon}::float8, ${point.lat}::float8), 4326)`
}

/** Over grid_cell (unaliased): the cell's polygon covers `point` (a geometry expression). */
export function coversPoint(sql: SqlOrTx, point: Fragment): Fragment {
  return sql`ST_Covers(geom, ${point})`
}

/**
 * The household group (level-5 cell) a point lies in, as a one-column subquery (`code`), or no
 * row outside the grid: usable as a value (`select ${…} as code`) or laterally (`cross join lateral ${…} cell`).
 */
export function householdGroupAt(sql: SqlOrTx, point: Fragment): Fragment {
  return sql`(select code from grid_cell where level = 5 and ${coversPoint(sql, point)} order by code limit 1)`
}
