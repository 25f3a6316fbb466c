/**
 * Reconnection delays: exponential from `baseMs`, capped at `capMs` (about 30 s, so a wall back
 * on the network is live again within half a minute), with "equal jitter" (half fixed, half
 * random) so a room of screens that lost the API together does not reconnect in lockstep.
 */
export interface BackoffOptions {
  baseMs?: number
  capMs?: number
}

export const BACKOFF_BASE_MS = 1000
export const BACKOFF_CAP_MS = 30_000

/** The delay before reconnection attempt `attempt` (0 = the first retry after a loss). */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  { baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS }: BackoffOptions = {},
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30))
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
