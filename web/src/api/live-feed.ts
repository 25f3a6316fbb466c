/**
 * The client's one live connection to GET /api/live (Server-Sent Events of incident events), used
 * by the dashboard and the wall. Unlike EventSource (which gives up on an HTTP error and retries at
 * a fixed pace) it reconnects after any loss with exponential backoff capped near 30 s, always
 * resuming after the last event id it received (Last-Event-ID), so the server replays exactly
 * what was missed. A watchdog treats a stream silent for longer than three heartbeats as dead
 * (a network that vanished without closing the socket); the status (connecting, live,
 * reconnecting, since when, last sign of life) lets a screen show that its picture is stale.
 * Duplicates (id not above the last one) are dropped and counted; the running count and sum of
 * ids received let a test compare them with the database without the page keeping a growing list.
 * The event shape mirrors server/incidents/live.ts (LiveEvent), imported as a type only.
 *
 * The same stream carries the area notices' events (`notice`, `notice-progress`) to a listener
 * that asks for them (`onNotice`). They come from a second source on the server and may arrive a
 * little out of order with the incident events, and a replay may repeat a few (snapshots, so
 * harmless): they are handed on as they come, and a reconnect resumes after the smaller of the
 * last incident id and the last notice id, so neither kind misses an event.
 */
import type { LiveEvent } from '../../../server/incidents/live.ts'
import { backoffDelay } from './backoff.ts'
import { api } from './rpc.ts'
import { SseParser } from './sse-parser.ts'

export type { LiveEvent }

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

export interface FeedStatus {
  state: FeedState
  /** Date.now() when the state was entered. */
  since: number
  /** Failed attempts since the last live connection. */
  attempt: number
  /** Date.now() of the last byte received (event or heartbeat), or null before the first. */
  lastAliveAt: number | null
}

export interface FeedStats {
  first: number | null
  last: number | null
  count: number
  sum: number
  /** Incident events sent again on purpose: a resume from an earlier notice's id (resumePoint) replays what lies between. */
  replayed: number
  /** Incident events received twice otherwise: a fault of the feed. */
  duplicates: number
  connections: number
}

export interface LiveFeedOptions {
  /** Only the events of this cell's subtree (the viewer's scope applies anyway). */
  grid?: string
  onEvent(event: LiveEvent): void
  onStatus(status: FeedStatus): void
  /** Called when the feed is live again after a loss or after failed first attempts: time to refetch. */
  onReconnected(): void
  /** A stream silent this long is closed and reopened (the server sends a heartbeat every 15 s). */
  silenceMs?: number
  /** The notice events (`notice`, `notice-progress`) with their id and data as sent. */
  onNotice?(name: NoticeEventName, id: number, data: string): void
  /** The server has joined this stream to the notice feed (after each (re)connect). */
  onNoticesReady?(): void
}

export type NoticeEventName = 'notice' | 'notice-progress'

export const SILENCE_MS = 45_000

export class LiveFeed {
  private controller: AbortController | null = null
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private watchdog: ReturnType<typeof setTimeout> | undefined
  private stopped = false
  private lastNotice: number | null = null
  private replay: Replay | null = null
  private status: FeedStatus = { state: 'connecting', since: Date.now(), attempt: 0, lastAliveAt: null }
  readonly stats: FeedStats = { first: null, last: null, count: 0, sum: 0, replayed: 0, duplicates: 0, connections: 0 }

  constructor(private readonly options: LiveFeedOptions) {}

  start(): void {
    void this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
    clearTimeout(this.watchdog)
    this.controller?.abort()
    this.controller = null
    this.setStatus({ state: 'stopped' })
  }

  private setStatus(patch: Partial<FeedStatus>): void {
    const state = patch.state ?? this.status.state
    this.status = { ...this.status, ...patch, since: state !== this.status.state ? Date.now() : this.status.since }
    this.options.onStatus(this.status)
  }

  private alive(): void {
    this.status = { ...this.status, lastAliveAt: Date.now() }
    clearTimeout(this.watchdog)
    this.watchdog = setTimeout(() => this.controller?.abort(), this.options.silenceMs ?? SILENCE_MS)
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    const controller = (this.controller = new AbortController())
    const reconnecting = this.stats.connections > 0
    try {
      const resume = this.resumeAfter()
      this.replay = replayOf(resume, this.stats.last)
      const response = await openLiveStream(this.options.grid, resume, controller.signal)
      if (!response.ok || !response.body) throw new Error(`live feed answered ${response.status}`)
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      const parser = new SseParser()
      this.alive()
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        this.alive()
        for (const message of parser.push(value)) {
          if (message.event === 'ready') {
            // Back after a loss (or after a start with the API away): whatever failed meanwhile is fetched again.
            const recovered = reconnecting || this.status.state === 'reconnecting'
            this.stats.connections++
            this.setStatus({ state: 'live', attempt: 0 })
            if (recovered) this.options.onReconnected()
          } else if (message.event === 'incident') {
            this.receive(message.data)
          } else if (message.event === 'notice' || message.event === 'notice-progress') {
            const id = Number(message.id)
            if (Number.isSafeInteger(id)) this.lastNotice = Math.max(this.lastNotice ?? id, id)
            this.options.onNotice?.(message.event, id, message.data)
          } else if (message.event === 'notices-ready') {
            this.options.onNoticesReady?.()
          } else if (message.event === 'reset') {
            // Away too long for a replay: follow from the server's position and reload the picture.
            this.skipTo(message.data)
            this.options.onReconnected()
          }
        }
      }
    } catch {
      // Refused, reset, aborted by the watchdog: all mean the same here, reconnect.
    } finally {
      clearTimeout(this.watchdog)
    }
    if (this.stopped || controller !== this.controller) return
    const attempt = this.status.state === 'live' ? 0 : this.status.attempt + 1
    this.setStatus({ state: 'reconnecting', attempt })
    this.retryTimer = setTimeout(() => void this.connect(), backoffDelay(attempt))
  }

  private resumeAfter(): number | null {
    return resumePoint(this.stats.last, this.lastNotice)
  }

  private skipTo(data: string): void {
    try {
      const { position } = JSON.parse(data) as { position: number }
      if (Number.isSafeInteger(position) && (this.stats.last === null || position > this.stats.last)) this.stats.last = position
      if (Number.isSafeInteger(position) && this.lastNotice !== null && position > this.lastNotice) this.lastNotice = position
    } catch {
      // malformed: the next reconnect replays or resets again
    }
  }

  private receive(data: string): void {
    let event: LiveEvent
    try {
      event = JSON.parse(data) as LiveEvent
    } catch {
      return // malformed: skip it; the ids around it still line up
    }
    const s = this.stats
    const receipt = receiptOf(event.id, s.last, this.replay)
    if (receipt === 'replayed') {
      this.replay!.seen = event.id
      s.replayed++
      return
    }
    if (receipt === 'duplicate') {
      s.duplicates++
      return
    }
    s.first ??= event.id
    s.last = event.id
    s.count++
    s.sum += event.id
    this.options.onEvent(event)
  }
}

/**
 * Where a reconnect resumes (Last-Event-ID): after the last id both kinds of event have reached.
 * Each kind arrives in order, but the two not with each other, so resuming after the larger id
 * could skip an event of the other kind still on its way; what the smaller one replays twice is
 * dropped (incidents by id, notices by the ids seen).
 */
export function resumePoint(lastIncident: number | null, lastNotice: number | null): number | null {
  if (lastIncident === null || lastNotice === null) return lastIncident ?? lastNotice
  return Math.min(lastIncident, lastNotice)
}

/** The incident events a stream resumed after `resume` sends again: those after it up to the last one received. */
export interface Replay {
  after: number
  upTo: number
  /** The last of them received again on this stream (each comes once, in order). */
  seen: number
}

export function replayOf(resume: number | null, lastIncident: number | null): Replay | null {
  return resume !== null && lastIncident !== null && resume < lastIncident ? { after: resume, upTo: lastIncident, seen: resume } : null
}

/**
 * What an incident event is to a feed that has received events up to `last`: new; one of the
 * replay's, each once and in order; or anything else already received, a duplicate.
 */
export function receiptOf(id: number, last: number | null, replay: Replay | null): 'new' | 'replayed' | 'duplicate' {
  if (last === null || id > last) return 'new'
  if (replay && id > replay.seen && id <= replay.upTo) return 'replayed'
  return 'duplicate'
}

/** Opens GET /api/live, resuming after `lastEventId` when given; the caller reads the body. */
function openLiveStream(grid: string | undefined, lastEventId: number | null, signal: AbortSignal): Promise<Response> {
  const query = { ...(grid ? { grid } : {}), ...(lastEventId === null ? {} : { lastEventId: String(lastEventId) }) }
  return api.live.$get({ query }, { init: { signal, cache: 'no-store' } })
}

/** Calls `onEvent` for every incident event in the subtree of `grid`, and `onReconnected` after a loss, until stopped. */
export function subscribeToIncidents(grid: string, onEvent: (event: LiveEvent) => void, onReconnected: () => void = () => {}): { close(): void } {
  const feed = new LiveFeed({ grid, onEvent, onStatus: () => {}, onReconnected })
  feed.start()
  return { close: () => feed.stop() }
}
