/**
 * Shapes of the wall display's summary (GET /api/wall/summary): the request schema (validated at
 * the edge) and the response, shared with the web client through Hono RPC. Every figure is
 * counted over one time window the response states (`window`), so a client or a test can recount.
 */
import { z } from 'zod'

/** The wall summarises a province, a city, a county (district) or one town: a 2-, 4-, 6- or 9-digit grid code. */
export const WALL_GRID_PATTERN = /^([0-9]{2}|[0-9]{4}|[0-9]{6}([0-9]{3})?)$/
const GRID_EXPECTED = 'Expected grid as the code of a province (2 digits), a city (4), a county or district (6) or a town (9).'

export const WallSummaryQuery = z.object({
  grid: z.string({ message: GRID_EXPECTED }).regex(WALL_GRID_PATTERN, GRID_EXPECTED).optional(),
})

/**
 * Side of a dispute heat bin, in degrees: about 500 m over the district; about 100 m for a town,
 * which the wall shows four times closer, where 500 m squares drew as a visible lattice.
 */
export function heatCellDegrees(level: number): number {
  // A city is about 100 km across and a province 500 km: 2 km and 5 km squares keep the bins
  // to the few thousand a county's 500 m squares make.
  return level >= 2 ? 0.001 : level === 1 ? 0.005 : level === 0 ? 0.02 : 0.05
}
/** The longest alert list the summary sends. */
export const ALERT_LIMIT = 8
/** Figures "of the last 30 days". */
export const RECENT_DAYS = 30

export type AlertReason = 'severity' | 'missing' | 'district'

export interface WallKpis {
  /** Reported since midnight, China Standard Time. */
  reportsToday: number
  open: number
  overdue: number
  closedToday: number
  /** Closed in the last 30 days and handled at level 4 or 5 (villager group, household group) ÷ closed in the last 30 days. */
  resolvedInGridRate: number | null
  /**
   * Of the disputes reported in the last 30 days, the share already resolved (closed): never above
   * 1, and it moves with the month's work (the demo history's year-long rate is about 98 %).
   */
  disputeResolutionRate: number | null
  /** Distinct grid workers (reporters of source=patrol) who reported today. */
  workersReportingToday: number
}

export interface WallCategoryCount {
  code: string
  nameZh: string
  nameEn: string
  color: string
  count: number
}

export interface WallRankingRow {
  code: string
  name: string
  open: number
  overdue: number
  reportsToday: number
}

export interface WallAlert {
  id: number
  category: string
  severity: number
  title: string
  status: string
  handlingLevel: number
  gridCode: string
  /** The town the case lies in. */
  townName: string
  location: { lon: number; lat: number }
  reportedAt: string
  overdue: boolean
  reasons: AlertReason[]
}

export interface WallSummary {
  grid: { code: string; name: string; level: number; bbox: [number, number, number, number] }
  window: { asOf: string; todayFrom: string; recentFrom: string; timeZone: 'Asia/Shanghai' }
  kpis: WallKpis
  categories: WallCategoryCount[]
  /** The cells one level below `grid` (cities of the province, counties of a city, towns of the district, villages of a town), most open cases first. */
  ranking: { level: number; rows: WallRankingRow[] }
  /** A province's counties (level 1) too, most open cases first; null below the province, where `ranking` already holds them or the grid is a county. */
  countyRanking: WallRankingRow[] | null
  /** Disputes of the last 30 days binned to squares of cellDegrees (heatCellDegrees): [lon, lat, count] at each bin's centre. */
  heat: { cellDegrees: number; points: [number, number, number][] }
  /** Open serious cases reported in the last 30 days (severity 4, a missing person, or handled by the district), newest first. */
  alerts: WallAlert[]
}
