/**
 * Possible duplicates of a report about to be made: open cases of the same subcategory within
 * 50 m reported in the last 7 days, inside the viewer's scope (as FixMyStreet suggests nearby
 * reports). The index on location narrows by a small envelope first; the distance is on the
 * spheroid (geography), so 50 m means 50 m.
 */
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { maskedTitle } from './free-text-mask.ts'
import { envelopeDegrees } from '../grids/envelope.ts'

export const DUPLICATE_RADIUS_M = 50
export const DUPLICATE_DAYS = 7

const coordinate = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .refine(Number.isFinite, `Expected ${name} as a finite number.`)
    .pipe(z.number().min(min, `Expected ${name} from ${min} to ${max}.`).max(max, `Expected ${name} from ${min} to ${max}.`))

export const DuplicateQuery = z.object({
  category: z
    .string({ message: 'Expected category as a subcategory code such as dispute.neighbour.' })
    .regex(/^[a-z_]+\.[a-z_]+$/, 'Expected category as a subcategory code such as dispute.neighbour.'),
  lon: coordinate('lon', -180, 180),
  lat: coordinate('lat', -90, 90),
  /** Leave this case out (when looking for duplicates of an existing case). */
  exclude: z.coerce.number().int().positive().optional(),
})

export interface DuplicateCandidate {
  id: number
  title: string
  status: string
  reportedAt: string
  gridCode: string
  distanceM: number
}

export async function findDuplicates(sql: Sql, q: z.infer<typeof DuplicateQuery>, scope: string): Promise<DuplicateCandidate[]> {
  const point = sql`ST_SetSRID(ST_MakePoint(${q.lon}::float8, ${q.lat}::float8), 4326)`
  // A box larger than the radius at the point's latitude, for the index.
  const { dLon, dLat } = envelopeDegrees(DUPLICATE_RADIUS_M, q.lat)
  return sql<DuplicateCandidate[]>`
    select i.id, ${maskedTitle(sql)} as title, i.status, i.reported_at as "reportedAt", i.grid_code as "gridCode",
           round(ST_Distance(i.location::geography, ${point}::geography))::int as "distanceM"
    from incident i
    where i.grid_code like ${scope + '%'}
      and i.category = ${q.category}
      and i.status not in ('closed', 'dismissed') and i.merged_into is null
      and i.reported_at > now() - make_interval(days => ${DUPLICATE_DAYS})
      and i.location && ST_Expand(${point}, ${dLon}::float8, ${dLat}::float8)
      and ST_DWithin(i.location::geography, ${point}::geography, ${DUPLICATE_RADIUS_M})
      ${q.exclude ? sql`and i.id <> ${q.exclude}` : sql``}
    order by 6, i.reported_at desc
    limit 20`
}
