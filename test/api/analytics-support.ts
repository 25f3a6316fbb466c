/**
 * Time windows for the analyst tests. The demo history covers the 365 days before the database
 * was seeded, so windows are counted back from today (in Asia/Shanghai), never fixed dates.
 */
const DAY = 86_400_000
const CST = 8 * 3_600_000

/** Midnight in Asia/Shanghai `daysAgo` days before today, as ISO 8601 with +08:00. */
export function shanghaiDay(daysAgo: number): string {
  return new Date(Date.now() + CST - daysAgo * DAY).toISOString().slice(0, 10) + 'T00:00:00+08:00'
}

/** from/to query parameters for the window from `fromDaysAgo` to `toDaysAgo` (midnights, +08:00). */
export function pastWindow(fromDaysAgo: number, toDaysAgo: number): string {
  return `from=${encodeURIComponent(shanghaiDay(fromDaysAgo))}&to=${encodeURIComponent(shanghaiDay(toDaysAgo))}`
}

/** The Monday (Asia/Shanghai) of the week holding an ISO +08:00 midnight, in the same form. */
export function mondayOf(day: string): string {
  const date = new Date(day.slice(0, 10) + 'T00:00:00Z')
  const back = (date.getUTCDay() + 6) % 7
  return new Date(date.getTime() - back * DAY).toISOString().slice(0, 10) + 'T00:00:00+08:00'
}
