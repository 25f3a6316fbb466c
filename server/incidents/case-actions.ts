/**
 * A person acting on a case, as a command centre runs it: the rules that are about who acts and
 * why rather than about states (those are workflow.ts). Dismiss, return, reopen and escalate need
 * a note saying why; the one who reported a case may not dismiss it; the one who finished it
 * (反馈) may not verify it (核查); a dispatch records whom it chose. The case row is locked while
 * the rules are checked, so two people cannot slip past them together.
 */
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import type { Viewer } from '../access/roles.ts'
import { resolveAssignee, type AssigneeChoice } from './assignee.ts'
import { transitionLocked, type EventExtra, type Tx } from './service.ts'
import { announceEvent as announce } from './committed-events.ts'
import { getIncident } from './queries.ts'
import type { IncidentView } from './types.ts'
import type { Action, Status } from './workflow.ts'

/** Actions that must say why. */
export const NOTE_REQUIRED: readonly Action[] = ['dismiss', 'return', 'reopen', 'escalate']
const MIN_NOTE = 2

export interface CaseActionInput {
  action: Action
  note?: string
  assignee?: AssigneeChoice
}

/** 422 naming `note` when an action that must say why has no note. */
export function checkNote(input: { action: Action; note?: string }): void {
  if (NOTE_REQUIRED.includes(input.action) && (input.note ?? '').trim().length < MIN_NOTE) {
    throw new HttpProblem(422, 'Note required', `The action ${input.action} needs a note saying why (field note, at least ${MIN_NOTE} characters).`, [
      { name: 'note', reason: `Expected a note of at least ${MIN_NOTE} characters for ${input.action}.` },
    ])
  }
}

/** Who did the case's first report and its latest finish (actor names as written in its events). */
async function dutyHolders(sql: Sql | Tx, id: number): Promise<{ reporter: string | null; finisher: string | null }> {
  const [row] = await sql<{ reporter: string | null; finisher: string | null }[]>`
    select (select actor from incident_event where incident_id = ${id} and action = 'report' order by id limit 1) as reporter,
           (select actor from incident_event where incident_id = ${id} and action = 'finish' order by id desc limit 1) as finisher`
  return row!
}

/**
 * The case's allowed actions less those separation of duties refuses this viewer (verifying their
 * own finish, dismissing their own report), so screens do not offer what the server would refuse.
 */
export async function actionsForViewer(sql: Sql, incident: Pick<IncidentView, 'id' | 'allowedActions'>, actor: string): Promise<Action[]> {
  if (!incident.allowedActions.some((action) => action === 'verify' || action === 'dismiss')) return incident.allowedActions
  const holders = await dutyHolders(sql, incident.id)
  return incident.allowedActions.filter(
    (action) => !(action === 'verify' && holders.finisher === actor) && !(action === 'dismiss' && holders.reporter === actor),
  )
}

/** 403 when the viewer would check their own work or throw out their own report. */
export function checkSeparation(action: Action, actor: string, holders: { reporter: string | null; finisher: string | null }): void {
  if (action === 'verify' && holders.finisher === actor) {
    throw new HttpProblem(
      403,
      'Separation of duties',
      'The person who finished (反馈) this case may not verify (核查) it; another person must check the work.',
      [{ name: 'action', reason: 'Expected verify by someone other than the person who finished the case.' }],
    )
  }
  if (action === 'dismiss' && holders.reporter === actor) {
    throw new HttpProblem(403, 'Separation of duties', 'The person who reported this case may not dismiss (不予立案) it; another person must decide.', [
      { name: 'action', reason: 'Expected dismiss by someone other than the reporter.' },
    ])
  }
}

/** Applies `input` to case `id` (inside the viewer's scope, else 404) as the viewer. */
export async function actOnCase(sql: Sql, id: number, input: CaseActionInput, viewer: Pick<Viewer, 'kind' | 'id' | 'name' | 'scope'>): Promise<IncidentView> {
  checkNote(input)
  if (input.assignee && input.action !== 'dispatch') {
    throw new HttpProblem(422, 'Assignee only for dispatch', 'An assignee is chosen only when dispatching (field assignee).', [
      { name: 'assignee', reason: 'Expected no assignee unless action is dispatch.' },
    ])
  }
  const eventId = await sql.begin(async (tx) => {
    const [current] = await tx<
      { status: Status; handling_level: number; severity: number; due_hours: number[]; grid_code: string; category: string; merged_into: number | null }[]
    >`
      select i.status, i.handling_level, i.severity, c.due_hours, i.grid_code, i.category, i.merged_into
      from incident i join incident_category c on c.code = i.category
      where i.id = ${id} and i.grid_code like ${viewer.scope + '%'} for update of i`
    if (!current) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
    if (current.merged_into !== null) {
      throw new HttpProblem(
        409,
        'Case merged',
        `This case was merged into case ${current.merged_into}; act on that one.`,
        [{ name: 'id', reason: `Expected the case it was merged into, ${current.merged_into}.` }],
        { mergedInto: current.merged_into },
      )
    }
    if (input.action === 'verify' || input.action === 'dismiss') checkSeparation(input.action, viewer.name, await dutyHolders(tx, id))
    const extra: EventExtra = { actorUser: viewer.kind === 'user' ? viewer.id : null }
    if (input.action === 'dispatch' && current.status === 'registered') {
      Object.assign(
        extra,
        await resolveAssignee(tx, input.assignee, { gridCode: current.grid_code, level: current.handling_level, category: current.category }),
      )
    }
    return transitionLocked(
      tx,
      id,
      { status: current.status, handlingLevel: current.handling_level },
      current.due_hours[current.severity - 1]!,
      { action: input.action, note: input.note?.trim() },
      viewer.name,
      extra,
    )
  })
  announce(eventId)
  return (await getIncident(sql, id, viewer.scope))!
}
