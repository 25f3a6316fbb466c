/**
 * The live demo: every few seconds, maybe report a new incident somewhere plausible (the same
 * model as the 12-month history in history.ts: what, where, when) and move a few open cases
 * one step through the workflow (register, dispatch, start, finish, verify, close; now and then
 * dismiss, return, escalate or reopen). A dispatch chooses who handles the case as a command
 * centre does: mostly a person of the handling cell, now and then a department that takes the
 * category (chooseAssignee), so the demo's cases show their assignees. A case whose category
 * requires a photo to finish gets one first (finish-photo.ts) and is finished under the same rule
 * as a person's finish. It writes only through the service functions, so events, the live feed and
 * idempotency behave exactly as for a real client. Errors are logged, never thrown out of the
 * timer; a tick never overlaps the previous one.
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'
import { readCategories } from '../incidents/categories.ts'
import type { CreateOptions } from '../incidents/service.ts'
import { caseIsOpen } from '../incidents/sql/status.ts'
import type { IncidentView, NewIncident } from '../incidents/types.ts'
import { allowedActions, type Action, type Status } from '../incidents/workflow.ts'
import { assertFinishable } from '../attachments/service.ts'
import { attachFinishPhotoIfRequired } from './finish-photo.ts'
import { dispatchCandidates, type AssigneeChoice } from '../incidents/assignee.ts'
import { loadIncidentCells } from './history.ts'
import { chooseAssignee, IncidentModel, type CategoryTree, type IncidentCell, type Random } from './model.ts'

export interface SimulatorDeps {
  sql: Sql
  createIncident: (sql: Sql, input: NewIncident, options: CreateOptions) => Promise<{ incident: IncidentView; created: boolean }>
  applyTransition: (
    sql: Sql,
    id: number,
    input: { action: Action; note?: string; assignee?: AssigneeChoice },
    actor: string,
    scope: string,
  ) => Promise<IncidentView>
  /** Grid cells with level-5 geometry (as data/generate makes them); read from grid_cell when absent. */
  cells?: readonly IncidentCell[]
  /** The category tree; data/incidents/categories.json when absent. */
  categories?: CategoryTree
  /** Time between ticks (default 5 s). */
  intervalMs?: number
  random?: Random
  /** Written as the actor of every report and transition (default 'simulator'). */
  actor?: string
  /** Move only the cases this simulator object reported (tests); by default the cases reported under `actor` in the last `moveWindowHours` (never people's reports). */
  ownCasesOnly?: boolean
  /** Open cases older than this are left alone, so stalled and overdue cases stay on the map (default 48). */
  moveWindowHours?: number
}

export interface Simulator {
  stop(): Promise<void>
}

/** Relative likelihood of each next step (filtered by what the workflow allows). */
const STEP_WEIGHTS: Record<Status, Partial<Record<Action, number>>> = {
  reported: { register: 95, dismiss: 5 },
  registered: { dispatch: 96, escalate: 4 },
  dispatched: { start: 93, return: 3, escalate: 4 },
  handling: { finish: 92, escalate: 8 },
  handled: { verify: 92, reopen: 8 },
  verified: { close: 100 },
  closed: {},
  dismissed: {},
}
const NOTES: Partial<Record<Action, string>> = {
  register: '信息核实，予以立案',
  dismiss: '经核实为重复上报，不予立案',
  dispatch: '派遣处置',
  return: '非本级职责，退回重新派遣',
  start: '已到场处置',
  finish: '已处置完毕',
  verify: '经核查处置到位',
  reopen: '核查未通过，退回重新处置',
  close: '结案',
  escalate: '超出本级处置能力，提请上级协调处置',
}
/** Reports per tick follow the day: about 0.4 at the busiest hours, about 0.12 at night. */
const HOUR_ACTIVITY = [0.3, 0.3, 0.3, 0.3, 0.3, 0.35, 0.45, 0.6, 0.85, 1, 1, 0.95, 0.7, 0.7, 0.9, 1, 0.95, 0.8, 0.65, 0.6, 0.55, 0.45, 0.38, 0.32]

export function startSimulator(deps: SimulatorDeps): Simulator {
  const random = deps.random ?? Math.random
  const actor = deps.actor ?? 'simulator'
  const intervalMs = deps.intervalMs ?? 5_000
  const windowHours = deps.moveWindowHours ?? 48
  const own = new Set<number>()
  let model: IncidentModel | null = null
  /** The simulator reports and moves cases anywhere in the district: its scope is the district's code. */
  let district = ''
  let counter = 0
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> = Promise.resolve()

  const ensureModel = async (): Promise<IncidentModel> => {
    if (!model) {
      const [cells, categories] = await Promise.all([deps.cells ?? loadIncidentCells(deps.sql), deps.categories ?? readCategories()])
      model = new IncidentModel(cells, categories)
      district = cells[0]!.code.slice(0, 6)
    }
    return model
  }

  const report = async (m: IncidentModel) => {
    const now = Date.now()
    const category = m.pickCategory(random, now)
    const draft = m.draft(random, category, now)
    const input: NewIncident = {
      category: draft.category,
      severity: draft.severity,
      title: draft.title,
      description: draft.description,
      source: draft.source,
      reporter: draft.reporter,
      location: draft.location,
      parties: draft.parties,
      occurredAt: new Date(now - Math.floor(random() * 30) * 60_000).toISOString(),
    }
    const key = `${actor}-${now.toString(36)}-${(counter++).toString(36)}`
    const { incident } = await deps.createIncident(deps.sql, input, { actor, scope: district, idempotencyKey: key })
    own.add(Number(incident.id))
  }

  const move = async () => {
    if (deps.ownCasesOnly && own.size === 0) return
    const ownIds = deps.ownCasesOnly ? [...own] : null
    const candidates = await deps.sql<{ id: string; status: Status; handling_level: number; grid_code: string; category: string }[]>`
      select i.id::text, i.status, i.handling_level, i.grid_code, i.category from incident i
      where ${caseIsOpen(deps.sql)}
        and ${
          ownIds
            ? deps.sql`i.id = any(${ownIds}::bigint[])`
            : deps.sql`i.reported_at > now() - make_interval(hours => ${windowHours}::int)
          and exists (select 1 from incident_event e where e.incident_id = i.id and e.action = 'report' and e.actor = ${actor})`
        }
      order by updated_at, id limit 30`
    const moves = Math.min(candidates.length, 2 + Math.floor(random() * 3))
    for (let k = 0; k < moves; k++) {
      const [c] = candidates.splice(Math.floor(random() * Math.min(candidates.length, 10)), 1)
      if (!c) break
      const action = chooseAction(random, c.status, c.handling_level)
      if (!action) continue
      try {
        if (action === 'finish') {
          // The same rule as a person's finish: a photo first where the category requires one.
          await attachFinishPhotoIfRequired(deps.sql, Number(c.id), { actor, scope: district })
          await assertFinishable(deps.sql, Number(c.id), action, district)
        }
        const assignee =
          action === 'dispatch' && c.status === 'registered'
            ? chooseAssignee(random, await dispatchCandidates(deps.sql, { gridCode: c.grid_code, level: c.handling_level, category: c.category }))
            : undefined
        // Nobody can take it (no person in the handling cell, no department for the category): a
        // command centre would not dispatch into the void, so the case waits for another tick.
        if (action === 'dispatch' && c.status === 'registered' && !assignee) continue
        await deps.applyTransition(deps.sql, Number(c.id), { action, note: NOTES[action], assignee }, actor, district)
      } catch (error) {
        // Someone else (a person, escalateOverdue) moved the case first: skip it this time.
        if ((error as { status?: number }).status === 409) continue
        throw error
      }
    }
  }

  const tick = async () => {
    try {
      const m = await ensureModel()
      const hour = (new Date().getUTCHours() + 8) % 24
      if (random() < 0.4 * HOUR_ACTIVITY[hour]!) await report(m)
      await move()
    } catch (error) {
      log.error({ err: error }, 'incident simulator: tick failed')
    }
  }

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      timer = null
      running = tick().finally(schedule)
    }, intervalMs)
    timer.unref?.()
  }
  schedule()
  log.info({ intervalMs, actor }, 'incident simulator started')

  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running
      log.info({ actor }, 'incident simulator stopped')
    },
  }
}

function chooseAction(random: Random, status: Status, handlingLevel: number): Action | null {
  const allowed = allowedActions({ status, handlingLevel })
  const options = allowed
    .map((a) => [a, (STEP_WEIGHTS[status][a] ?? 0) * (a === 'escalate' && handlingLevel <= 2 ? 0.25 : 1)] as const)
    .filter(([, w]) => w > 0)
  const total = options.reduce((s, [, w]) => s + w, 0)
  if (total === 0) return null
  let r = random() * total
  for (const [a, w] of options) if ((r -= w) < 0) return a
  return options[options.length - 1]![0]
}
