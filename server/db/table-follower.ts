/**
 * Follows the new rows of an append-only table whose ids only grow (incident_event, notice_event),
 * the way both live feeds need it: it reads past its position whenever it hears of a commit
 * (in-process for this process's own writes, by LISTEN/NOTIFY for other processes on the same
 * PostgreSQL, and by a slow poll as a safety net), one read at a time, and hands every row, in id
 * order, to `deliver`. A read that fails is retried on the next commit or poll.
 */
import type { EventEmitter } from 'node:events'
import type { Sql } from './connect.ts'
import { DrainLoop } from './drain-loop.ts'

export interface FollowedTable<Row extends { id: number }> {
  /** For the logs: which feed is following. */
  name: string
  /** The highest id now in the table (0 when empty): where following starts. */
  lastId(sql: Sql): Promise<number>
  /** Up to `limit` rows with ids above `after`, in id order. */
  readAfter(sql: Sql, after: number, limit: number): Promise<Row[]>
  /** Emits 'event' when this process commits a row. */
  committed: EventEmitter
  /** The NOTIFY channel other processes' commits are heard on, or null not to listen. */
  channel: string | null
}

const PAGE = 1000
const SAFETY_POLL_MS = 5000

export class TableFollower<Row extends { id: number }> {
  /** The id of the last row delivered. */
  position = 0
  private running = false
  private readonly reads: DrainLoop
  private timer: NodeJS.Timeout | null = null
  private unlisten: (() => Promise<void>) | null = null
  private readonly onCommitted = () => this.poke()

  constructor(
    private readonly sql: Sql,
    private readonly table: FollowedTable<Row>,
    private readonly deliver: (row: Row) => void | Promise<void>,
  ) {
    this.reads = new DrainLoop({
      drain: () => this.readNew(),
      active: () => this.running,
      failure: `${table.name}: reading events failed; retrying on the next notice`,
      ended: () => void this.stop(),
    })
  }

  async start(): Promise<void> {
    this.position = await this.table.lastId(this.sql)
    this.running = true
    this.table.committed.on('event', this.onCommitted)
    if (this.table.channel) {
      // onlisten runs on every (re)connection of the LISTEN connection: catch up then.
      const { unlisten } = await this.sql.listen(
        this.table.channel,
        () => this.poke(),
        () => this.poke(),
      )
      this.unlisten = unlisten
    }
    this.timer = setInterval(() => this.poke(), SAFETY_POLL_MS).unref()
  }

  /** Stops following; resolves once the read under way (and its deliveries) is done. */
  async stop(): Promise<void> {
    this.running = false
    this.table.committed.off('event', this.onCommitted)
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.unlisten?.().catch(() => {})
    this.unlisten = null
    await this.reads.running
  }

  /** Reads rows past the position and delivers them; a poke during a read reads again after it. */
  poke(): void {
    this.reads.trigger()
  }

  private async readNew(): Promise<void> {
    let page: Row[]
    do {
      page = await this.table.readAfter(this.sql, this.position, PAGE)
      for (const row of page) await this.deliver(row)
      if (page.length) this.position = page.at(-1)!.id
    } while (page.length === PAGE && this.running)
  }
}
