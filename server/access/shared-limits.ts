/**
 * Limits shared by every API process on one PostgreSQL (WORKERS=n, or several instances behind
 * nginx), so n processes do not allow n times as much:
 * - `SharedRateLimiter`: the fixed-window counters of rate-limit.ts in the unlogged table
 *   rate_window (migration 016), one upsert per hit, keyed by a SHA-256 digest of what it counts
 *   (an address or username is never stored);
 * - `SharedStreamSlots`: live streams open per session, as advisory locks on a connection of the
 *   process holding them, free the moment that process dies.
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

export interface StreamSlotSource {
  acquire(c: Context, key: string): Promise<() => void>
}

/**
 * A session's live streams as slots 0…perKey-1, each a session-level advisory lock
 * (hashtext(key), slot) held on one connection this process keeps for them. PostgreSQL drops a
 * connection's locks the moment it ends, so the slots of a process that dies are free at once
 * and its clients reconnect elsewhere without waiting. Session locks stack within one connection,
 * so this process also remembers which slots it holds and only tries the others.
 */
export class SharedStreamSlots implements StreamSlotSource {
  private connection: Promise<ReservedSql> | null = null
  private readonly held = new Map<string, Set<number>>()

  constructor(
    private readonly sql: Sql,
    private readonly perKey: number,
    private readonly what = 'live streams',
  ) {}

  /** Acquisitions in this process take turns: two at once would both get the same (stacking) lock. */
  private turn: Promise<unknown> = Promise.resolve()

  acquire(c: Context, key: string): Promise<() => void> {
    const next = this.turn.then(() => this.acquireNow(c, key))
    this.turn = next.catch(() => {})
    return next
  }

  private async acquireNow(c: Context, key: string): Promise<() => void> {
    const mine = this.held.get(key) ?? new Set<number>()
    const free = [...Array(this.perKey).keys()].filter((slot) => !mine.has(slot))
    const lock = await this.lockConnection()
    let slot: number | undefined
    try {
      for (const candidate of free) {
        const [row] = await lock<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext(${`live:${key}`}), ${candidate}) as ok`
        if (row!.ok) {
          slot = candidate
          break
        }
      }
    } catch (error) {
      this.dropConnection()
      throw error
    }
    if (slot === undefined) {
      c.header('retry-after', '5')
      throw new HttpProblem(429, 'Too many requests', `At most ${this.perKey} ${this.what} may run at once for you; wait for one to finish.`, undefined, {
        retryAfter: 5,
      })
    }
    mine.add(slot)
    this.held.set(key, mine)
    const taken = slot
    const generation = this.connection
    let released = false
    return () => {
      if (released) return
      released = true
      mine.delete(taken)
      if (!mine.size && this.held.get(key) === mine) this.held.delete(key)
      // A slot of a connection since replaced was released with it.
      if (generation !== this.connection || !generation) return
      generation
        .then((l) => l`select pg_advisory_unlock(hashtext(${`live:${key}`}), ${taken})`)
        .catch((error) => log.warn({ err: error }, 'live stream slot could not be released'))
    }
  }

  get size(): number {
    let n = 0
    for (const slots of this.held.values()) n += slots.size
    return n
  }

  async stop(): Promise<void> {
    const connection = this.connection
    this.connection = null
    this.held.clear()
    if (connection) (await connection.catch(() => null))?.release()
  }

  private lockConnection(): Promise<ReservedSql> {
    if (!this.connection) {
      this.connection = this.sql.reserve()
      this.connection.catch(() => this.dropConnection())
    }
    return this.connection
  }

  /** The connection failed: its locks are gone with it; the next acquire opens another. */
  private dropConnection(): void {
    const connection = this.connection
    this.connection = null
    this.held.clear()
    connection?.then((l) => l.release()).catch(() => {})
  }
}

type ReservedSql = Awaited<ReturnType<Sql['reserve']>>
