/**
 * Free text people write about a case (title, description, timeline notes) names residents the
 * same way the parties list does. The text is stored whole, so the audited reveal can show it;
 * every read path selects it through mask_free_text (migration 008) with the case's parties, so
 * old rows and new ones are masked alike, for every role, in every interface. These fragments are
 * the one way to select such text: `i` is the incident, `e` an incident_event of it.
 */
import type { SqlOrTx } from '../db/fragment.ts'

type AnySql = SqlOrTx

/** The incident's title as served: parties and personal data masked. */
export function maskedTitle(sql: AnySql) {
  return sql`mask_free_text(i.title, i.parties)`
}

/** The incident's description as served. */
export function maskedDescription(sql: AnySql) {
  return sql`mask_free_text(i.description, i.parties)`
}

/** An event's note as served (needs the event's incident joined as `i`). */
export function maskedNote(sql: AnySql) {
  return sql`mask_free_text(e.note, i.parties)`
}
