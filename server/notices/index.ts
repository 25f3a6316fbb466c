/**
 * The notices capability, assembled: its context (database, outbound channels, background work)
 * and its live feed source. One per app; the server passes the configured channels.
 */
import type { Sql } from '../db/connect.ts'
import { DEFAULT_OUTBOUND, type OutboundOptions } from './channels.ts'
import { NoticeFeed } from './feed.ts'
import { Outbox } from './outbox.ts'
import { ProgressCoalescer } from './progress.ts'
import type { NoticeContext } from './service.ts'

export interface Notices {
  ctx: NoticeContext
  feed: NoticeFeed
  /** Resolves when this process's outbound deliveries have settled (sent, given up, or none due soon). */
  settled(): Promise<void>
  stop(): Promise<void>
}

export interface NoticeOptions {
  outbound?: Partial<OutboundOptions>
  /** Listen for other processes' events (NOTIFY; a real PostgreSQL only). */
  listen?: boolean
  /** At most one progress event per notice per this many milliseconds. */
  progressIntervalMs?: number
}

/** Starts the outbox at once: deliveries left due or retrying by the last process are sent. */
export function createNotices(sql: Sql, options: NoticeOptions = {}): Notices {
  const outbound = { ...DEFAULT_OUTBOUND, ...options.outbound }
  const progress = new ProgressCoalescer(sql, options.progressIntervalMs)
  const ctx: NoticeContext = { sql, outbound, outbox: new Outbox(sql, outbound), progress }
  const feed = new NoticeFeed(sql, progress, { listen: options.listen })
  return {
    ctx,
    feed,
    settled: () => ctx.outbox.settled(),
    stop: async () => {
      await feed.stop()
      await progress.flush()
      await ctx.outbox.stop()
    },
  }
}
