/**
 * Notice events on the live feed. They take their ids from the incident events' sequence and are
 * written under the same ordering lock, last in their transaction, so the one id space of the feed
 * stays committed in order and one Last-Event-ID places a client in both kinds of event. After
 * commit the id is announced in-process and, for other API processes, by NOTIFY.
 */
import { EventEmitter } from 'node:events'
import { eventOrderLock } from '../incidents/sql/events.ts'
import { readProgress, summaryColumns, type Tx } from './queries.ts'

export const NOTICE_CHANNEL = 'notice_events'

/** In-process announcements of committed notice event ids. */
export const committedNoticeEvents = new EventEmitter().setMaxListeners(0)

export type NoticeEventKind = 'notice' | 'notice-progress'

/**
 * Appends an event carrying the notice's summary and progress; call it last in the transaction.
 * The progress is counted after the lock is taken: an event with a larger id never carries older
 * counts than one before it (progress.ts relies on it).
 */
export async function appendNoticeEvent(tx: Tx, e: { noticeId: number; kind: NoticeEventKind; action: string; cells?: string[] }): Promise<number> {
  await eventOrderLock(tx)
  const progress = await readProgress(tx, e.noticeId)
  const [row] = await tx<{ id: number }[]>`
    with summary as (select row_to_json(s) as notice from (select ${summaryColumns(tx)} from notice n where n.id = ${e.noticeId}) s),
         appended as (
           insert into notice_event (notice_id, kind, action, cells, payload)
           select ${e.noticeId}, ${e.kind}, ${e.action}, ${e.cells ?? null}, json_build_object('notice', summary.notice, 'progress', ${tx.json(progress as never)}::json)
           from summary
           returning id)
    select id, pg_notify(${NOTICE_CHANNEL}, id::text) from appended`
  return row!.id
}

export function announceNoticeEvent(id: number): void {
  committedNoticeEvents.emit('event', id)
}
