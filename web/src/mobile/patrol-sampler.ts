/**
 * When a running patrol records a position and when it sends them: one point every 20 s (the
 * middle of the 15–30 s the command centre asked for: a track good enough to count the household
 * groups walked through, a battery that lasts the day), the latest fix from watchPosition at that
 * moment if it is fresh; batches leave once two points wait or a minute has passed.
 */
export const RECORD_EVERY_MS = 20_000
export const FIX_MAX_AGE_MS = 60_000
export const BATCH_POINTS = 2
export const BATCH_MAX_WAIT_MS = 60_000

export interface Fix {
  lon: number
  lat: number
  accuracy: number
  /** Epoch ms of the fix. */
  at: number
}

export function shouldRecord(lastRecordedAt: number | null, fix: Fix | null, now: number): boolean {
  if (!fix || now - fix.at > FIX_MAX_AGE_MS) return false
  return lastRecordedAt === null || now - lastRecordedAt >= RECORD_EVERY_MS - 500
}

export function shouldFlush(pending: number, lastFlushAt: number, now: number): boolean {
  return pending >= BATCH_POINTS || (pending > 0 && now - lastFlushAt >= BATCH_MAX_WAIT_MS)
}
