/**
 * Limits shared by every API process on one PostgreSQL (WORKERS=n, or several instances behind
 * nginx), so n processes do not allow n times as much:
 * - `SharedRateLimiter`: the fixed-window counters of rate-limit.ts in the unlogged table
 *   rate_window (migration 016), one upsert per hit, keyed by a SHA-256 digest of what it counts
 *   (an address or username is never stored);
 * - `SharedStreamSlots`: live streams open per session, one row each in live_stream_slot, renewed
 *   by the process holding it every RENEW_MS; the row of a process that died lapses after
 *   LAPSE_S, so its clients can open their streams again elsewhere.
 * The embedded database belongs to one process, which keeps the in-memory versions.
 */
import { createHash } from 'node:crypto'
import type { Context } from 'hono'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { log } from '../log.ts'
import type { Limiter } from './rate-limit.ts'

const PURGE_EVERY_MS = 60_000

export class SharedRateLimiter implements Limiter {
  private lastPurge = 0

  constructor(
    private readonly sql: Sql,
    /** Keeps the counters of different limits apart in the one table. */
    private readonly name: string,
    readonly limit: number,
    readonly windowMs = 60_000,
  ) {}

  async hit(key: string): Promise<number> {
    const digest = createHash('sha256').update(`${this.name}\u0000${key}`).digest('base64url')
    const [row] = await this.sql<{ count: number; wait: number }[]>`
      insert into rate_window as w (key, count, reset_at)
      values (${digest}, 1, now() + make_interval(secs => ${this.windowMs / 1000}))
      on conflict (key) do update set
        count = case when w.reset_at <= now() then 1 else w.count + 1 end,
        reset_at = case when w.reset_at <= now() then excluded.reset_at else w.reset_at end
      returning count, greatest(1, ceil(extract(epoch from reset_at - now())))::int as wait`
    this.purge()
    return row!.count > this.limit ? row!.wait : 0
  }

  /** Ended windows are dead already (the upsert restarts them); this only keeps the table small. */
  private purge(): void {
    const now = Date.now()
    if (now - this.lastPurge < PURGE_EVERY_MS) return
    this.lastPurge = now
    this.sql`delete from rate_window where reset_at < now() - interval '1 minute'`.catch((error) =>
      log.warn({ err: error }, 'rate windows could not be purged'),
    )
  }
}

const RENEW_MS = 10_000
const LAPSE_S = 30

export interface StreamSlotSource {
  acquire(c: Context, key: string): Promise<() => void>
}

export class SharedStreamSlots implements StreamSlotSource {
  private readonly held = new Set<number>()
  private readonly renewal: NodeJS.Timeout

  constructor(
    private readonly sql: Sql,
    private readonly perKey: number,
    private readonly what = 'live streams',
  ) {
    this.renewal = setInterval(() => this.renew(), RENEW_MS).unref()
  }

  async acquire(c: Context, key: string): Promise<() => void> {
    const id = await this.sql.begin(async (tx) => {
      // One session's acquisitions take turns, in whichever process they arrive.
      await tx`select pg_advisory_xact_lock(hashtextextended(${key}, 17))`
      await tx`delete from live_stream_slot where session_key = ${key} and seen_at < now() - make_interval(secs => ${LAPSE_S})`
      const [open] = await tx<{ n: number }[]>`select count(*)::int as n from live_stream_slot where session_key = ${key}`
      if (open!.n >= this.perKey) return null
      const [row] = await tx<{ id: string }[]>`insert into live_stream_slot (session_key) values (${key}) returning id`
      return Number(row!.id)
    })
    if (id === null) {
      c.header('retry-after', '5')
      throw new HttpProblem(429, 'Too many requests', `At most ${this.perKey} ${this.what} may run at once for you; wait for one to finish.`, undefined, {
        retryAfter: 5,
      })
    }
    this.held.add(id)
    let released = false
    return () => {
      if (released) return
      released = true
      this.held.delete(id)
      this.sql`delete from live_stream_slot where id = ${id}`.catch((error) => log.warn({ err: error }, 'live stream slot could not be released'))
    }
  }

  get size(): number {
    return this.held.size
  }

  stop(): void {
    clearInterval(this.renewal)
  }

  private renew(): void {
    if (!this.held.size) return
    this.sql`update live_stream_slot set seen_at = now() where id = any(${[...this.held]}::bigint[])`.catch((error) =>
      log.warn({ err: error }, 'live stream slots could not be renewed'),
    )
  }
}
