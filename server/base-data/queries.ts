/**
 * Households on the map: in the viewer's scope (the household's cell is under it), within the
 * view. From household-group zoom (HOMES_ZOOM) each home is a point; further out the points are
 * clustered on a square grid a little under 64 screen pixels wide at that zoom, each cluster at
 * the mean of its homes. No personal data: a home shows its household code and how many
 * residents it has.
 */
import type { Sql } from '../db/connect.ts'

/** The zoom from which homes are single points (a household group fills the screen). */
export const HOMES_ZOOM = 16
/** At most this many points or clusters in one answer. */
export const MAX_POINTS = 5000

export interface HomePoint {
  lon: number
  lat: number
  /** Homes at this point (1 for a single home). */
  count: number
  /** A single home's code (null for a cluster or a home without one). */
  code: string | null
  /** Residents of a single home, or of the cluster's homes. */
  residents: number
}

export interface HomesView {
  west: number
  south: number
  east: number
  north: number
  zoom: number
}

export async function homesInView(sql: Sql, scope: string, view: HomesView): Promise<{ clustered: boolean; points: HomePoint[]; truncated: boolean }> {
  const envelope = sql`ST_MakeEnvelope(${view.west}, ${view.south}, ${view.east}, ${view.north}, 4326)`
  const residents = sql`(select count(*)::int from resident r where r.household_id = h.id)`
  if (view.zoom >= HOMES_ZOOM) {
    const rows = await sql<HomePoint[]>`
      select ST_X(h.location) as lon, ST_Y(h.location) as lat, 1 as count, h.code, ${residents} as residents
        from household h
       where h.location && ${envelope} and h.cell_code like ${`${scope}%`}
       order by h.id limit ${MAX_POINTS + 1}`
    return { clustered: false, points: rows.slice(0, MAX_POINTS), truncated: rows.length > MAX_POINTS }
  }
  // Degrees per 64 pixels at this zoom (256-pixel tiles): 360 / 2^zoom / 4.
  const size = 360 / 2 ** Math.floor(view.zoom) / 4
  const rows = await sql<HomePoint[]>`
    select avg(ST_X(h.location)) as lon, avg(ST_Y(h.location)) as lat, count(*)::int as count,
           case when count(*) = 1 then min(h.code) end as code, sum(${residents})::int as residents
      from household h
     where h.location && ${envelope} and h.cell_code like ${`${scope}%`}
     group by ST_SnapToGrid(h.location, ${size})
     limit ${MAX_POINTS + 1}`
  return { clustered: true, points: rows.slice(0, MAX_POINTS), truncated: rows.length > MAX_POINTS }
}
