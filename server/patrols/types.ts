/**
 * Shapes of the patrol API (巡查), validated at the edge and shared with the web client.
 * A batch is what the phone sends every 15–30 s of a patrol, or from its offline queue later.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

/** Positions per batch: a phone offline for two hours at one position per 15 s sends 480. */
export const MAX_BATCH = 1000

const isoTime = (name: string) => z.iso.datetime({ offset: true, message: `Expected ${name} as an ISO 8601 date-time with offset.` })
const finite = (name: string, min: number, max: number) =>
  z
    .number({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .min(min, `Expected ${name} from ${min} to ${max}.`)
    .max(max, `Expected ${name} from ${min} to ${max}.`)

export const NewPatrolBody = z.strictObject({
  /** When the patrol began on the phone (it may be sent later, from the offline queue); default now. */
  startedAt: isoTime('startedAt').optional(),
})

export const Position = z.strictObject({
  t: isoTime('t'),
  lon: finite('lon', -180, 180),
  lat: finite('lat', -90, 90),
  /** Metres, as the Geolocation API reports it. */
  accuracy: finite('accuracy', 0, 1_000_000),
})
export type Position = z.infer<typeof Position>

export const PositionsBody = z
  .array(Position, { message: 'Expected a list of positions [{ t, lon, lat, accuracy }].' })
  .min(1, 'Expected at least one position.')
  .max(MAX_BATCH, `Expected at most ${MAX_BATCH} positions per batch.`)

export const EndPatrolBody = z.strictObject({ endedAt: isoTime('endedAt').optional() }).optional()

export const PatrolIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected id as a positive integer.')
    .transform(Number),
})

export const TracksQuery = z.strictObject({
  grid: z
    .string()
    .regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3).')
    .optional(),
  /** A calendar day in China Standard Time. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected date as YYYY-MM-DD (China Standard Time).')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00+08:00`)), 'Expected date as a real calendar day, YYYY-MM-DD.'),
  /** One grid worker (the `person` of GET /api/coverage/workers). */
  person: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'Expected person as a positive integer.')
    .transform(Number)
    .optional(),
})

export type Flag = 'outside' | 'too_fast' | 'inaccurate'

export interface PatrolView {
  id: number
  worker: string
  workerScope: string
  startedAt: string
  endedAt: string | null
  km: number
  positions: number
  /** Plausible positions and the household groups they fell in. */
  plausible: number
  visited: string[]
  flagged: Record<Flag, number>
}

/** One patrol of a day, ready for deck.gl's TripsLayer: positions and seconds since the day began. */
export interface TrackView {
  id: number
  worker: string
  workerScope: string
  person: number | null
  startedAt: string
  endedAt: string | null
  km: number
  path: [number, number][]
  timestamps: number[]
}
