/**
 * A deterministic 12-month demo history of incidents for the grid, so the dashboard has
 * something to show on first start: generateHistory (pure: same cells, categories, `end` and
 * count → the same incidents, byte for byte) and insertHistory (bulk insert in one transaction).
 *
 * Each incident is drawn from the shared model (model.ts: where, what, when) and then walked
 * through the GB/T 30428 workflow (server/incidents/workflow.ts, via nextState) with realistic
 * delays: registration, dispatch, handling at the lowest level that can, occasional return,
 * re-opening after a failed check, escalation by the handler or — as escalateOverdue does on the
 * live server — by 'system' when a case still being worked on passes its due time, then
 * verification and closing. A few cases are dismissed, a few stall (awaiting verification or
 * registration). Everything after `end` is cut off, so recent cases are still open and stalled
 * ones are overdue. due_at follows the service: reported_at (or the last escalation) plus the
 * category's dueHours[severity - 1]. Each dispatch names who handles the case as the live
 * simulator chooses (chooseAssignee): a person of the handling cell or, now and then, a department
 * that takes the category, from the people and departments given (`assignees`); drawn from a
 * stream of its own per incident, so the rest of the history is the same with or without them.
 */
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import { handlingCell, type AssigneeChoice } from '../incidents/assignee.ts'
import { eventOrderLock } from '../incidents/sql/events.ts'
import { initialLevel, nextState, type Action, type CaseState, type Status } from '../incidents/workflow.ts'
import { hashString, mulberry32 } from '../../data/generate/prng.ts'
import {
  IncidentModel,
  WeightedPicker,
  chooseAssignee,
  dayFactor,
  lognormal,
  type CategoryTree,
  type IncidentCell,
  type Party,
  type Random,
  type ResolvedCategory,
  type Source,
} from './model.ts'

export type { CategoryTree, IncidentCell } from './model.ts'

export interface HistoryEvent {
  at: string
  actor: string
  action: 'report' | Action
  fromStatus: Status | null
  toStatus: Status
  fromLevel: number | null
  toLevel: number
  note: string
  /** Whom a dispatch names (null on other events, or when nobody could take the case). */
  assignee: AssigneeChoice | null
}

export interface HistoryIncident {
  category: string
  severity: number
  title: string
  description: string
  source: Source
  reporter: string
  occurredAt: string
  reportedAt: string
  location: { lon: number; lat: number }
  /** The level-5 cell whose polygon covers `location`. */
  gridCode: string
  handlingLevel: number
  status: Status
  dueAt: string
  closedAt: string | null
  updatedAt: string
  parties: Party[]
  /** Who handles it now: the last dispatch's assignee, until an escalation or a return. */
  assignee: AssigneeChoice | null
  /** The full timeline, oldest first; the last event's toStatus/toLevel are status/handlingLevel. */
  events: HistoryEvent[]
}

export interface HistoryInput {
  cells: readonly IncidentCell[]
  categories: CategoryTree
  /** The history covers the 365 days before `end`; nothing happens at or after it. */
  end: Date
  /** Incidents to generate (default 40,000). */
  targetCount?: number
  /** Who dispatches may name (loadAssigneePool); without it no dispatch names anyone. */
  assignees?: AssigneePool
}

/** The people (by cell code, ids ascending) and the active departments a dispatch may name. */
export interface AssigneePool {
  people: ReadonlyMap<string, readonly number[]>
  departments: readonly { id: number; scope: string; categories: readonly string[] }[]
}

const NO_ASSIGNEES: AssigneePool = { people: new Map(), departments: [] }

const DAY = 86_400_000
const HOUR = 3_600_000
const MINUTE = 60_000
const CST = 8 * HOUR
export const DEFAULT_HISTORY_COUNT = 40_000
/** The note escalateOverdue (service.ts) writes, so automatic escalations read the same. */
const AUTO_ESCALATION_NOTE = '超期自动升级 · escalated automatically: past due'
const ESCALATABLE: Status[] = ['registered', 'dispatched', 'handling']

export function generateHistory(input: HistoryInput): HistoryIncident[] {
  const count = input.targetCount ?? DEFAULT_HISTORY_COUNT
  const end = input.end.getTime()
  if (!Number.isFinite(end)) throw new Error('generateHistory: end is not a valid date')
  const start = end - 365 * DAY
  const model = new IncidentModel(input.cells, input.categories)
  const random = mulberry32(hashString(`incident-history|${new Date(end).toISOString()}|${count}|${input.cells.length}`))

  // One table over (subcategory, local day): share × season × weekday × a gentle upward trend as
  // the platform was adopted over the year.
  const firstDay = Math.floor((start + CST) / DAY) * DAY - CST
  const days = Math.ceil((end - firstDay) / DAY)
  const cats = model.categories
  const weights = new Float64Array(cats.length * days)
  for (let c = 0; c < cats.length; c++) {
    for (let d = 0; d < days; d++) {
      const noon = firstDay + d * DAY + 12 * HOUR
      weights[c * days + d] = model.rate(cats[c]!.code, noon) * (0.85 + 0.3 * Math.min(1, Math.max(0, (noon - start) / (end - start))))
    }
  }
  const joint = new WeightedPicker(weights)

  const drafted: { t: number; category: ResolvedCategory; seed: number }[] = []
  for (let i = 0; i < count; i++) {
    let t: number
    let category: ResolvedCategory
    do {
      const k = joint.pick(random)
      category = cats[Math.floor(k / days)]!
      const hour = model.hourPicker(category.code).pick(random)
      t = firstDay + (k % days) * DAY + hour * HOUR + Math.floor(random() * 3600) * 1000
    } while (t < start || t >= end)
    // Each incident continues from its own seed, so its details do not depend on sort order.
    drafted.push({ t, category, seed: Math.floor(random() * 4294967296) })
  }
  drafted.sort((a, b) => a.t - b.t)
  const candidatesOf = candidateLookup(input.assignees ?? NO_ASSIGNEES)
  // Assignees are drawn from a stream of their own, so every other draw is the same with or without them.
  return drafted.map(({ t, category, seed }) => buildIncident(model, category, t, end, mulberry32(seed), mulberry32((seed ^ 0x5bd1e995) >>> 0), candidatesOf))
}

function levelActor(level: number, gridCode: string): string {
  switch (level) {
    case 5:
      return `grid_worker:${gridCode}`
    case 4:
      return `grid_leader:${gridCode.slice(0, 15)}`
    case 3:
      return `village:${gridCode.slice(0, 12)}`
    case 2:
      return `town:${gridCode.slice(0, 9)}`
    default:
      return `district:${gridCode.slice(0, 6)}`
  }
}
/** Registration, dispatch and checks are done by the town's comprehensive governance centre (the district's for district cases). */
const commandActor = (level: number, gridCode: string) => (level >= 2 ? `town:${gridCode.slice(0, 9)}` : `district:${gridCode.slice(0, 6)}`)

const LEVEL_NAME = ['', '区综治中心', '镇（街道）综治中心', '村（社区）', '网格长', '网格员']
const RESOLVED_NOTE: Record<string, string> = {
  dispute: '经调解双方达成一致意见',
  hazard: '隐患已整改消除',
  order: '已会同派出所处置',
  environment: '已清理整治',
  epidemic: '已落实防控措施',
  missing: '人员已找到并安全送返',
  livelihood: '已协调相关部门处理',
  anti_fraud: '宣传劝阻工作已完成',
}

type Candidate = { kind: 'person' | 'department'; id: number }

/**
 * The candidates dispatchCandidates (server/incidents/assignee.ts) would list, in its order:
 * people of the handling cell, then the departments whose scope holds the case and that take its
 * category (those taking each category found once).
 */
function candidateLookup(pool: AssigneePool): (gridCode: string, level: number, category: string) => Candidate[] {
  const byCategory = new Map<string, AssigneePool['departments']>()
  return (gridCode, level, category) => {
    let takers = byCategory.get(category)
    if (!takers) {
      const group = category.slice(0, category.indexOf('.'))
      takers = pool.departments.filter((d) => d.categories.length === 0 || d.categories.includes(category) || d.categories.includes(group))
      byCategory.set(category, takers)
    }
    const candidates: Candidate[] = []
    for (const id of pool.people.get(handlingCell(gridCode, level)) ?? []) candidates.push({ kind: 'person', id })
    for (const d of takers) if (gridCode.startsWith(d.scope)) candidates.push({ kind: 'department', id: d.id })
    return candidates
  }
}

function buildIncident(
  model: IncidentModel,
  category: ResolvedCategory,
  reportedAt: number,
  end: number,
  random: Random,
  assigneeRandom: Random,
  candidatesOf: (gridCode: string, level: number, category: string) => Candidate[],
): HistoryIncident {
  const draft = model.draft(random, category, reportedAt)
  const group = category.parentCode
  const dueHours = category.dueHours[draft.severity - 1]!
  const dueMs = dueHours * HOUR
  const occurredAt = reportedAt - Math.round(((draft.source === 'patrol' ? lognormal(random, 15, 0.8) : lognormal(random, 90, 1)) * MINUTE) / 1000) * 1000

  // What kind of case this becomes.
  const dismissP =
    { dispute: 0.005, environment: 0.035, livelihood: 0.045, hazard: 0.02, order: 0.05, epidemic: 0.06, anti_fraud: 0.01, missing: 0.01 }[group] ?? 0.03
  const stallP = category.code === 'dispute.land' || category.code === 'dispute.demolition' ? 0.01 : group === 'dispute' ? 0.0015 : 0.008
  const r = random()
  const kind = r < dismissP ? 'dismiss' : r < dismissP + stallP ? (random() < 0.7 ? 'stall-handled' : 'stall-reported') : 'normal'
  const escalateP = (level: number) => (group === 'dispute' ? 1.3 : group === 'missing' ? 1.5 : 1) * ([0, 0, 0.04, 0.07, 0.07, 0.05][level] ?? 0)

  // Step delays scale with the time allowed: urgent cases move in minutes, routine ones in hours.
  const step = (fraction: number, sigma: number, minMinutes: number) => Math.max(minMinutes * MINUTE, lognormal(random, dueMs * fraction, sigma))

  const events: (HistoryEvent & { t: number })[] = []
  let state: CaseState = { status: 'reported', handlingLevel: initialLevel(draft.severity) }
  let t = reportedAt
  let due = reportedAt + dueMs
  const reporterActor = draft.source === 'patrol' ? `grid_worker:${draft.gridCode}` : draft.source === 'hotline' ? 'hotline:12345' : draft.source
  events.push({
    t,
    at: '',
    actor: reporterActor,
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    fromLevel: null,
    toLevel: state.handlingLevel,
    note: '',
    assignee: null,
  })

  const apply = (action: Action, at: number, actor: string, note: string) => {
    const next = nextState(state, action)
    const assignee = action === 'dispatch' ? (chooseAssignee(assigneeRandom, candidatesOf(draft.gridCode, state.handlingLevel, category.code)) ?? null) : null
    if (!next) throw new Error(`history: ${action} is not allowed from ${state.status}`)
    at = Math.max(at, t + 1000)
    at = Math.round(at / 1000) * 1000
    if (at <= t) at = t + 1000
    events.push({
      t: at,
      at: '',
      actor,
      action,
      fromStatus: state.status,
      toStatus: next.status,
      fromLevel: state.handlingLevel,
      toLevel: next.handlingLevel,
      note,
      assignee,
    })
    if (action === 'escalate') due = at + dueMs
    state = next
    t = at
  }
  /** Takes `action` after `delay`, unless the case passes its due time first while still being worked on. */
  const after = (delay: number, action: Action, actor: string, note: string): boolean => {
    const at = t + delay
    if (ESCALATABLE.includes(state.status) && state.handlingLevel > 1 && at > due && t < end) {
      apply('escalate', Math.max(due, t) + lognormal(random, 3, 0.5) * MINUTE, 'system', AUTO_ESCALATION_NOTE)
      return false
    }
    apply(action, at, actor, note)
    return true
  }

  let returned = false
  let reopened = false
  // Enough steps for any walk: the loop stops at a final state or once past `end`.
  for (let guard = 0; guard < 40 && t < end; guard++) {
    const level = state.handlingLevel
    const cmd = commandActor(level, draft.gridCode)
    const handler = levelActor(level, draft.gridCode)
    if (state.status === 'reported') {
      if (kind === 'stall-reported') break
      if (kind === 'dismiss') {
        apply('dismiss', t + step(0.02, 0.8, 10), cmd, random() < 0.5 ? '经核实为重复上报，不予立案' : '经核实不属于网格事项，不予立案')
        break
      }
      const speed = draft.source === 'patrol' ? 0.01 : draft.source === 'referral' ? 0.05 : 0.025
      apply('register', t + step(speed, 0.8, 3), cmd, '信息核实，予以立案')
    } else if (state.status === 'registered') {
      if (level > 1 && random() < escalateP(level) * 0.25) apply('escalate', t + step(0.01, 0.6, 5), cmd, '超出本级处置权限，提请上级处置')
      else after(step(0.01, 0.8, 2), 'dispatch', cmd, `派遣至${LEVEL_NAME[level]}处置`)
    } else if (state.status === 'dispatched') {
      if (!returned && random() < 0.02) {
        returned = true
        after(step(0.03, 0.7, 10), 'return', handler, '非本级职责，退回重新派遣')
      } else after(step(0.05, 0.9, 5), 'start', handler, '已到场处置')
    } else if (state.status === 'handling') {
      if (level > 1 && random() < escalateP(level)) after(step(0.12, 0.7, 20), 'escalate', handler, '超出本级处置能力，提请上级协调处置')
      else after(step(reopened ? 0.1 : 0.22, 0.5, 10), 'finish', handler, RESOLVED_NOTE[group] ?? '已处置完毕')
    } else if (state.status === 'handled') {
      if (kind === 'stall-handled') break
      if (!reopened && random() < 0.035) {
        reopened = true
        apply('reopen', t + lognormal(random, 5 * HOUR, 0.7), cmd, '核查未通过，退回重新处置')
      } else apply('verify', t + Math.max(20 * MINUTE, lognormal(random, Math.min(6 * HOUR, dueMs * 0.15), 0.8)), cmd, '经核查处置到位')
    } else if (state.status === 'verified') {
      apply('close', t + Math.max(5 * MINUTE, lognormal(random, Math.min(2 * HOUR, dueMs * 0.05), 0.8)), cmd, '结案')
    } else break
  }

  // Nothing after `end`: the incident is as its last event left it.
  const kept = events.filter((e) => e.t < end)
  const last = kept[kept.length - 1]!
  let dueAt = reportedAt + dueMs
  let assignee: AssigneeChoice | null = null
  for (const e of kept) {
    if (e.action === 'escalate') dueAt = e.t + dueMs
    // As the service keeps it: set by a dispatch, cleared by an escalation or a return.
    if (e.action === 'dispatch') assignee = e.assignee
    else if (e.action === 'escalate' || e.action === 'return') assignee = null
  }
  const closeEvent = kept.find((e) => e.action === 'close')
  return {
    category: draft.category,
    severity: draft.severity,
    title: draft.title,
    description: draft.description,
    source: draft.source,
    reporter: draft.reporter,
    occurredAt: iso(occurredAt),
    reportedAt: iso(reportedAt),
    location: draft.location,
    gridCode: draft.gridCode,
    handlingLevel: last.toLevel,
    status: last.toStatus,
    dueAt: iso(dueAt),
    closedAt: closeEvent ? iso(closeEvent.t) : null,
    updatedAt: iso(last.t),
    parties: draft.parties,
    assignee,
    events: kept.map(({ t, ...e }) => ({ ...e, at: iso(t) })),
  }
}

const iso = (t: number) => new Date(t).toISOString()

// ---------------------------------------------------------------------------------------------
// Database

type Tx = postgres.TransactionSql<{}>
export type HistoryProgress = (stage: string, done: number, total: number) => void

const INCIDENT_BATCH = 2_000
const EVENT_BATCH = 10_000

/**
 * Inserts the history in one transaction (a savepoint when `sql` is already a transaction).
 * Ids come from the tables' own sequences, reserved up front and handed out in time order:
 * incidents by reported_at, then every event of every incident sorted by `at`, so
 * incident_event.id order is time order (the live feed and its replay rely on id order).
 * The categories must already be loaded (loadCategories). Returns the counts inserted.
 */
export interface InsertedHistory {
  incidents: number
  events: number
  /** The id given to each incident, by its index in `history`. */
  incidentIds: number[]
}

export async function insertHistory(sql: Sql | Tx, history: readonly HistoryIncident[], onProgress: HistoryProgress = () => {}): Promise<InsertedHistory> {
  const work = async (tx: Tx) => {
    const incidentIds = await reserveIds(tx, 'incident', history.length)
    const order = history.map((_, i) => i).sort((a, b) => cmp(history[a]!.reportedAt, history[b]!.reportedAt) || a - b)
    const rows = order.map((i, k) => {
      const h = history[i]!
      return {
        id: incidentIds[k]!,
        category: h.category,
        severity: h.severity,
        title: h.title,
        description: h.description,
        source: h.source,
        reporter: h.reporter,
        occurred_at: h.occurredAt,
        reported_at: h.reportedAt,
        lon: h.location.lon,
        lat: h.location.lat,
        grid_code: h.gridCode,
        handling_level: h.handlingLevel,
        status: h.status,
        due_at: h.dueAt,
        closed_at: h.closedAt,
        parties: h.parties,
        updated_at: h.updatedAt,
        ...assigneeColumns(h.assignee),
      }
    })
    const idOf = new Array<number>(history.length)
    order.forEach((i, k) => (idOf[i] = incidentIds[k]!))
    for (let at = 0; at < rows.length; at += INCIDENT_BATCH) {
      const batch = rows.slice(at, at + INCIDENT_BATCH)
      await tx`
        insert into incident (id, category, severity, title, description, source, reporter, occurred_at, reported_at, location,
                              grid_code, handling_level, status, due_at, closed_at, parties, updated_at, assignee_person, assignee_department)
        overriding system value
        select id, category, severity, title, description, source, reporter, occurred_at, reported_at,
               ST_SetSRID(ST_MakePoint(lon, lat), 4326), grid_code, handling_level, status, due_at, closed_at, parties, updated_at,
               assignee_person, assignee_department
        from json_to_recordset(${tx.json(batch as never)}::json) as r(
          id bigint, category text, severity smallint, title text, description text, source text, reporter text,
          occurred_at timestamptz, reported_at timestamptz, lon float8, lat float8, grid_code text, handling_level smallint,
          status text, due_at timestamptz, closed_at timestamptz, parties jsonb, updated_at timestamptz,
          assignee_person integer, assignee_department integer)`
      onProgress('insert incidents', Math.min(at + INCIDENT_BATCH, rows.length), rows.length)
    }

    const events: { i: number; e: HistoryEvent }[] = []
    for (const i of order) for (const e of history[i]!.events) events.push({ i, e })
    // Stable: events at the same instant keep incident order, and an incident's own order.
    events.sort((a, b) => cmp(a.e.at, b.e.at))
    // Hold the service's event-order lock from reserving the ids to commit, like appendEvent.
    await tx`${eventOrderLock(tx)}`
    const eventIds = await reserveIds(tx, 'incident_event', events.length)
    for (let at = 0; at < events.length; at += EVENT_BATCH) {
      const batch = events.slice(at, at + EVENT_BATCH).map(({ i, e }, k) => ({
        id: eventIds[at + k]!,
        incident_id: idOf[i]!,
        at: e.at,
        actor: e.actor,
        action: e.action,
        from_status: e.fromStatus,
        to_status: e.toStatus,
        from_level: e.fromLevel,
        to_level: e.toLevel,
        note: e.note,
        ...assigneeColumns(e.assignee),
      }))
      await tx`
        insert into incident_event (id, incident_id, at, actor, action, from_status, to_status, from_level, to_level, note,
                                    assignee_person, assignee_department)
        overriding system value
        select id, incident_id, at, actor, action, from_status, to_status, from_level, to_level, note, assignee_person, assignee_department
        from json_to_recordset(${tx.json(batch as never)}::json) as r(
          id bigint, incident_id bigint, at timestamptz, actor text, action text, from_status text, to_status text,
          from_level smallint, to_level smallint, note text, assignee_person integer, assignee_department integer)`
      onProgress('insert incident events', Math.min(at + EVENT_BATCH, events.length), events.length)
    }
    await tx`analyze incident`
    await tx`analyze incident_event`
    return { incidents: rows.length, events: events.length, incidentIds: idOf }
  }
  return ('savepoint' in sql ? (sql as Tx).savepoint(work) : (sql as Sql).begin(work)) as Promise<InsertedHistory>
}

/** The assignee columns of a row, left out when there is none (json_to_recordset reads a missing key as null: less JSON). */
function assigneeColumns(a: AssigneeChoice | null): { assignee_person?: number; assignee_department?: number } {
  if (!a) return {}
  return 'person' in a ? { assignee_person: a.person } : { assignee_department: a.department }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** `n` fresh ids from the table's identity sequence, ascending (other sessions may take ids in between). */
async function reserveIds(tx: Tx, table: 'incident' | 'incident_event', n: number): Promise<number[]> {
  if (n === 0) return []
  const rows = await tx<{ id: string }[]>`
    select nextval(pg_get_serial_sequence(${table}, 'id'))::text as id from generate_series(1, ${n})`
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b)
}

/** True when the incident table is empty (first start: time to insert the history). */
export async function isIncidentTableEmpty(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ empty: boolean }[]>`select not exists (select 1 from incident) as empty`
  return row!.empty
}

/** Who the history's dispatches may name: the grid's people by cell and the active departments, read in id order. */
export async function loadAssigneePool(sql: Sql | Tx): Promise<AssigneePool> {
  const [people, departments] = await Promise.all([
    sql<{ id: number; cell_code: string }[]>`select id, cell_code from grid_person order by id`,
    sql<{ id: number; scope: string; categories: string[] }[]>`select id, scope, categories from department where active order by id`,
  ])
  const byCell = new Map<string, number[]>()
  for (const p of people) {
    const ids = byCell.get(p.cell_code)
    if (ids) ids.push(p.id)
    else byCell.set(p.cell_code, [p.id])
  }
  return { people: byCell, departments }
}

/** The grid as generateHistory and the simulator need it, read back from grid_cell (levels 2, 3 and 5). */
export async function loadIncidentCells(sql: Sql | Tx): Promise<IncidentCell[]> {
  const rows = await sql<{ code: string; level: number; name: string; households: number; lon: number; lat: number; geometry: string | null }[]>`
    select code, level, name, households, ST_X(label_point) as lon, ST_Y(label_point) as lat,
           case when level = 5 then ST_AsGeoJSON(geom, 9) end as geometry
    from grid_cell where level in (2, 3, 4, 5) order by code`
  return rows.map((r) => ({
    code: r.code,
    level: r.level,
    name: r.name,
    households: r.households,
    labelPoint: [r.lon, r.lat] as [number, number],
    ...(r.geometry ? { geometry: JSON.parse(r.geometry) as IncidentCell['geometry'] } : {}),
  }))
}

export { dayFactor }
