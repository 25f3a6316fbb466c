/**
 * SQL of the notices: who may see a notice (one predicate, used by every read), who the grid
 * persons of a target are, and the figures (progress, per-cell states, acknowledgement times).
 * Every value is bound; the level of a roll-up comes from a closed set of numbers.
 */
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import type { Viewer } from '../access/roles.ts'
import type { CellProgress, NoticeFigures, NoticeSummary, Progress } from './types.ts'
import { envelopeDegrees } from '../grids/envelope.ts'

export type Tx = postgres.TransactionSql<{}>
type Db = Sql | Tx

/** Roles that may send, remind and close (inside their scope). */
export const SENDER_ROLES = ['commander', 'town_leader', 'village_leader'] as const

export function isSender(viewer: Viewer): boolean {
  return (SENDER_ROLES as readonly string[]).includes(viewer.role)
}

/**
 * The notices `viewer` may see: a grid worker those they received (their household group is a
 * recipient cell); everyone else those whose recipients reach into their scope, or that they sent.
 * `n` is the notice table's alias.
 */
export function visibleTo(sql: Db, viewer: Viewer) {
  if (viewer.role === 'grid_worker') {
    return sql`exists (select 1 from notice_recipient vr where vr.notice_id = n.id and vr.cell_code = ${viewer.scope})`
  }
  const sent = viewer.kind === 'user' ? sql`n.sender_id = ${viewer.id} or` : sql``
  return sql`(${sent} exists (select 1 from notice_recipient vr where vr.notice_id = n.id and vr.cell_code like ${viewer.scope + '%'}))`
}

/** The recipients rows of `viewer` in a notice (a grid worker: the persons of their household group). */
export function ownRecipients(sql: Db, viewer: Viewer) {
  return viewer.role === 'grid_worker' ? sql`r.cell_code = ${viewer.scope}` : sql`false`
}

export function summaryColumns(sql: Db) {
  return sql`
    n.id, n.kind, n.priority, n.title, n.status, n.created_at as "createdAt", n.ack_deadline as "ackDeadline",
    n.closed_at as "closedAt", n.close_outcome as "closeOutcome", n.sender_name as "senderName", n.recipients,
    case when n.target_grids is not null then json_build_object('grids', n.target_grids)
         else json_build_object('point', json_build_object('lon', ST_X(n.target_point), 'lat', ST_Y(n.target_point)), 'radiusM', n.target_radius_m) end as target`
}

/**
 * Inserts the recipients of a target: every grid person of the grid subtrees, or of the household
 * groups a circle touches and their villager groups, limited to the sender's scope.
 */
export async function insertRecipients(tx: Tx, noticeId: number, target: NoticeSummary['target'], scope: string): Promise<number> {
  // A subtree is a code prefix: the persons are read by their own cell codes, with no join to the cells.
  // A box larger than the circle at its latitude keeps the exact test to few cells.
  const box = 'grids' in target ? null : envelopeDegrees(target.radiusM, target.point.lat)
  const persons =
    'grids' in target
      ? tx`p.cell_code like any(${target.grids.map((code) => `${code}%`)}::text[])`
      : tx`p.cell_code in (
      with centre as (select ST_SetSRID(ST_MakePoint(${target.point.lon}, ${target.point.lat}), 4326) as p),
      touched as (
        select c.code from grid_cell c, centre
        where c.level = 5 and c.code like ${scope + '%'}
          and c.geom && ST_Expand(centre.p, ${box!.dLon}::float8, ${box!.dLat}::float8)
          and ST_DWithin(c.geom::geography, centre.p::geography, ${target.radiusM}))
      select code from touched union select left(code, 15) from touched)`
  // One statement, in the order of the (notice, cell) index, so its pages fill one after another.
  const inserted = await tx`
    insert into notice_recipient (notice_id, person_id, cell_code, role, full_name, phone)
    select ${noticeId}, p.id, p.cell_code, p.role, p.full_name, p.phone
    from grid_person p where p.cell_code like ${scope + '%'} and ${persons}
    order by p.cell_code, p.id`
  return inserted.count
}

export async function readProgress(sql: Db, noticeId: number, scope = ''): Promise<Progress> {
  // One pass over the notice's recipients (it is read for every progress event).
  const [row] = await sql<Progress[]>`
    select count(*)::int as recipients, count(delivered_at)::int as delivered, count(read_at)::int as read,
           count(acked_at)::int as acknowledged, count(searched_at)::int as searched,
           (select count(*)::int from notice_reply where notice_id = ${noticeId} and kind = 'clue' and cell_code like ${scope + '%'}) as clues,
           count(distinct cell_code)::int as cells,
           count(distinct cell_code) filter (where searched_at is not null or clue_at is not null)::int as "cellsSearched"
    from notice_recipient where notice_id = ${noticeId} and cell_code like ${scope + '%'}`
  return row!
}

/** Seconds from sending until each share of the recipients had acknowledged. */
export async function readFigures(sql: Db, noticeId: number, progress: Progress): Promise<NoticeFigures> {
  const [row] = await sql<{ times: number[] | null }[]>`
    select array_agg(extract(epoch from r.acked_at - n.created_at)::float8 order by r.acked_at) as times
    from notice_recipient r join notice n on n.id = r.notice_id
    where r.notice_id = ${noticeId} and r.acked_at is not null`
  const times = row?.times ?? []
  const at = (share: number) => {
    const needed = Math.ceil(share * progress.recipients)
    return needed > 0 && times.length >= needed ? Math.round(times[needed - 1]! * 10) / 10 : null
  }
  return { ack50: at(0.5), ack90: at(0.9), ack100: at(1), searchedShare: progress.cells ? progress.cellsSearched / progress.cells : 0 }
}

const LEVEL_LENGTH: Record<number, number> = { 2: 9, 3: 12, 4: 15, 5: 18 }

/**
 * The target's cells of one level inside `scope` with their recipients' states rolled up: a
 * household group is `clue` with a clue, `searched` when searched, `acknowledged` when its persons
 * acknowledged; a larger cell is `clue` with any clue, else the state all its household groups share.
 */
export async function readByCell(sql: Db, noticeId: number, level: number, scope: string, withGeometry: boolean): Promise<CellProgress[]> {
  const length = LEVEL_LENGTH[level]!
  return sql<CellProgress[]>`
    with r as (select * from notice_recipient where notice_id = ${noticeId} and cell_code like ${scope + '%'} and length(cell_code) >= ${length}),
    leaf as (
      select cell_code, count(*)::int as recipients, count(acked_at)::int as acked,
             bool_or(clue_at is not null) as clue, bool_or(searched_at is not null) as searched
      from r group by cell_code),
    up as (
      select left(cell_code, ${length}) as code, sum(recipients)::int as recipients, sum(acked)::int as acknowledged,
             count(*)::int as cells, count(*) filter (where searched or clue)::int as searched, count(*) filter (where clue)::int as clues
      from leaf group by 1)
    select up.code, g.name, g.level, up.recipients, up.acknowledged, up.cells, up.searched, up.clues,
           case when up.clues > 0 then 'clue' when up.searched = up.cells then 'searched'
                when up.acknowledged = up.recipients then 'acknowledged' else 'none' end as state
           ${withGeometry ? sql`, ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, 0.00005), 6)::json as geometry` : sql``}
    from up join grid_cell g on g.code = up.code
    order by up.code`
}

/** The target's outline: the targeted cells' shapes, or the circle. */
export async function readOutline(sql: Db, noticeId: number): Promise<unknown> {
  const [row] = await sql<{ outline: unknown }[]>`
    select case when n.target_grids is not null then
             (select ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_Union(g.geom), 0.0002), 5)::json from grid_cell g where g.code = any(n.target_grids))
           else ST_AsGeoJSON(ST_Buffer(n.target_point::geography, n.target_radius_m, 32)::geometry, 6)::json end as outline
    from notice n where n.id = ${noticeId}`
  return row?.outline ?? null
}
