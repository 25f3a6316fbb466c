/**
 * What the wall keeps of the live feed, all of it bounded: the recent cases as map points (a
 * ring that also ages out after POINT_MAX_AGE_MS), the ticker of new and escalated cases (the
 * newest TICKER_LENGTH), and the standing alerts (alerts.ts). Events are applied in batches
 * (`applyEvents`), so a burst of hundreds after a reconnect is one re-render, not hundreds.
 */
import type { LiveEvent } from '../api/live-feed.ts'
import { expireAlerts, raiseAlert, type ActiveAlert } from './alerts.ts'
import { RingBuffer } from './ring-buffer.ts'

export interface LivePoint {
  incidentId: number
  position: [number, number]
  category: string
  severity: number
  /** Date.now() when the case was reported or last moved (its latest event). */
  at: number
}

export interface TickerItem {
  eventId: number
  incidentId: number
  action: 'report' | 'escalate'
  title: string
  category: string
  severity: number
  gridCode: string
  toLevel: number
  at: string
}

export const POINT_CAPACITY = 2000
export const POINT_MAX_AGE_MS = 2 * 3600_000
export const TICKER_LENGTH = 8

export interface LiveState {
  points: RingBuffer<LivePoint>
  ticker: readonly TickerItem[]
  alerts: readonly ActiveAlert[]
}

export function createLiveState(): LiveState {
  return { points: new RingBuffer<LivePoint>(POINT_CAPACITY), ticker: [], alerts: [] }
}

/** Applies a batch of events (oldest first) at `now`; the ring is updated in place. */
export function applyEvents(state: LiveState, events: readonly LiveEvent[], now: number): LiveState {
  let { ticker, alerts } = state
  for (const event of events) {
    const { incident } = event
    const at = Date.parse(event.at)
    state.points.push({
      incidentId: event.incidentId,
      position: [incident.location.lon, incident.location.lat],
      category: incident.category,
      severity: incident.severity,
      at: Number.isFinite(at) ? at : now,
    })
    if (event.action === 'report' || event.action === 'escalate') {
      const item: TickerItem = {
        eventId: event.id,
        incidentId: event.incidentId,
        action: event.action,
        title: incident.title,
        category: incident.category,
        severity: incident.severity,
        gridCode: incident.gridCode,
        toLevel: event.toLevel,
        at: event.at,
      }
      ticker = [item, ...ticker].slice(0, TICKER_LENGTH)
    }
    alerts = raiseAlert(alerts, event, now)
  }
  return { points: state.points, ticker, alerts }
}

/** Lets go of points older than the age limit and alerts that timed out. */
export function ageOut(state: LiveState, now: number, maxAgeMs = POINT_MAX_AGE_MS): LiveState {
  state.points.dropWhile((p) => now - p.at > maxAgeMs)
  const alerts = expireAlerts(state.alerts, now)
  return alerts === state.alerts ? state : { ...state, alerts }
}

/** One point per case (its latest event), for the map; oldest first so newer cases draw on top. */
export function latestPoints(points: readonly LivePoint[]): LivePoint[] {
  const byIncident = new Map<number, LivePoint>()
  for (const point of points) {
    byIncident.delete(point.incidentId)
    byIncident.set(point.incidentId, point)
  }
  return [...byIncident.values()]
}
