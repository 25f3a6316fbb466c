/**
 * Dates as the product writes them in every language: yyyy-mm-dd (and HH:mm, 24-hour), in the
 * viewer's clock. Intl's formats follow the language instead (11/30/2026 in English, 2026/11/30
 * in Chinese), which the people reading both kinds of screen side by side found confusing.
 */
const pad = (n: number) => String(n).padStart(2, '0')

function asDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value)
}

/** 2026-11-30 */
export function formatDay(value: string | number | Date): string {
  const d = asDate(value)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** 2026-11-30 23:40 */
export function formatDayTime(value: string | number | Date): string {
  const d = asDate(value)
  return `${formatDay(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** 11-30 23:40 (within a span that names its year elsewhere) */
export function formatMonthDayTime(value: string | number | Date): string {
  const d = asDate(value)
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
