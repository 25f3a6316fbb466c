/**
 * The "open" and "overdue" predicates over `incident i`, written once: a case is open until it
 * is closed or dismissed, and overdue while open past its due time. The partial index
 * incident_open_due (migration 003) is built on the same condition.
 */
import type { Fragment, SqlOrTx } from '../../db/fragment.ts'

export function caseIsOpen(sql: SqlOrTx): Fragment {
  return sql`i.status not in ('closed', 'dismissed')`
}

/** `asOf`: the moment the due time is compared with (a timestamptz expression; now() by default). */
export function caseIsOverdue(sql: SqlOrTx, asOf: Fragment = sql`now()`): Fragment {
  return sql`${caseIsOpen(sql)} and i.due_at < ${asOf}`
}
