/**
 * The counted activity of a period, kept in this API process's memory per (viewer scope, grid,
 * period) and served again while nothing it counts has changed. What changed is read from
 * evaluation_change (migration 018: triggers on cases, case events, patrol positions, notice
 * recipients and grid cells write the span of times each statement touched): before every read the
 * rows after the last seen are fetched, and an entry whose period a row's span overlaps is dropped,
 * so a new report, a case closed, a late patrol batch or an acknowledgement is counted at the next
 * request while the other periods stay in memory. The weights are not part of the entry (scores are
 * computed from it per request), so a weights change is seen at once too. A period not yet over is
 * also counted again after a minute (its days elapsed and its overdue cases move with the clock).
 * Several API processes each keep their own entries against the same table.
 */
import type { Sql } from '../db/connect.ts'
import type { Period } from './period.ts'

const MAX_ENTRIES = 400
/** A period not yet over is counted again after this long (days elapsed, overdue "now"). */
const OPEN_PERIOD_MS = 60_000
/** Every entry is counted again after a day, and change rows older than a week are pruned. */
const MAX_AGE_MS = 86_400_000
const PRUNE_EVERY_MS = 3_600_000
/** An id missing from the change rows (a transaction not yet committed) is waited for this long. */
const GAP_WAIT_MS = 120_000
/** More rows than this since the last read: drop everything rather than walk them. */
const MAX_DELTA = 5000

interface Entry<T> {
  from: number
  to: number
  expires: number
  value: Promise<T>
}

interface ChangeRow {
  id: number
  from: number
  to: number
}

class PeriodCache<T> {
  private entries = new Map<string, Entry<T>>()
  /** Every change id ≤ low has been applied; `applied` holds those above it. */
  private low: number | null = null
  private applied = new Set<number>()
  private gapSince: number | null = null
  private checking: Promise<void> | null = null
  private lastPrune = 0
  hits = 0
  misses = 0

  constructor(private sql: Sql) {}

  async get(key: string, period: Period, load: () => Promise<T>): Promise<T> {
    await this.fresh()
    const now = Date.now()
    const hit = this.entries.get(key)
    if (hit && hit.expires > now) {
      this.hits++
      // Most recently used last, so the oldest is evicted first.
      this.entries.delete(key)
      this.entries.set(key, hit)
      return hit.value
    }
    this.misses++
    const from = Date.parse(period.from)
    const to = Date.parse(period.to)
    const entry: Entry<T> = { from, to, expires: now + (to > now ? OPEN_PERIOD_MS : MAX_AGE_MS), value: load() }
    this.entries.set(key, entry)
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key)
    })
    while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    return entry.value
  }

  clear(): void {
    this.entries.clear()
  }

  /** Apply the change rows written since the last read (one read at a time for the process). */
  private fresh(): Promise<void> {
    this.checking ??= this.readChanges().finally(() => {
      this.checking = null
    })
    return this.checking
  }

  private async readChanges(): Promise<void> {
    if (this.low === null) {
      const [row] = await this.sql<{ id: number }[]>`select coalesce(max(id), 0)::float8 as id from evaluation_change`
      this.low = row!.id
      this.entries.clear()
      return
    }
    const rows = await this.sql<ChangeRow[]>`
      select id::float8 as id,
        greatest(least(extract(epoch from t_from), 1e11), -1e11)::float8 * 1000 as "from",
        greatest(least(extract(epoch from t_to), 1e11), -1e11)::float8 * 1000 as "to"
      from evaluation_change where id > ${this.low} order by id limit ${MAX_DELTA + 1}`
    if (rows.length > MAX_DELTA) {
      this.entries.clear()
      this.low = rows.at(-1)!.id
      this.applied.clear()
      this.gapSince = null
      return
    }
    for (const r of rows) {
      if (this.applied.has(r.id)) continue
      this.applied.add(r.id)
      for (const [key, e] of this.entries) if (e.from <= r.to && r.from < e.to) this.entries.delete(key)
    }
    this.advance()
    await this.prune()
  }

  /** Move `low` over the applied ids; skip a gap that stayed open long enough (a rolled-back id). */
  private advance(): void {
    while (this.applied.has(this.low! + 1)) this.applied.delete(++this.low!)
    if (this.applied.size === 0) {
      this.gapSince = null
      return
    }
    this.gapSince ??= Date.now()
    if (Date.now() - this.gapSince < GAP_WAIT_MS) return
    this.low = Math.min(...this.applied) - 1
    this.gapSince = null
    while (this.applied.has(this.low + 1)) this.applied.delete(++this.low)
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return
    this.lastPrune = Date.now()
    await this.sql`delete from evaluation_change where at < now() - interval '7 days'`
  }
}

const caches = new WeakMap<Sql, PeriodCache<unknown>>()

/** The process's cache for one database connection. */
export function periodCache<T>(sql: Sql): PeriodCache<T> {
  let cache = caches.get(sql)
  if (!cache) caches.set(sql, (cache = new PeriodCache<unknown>(sql)))
  return cache as PeriodCache<T>
}
