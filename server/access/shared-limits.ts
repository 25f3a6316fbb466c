/**
 * Limits shared by every API process on one PostgreSQL (WORKERS=n, or several instances behind
 * nginx), so n processes do not allow n times as much:
 * - `SharedRateLimiter`: the fixed-window counters of rate-limit.ts in the unlogged table
 *   rate_window (migration 016), one upsert per hit, keyed by a SHA-256 digest of what it counts
 *   (an address or username is never stored);
 * - `SharedSlots`: live streams per session and exports per user and in all, as advisory locks on
 *   a connection of the process holding them, free the moment that process dies.
 * The embedded database belongs to one process, which keeps the in-memory versions.
 */
import { createHash } from 'node:crypto'
import postgres from 'postgres'
import type { Context } from 'hono'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { log } from '../log.ts'
import type { Limiter } from './rate-limit.ts'
import { within } from '../db/unavailable.ts'

/** How long the lock connection may take to answer before it is replaced. */
const LOCK_ANSWER_MS = 5000

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
 * The one connection of this process that holds the advisory locks of every `SharedSlots`: a
 * client of its own with the pool's settings and a single connection that is never recycled
 * (a lock lives as long as its connection). PostgreSQL drops a connection's locks the moment it
 * ends; the client then reconnects on the next statement, and `generation` counts the connections
 * lost, so a slot taken on an earlier one is known to be free already. (Not a connection reserved
 * from the pool: after its backend ends, a reserved connection is reused by the pool or fails on
 * its next write.)
 */
export class LockConnection {
  private client: Sql | null = null
  generation = 0

  constructor(private readonly sql: Sql) {}

  get(): Sql {
    this.client ??= postgres({
      ...this.sql.options,
      max: 1,
      idle_timeout: null,
      max_lifetime: null,
      onclose: () => {
        this.generation++
      },
    } as unknown as postgres.Options<Record<string, never>>) as unknown as Sql
    return this.client
  }

  /** The connection did not answer: drop it (its locks go with it); `get` opens a new one. */
  reset(): void {
    const client = this.client
    this.client = null
    this.generation++
    client?.end({ timeout: 0 }).catch(() => {})
  }

  async stop(): Promise<void> {
    const client = this.client
    this.client = null
    await client?.end({ timeout: 5 })
  }
}

const lockConnections = new Set<LockConnection>()

/** A lock connection for this process, ended by `endLockConnections` at shutdown. */
export function openLockConnection(sql: Sql): LockConnection {
  const locks = new LockConnection(sql)
  lockConnections.add(locks)
  return locks
}

/** Shutdown: the lock connections end (and their slots with them) so the process can exit. */
export async function endLockConnections(): Promise<void> {
  const all = [...lockConnections]
  lockConnections.clear()
  await Promise.all(all.map((l) => l.stop()))
}

export interface SlotLimits {
  /** Keeps the locks of different limits apart: `live`, `exports`, `grid-exports`. */
  name: string
  perKey: number
  /** Slots in all, across every process; none: only per key. */
  total?: number
  /** What the slots are for, in the 429's sentence. */
  what: string
}

/**
 * Slots per key (a session, a user) and optionally in all, counted across every process on one
 * PostgreSQL: slot n of key k is the session-level advisory lock (hashtext('name:k'), n) on this
 * process's lock connection, and slot n of the total is (hashtext('name:*'), n). The slots of a
 * process that dies are free at once, so its clients go elsewhere without waiting. Session locks
 * stack within one connection, so this process also remembers which slots it holds and only
 * tries the others.
 */
export class SharedSlots implements StreamSlotSource {
  private readonly held = new Map<string, Set<number>>()
  private readonly heldInAll = new Set<number>()
  private generation = 0
  /** Acquisitions in this process take turns: two at once would both get the same (stacking) lock. */
  private turn: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly locks: LockConnection,
    private readonly limits: SlotLimits,
  ) {}

  acquire(c: Context, key: string): Promise<() => void> {
    const next = this.turn.then(() =>
      this.acquireNow(c, key).catch((error) => {
        // The lock connection was lost during the attempt (the database restarted, the backend
        // was ended): its locks went with it, so try once more on the new one.
        if (error instanceof HttpProblem) throw error
        return this.acquireNow(c, key)
      }),
    )
    this.turn = next.catch(() => {})
    return next
  }

  private async acquireNow(c: Context, key: string): Promise<() => void> {
    const { name, perKey, total, what } = this.limits
    const lock = this.locks.get()
    if (this.generation !== this.locks.generation) {
      this.generation = this.locks.generation
      this.held.clear()
      this.heldInAll.clear()
    }
    const mine = this.held.get(key) ?? new Set<number>()
    const keyLock = `${name}:${key}`
    const allLock = `${name}:*`
    let slot: number | undefined
    let slotInAll: number | undefined
    try {
      // A connection that was ended under its client can leave a statement unanswered: bounded.
      await within(
        (async () => {
          slot = await tryFreeSlot(lock, keyLock, perKey, mine)
          if (slot !== undefined && total !== undefined) {
            slotInAll = await tryFreeSlot(lock, allLock, total, this.heldInAll)
            if (slotInAll === undefined) await lock`select pg_advisory_unlock(hashtext(${keyLock}), ${slot})`
          }
        })(),
        LOCK_ANSWER_MS,
      )
    } catch (error) {
      this.locks.reset()
      throw error
    }
    if (slot === undefined || (total !== undefined && slotInAll === undefined)) {
      c.header('retry-after', '5')
      const detail =
        slot === undefined
          ? `At most ${perKey} ${what} may run at once for you; wait for one to finish.`
          : `The server is running as many ${what} as it allows (${total}); retry in a moment.`
      throw new HttpProblem(429, 'Too many requests', detail, undefined, { retryAfter: 5 })
    }
    mine.add(slot)
    this.held.set(key, mine)
    if (slotInAll !== undefined) this.heldInAll.add(slotInAll)
    const taken = slot
    const generation = this.generation
    let released = false
    return () => {
      if (released) return
      released = true
      // A slot of a connection since lost was released with it (and the sets were cleared).
      if (generation !== this.locks.generation) return
      mine.delete(taken)
      if (!mine.size && this.held.get(key) === mine) this.held.delete(key)
      if (slotInAll !== undefined) this.heldInAll.delete(slotInAll)
      Promise.resolve()
        .then(async () => {
          await lock`select pg_advisory_unlock(hashtext(${keyLock}), ${taken})`
          if (slotInAll !== undefined) await lock`select pg_advisory_unlock(hashtext(${allLock}), ${slotInAll})`
        })
        .catch((error) => log.warn({ err: error, name }, 'a shared slot could not be released'))
    }
  }

  get size(): number {
    let n = 0
    for (const slots of this.held.values()) n += slots.size
    return n
  }
}

/** The first slot of `count` not held here that no other process holds either. */
async function tryFreeSlot(lock: Sql, key: string, count: number, heldHere: Set<number>): Promise<number | undefined> {
  for (let candidate = 0; candidate < count; candidate++) {
    if (heldHere.has(candidate)) continue
    const [row] = await lock<{ ok: boolean }[]>`select pg_try_advisory_lock(hashtext(${key}), ${candidate}) as ok`
    if (row!.ok) return candidate
  }
  return undefined
}
