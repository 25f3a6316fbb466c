/**
 * Date-times a request may carry: ISO 8601 with an offset, in the years 0001–9999. JavaScript
 * parses year 0000 and PostgreSQL refuses it (and a window computed from an early date can reach
 * before year 1), so such input is a 400 at the edge, never a database error.
 */
import { z } from 'zod'

const earliest = new Date(0)
earliest.setUTCFullYear(1, 0, 1)
earliest.setUTCHours(0, 0, 0, 0)
/** 0001-01-01T00:00:00Z in epoch ms. */
export const FIRST_INSTANT_MS = earliest.getTime()
const latest = new Date(0)
latest.setUTCFullYear(10000, 0, 1)
latest.setUTCHours(0, 0, 0, 0)
/** 10000-01-01T00:00:00Z in epoch ms (exclusive). */
export const END_INSTANT_MS = latest.getTime()

export function isWithinYears(ms: number): boolean {
  return ms >= FIRST_INSTANT_MS && ms < END_INSTANT_MS
}

/** An ISO 8601 date-time with offset, in the years 0001–9999 (also after applying the offset). */
export function isoDateTime(name: string) {
  const message = `Expected ${name} as an ISO 8601 date-time with offset, in the years 0001 to 9999.`
  return z.iso.datetime({ offset: true, message }).refine((text) => isWithinYears(Date.parse(text)), message)
}
