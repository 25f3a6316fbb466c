/**
 * Evaluation periods: a calendar month (2026-11) or an ISO week (2026-W48), in China Standard
 * Time (UTC+8, no daylight saving), as half-open instants [from, to). Each period knows the one
 * before it (环比) and the same period a year earlier (同比).
 */
export interface Period {
  label: string
  kind: 'month' | 'week'
  from: string
  to: string
}

export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$|^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/
const DAY = 86_400_000
const CST = 8 * 3_600_000

/** The period a label names, or null when it is not one (week 53 of a 52-week year is not). */
export function parsePeriod(label: string): Period | null {
  const m = PERIOD_PATTERN.exec(label)
  if (!m) return null
  if (m[1]) return monthPeriod(Number(m[1]), Number(m[2]))
  const year = Number(m[3])
  const week = Number(m[4])
  if (week > weeksInYear(year)) return null
  return weekPeriod(year, week)
}

function monthPeriod(year: number, month: number): Period {
  const from = Date.UTC(year, month - 1, 1) - CST
  const to = Date.UTC(year, month, 1) - CST
  return { label: `${year}-${String(month).padStart(2, '0')}`, kind: 'month', from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

/** Monday of ISO week 1: the week holding 4 January. */
function isoWeekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4)
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7
  return jan4 - weekday * DAY
}

function weeksInYear(year: number): number {
  return Math.round((isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / (7 * DAY))
}

function weekPeriod(year: number, week: number): Period {
  const from = isoWeekOneMonday(year) + (week - 1) * 7 * DAY - CST
  return { label: `${year}-W${String(week).padStart(2, '0')}`, kind: 'week', from: new Date(from).toISOString(), to: new Date(from + 7 * DAY).toISOString() }
}

/** The period just before (环比). */
export function previousPeriod(p: Period): Period {
  const [year, rest] = [Number(p.label.slice(0, 4)), p.label.slice(5)]
  if (p.kind === 'month') {
    const month = Number(rest)
    return month === 1 ? monthPeriod(year - 1, 12) : monthPeriod(year, month - 1)
  }
  const week = Number(rest.slice(1))
  return week === 1 ? weekPeriod(year - 1, weeksInYear(year - 1)) : weekPeriod(year, week - 1)
}

/** The same period a year earlier (同比); week 53 maps to week 52 in a 52-week year. */
export function samePeriodLastYear(p: Period): Period {
  const year = Number(p.label.slice(0, 4)) - 1
  if (p.kind === 'month') return monthPeriod(year, Number(p.label.slice(5)))
  return weekPeriod(year, Math.min(Number(p.label.slice(6)), weeksInYear(year)))
}
