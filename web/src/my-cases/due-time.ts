/**
 * How long is left until a case's due time (or how long it is overdue), in the largest unit
 * that reads naturally on a work list: minutes under an hour, hours under two days, then days.
 */
export interface DueSpan {
  overdue: boolean
  unit: 'minutes' | 'hours' | 'days'
  count: number
  /** Due within four hours: worth a colour. */
  soon: boolean
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE

export function measureDue(dueAt: string, now: number): DueSpan {
  const left = Date.parse(dueAt) - now
  const span = Math.abs(left)
  const overdue = left < 0
  const soon = !overdue && left < 4 * HOUR
  if (span < HOUR) return { overdue, soon, unit: 'minutes', count: Math.max(1, Math.round(span / MINUTE)) }
  if (span < 48 * HOUR) return { overdue, soon, unit: 'hours', count: Math.round(span / HOUR) }
  return { overdue, soon, unit: 'days', count: Math.round(span / (24 * HOUR)) }
}
