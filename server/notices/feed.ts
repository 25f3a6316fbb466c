/**
 * Notice events for the live feed (GET /api/live, events `notice` and `notice-progress`): a second
 * source beside the incident hub, merged into the same stream by id. Its ids come from the same
 * sequence as the incident events (events.ts), so one Last-Event-ID replays both.
 *
 * Each client is a viewer: a grid worker gets the events of notices their household group
 * received (a reminder only when their cell is reminded); everyone else the events of notices
 * reaching into their scope or sent by them. The audience of a notice (its recipient cells and
 * every prefix of them) is read once and kept, so fan-out to many clients is set look-ups.
 *
 * The two sources read independently, so around a reconnect an incident event may have reached
 * the client before a notice event with a smaller id: the replay therefore also resends notice
 * events of the few seconds before the client's last event. Notice events are snapshots (the
 * notice's summary and progress), so a repeat is harmless and pages drop ids they have seen.
 *
 * A `notice` event (sent, reminded) written to a grid worker's stream counts as delivered. Once a
 * client has joined, it is sent `notices-ready` (no id).
 */
import type postgres from 'postgres'
import type { Sql } from '../db/connect.ts'
import type { Viewer } from '../access/roles.ts'
import { TableFollower } from '../db/table-follower.ts'
import { WriteQueue } from '../http/write-queue.ts'
import { log } from '../log.ts'
import { committedNoticeEvents, NOTICE_CHANNEL } from './events.ts'
import { markDelivered } from './service.ts'
import type { ProgressCoalescer } from './progress.ts'
import type { NoticeLiveEvent, NoticeSummary, Progress } from './types.ts'

export interface LiveFrame {
  /** None for `notices-ready` (it is no event to resume after). */
  id?: number
  event: string
  data: string
}

interface Row {
  id: number
  noticeId: number
  at: string
  kind: 'notice' | 'notice-progress'
  action: string
  cells: string[] | null
  payload: { notice: NoticeSummary; progress: Progress }
}

interface Audience {
  cells: Set<string>
  prefixes: Set<string>
  senderId: number | null
}

interface Client {
  viewer: Viewer
  cursor: number
  writes: WriteQueue
  write(frame: LiveFrame): Promise<void>
  drop(): void
}

const PAGE = 1000
const REPLAY_LOOKBACK_S = 5
const DELIVERED_FLUSH_MS = 100
const AUDIENCE_CACHE = 200

export class NoticeFeed {
  private readonly clients = new Set<Client>()
  private readonly audiences = new Map<number, Promise<Audience>>()
  private readonly follower: TableFollower<Row>
  private started: Promise<void> | null = null
  private delivered: { noticeId: number; cell: string }[] = []
  private flushTimer: NodeJS.Timeout | null = null

  constructor(
    private readonly sql: Sql,
    private readonly progress: ProgressCoalescer,
    options: { listen?: boolean } = {},
  ) {
    this.follower = new TableFollower(
      sql,
      {
        name: 'notice feed',
        lastId: async (db) => (await db<{ id: number | null }[]>`select max(id) as id from notice_event`)[0]!.id ?? 0,
        readAfter: (db, after) => readRows(db, db`e.id > ${after}`),
        committed: committedNoticeEvents,
        channel: options.listen ? NOTICE_CHANNEL : null,
      },
      (row) => this.deliver(row),
    )
  }

  get clientCount(): number {
    return this.clients.size
  }

  private get position(): number {
    return this.follower.position
  }

  private start(): Promise<void> {
    this.started ??= this.follower.start()
    return this.started
  }

  /** Stops reading when no one listens; the next client starts it again. */
  async stop(): Promise<void> {
    const started = this.started
    if (!started) return
    this.started = null
    await started.catch(() => {})
    await this.follower.stop()
    await this.flushDelivered()
    for (const client of this.clients) client.drop()
    this.clients.clear()
  }

  poke(): void {
    this.follower.poke()
  }

  private async deliver(row: Row): Promise<void> {
    if (!this.clients.size) return
    const audience = await this.audienceOf(row.noticeId)
    for (const client of this.clients) {
      if (row.id <= client.cursor) continue
      client.cursor = row.id
      if (this.sees(client.viewer, row, audience)) this.enqueue(client, row)
    }
  }

  private sees(viewer: Viewer, row: Row, audience: Audience): boolean {
    if (viewer.role === 'grid_worker') return row.cells ? cellsOf(row).has(viewer.scope) : audience.cells.has(viewer.scope)
    return (viewer.kind === 'user' && audience.senderId === viewer.id) || audience.prefixes.has(viewer.scope)
  }

  private audienceOf(noticeId: number): Promise<Audience> {
    let audience = this.audiences.get(noticeId)
    if (!audience) {
      audience = (async () => {
        const [row] = await this.sql<{ cells: string[]; senderId: number | null }[]>`
          select coalesce((select array_agg(distinct cell_code) from notice_recipient where notice_id = ${noticeId}), '{}') as cells,
                 (select sender_id from notice where id = ${noticeId}) as "senderId"`
        const prefixes = new Set<string>()
        for (const cell of row!.cells) for (let length = 6; length <= cell.length; length += 3) prefixes.add(cell.slice(0, length))
        return { cells: new Set(row!.cells), prefixes, senderId: row!.senderId }
      })()
      audience.catch(() => this.audiences.delete(noticeId))
      this.audiences.set(noticeId, audience)
      if (this.audiences.size > AUDIENCE_CACHE) this.audiences.delete(this.audiences.keys().next().value!)
    }
    return audience
  }

  private enqueue(client: Client, row: Row): void {
    const data = textOf(row)
    const counts = client.viewer.role === 'grid_worker' && row.kind === 'notice' && (row.action === 'sent' || row.action === 'reminded')
    client.writes.push(async () => {
      await client.write({ id: row.id, event: row.kind, data })
      if (counts) this.noteDelivered(row.noticeId, client.viewer.scope)
    })
  }

  private noteDelivered(noticeId: number, cell: string): void {
    this.delivered.push({ noticeId, cell })
    this.flushTimer ??= setTimeout(() => void this.flushDelivered(), DELIVERED_FLUSH_MS)
  }

  /** Writes the batch of deliveries; the notices they moved get a (coalesced) progress event. */
  private async flushDelivered(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    const batch = this.delivered
    this.delivered = []
    if (!batch.length) return
    try {
      await markDelivered(this.sql, batch)
      for (const noticeId of new Set(batch.map((d) => d.noticeId))) this.progress.note(noticeId, 'delivered', [])
    } catch (error) {
      log.warn({ err: error }, 'notice feed: recording deliveries failed')
    }
  }

  /**
   * Replays the viewer's notice events after `cursor` (and those of the seconds before it, see
   * above), then subscribes the client. Without a cursor it starts at the feed's position.
   */
  async attach(options: { viewer: Viewer; cursor: number | null; write(frame: LiveFrame): Promise<void>; drop(): void }): Promise<() => void> {
    await this.start()
    const client: Client = {
      viewer: options.viewer,
      cursor: options.cursor ?? this.position,
      writes: new WriteQueue(options.drop),
      write: options.write,
      drop: options.drop,
    }
    if (options.cursor !== null) {
      const from = options.cursor
      let first = true
      while (client.cursor < this.position || first) {
        const where = first
          ? this
              .sql`(e.id > ${from} or e.at >= (select min(at) from (select at from incident_event where id = ${from} union all select at from notice_event where id = ${from}) x) - make_interval(secs => ${REPLAY_LOOKBACK_S}))
                      and e.id <= ${this.position}`
          : this.sql`e.id > ${client.cursor} and e.id <= ${this.position}`
        first = false
        const page = await readRows(this.sql, where)
        for (const row of page) if (this.sees(client.viewer, row, await this.audienceOf(row.noticeId))) this.enqueue(client, row)
        client.cursor = page.length ? Math.max(client.cursor, page.at(-1)!.id) : this.position
      }
    }
    this.clients.add(client)
    // Says the stream now carries notices (pages and tests wait for it rather than for time).
    client.writes.push(() => client.write({ event: 'notices-ready', data: '{}' }))
    return () => {
      this.clients.delete(client)
      if (!this.clients.size) void this.stop()
    }
  }
}

const texts = new WeakMap<Row, string>()
const cellSets = new WeakMap<Row, Set<string>>()

/** The cells an event is for, as a set (a coalesced progress event may name thousands). */
function cellsOf(row: Row): Set<string> {
  let cells = cellSets.get(row)
  if (!cells) cellSets.set(row, (cells = new Set(row.cells)))
  return cells
}

/** The event's data, serialised once for all the clients it goes to. */
function textOf(row: Row): string {
  let text = texts.get(row)
  if (text === undefined) {
    const data: NoticeLiveEvent = {
      id: row.id,
      noticeId: row.noticeId,
      at: row.at,
      action: row.action,
      notice: row.payload.notice,
      progress: row.payload.progress,
    }
    texts.set(row, (text = JSON.stringify(data)))
  }
  return text
}

async function readRows(sql: Sql, where: postgres.Fragment): Promise<Row[]> {
  return sql<Row[]>`
    select e.id, e.notice_id as "noticeId", e.at, e.kind, e.action, e.cells, e.payload
    from notice_event e where ${where} order by e.id limit ${PAGE}`
}
