/**
 * Fixed-window counters in memory, per key (IP + username for sign-in, session for writes), for
 * the embedded database, which one process owns. On PostgreSQL, where several API processes may
 * serve one deployment, the same counters live in the database (shared-limits.ts), so n
 * processes allow no more than one.
 */
export interface Limiter {
  readonly limit: number
  /** Counts one hit on `key`; 0 when allowed, else the seconds until the window resets. */
  hit(key: string): number | Promise<number>
}

export class RateLimiter implements Limiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  /** Counts one hit on `key`; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string, now = Date.now()): number {
    let window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      if (this.windows.size >= 50_000) this.sweep(now)
      window = { count: 0, resetAt: now + this.windowMs }
      this.windows.set(key, window)
    }
    window.count++
    return window.count > this.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
