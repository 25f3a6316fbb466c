/**
 * Evaluation periods on the client: a month (2026-11) or an ISO week (2026-W47), in China Standard
 * Time (UTC+8) like the server's (server/evaluation/period.ts), and how they read: 2026年11月 /
 * November 2026, 2026年第47周 11月16日–22日 / Week 47, 2026 (16–22 Nov).
 */
export type PeriodKind = 'month' | 'week'

const DAY = 86_400_000
const CST = 8 * 3_600_000
const WEEK = /^(\d{4})-W(\d{2})$/
const MONTH = /^(\d{4})-(\d{2})$/

export function periodKind(period: string): PeriodKind {
  return WEEK.test(period) ? 'week' : 'month'
}

/** Monday (UTC midnight of its date) of ISO week 1: the week holding 4 January. */
function weekOneMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4)
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY
}

/** The ISO week label of a calendar date given as UTC midnight of it. */
function weekOf(date: number): string {
  const thursday = date + (3 - ((new Date(date).getUTCDay() + 6) % 7)) * DAY
  const year = new Date(thursday).getUTCFullYear()
  const week = Math.floor((thursday - weekOneMonday(year)) / (7 * DAY)) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** The Monday (UTC midnight of its date) of an ISO week label. */
function mondayOf(period: string): number {
  const [, year, week] = WEEK.exec(period)!
  return weekOneMonday(Number(year)) + (Number(week) - 1) * 7 * DAY
}

/** The last full ISO week in China time: the week before the one today is in. */
export function defaultWeek(now = new Date()): string {
  const china = new Date(now.getTime() + CST)
  const today = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate())
  return weekOf(today - 7 * DAY)
}

/** `count` ISO weeks from `latest` back, newest first. */
export function recentWeeks(latest: string, count = 26): string[] {
  const monday = mondayOf(latest)
  return Array.from({ length: count }, (_, i) => weekOf(monday - i * 7 * DAY))
}

/** A period as people write it: 2026年11月, 2026年第47周 11月16日–22日; November 2026, Week 47, 2026 (16–22 Nov). */
export function periodLabel(period: string, language: string | undefined): string {
  const en = language === 'en'
  const month = MONTH.exec(period)
  if (month) {
    const [, year, m] = month
    if (!en) return `${year}年${Number(m)}月`
    return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(Number(year), Number(m) - 1, 1))
  }
  if (!WEEK.test(period)) return period
  const [, year, week] = WEEK.exec(period)!
  const first = new Date(mondayOf(period))
  const last = new Date(mondayOf(period) + 6 * DAY)
  const sameMonth = first.getUTCMonth() === last.getUTCMonth()
  if (!en) {
    const end = sameMonth ? `${last.getUTCDate()}日` : `${last.getUTCMonth() + 1}月${last.getUTCDate()}日`
    return `${year}年第${Number(week)}周 ${first.getUTCMonth() + 1}月${first.getUTCDate()}日–${end}`
  }
  const short = (d: Date) => new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(d)
  const span = sameMonth
    ? `${first.getUTCDate()}–${last.getUTCDate()} ${short(last)}`
    : `${first.getUTCDate()} ${short(first)} – ${last.getUTCDate()} ${short(last)}`
  return `Week ${Number(week)}, ${year} (${span})`
}

/** The short tick of a period on a trend's axis: 26-11 for a month, W47 for a week. */
export function periodTick(period: string): string {
  const week = WEEK.exec(period)
  if (week) return `W${week[2]}`
  return period.slice(2)
}
