/**
 * Shapes of the analyst API (summary, points, by-cell, export): each query is the one incident
 * filter (incidents/types.ts) plus the endpoint's own parameters; responses are shared with the
 * web client through Hono RPC.
 */
import { z } from 'zod'
import { withIncidentFilter } from '../incidents/types.ts'

export const BUCKETS = ['day', 'week', 'month'] as const
export type Bucket = (typeof BUCKETS)[number]

export const SummaryQuery = withIncidentFilter({
  bucket: z.enum(BUCKETS, { message: `Expected bucket as one of ${BUCKETS.join(', ')}.` }).default('day'),
})
export type SummaryParams = z.infer<typeof SummaryQuery>

/** The most points one response carries (≈ 24 MB raw); a larger selection is a 413 unless limit cuts it. */
export const MAX_POINTS = 2_000_000
const LIMIT_MESSAGE = `Expected limit as an integer from 1 to ${MAX_POINTS}.`
export const PointsQuery = withIncidentFilter({
  limit: z.coerce.number({ message: LIMIT_MESSAGE }).int(LIMIT_MESSAGE).min(1, LIMIT_MESSAGE).max(MAX_POINTS, LIMIT_MESSAGE).optional(),
})

export const ByCellQuery = withIncidentFilter({
  level: z
    .enum(['0', '1', '2', '3', '4', '5'], { message: 'Expected level as 0 (cities), 1 (counties), 2 (towns) to 5 (household groups).' })
    .transform(Number),
})

export const EXPORT_FORMATS = ['csv', 'geojson'] as const
export const ExportQuery = withIncidentFilter({
  format: z.enum(EXPORT_FORMATS, { message: 'Expected format as csv or geojson.' }),
})

export interface CountByCode {
  code: string
  count: number
}

export interface CellCount extends CountByCode {
  name: string
}

export interface PeriodChange {
  code: string
  current: number
  previous: number
  /** current − previous. */
  change: number
  /** change ÷ previous; null when previous is 0. */
  changeRate: number | null
}

export interface Period {
  from: string
  to: string
  total: number
}

export interface IncidentSummary {
  total: number
  open: number
  overdue: number
  closed: number
  /** Closed cases handled at household group or villager group level, ÷ closed cases; null with none closed. */
  resolvedInGridRate: number | null
  /** Closed cases handled at town level or below, ÷ closed cases. */
  resolvedInTownRate: number | null
  meanHoursToClose: number | null
  /** Subcategories, most incidents first (only those with incidents). */
  byCategory: CountByCode[]
  bucket: Bucket
  /** Calendar buckets in Asia/Shanghai, contiguous and zero-filled; t is the bucket's start (+08:00). */
  byTime: { t: string; count: number }[]
  /** Towns (level 2) in the filter's grid, most incidents first, zeros included. */
  byTown: CellCount[]
  /** The 20 villages (level 3) with most incidents. */
  byVillage: CellCount[]
  /** Closed cases by hours from report to close: hoursMax is the bucket's upper edge (null: beyond the last). */
  timeToClose: { hoursMax: number | null; count: number }[]
  /** 环比: against the window of the same length just before. */
  comparison: PeriodComparison
  /** 同比: against the same dates a year earlier. */
  yearOnYear: PeriodComparison
}

export interface CellIncidentCount extends CellCount {
  households: number
  /** Incidents per 1,000 households; null for a cell without households. */
  ratePer1000: number | null
}

export interface IncidentsByCell {
  level: number
  cells: CellIncidentCount[]
}

/** 'previous': the window of the same length just before (环比); 'year': the same dates a year earlier (同比). */
export type ComparisonBasis = 'previous' | 'year'

export interface PeriodComparison {
  basis: ComparisonBasis
  current: Period
  /** The earlier window the current one is compared with. */
  previous: Period
  byCategory: PeriodChange[]
  byTown: (PeriodChange & { name: string })[]
}
