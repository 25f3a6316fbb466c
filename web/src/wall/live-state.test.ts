import { describe, expect, it } from 'vitest'
import type { LiveEvent } from '../api/live-feed.ts'
import { acknowledgeAlert, ALERT_TIMEOUT_MS, alertReasonsOf, expireAlerts, MAX_ALERTS } from './alerts.ts'
import { ageOut, applyEvents, createLiveState, latestPoints, POINT_CAPACITY, POINT_MAX_AGE_MS, TICKER_LENGTH } from './live-state.ts'

const NOW = Date.UTC(2026, 10, 27, 9, 0, 0)
let nextId = 1
function event(patch: Partial<Omit<LiveEvent, 'incident'>> & { incident?: Partial<LiveEvent['incident']> } = {}): LiveEvent {
  const id = nextId++
  return {
    id,
    incidentId: id,
    at: new Date(NOW).toISOString(),
    action: 'report',
    fromStatus: null,
    toStatus: 'reported',
    fromLevel: null,
    toLevel: 5,
    note: '',
    ...patch,
    incident: {
      gridCode: '440904004203001001',
      category: 'environment.garbage',
      severity: 1,
      title: `事件 ${id}`,
      location: { lon: 111, lat: 21.5 },
      reportedAt: new Date(NOW).toISOString(),
      dueAt: new Date(NOW).toISOString(),
      ...patch.incident,
    },
  }
}

describe('live state', () => {
  it('caps the ticker, keeps only reports and escalations in it, newest first', () => {
    const events = [
      ...Array.from({ length: 20 }, () => event()),
      event({ action: 'register', toStatus: 'registered' }),
      event({ action: 'escalate', toLevel: 3 }),
    ]
    const state = applyEvents(createLiveState(), events, NOW)
    expect(state.ticker).toHaveLength(TICKER_LENGTH)
    expect(state.ticker[0]).toMatchObject({ action: 'escalate', toLevel: 3 })
    expect(state.ticker.some((t) => t.eventId === events[20]!.id)).toBe(false)
  })

  it('bounds the points by capacity and age, one point per case', () => {
    let state = createLiveState()
    for (let i = 0; i < POINT_CAPACITY + 500; i += 100)
      state = applyEvents(
        state,
        Array.from({ length: 100 }, () => event()),
        NOW,
      )
    expect(state.points.size).toBe(POINT_CAPACITY)
    state = ageOut(state, NOW + POINT_MAX_AGE_MS + 1)
    expect(state.points.size).toBe(0)
    const report = event()
    state = applyEvents(state, [report, event({ incidentId: report.incidentId, action: 'register', toStatus: 'registered' })], NOW)
    expect(latestPoints(state.points.toArray())).toHaveLength(1)
  })

  it('raises alerts for severity 4, missing persons and escalation to the district only', () => {
    expect(alertReasonsOf(event({ incident: { severity: 4 } }))).toEqual(['severity'])
    expect(alertReasonsOf(event({ incident: { category: 'missing.person', severity: 4 } }))).toEqual(['severity', 'missing'])
    expect(alertReasonsOf(event({ action: 'escalate', toLevel: 1 }))).toEqual(['district'])
    expect(alertReasonsOf(event({ action: 'escalate', toLevel: 2 }))).toEqual([])
    expect(alertReasonsOf(event({ action: 'register', incident: { severity: 4 } }))).toEqual([])
    expect(alertReasonsOf(event({ incident: { severity: 3 } }))).toEqual([])
  })

  it('holds a few alerts until acknowledged or timed out; old replayed events raise none', () => {
    let state = applyEvents(
      createLiveState(),
      Array.from({ length: 8 }, () => event({ incident: { severity: 4 } })),
      NOW,
    )
    expect(state.alerts).toHaveLength(MAX_ALERTS)
    const stale = event({ at: new Date(NOW - ALERT_TIMEOUT_MS - 1).toISOString(), incident: { severity: 4 } })
    expect(applyEvents(state, [stale], NOW).alerts.some((a) => a.eventId === stale.id)).toBe(false)
    const first = state.alerts[0]!.eventId
    expect(acknowledgeAlert(state.alerts, first).some((a) => a.eventId === first)).toBe(false)
    expect(acknowledgeAlert(state.alerts, 'all')).toEqual([])
    expect(expireAlerts(state.alerts, NOW + ALERT_TIMEOUT_MS - 1)).toBe(state.alerts)
    state = ageOut(state, NOW + ALERT_TIMEOUT_MS)
    expect(state.alerts).toEqual([])
  })
})
