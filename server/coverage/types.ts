/**
 * Shapes of the coverage API: how well grid workers cover their grids in a period, per cell one
 * level below a grid and per worker, and the household groups that have gone silent.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

/** The longest period one request may cover. */
export const MAX_PERIOD_DAYS = 366
export const DEFAULT_PERIOD_DAYS = 30
/** How far back the silent list looks for the last activity; older is reported as none. */
export const SILENT_LOOKBACK_DAYS = 90

const grid = z
  .string()
  .regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3).')
  .optional()
const time = (name: string) => z.iso.datetime({ offset: true, message: `Expected ${name} as an ISO 8601 date-time with offset.` }).optional()

const PERIOD = { grid, from: time('from'), to: time('to') }

/** `from`/`to` default to the 30 days ending now; `[from, to)`. */
function resolvePeriod<T extends { from?: string; to?: string }>(q: T): Omit<T, 'from' | 'to'> & { from: Date; to: Date } {
  const to = q.to ? new Date(q.to) : new Date()
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000)
  return { ...q, from, to }
}

function checkPeriod(q: { from?: string; to?: string }, ctx: z.RefinementCtx) {
  const p = resolvePeriod(q)
  if (p.from >= p.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Expected to later than from.' })
  else if (p.to.getTime() - p.from.getTime() > MAX_PERIOD_DAYS * 86_400_000)
    ctx.addIssue({ code: 'custom', path: ['from'], message: `Expected a period of at most ${MAX_PERIOD_DAYS} days.` })
}

export const CoverageQuery = z.strictObject(PERIOD).superRefine(checkPeriod).transform(resolvePeriod)
export const WorkersQuery = z
  .strictObject({ ...PERIOD, format: z.enum(['json', 'csv'], { message: 'Expected format: json or csv.' }).optional() })
  .superRefine(checkPeriod)
  .transform(resolvePeriod)
export const SilentQuery = z.strictObject({
  grid,
  days: z
    .string()
    .regex(/^[0-9]{1,2}$/, 'Expected days as a whole number from 1 to 90.')
    .transform(Number)
    .pipe(z.number().min(1, 'Expected days from 1 to 90.').max(SILENT_LOOKBACK_DAYS, 'Expected days from 1 to 90.'))
    .optional(),
  format: z.enum(['json', 'geojson'], { message: 'Expected format: json or geojson.' }).optional(),
})

export interface CellCoverage {
  code: string
  name: string
  /** Household groups under the cell, and how many had a plausible patrol position in the period. */
  households: number
  visited: number
  visitedShare: number
  patrols: number
  km: number
  reports: number
  daysActive: number
  lastActivity: string | null
}

export interface Coverage {
  grid: string
  name: string
  from: string
  to: string
  households: number
  visited: number
  visitedShare: number
  patrols: number
  km: number
  reports: number
  cells: CellCoverage[]
}

export interface WorkerCoverage {
  /** The grid_person id (filter of GET /api/patrols?person=). */
  person: number
  worker: string
  cell: string
  cellName: string
  visitedShare: number
  patrols: number
  km: number
  reports: number
  daysActive: number
  lastActivity: string | null
}

export interface SilentCell {
  code: string
  name: string
  village: string
  villageName: string
  /** Whole days since the last patrol position or report; null: none in the last 90 days. */
  daysSilent: number | null
  lastActivity: string | null
  lon: number
  lat: number
}
