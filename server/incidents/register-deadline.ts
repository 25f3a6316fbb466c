/**
 * Cases left waiting in 待受理 (reported, not yet registered or dismissed) past their category's
 * registration deadline move one level up by themselves, as overdue cases do: the level above
 * must decide. The deadline is counted from the case's last change (its report, or its last
 * escalation), in hours from category_register_hours (the subcategory, else its group, else 24).
 * SKIP LOCKED lets several API processes run this at once without escalating a case twice.
 */
import type { Sql } from '../db/connect.ts'
import { appendEvent, type Tx } from './service.ts'
import { announceEvent as announce } from './committed-events.ts'

export const REGISTER_ESCALATION_NOTE = '超时未受理自动升级 · escalated automatically: not registered in time'
const DEFAULT_HOURS = 24

function registerDeadlinePassed(sql: Sql | Tx) {
  return sql`i.status = 'reported' and i.handling_level > 1 and i.merged_into is null
    and i.updated_at + make_interval(hours => coalesce(
      (select h.hours from category_register_hours h where h.category = i.category),
      (select h.hours from category_register_hours h where h.category = split_part(i.category, '.', 1)),
      ${DEFAULT_HOURS})) < now()`
}

export async function escalateUnregistered(sql: Sql, limit = 200): Promise<number> {
  const ids = await sql<{ id: number }[]>`select i.id::int from incident i where ${registerDeadlinePassed(sql)} order by i.updated_at limit ${limit}`
  let escalated = 0
  for (const { id } of ids) {
    const eventId = await sql.begin(async (tx) => {
      const [current] = await tx<{ handling_level: number }[]>`
        select i.handling_level from incident i where i.id = ${id} and ${registerDeadlinePassed(tx)} for update of i skip locked`
      if (!current) return null
      await tx`update incident set handling_level = handling_level - 1, updated_at = now(), assignee_person = null, assignee_department = null where id = ${id}`
      return appendEvent(tx, {
        incidentId: id,
        actor: 'system',
        action: 'escalate',
        fromStatus: 'reported',
        toStatus: 'reported',
        fromLevel: current.handling_level,
        toLevel: current.handling_level - 1,
        note: REGISTER_ESCALATION_NOTE,
      })
    })
    if (eventId !== null) {
      announce(eventId)
      escalated++
    }
  }
  return escalated
}
