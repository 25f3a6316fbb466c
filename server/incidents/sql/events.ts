/**
 * The event log's ordering: events are committed in id order under one transaction-scoped
 * advisory lock, and each committed id is announced by NOTIFY on one channel (payload: the id
 * only). Every writer of incident_event (reports, transitions, the demo history) takes the lock.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'

export const EVENT_CHANNEL = 'incident_events'
export const EVENT_ORDER_LOCK = 0x696e6364 // "incd"

/** `select pg_advisory_xact_lock(…)`: held until commit. */
export function eventOrderLock(sql: SqlOrTx): Fragment {
  return sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`
}
