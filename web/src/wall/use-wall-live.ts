/**
 * The wall's live data as React state: one LiveFeed for the page's lifetime, its events applied
 * to the bounded live state (live-state.ts) in batches every FLUSH_MS, the recent cases loaded
 * once on start so the map is not empty before the first event, old points and timed-out alerts
 * let go every AGE_OUT_MS. Tells the caller when the feed reconnected (to refetch the summary)
 * and when events arrived (to refresh the figures).
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LiveEvent } from '../api/live-feed.ts'
import { acknowledgeAlert } from './alerts.ts'
import { LiveFeed, type FeedStats, type FeedStatus } from '../api/live-feed.ts'
import { ageOut, applyEvents, createLiveState, latestPoints, POINT_MAX_AGE_MS, type LivePoint, type LiveState } from './live-state.ts'
import { fetchRecentIncidents } from './wall-api.ts'

const FLUSH_MS = 500
const AGE_OUT_MS = 30_000
const BACKFILL_LIMIT = 500

export interface WallLive {
  points: readonly LivePoint[]
  ticker: LiveState['ticker']
  alerts: LiveState['alerts']
  status: FeedStatus
  stats: () => Readonly<FeedStats>
  acknowledge(eventId: number | 'all'): void
}

export function useWallLive(handlers: { onReconnected(): void; onEvents(events: readonly LiveEvent[]): void }): WallLive {
  const state = useRef<LiveState>(createLiveState())
  const [snapshot, setSnapshot] = useState(() => ({ points: [] as readonly LivePoint[], ticker: state.current.ticker, alerts: state.current.alerts }))
  const [status, setStatus] = useState<FeedStatus>({ state: 'connecting', since: Date.now(), attempt: 0, lastAliveAt: null })
  const feed = useRef<LiveFeed | null>(null)
  const latestHandlers = useRef(handlers)
  latestHandlers.current = handlers

  const publish = useCallback(() => {
    const s = state.current
    setSnapshot({ points: latestPoints(s.points.toArray()), ticker: s.ticker, alerts: s.alerts })
  }, [])

  useEffect(() => {
    let pending: LiveEvent[] = []
    let flushTimer: ReturnType<typeof setTimeout> | undefined
    const flush = () => {
      flushTimer = undefined
      const batch = pending
      pending = []
      state.current = applyEvents(state.current, batch, Date.now())
      publish()
      latestHandlers.current.onEvents(batch)
    }
    const instance = new LiveFeed({
      onEvent: (event) => {
        pending.push(event)
        flushTimer ??= setTimeout(flush, FLUSH_MS)
      },
      onStatus: setStatus,
      onReconnected: () => latestHandlers.current.onReconnected(),
    })
    feed.current = instance
    instance.start()

    // The cases of the last hours, so the live layer shows the current picture from the start.
    const controller = new AbortController()
    fetchRecentIncidents(new Date(Date.now() - POINT_MAX_AGE_MS), BACKFILL_LIMIT, controller.signal).then(
      (items) => {
        const points = state.current.points
        const live = points.toArray()
        points.clear()
        for (const item of [...items].reverse()) {
          points.push({
            incidentId: item.id,
            position: [item.location.lon, item.location.lat],
            category: item.category,
            severity: item.severity,
            at: Date.parse(item.reportedAt),
          })
        }
        for (const point of live) points.push(point)
        publish()
      },
      () => {
        // No backfill (API down at start): the live feed fills the layer as events come.
      },
    )

    const ager = setInterval(() => {
      state.current = ageOut(state.current, Date.now())
      publish()
    }, AGE_OUT_MS)
    return () => {
      controller.abort()
      clearInterval(ager)
      clearTimeout(flushTimer)
      instance.stop()
      feed.current = null
    }
  }, [publish])

  const acknowledge = useCallback(
    (eventId: number | 'all') => {
      state.current = { ...state.current, alerts: acknowledgeAlert(state.current.alerts, eventId) }
      publish()
    },
    [publish],
  )

  const stats = useCallback(
    () => ({ ...(feed.current?.stats ?? { first: null, last: null, count: 0, sum: 0, replayed: 0, duplicates: 0, connections: 0 }) }),
    [],
  )
  return { ...snapshot, status, stats, acknowledge }
}
