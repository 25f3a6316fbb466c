/**
 * The live feed of incident events. One hub per API process follows the incident_event table (the
 * single source of truth; db/table-follower.ts says how it hears of new rows). Each SSE client
 * keeps a cursor (the last event id it was sent), so delivery is in order and exactly once; a
 * client reconnecting with Last-Event-ID first replays from the table up to the hub's position
 * and only then joins the live fan-out.
 */
import type { Sql } from '../db/connect.ts'
import { TableFollower } from '../db/table-follower.ts'
import { WriteQueue } from '../http/write-queue.ts'
import { log } from '../log.ts'
import { committedEvents } from './committed-events.ts'
import { EVENT_CHANNEL } from './sql/events.ts'
import { maskedNote, maskedTitle } from './free-text-mask.ts'

export interface LiveEvent {
  id: number
  incidentId: number
  at: string
  action: string
  fromStatus: string | null
  toStatus: string
  fromLevel: number | null
  toLevel: number
  note: string
  incident: {
    gridCode: string
    category: string
    severity: number
    title: string
    location: { lon: number; lat: number }
    reportedAt: string
    dueAt: string
  }
}

interface Client {
  grid: string
  cursor: number
  writes: WriteQueue
  send(event: LiveEvent): Promise<void>
  drop(): void
}

/** Replays read this many events at a time, each page written out before the next is read. */
const REPLAY_PAGE = 500
/**
 * The furthest back a reconnecting client is replayed, in event rows (ids). A client further behind
 * (Last-Event-ID: 0, a display that was off for days) is told to reload its state instead: reading
 * the whole history for it would cost everyone else, and the client could not show it anyway.
 */
export const REPLAY_WINDOW = 10_000

export class LiveHub {
  private readonly clients = new Set<Client>()
  private readonly follower: TableFollower<LiveEvent>
  private readonly started: Promise<void>

  /** `listen`: also hear commits of other API processes (LISTEN/NOTIFY, external PostgreSQL). */
  constructor(
    private readonly sql: Sql,
    listen = false,
  ) {
    this.follower = new TableFollower(
      sql,
      {
        name: 'live feed',
        lastId: async (db) => (await db<{ id: number | null }[]>`select max(id) as id from incident_event`)[0]!.id ?? 0,
        readAfter: (db, after, limit) => readEvents(db, after, limit, null),
        committed: committedEvents,
        channel: listen ? EVENT_CHANNEL : null,
      },
      (event) => this.deliver(event),
    )
    this.started = this.follower.start()
    this.started.catch((error) => log.error({ err: error }, 'live feed could not start'))
  }

  /** The id of the newest event the hub has read and handed to its clients. */
  get position(): number {
    return this.follower.position
  }

  async stop(): Promise<void> {
    await this.started.catch(() => {})
    await this.follower.stop()
    for (const client of this.clients) client.drop()
    this.clients.clear()
  }

  get clientCount(): number {
    return this.clients.size
  }

  /** Reads events past the hub's position and hands them to every client. */
  poke(): void {
    this.follower.poke()
  }

  private deliver(event: LiveEvent): void {
    for (const client of this.clients) {
      if (event.id <= client.cursor || !event.incident.gridCode.startsWith(client.grid)) continue
      client.cursor = event.id
      client.writes.push(() => client.send(event))
    }
  }

  /**
   * Replays what a client missed (events after `cursor`) and then subscribes it. A client more
   * than REPLAY_WINDOW events behind gets `reset(position)` instead and starts from the hub's
   * position. The replay reads a page, waits until the client has taken it (backpressure) and
   * stops when the client is gone; it joins synchronously after the last read, so no event can
   * fall between replay and live delivery.
   */
  async attach(options: AttachOptions): Promise<() => void> {
    await this.started
    const client: Client = {
      grid: options.grid,
      cursor: options.cursor ?? this.position,
      writes: new WriteQueue(options.drop),
      send: options.send,
      drop: options.drop,
    }
    if (this.position - client.cursor > REPLAY_WINDOW) {
      client.cursor = this.position
      await options.reset(client.cursor)
    }
    while (client.cursor < this.position) {
      if (options.isClosed()) return () => {}
      const page = await readEvents(this.sql, client.cursor, REPLAY_PAGE, client.grid, this.position)
      for (const event of page) client.writes.push(() => client.send(event))
      client.cursor = page.length ? page.at(-1)!.id : this.position
      await client.writes.drained()
    }
    if (options.isClosed()) return () => {}
    this.clients.add(client)
    return () => this.clients.delete(client)
  }
}

export interface AttachOptions {
  grid: string
  /** The last event id the client has (Last-Event-ID); null: from now on. */
  cursor: number | null
  send(event: LiveEvent): Promise<void>
  /** Ends the client's stream (too far behind, broken). */
  drop(): void
  /** Tells the client its replay would be too long: reload the state, then follow from `position`. */
  reset(position: number): Promise<void>
  isClosed(): boolean
}

/** `grid`: a client's grid prefix, or null for the hub's own read of every event (deliver filters it per client). */
async function readEvents(sql: Sql, after: number, limit: number, grid: string | null, upTo = Number.MAX_SAFE_INTEGER): Promise<LiveEvent[]> {
  return sql<LiveEvent[]>`
    select e.id, e.incident_id as "incidentId", e.at, e.action, e.from_status as "fromStatus", e.to_status as "toStatus",
           e.from_level as "fromLevel", e.to_level as "toLevel", ${maskedNote(sql)} as note,
           json_build_object('gridCode', i.grid_code, 'category', i.category, 'severity', i.severity, 'title', ${maskedTitle(sql)},
             'location', json_build_object('lon', ST_X(i.location), 'lat', ST_Y(i.location)),
             'reportedAt', i.reported_at, 'dueAt', i.due_at) as incident
    from incident_event e join incident i on i.id = e.incident_id
    where e.id > ${after} and e.id <= ${upTo} ${grid !== null ? sql`and i.grid_code like ${grid + '%'}` : sql``}
    order by e.id limit ${limit}`
}
