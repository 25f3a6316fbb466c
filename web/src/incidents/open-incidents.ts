/**
 * The open incidents of one grid subtree as the map and the panel show them, and how one live
 * event changes that list: a report adds the case, a transition moves its status and level, a
 * close or dismissal removes it. Pure, so the react-query cache can be updated in place from
 * the SSE feed (no refetch of hundreds of points per event) and a unit test can check it.
 * The list is kept newest first and bounded, so a wall display left open for weeks does not
 * grow without end.
 */
import type { Incident, IncidentStatus } from '../api/client.ts'
import type { LiveEvent } from '../api/live-feed.ts'

/** What the map and the list need of a case (a live event carries exactly this much). */
export type IncidentPoint = Pick<
  Incident,
  'id' | 'category' | 'severity' | 'title' | 'status' | 'handlingLevel' | 'gridCode' | 'location' | 'reportedAt' | 'dueAt' | 'overdue'
>

export const OPEN_STATUSES: readonly IncidentStatus[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified']
/** Enough for a busy district's open cases; beyond it the oldest are let go. */
export const MAX_OPEN_INCIDENTS = 5000

export function isOpenStatus(status: string): status is IncidentStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status)
}

export function toIncidentPoint(incident: Incident): IncidentPoint {
  const { id, category, severity, title, status, handlingLevel, gridCode, location, reportedAt, dueAt, overdue } = incident
  return { id, category, severity, title, status, handlingLevel, gridCode, location, reportedAt, dueAt, overdue }
}

/** Newest report first, then the higher id (the API's own order). */
export function byNewest(a: IncidentPoint, b: IncidentPoint): number {
  return b.reportedAt.localeCompare(a.reportedAt) || b.id - a.id
}

/**
 * The list after `event`; the same array when the event changes nothing shown (so React and
 * deck.gl see no change). `now` decides whether a case added or moved is overdue.
 */
export function applyLiveEvent(list: readonly IncidentPoint[], event: LiveEvent, now = Date.now(), max = MAX_OPEN_INCIDENTS): readonly IncidentPoint[] {
  const index = list.findIndex((point) => point.id === event.incidentId)
  if (!isOpenStatus(event.toStatus)) return index < 0 ? list : list.filter((_, i) => i !== index)
  const { incident } = event
  const point: IncidentPoint = {
    id: event.incidentId,
    category: incident.category,
    severity: incident.severity,
    title: incident.title,
    status: event.toStatus,
    handlingLevel: event.toLevel,
    gridCode: incident.gridCode,
    location: incident.location,
    reportedAt: incident.reportedAt,
    // An escalation restarts the clock; the event carries the due time after it.
    dueAt: incident.dueAt,
    overdue: Date.parse(incident.dueAt) < now,
  }
  if (index >= 0) return list.map((existing, i) => (i === index ? point : existing))
  const next = [...list, point].sort(byNewest)
  return next.length > max ? next.slice(0, max) : next
}
