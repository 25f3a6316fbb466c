/**
 * Merging a duplicate into the case that stays: the duplicate is closed as 不予立案 (dismissed)
 * with merged_into set, and both cases get an event naming the other, so the surviving case's
 * timeline shows both histories (timeline.ts reads the merged cases' events too). Both rows are
 * locked in id order, so two merges cannot cross.
 */
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { Viewer } from '../access/roles.ts'
import { appendEvent } from './service.ts'
import { announceEvent as announce } from './committed-events.ts'
import { getIncident } from './queries.ts'
import type { IncidentView } from './types.ts'
import type { Status } from './workflow.ts'

export const MergeBody = z.strictObject({
  into: z.number({ message: 'Expected into as the id of the case to keep.' }).int('Expected into as a case id.').positive('Expected into as a case id.'),
  note: z
    .string({ message: 'Expected note as text saying why the cases are the same.' })
    .trim()
    .min(2, 'Expected a note of 2 to 1000 characters saying why the cases are the same.')
    .max(1000, 'Expected a note of at most 1000 characters.'),
})

const FINAL: Status[] = ['closed', 'dismissed']

export async function mergeCase(
  sql: Sql,
  id: number,
  input: z.infer<typeof MergeBody>,
  viewer: Pick<Viewer, 'kind' | 'id' | 'name' | 'scope'>,
): Promise<IncidentView> {
  if (input.into === id) {
    throw new HttpProblem(422, 'Cannot merge a case into itself', 'Choose another case to merge into (field into).', [
      { name: 'into', reason: 'Expected a different case.' },
    ])
  }
  const eventIds = await sql.begin(async (tx) => {
    const rows = await tx<{ id: number; status: Status; handling_level: number; merged_into: number | null }[]>`
      select id::int, status, handling_level, merged_into from incident
      where id in (${id}, ${input.into}) and grid_code like ${viewer.scope + '%'}
      order by id for update`
    const source = rows.find((r) => r.id === id)
    const target = rows.find((r) => r.id === input.into)
    if (!source) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
    if (!target)
      throw new HttpProblem(422, 'Case to merge into not found', `No incident with the id ${input.into} (field into) is in your area.`, [
        { name: 'into', reason: 'Expected an open case in your area.' },
      ])
    if (FINAL.includes(source.status) || source.merged_into !== null) {
      throw new HttpProblem(409, 'Case already finished', `Case ${id} is ${source.status}; only an open case can be merged.`, [
        { name: 'id', reason: 'Expected an open case.' },
      ])
    }
    if (FINAL.includes(target.status) || target.merged_into !== null) {
      throw new HttpProblem(422, 'Case to merge into is finished', `Case ${input.into} (field into) is ${target.status}; merge into an open case.`, [
        { name: 'into', reason: 'Expected an open case.' },
      ])
    }
    await tx`update incident set status = 'dismissed', closed_at = now(), merged_into = ${input.into}, updated_at = now(),
                                 assignee_person = null, assignee_department = null where id = ${id}`
    await tx`update incident set updated_at = now() where id = ${input.into}`
    const actorUser = viewer.kind === 'user' ? viewer.id : null
    const first = await appendEvent(tx, {
      incidentId: id,
      actor: viewer.name,
      action: 'merge',
      fromStatus: source.status,
      toStatus: 'dismissed',
      fromLevel: source.handling_level,
      toLevel: source.handling_level,
      note: input.note,
      actorUser,
      relatedIncident: input.into,
    })
    const second = await appendEvent(tx, {
      incidentId: input.into,
      actor: viewer.name,
      action: 'merge_in',
      fromStatus: target.status,
      toStatus: target.status,
      fromLevel: target.handling_level,
      toLevel: target.handling_level,
      note: input.note,
      actorUser,
      relatedIncident: id,
    })
    return [first, second]
  })
  for (const eventId of eventIds) announce(eventId)
  return (await getIncident(sql, input.into, viewer.scope))!
}
