/**
 * A case's timeline as people read it: every event of the case and of the cases merged into it,
 * notes masked like all free text, and each actor shown as masked name · role · cell (a grid
 * person or a signed-in user), an office (镇综治中心), a channel (12345 hotline, resident report,
 * referral) or the system, never as a raw identifier. Actors are written in events as a username
 * or as `kind:code` (grid_worker:<cell>, town:<code>, hotline:12345…); they are resolved here, in
 * three small look-ups for the whole timeline.
 */
import type { Sql } from '../db/connect.ts'
import { assigneeColumn } from './assignee.ts'
import { maskedNote } from './free-text-mask.ts'
import type { ActorLabel, IncidentEventView } from './types.ts'

type Row = Omit<IncidentEventView, 'by'> & { actorUser: number | null }

const OFFICE_ROLE: Record<string, string> = { district: 'district_office', town: 'town_office', village: 'village_office' }
const CHANNELS = new Set(['hotline', 'resident', 'referral', 'patrol', 'api'])
const SYSTEM = new Set(['system', 'simulator'])

export async function getTimeline(sql: Sql, id: number): Promise<IncidentEventView[]> {
  const rows = await sql<Row[]>`
    select e.id, e.incident_id as "incidentId", e.at, e.actor, e.action, e.from_status as "fromStatus", e.to_status as "toStatus",
           e.from_level as "fromLevel", e.to_level as "toLevel", ${maskedNote(sql)} as note, e.actor_user as "actorUser",
           e.related_incident as "relatedIncident",
           ${assigneeColumn(sql, 'e')} as assignee
    from incident_event e
    join incident i on i.id = e.incident_id
    where e.incident_id = ${id} or e.incident_id in (select m.id from incident m where m.merged_into = ${id})
    order by e.at, e.id`
  const labels = await labelActors(sql, rows)
  return rows.map(({ actorUser: _, ...row }) => ({
    ...row,
    by: labels.get(row.actor) ?? { kind: 'system', name: null, role: 'unknown', cellCode: null, cellName: null },
  }))
}

/** Labels for the distinct actors of some events. */
export async function labelActors(sql: Sql, rows: { actor: string }[]): Promise<Map<string, ActorLabel>> {
  const labels = new Map<string, ActorLabel>()
  const actors = [...new Set(rows.map((r) => r.actor))]
  const people: { actor: string; role: string; cell: string }[] = []
  const offices: { actor: string; role: string; cell: string }[] = []
  const usernames: string[] = []
  for (const actor of actors) {
    const [kind, code] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : [actor, '']
    if (SYSTEM.has(actor) || actor.startsWith('simulator') || actor.startsWith('system'))
      labels.set(actor, { kind: 'system', name: null, role: actor.startsWith('simulator') ? 'simulator' : 'system', cellCode: null, cellName: null })
    else if ((kind === 'grid_worker' || kind === 'grid_leader') && /^[0-9]{6,18}$/.test(code)) people.push({ actor, role: kind, cell: code })
    else if (OFFICE_ROLE[kind] && /^[0-9]{6,18}$/.test(code)) offices.push({ actor, role: OFFICE_ROLE[kind]!, cell: code })
    else if (CHANNELS.has(kind)) labels.set(actor, { kind: 'channel', name: null, role: kind, cellCode: null, cellName: null })
    else usernames.push(actor)
  }
  const cells = [...new Set([...people, ...offices].map((p) => p.cell))]
  const [names, persons, users] = await Promise.all([
    cells.length ? sql<{ code: string; name: string }[]>`select code, name from grid_cell where code = any(${cells}::text[])` : [],
    people.length
      ? sql<{ cell: string; role: string; name: string }[]>`
      select distinct on (cell_code, role) cell_code as cell, role, mask_name(full_name) as name
      from grid_person where cell_code = any(${people.map((p) => p.cell)}::text[]) order by cell_code, role, id`
      : [],
    usernames.length
      ? sql<{ username: string; role: string; scope: string; name: string; cellName: string | null }[]>`
      select u.username, u.role, u.scope, mask_name(coalesce(nullif(p.full_name, ''), nullif(u.display_name, ''))) as name, g.name as "cellName"
      from app_user u left join grid_cell g on g.code = u.scope
      left join grid_person p on p.id = coalesce(u.person_id, (select w.id from grid_person w where u.role = 'grid_worker' and w.cell_code = u.scope and w.role = 'grid_worker' order by w.id limit 1))
      where u.username = any(${usernames}::text[])`
      : [],
  ])
  const cellName = new Map(names.map((c) => [c.code, c.name]))
  for (const p of people) {
    const person = persons.find((x) => x.cell === p.cell && x.role === p.role)
    labels.set(p.actor, { kind: 'person', name: person?.name ?? null, role: p.role, cellCode: p.cell, cellName: cellName.get(p.cell) ?? null })
  }
  for (const o of offices) labels.set(o.actor, { kind: 'office', name: null, role: o.role, cellCode: o.cell, cellName: cellName.get(o.cell) ?? null })
  for (const username of usernames) {
    const user = users.find((u) => u.username === username)
    labels.set(
      username,
      user
        ? { kind: 'person', name: user.name, role: user.role, cellCode: user.scope, cellName: user.cellName }
        : { kind: 'person', name: null, role: 'unknown', cellCode: null, cellName: null },
    )
  }
  return labels
}
