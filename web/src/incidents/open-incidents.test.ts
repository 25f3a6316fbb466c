import { describe, expect, it } from 'vitest'
import type { LiveEvent } from '../api/live-feed.ts'
import { applyLiveEvent, type IncidentPoint } from './open-incidents.ts'

const NOW = Date.parse('2025-06-01T12:00:00Z')

function event(incidentId: number, action: string, toStatus: string, reportedAt = '2025-06-01T11:00:00Z'): LiveEvent {
  return {
    id: incidentId * 10,
    incidentId,
    at: '2025-06-01T11:30:00Z',
    action,
    fromStatus: null,
    toStatus,
    fromLevel: null,
    toLevel: 5,
    note: '',
    incident: {
      gridCode: '440904004204003002',
      category: 'dispute.neighbour',
      severity: 2,
      title: `case ${incidentId}`,
      location: { lon: 111.0, lat: 21.5 },
      reportedAt,
      dueAt: '2025-06-02T11:00:00Z',
    },
  }
}

describe('applyLiveEvent', () => {
  it('adds a new report newest first', () => {
    const one = applyLiveEvent([], event(1, 'report', 'reported', '2025-06-01T10:00:00Z'), NOW)
    const two = applyLiveEvent(one, event(2, 'report', 'reported', '2025-06-01T11:00:00Z'), NOW)
    expect(two.map((p) => p.id)).toEqual([2, 1])
    expect(two[0]).toMatchObject({ status: 'reported', overdue: false, title: 'case 2' })
  })

  it('moves the status of a case it holds and removes it when closed or dismissed', () => {
    const list = applyLiveEvent([], event(1, 'report', 'reported'), NOW)
    const registered = applyLiveEvent(list, event(1, 'register', 'registered'), NOW)
    expect(registered.map((p) => p.status)).toEqual(['registered'])
    expect(applyLiveEvent(registered, event(1, 'close', 'closed'), NOW)).toEqual([])
    expect(applyLiveEvent(list, event(1, 'dismiss', 'dismissed'), NOW)).toEqual([])
  })

  it('returns the same list when a finished case it never held is closed', () => {
    const list: readonly IncidentPoint[] = applyLiveEvent([], event(1, 'report', 'reported'), NOW)
    expect(applyLiveEvent(list, event(9, 'close', 'closed'), NOW)).toBe(list)
  })

  it('keeps at most `max` cases, dropping the oldest', () => {
    let list: readonly IncidentPoint[] = []
    for (let i = 1; i <= 5; i++) list = applyLiveEvent(list, event(i, 'report', 'reported', `2025-06-01T0${i}:00:00Z`), NOW, 3)
    expect(list.map((p) => p.id)).toEqual([5, 4, 3])
  })

  it('marks a case overdue when its due time has passed', () => {
    const late = applyLiveEvent([], event(1, 'report', 'reported'), Date.parse('2025-06-03T00:00:00Z'))
    expect(late[0]!.overdue).toBe(true)
  })
})
