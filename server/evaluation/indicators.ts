/**
 * The evaluation indicators: the counts the database returns for a group of cells (cases, patrol
 * days, notice recipients), and the rates derived from them. Each scored indicator says whether
 * higher is better; the README gives every definition and formula, with the GB/T 30428.4 name
 * where the standard has one.
 */
export const SCORED_INDICATORS = [
  'registrationRate',
  'onTimeRate',
  'closureRate',
  'reworkRate',
  'overdueRate',
  'gridResolutionRate',
  'townResolutionRate',
  'meanHoursToClose',
  'disputeResolutionRate',
  'patrolCoverage',
  'noticeAckRate',
  'meanHoursToAck',
] as const
export type IndicatorKey = (typeof SCORED_INDICATORS)[number]

/** Lower is better for these; higher for the rest. */
export const LOWER_IS_BETTER: ReadonlySet<IndicatorKey> = new Set(['reworkRate', 'overdueRate', 'meanHoursToClose', 'meanHoursToAck'])

/** What the SQL counts for one group of cells in the period (cases are those reported in it). */
export interface CaseCounts {
  reports: number
  registered: number
  handled: number
  handledOnTime: number
  closed: number
  reopened: number
  overdue: number
  closedInGrid: number
  closedInTown: number
  disputes: number
  disputesClosed: number
  meanHoursToClose: number | null
  /** Household groups in the cell(s) and the days of the period elapsed (the coverage denominator). */
  groups: number
  days: number
  /** Σ over household groups of the days with a plausible patrol position in the group. */
  patrolGroupDays: number
  /** Recipients (in the cell) of the notices sent in the period; acknowledged; acknowledged by the deadline. */
  noticeRecipients: number
  noticeAcked: number
  noticeAckedOnTime: number
  meanHoursToAck: number | null
}

export type IndicatorValues = Record<IndicatorKey, number | null>

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null)

/** Whether the cell had anything to evaluate in the period; one without has no score, never zero. */
export const hasActivity = (c: CaseCounts) => c.reports + c.patrolGroupDays + c.noticeRecipients > 0

/** The indicator values of a group of cells; null where the denominator is zero. */
export function indicatorValues(c: CaseCounts): IndicatorValues {
  return {
    registrationRate: rate(c.registered, c.reports),
    onTimeRate: rate(c.handledOnTime, c.handled),
    closureRate: rate(c.closed, c.registered),
    reworkRate: rate(c.reopened, c.handled),
    overdueRate: rate(c.overdue, c.registered),
    gridResolutionRate: rate(c.closedInGrid, c.closed),
    townResolutionRate: rate(c.closedInTown, c.closed),
    meanHoursToClose: c.meanHoursToClose,
    disputeResolutionRate: rate(c.disputesClosed, c.disputes),
    patrolCoverage: rate(c.patrolGroupDays, c.groups * c.days),
    noticeAckRate: rate(c.noticeAckedOnTime, c.noticeRecipients),
    meanHoursToAck: c.meanHoursToAck,
  }
}

export const EMPTY_COUNTS: CaseCounts = {
  reports: 0,
  registered: 0,
  handled: 0,
  handledOnTime: 0,
  closed: 0,
  reopened: 0,
  overdue: 0,
  closedInGrid: 0,
  closedInTown: 0,
  disputes: 0,
  disputesClosed: 0,
  meanHoursToClose: null,
  groups: 0,
  days: 0,
  patrolGroupDays: 0,
  noticeRecipients: 0,
  noticeAcked: 0,
  noticeAckedOnTime: 0,
  meanHoursToAck: null,
}
