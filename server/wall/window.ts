/**
 * The time window of a wall summary: "today" is the calendar day in China Standard Time (UTC+8,
 * no daylight saving, so a fixed offset is exact), "recent" the last 30 days. Computed once per
 * request in JS and bound into every query, so all figures of one summary share one clock.
 */
import { RECENT_DAYS } from './types.ts'

const CST_OFFSET_MS = 8 * 3600_000
const DAY_MS = 86_400_000

/** Midnight (00:00 China Standard Time) of the day `at` falls on, as an instant. */
export function cstDayStart(at: Date): Date {
  return new Date(Math.floor((at.getTime() + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS)
}

export interface SummaryWindow {
  asOf: Date
  todayFrom: Date
  recentFrom: Date
}

export function summaryWindow(asOf = new Date()): SummaryWindow {
  return { asOf, todayFrom: cstDayStart(asOf), recentFrom: new Date(asOf.getTime() - RECENT_DAYS * DAY_MS) }
}
