/**
 * The read replica (DATABASE_READ_URL: a PostgreSQL streaming replica in hot standby). Read
 * routes (tiles, the analyst's summaries, points and exports, the wall's summary, OGC reads) use
 * `replica.sql`, which is the replica while it answers and is no more than `maxLagSeconds` behind,
 * else the primary. Writes, and every read that must see the writer's own change (the reporter's
 * case, the drawer after an action), use the primary always.
 *
 * A probe asks the replica every PROBE_MS how far it is behind: nothing when it has replayed all
 * the primary has written (its replay position equals the primary's write position), else the
 * time since the last transaction it replayed. A replica that does not answer within the probe's
 * timeout, or is not in recovery, is down: reads go to the primary from the next request on, and
 * back when it answers again.
 */
import type postgres from 'postgres'
import { log } from '../log.ts'
import { within } from './unavailable.ts'

/** connect.ts's client type, named here so the two files do not import each other. */
type Sql = postgres.Sql<{}>

const PROBE_MS = 1000
const PROBE_TIMEOUT_MS = 1500

export interface ReplicaState {
  /** Where read routes go now. */
  reads: 'replica' | 'primary'
  up: boolean
  /** Seconds behind the primary (0: all replayed); null while down or not yet probed. */
  lagSeconds: number | null
}

export class ReadReplica {
  private current: ReplicaState = { reads: 'primary', up: false, lagSeconds: null }
  private readonly timer: NodeJS.Timeout
  private probing = false
  /** The client read routes use: the replica or the primary, chosen per statement. */
  readonly sql: Sql

  constructor(
    private readonly primary: Sql,
    private readonly replica: Sql,
    private readonly maxLagSeconds: number,
  ) {
    const pick = () => (this.current.reads === 'replica' ? this.replica : this.primary)
    // Every use of the client (a tagged statement, sql.begin, sql(...) helpers) goes to the pick.
    this.sql = new Proxy(primary, {
      apply: (_target, _this, args) => (pick() as unknown as (...a: unknown[]) => unknown)(...args),
      get: (_target, property) => {
        const target = pick() as unknown as Record<PropertyKey, unknown>
        const value = target[property]
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
    this.timer = setInterval(() => void this.probe(), PROBE_MS).unref()
  }

  state(): ReplicaState {
    return { ...this.current }
  }

  /** Probes once now (start-up, tests). */
  async probe(): Promise<ReplicaState> {
    if (this.probing) return this.state()
    this.probing = true
    try {
      const [[replica], [primary]] = await within(
        Promise.all([
          this.replica<{ standby: boolean; replayed: string | null; lag: number | null }[]>`
            select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed,
                   extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as lag`,
          this.primary<{ written: string }[]>`select pg_current_wal_lsn()::text as written`,
        ]),
        PROBE_TIMEOUT_MS,
      )
      if (!replica!.standby) throw new Error('DATABASE_READ_URL is not a standby (pg_is_in_recovery() is false)')
      const lagSeconds = replica!.replayed !== null && replica!.replayed === primary!.written ? 0 : Math.max(0, replica!.lag ?? 0)
      this.set({ up: true, lagSeconds, reads: lagSeconds <= this.maxLagSeconds ? 'replica' : 'primary' })
    } catch (error) {
      if (this.current.up || this.current.lagSeconds === null) log.warn({ err: error }, 'read replica not answering; reads go to the primary')
      this.set({ up: false, lagSeconds: null, reads: 'primary' })
    } finally {
      this.probing = false
    }
    return this.state()
  }

  private set(next: ReplicaState): void {
    if (next.reads !== this.current.reads) log.info({ reads: next.reads, lagSeconds: next.lagSeconds }, 'read routes switched')
    this.current = next
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    await this.replica.end({ timeout: 5 })
  }
}
