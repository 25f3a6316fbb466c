/**
 * The notices capability, assembled: its context (database, outbound channels, background work)
 * and its live feed source. One per app; the server passes the configured channels.
 */
import type { Sql } from '../db/connect.ts'
import { DEFAULT_OUTBOUND, type OutboundOptions } from './channels.ts'
import { NoticeFeed } from './feed.ts'
import type { NoticeContext } from './service.ts'

export interface Notices {
  ctx: NoticeContext
  feed: NoticeFeed
  /** Resolves when the outbound messages started so far have settled (sent or given up). */
  settled(): Promise<void>
  stop(): Promise<void>
}

export function createNotices(sql: Sql, options: { outbound?: Partial<OutboundOptions>; listen?: boolean } = {}): Notices {
  const ctx: NoticeContext = { sql, outbound: { ...DEFAULT_OUTBOUND, ...options.outbound }, pending: new Set() }
  const feed = new NoticeFeed(sql, { listen: options.listen })
  const settled = async () => {
    while (ctx.pending.size) await Promise.all([...ctx.pending])
  }
  return {
    ctx,
    feed,
    settled,
    stop: async () => {
      await feed.stop()
      await settled()
    },
  }
}
