/**
 * Date and time as the command centre reads them: China Standard Time (Asia/Shanghai) whatever
 * the machine's own time zone, in the wall's language. Formatters are built once per language.
 */
export const WALL_TIME_ZONE = 'Asia/Shanghai'

interface Formatters {
  date: Intl.DateTimeFormat
  time: Intl.DateTimeFormat
  day: Intl.DateTimeFormat
}

const cache = new Map<string, Formatters>()

function formattersFor(language: string): Formatters {
  let found = cache.get(language)
  if (!found) {
    const locale = language.startsWith('en') ? 'en-GB' : 'zh-CN'
    found = {
      date: new Intl.DateTimeFormat(locale, { timeZone: WALL_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
      time: new Intl.DateTimeFormat(locale, { timeZone: WALL_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
      day: new Intl.DateTimeFormat(locale, { timeZone: WALL_TIME_ZONE, month: 'short', day: 'numeric' }),
    }
    cache.set(language, found)
  }
  return found
}

/** "2026年11月27日星期五" / "Friday 27 November 2026". */
export function formatCstDate(at: Date | number, language: string): string {
  return formattersFor(language).date.format(at)
}

/** "17:42:05" (24-hour, China Standard Time). */
export function formatCstTime(at: Date | number, language: string): string {
  return formattersFor(language).time.format(at)
}

const CST_OFFSET_MS = 8 * 3600_000
const cstDay = (at: number) => Math.floor((at + CST_OFFSET_MS) / 86_400_000)

/** "17:42" for a moment of today (China Standard Time), else its date ("11月26日" / "26 Nov"): a list of cases spans days. */
export function formatCstShort(at: number, now: number, language: string): string {
  return cstDay(at) === cstDay(now) ? formatCstTime(at, language).slice(0, 5) : formattersFor(language).day.format(at)
}
