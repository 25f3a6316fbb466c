/**
 * Shapes of the grid API, shared by the server and (through Hono RPC) the web client.
 * A code is the parent's code plus digits of its own: 2 for the province (level -1), 4 for the
 * city (level 0), 6 for the county (level 1), then 9, 12, 15 and 18 digits for town, village,
 * villager group and household group (server/grids/codes.ts).
 */
import { z } from 'zod'
import type { IncidentRollup } from '../incidents/types.ts'
import { GRID_CODE_PATTERN } from './codes.ts'

export const GRID_LEVELS = [-1, 0, 1, 2, 3, 4, 5] as const
export type GridLevel = (typeof GRID_LEVELS)[number]

export const GridCode = z
  .string()
  .regex(GRID_CODE_PATTERN, 'Expected a grid code: 2 digits (the province), 4 (the city), 6 (the county), or 6 then 1 to 4 groups of 3 digits.')

export const CodeParams = z.object({ code: GridCode })
/** A grid version's id (GET /api/grids/versions); without it the current grid. */
export const GridVersionParam = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, 'Expected a grid version id (a positive whole number, see /api/grids/versions).')
  .transform(Number)

export const GeometryQuery = z.object({
  children: z.enum(['0', '1'], { message: "Expected children=1 (the cell's children) or children=0 (the cell itself)." }).optional(),
  version: GridVersionParam.optional(),
})

export const ExportQuery = z.object({
  format: z.enum(['geojson', 'gpkg'], { message: 'Expected format=geojson or format=gpkg.' }).default('geojson'),
  level: z
    .enum(['-1', '0', '1', '2', '3', '4', '5'], { message: 'Expected a level from -1 (province), 0 (city), 1 (district) to 5 (household group).' })
    .transform(Number)
    .optional(),
  version: GridVersionParam.optional(),
})

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'Expected q: the name (or part of it) or code prefix to search for.').max(50, 'Expected q of at most 50 characters.'),
  limit: z.coerce
    .number({ message: 'Expected limit as an integer from 1 to 50.' })
    .int('Expected limit as an integer from 1 to 50.')
    .min(1, 'Expected limit as an integer from 1 to 50.')
    .max(50, 'Expected limit as an integer from 1 to 50.')
    .default(20),
})

const coordinate = (name: string, min: number, max: number) =>
  z
    .string({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .regex(/^-?\d{1,3}(\.\d+)?$/, `Expected ${name} as a decimal number from ${min} to ${max}.`)
    .transform(Number)
    .pipe(z.number().min(min, `Expected ${name} from ${min} to ${max}.`).max(max, `Expected ${name} from ${min} to ${max}.`))
export const PointQuery = z.object({ lon: coordinate('lon', -180, 180), lat: coordinate('lat', -90, 90) })

export interface GridRef {
  code: string
  level: GridLevel
  name: string
}

export interface GridChild extends GridRef {
  households: number
  population: number
  /** Incidents of the subtree in the history kept (12 months in the demo), open and overdue ones. */
  incidents: number
  open: number
  overdue: number
}

export interface GridStats {
  households: number
  population: number
  workers: number
  leaders: number
  partyCommittees: number
  partyGeneralBranches: number
  partyBranches: number
  partyGroups: number
}

export interface ResponsiblePerson {
  role: 'grid_worker' | 'grid_leader'
  /** Masked for display (黄*): the API never serves a whole name. */
  name: string
  /** Masked (138****8000). */
  phone: string
  cellCode: string
}

export interface PartyOrgRef {
  kind: 'village_committee' | 'general_branch' | 'grid_branch' | 'party_group'
  name: string
  cellCode: string
}

export interface GridSearchResult extends GridRef {
  fullName: string
  parentCode: string | null
  /** Names of the ancestors from the town down, to tell same-named groups apart. */
  context: string
}

export interface GridCell extends GridRef {
  parentCode: string | null
  path: GridRef[]
  children: GridChild[]
  stats: GridStats
  descendantCounts: { level: GridLevel; count: number }[]
  /** Grid leader and workers of a villager group or household group (levels 4–5). */
  responsible: ResponsiblePerson[]
  /** Party organisations attached to this cell or, for groups, to the cells above it. */
  party: PartyOrgRef[]
  /** Incident figures of the whole subtree. */
  incidents: IncidentRollup
  bbox: [number, number, number, number]
  labelPoint: [number, number]
}
