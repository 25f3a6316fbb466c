/**
 * Serious incidents raise an alert on the wall: a new report of severity 4 or of a missing
 * person, or a case escalated to the district (handling level 1). An alert stays (card and pulse
 * on the map) until acknowledged or until it times out; only a few are held at once. Pure.
 */
import type { LiveEvent } from '../api/live-feed.ts'

export type AlertReason = 'severity' | 'missing' | 'district'

export interface ActiveAlert {
  eventId: number
  incidentId: number
  title: string
  category: string
  severity: number
  gridCode: string
  position: [number, number]
  reasons: AlertReason[]
  /** Date.now() when it was raised. */
  raisedAt: number
}

export const ALERT_TIMEOUT_MS = 10 * 60_000
export const MAX_ALERTS = 5

/** Why `event` is serious, or an empty list when it is not. */
export function alertReasonsOf(event: LiveEvent): AlertReason[] {
  const reasons: AlertReason[] = []
  if (event.action === 'report') {
    if (event.incident.severity === 4) reasons.push('severity')
    if (event.incident.category.startsWith('missing.')) reasons.push('missing')
  }
  if (event.action === 'escalate' && event.toLevel === 1) reasons.push('district')
  return reasons
}

/**
 * The alerts after `event` arrived at `now`: a serious event is added (newest first), unless it
 * happened longer ago than the timeout (a replay after a long outage brings no stale alarms).
 */
export function raiseAlert(alerts: readonly ActiveAlert[], event: LiveEvent, now: number, timeoutMs = ALERT_TIMEOUT_MS): readonly ActiveAlert[] {
  const reasons = alertReasonsOf(event)
  if (reasons.length === 0 || now - Date.parse(event.at) > timeoutMs) return alerts
  const alert: ActiveAlert = {
    eventId: event.id,
    incidentId: event.incidentId,
    title: event.incident.title,
    category: event.incident.category,
    severity: event.incident.severity,
    gridCode: event.incident.gridCode,
    position: [event.incident.location.lon, event.incident.location.lat],
    reasons,
    raisedAt: now,
  }
  return [alert, ...alerts.filter((a) => a.incidentId !== event.incidentId)].slice(0, MAX_ALERTS)
}

/** Alerts still standing at `now`; the same array when none timed out. */
export function expireAlerts(alerts: readonly ActiveAlert[], now: number, timeoutMs = ALERT_TIMEOUT_MS): readonly ActiveAlert[] {
  return alerts.some((a) => now - a.raisedAt >= timeoutMs) ? alerts.filter((a) => now - a.raisedAt < timeoutMs) : alerts
}

export function acknowledgeAlert(alerts: readonly ActiveAlert[], eventId: number | 'all'): readonly ActiveAlert[] {
  return eventId === 'all' ? [] : alerts.filter((a) => a.eventId !== eventId)
}
